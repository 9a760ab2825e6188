package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.access.AuditTime;
import trailhound.store.AuditTrail;

/** {@code audit}: the audit trail of a data folder, listed and verified. Works beside a running server. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = {
    "List the audit trail, newest first: who did or looked at what, when, and with what outcome.",
    "Each entry: time (UTC), user, channel (web, token:<name>, cli), action, endpoint, address, outcome (ok, denied,"
        + " failed) and detail. The table cuts long values short (…); json and csv give them whole.",
    "T in --since and --until: a UTC date (2026-12-01, its midnight), a time with its zone (2026-12-01T10:00Z,"
        + " 2026-12-01T10:00:00+02:00) or an age before now (30m, 12h, 7d). --until is exclusive.",
    "`audit verify` checks the hash chain."},
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--since", paramLabel = "T", description = "Entries at or after T.") String since;
    @Option(names = "--until", paramLabel = "T", description = "Entries before T.") String until;
    @Option(names = "--user", paramLabel = "NAME", description = "Only this user's entries (cli:<account> for the command line).") String user;
    @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, e.g. sign-in, search, user.create, group.rule.") String action;
    @Option(names = "--endpoint", paramLabel = "NAME", description = "Only entries on this endpoint.") String endpoint;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N entries, the newest (default: ${DEFAULT-VALUE}).") int limit;
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE}).") Format format;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) throw new IllegalArgumentException("--limit must be at least 1, not " + limit);
        Instant now = Instant.now();
        AuditTrail.Filter filter = new AuditTrail.Filter(user, action, endpoint, time("--since", since, now), time("--until", until, now));
        var out = spec.commandLine().getOut();
        return AccessFolder.run(data, (access, dir) -> {
            List<AuditTrail.Entry> entries = access.audit().list(filter, 0, limit);
            switch (format) {
                case json -> json(entries, out);
                case csv -> csv(entries, out);
                case table -> table(entries, out);
            }
            return 0;
        });
    }

    /** Epoch ms of a --since or --until value (see {@link AuditTime}); null when absent. */
    static Long time(String option, String value, Instant now) {
        try {
            return AuditTime.parse(option, value, now);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Text.safe(e.getMessage()));
        }
    }

    /**
     * Columns as wide as their values, each capped (an IPv6 address fits whole, a 256-character name does not);
     * a cut value ends in "…", and json or csv give it whole. The detail, last, is never cut.
     */
    private static void table(List<AuditTrail.Entry> entries, PrintWriter out) {
        TextTable table = new TextTable().right("SEQ", 20).left("TIME (UTC)", 24).left("USER", 32).left("VIA", 24).left("ACTION", 24)
                .left("ENDPOINT", 32).left("ADDRESS", 39).left("OUTCOME", 8).left("DETAIL", 0);
        for (AuditTrail.Entry e : entries) {
            AuditTrail.Event v = e.event();
            table.row(e.seq(), Text.time(v.at()), v.actor(), v.via(), v.action(), v.endpoint(), v.address(), v.outcome(), v.detail());
        }
        table.print(out);
    }

    private static void json(List<AuditTrail.Entry> entries, PrintWriter out) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AuditTrail.Entry e : entries) {
            AuditTrail.Event v = e.event();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seq", e.seq());
            row.put("time", Text.time(v.at()));
            row.put("user", v.actor());
            row.put("via", v.via());
            row.put("action", v.action());
            row.put("endpoint", v.endpoint());
            row.put("address", v.address());
            row.put("outcome", v.outcome());
            row.put("detail", v.detail());
            row.put("hash", e.hash());
            rows.add(row);
        }
        out.println(new ObjectMapper().writeValueAsString(rows));
    }

    /** RFC 4180 with web's EventCsv rule against spreadsheet formulas: every value may come from an attacker. */
    private static void csv(List<AuditTrail.Entry> entries, PrintWriter out) throws Exception {
        CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180);
        printer.printRecord("seq", "time", "user", "via", "action", "endpoint", "address", "outcome", "detail", "hash");
        for (AuditTrail.Entry e : entries) {
            AuditTrail.Event v = e.event();
            printer.printRecord(e.seq(), Text.time(v.at()), cell(v.actor()), cell(v.via()), cell(v.action()), cell(v.endpoint()),
                    cell(v.address()), cell(v.outcome()), cell(v.detail()), e.hash());
        }
        printer.flush();
    }

    /** The value as a spreadsheet will only ever show it: the rule of the web's event and audit exports. */
    static String cell(String value) {
        return trailhound.web.search.EventCsv.cell(value);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Check the audit trail's hash chain: every entry against its hash and its link to the one before, and that none"
            + " of the newest is gone.",
        "Exit status 0 when it holds, 1 naming the first broken link."})
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;

        @Override
        public Integer call() throws Exception {
            // the store's trail, not the access layer's: opening that re-creates missing triggers, which this reports
            try (DataDir dir = DataDir.openExisting(data.dir)) { // server.db only
                AuditTrail trail = dir.store().audit();
                Optional<AuditTrail.Break> broken = trail.verify();
                long count = trail.count();
                PrintWriter out = spec.commandLine().getOut();
                if (broken.isPresent()) {
                    out.println("audit trail: " + Text.count(count, "entry", "entries") + ", BROKEN at entry " + broken.get().seq() + ": " + broken.get().reason());
                    return 1;
                }
                out.println("audit trail: " + Text.count(count, "entry", "entries") + ", chain intact");
                if (count > 0 && trail.head().isEmpty()) {
                    out.println("note: audit-head (next to server.db) is missing or unreadable, as in a data folder from before it was kept:"
                            + " removed newest entries are found by SQLite's counter alone until the next entry writes it");
                }
                for (AuditTrail.Entry e : trail.list(new AuditTrail.Filter(null, AuditTrail.TRIGGERS_RESTORED, null, null, null), 0, 20)) {
                    out.println("note: entry " + e.seq() + " (" + Instant.ofEpochMilli(e.event().at()) + "): " + e.event().detail());
                }
                return 0;
            }
        }
    }
}
