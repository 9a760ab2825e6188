package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.store.AuditTrail;

/** {@code audit}: the audit trail of a data folder, listed and verified. Works beside a running server. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = {
    "List the audit trail, newest first: who did or looked at what, when (UTC), through which channel (web, token:<name>, cli),",
    "on which endpoint, from which address, with what outcome (ok, denied, failed) and detail.",
    "T in --since and --until: a UTC date (2026-12-01, its midnight), a time (2026-12-01T10:00Z, 2026-12-01T10:00:00+02:00),",
    "or an age before now: 30m, 12h, 7d. --until is exclusive. `audit verify` checks the hash chain."},
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Callable<Integer> {
    private static final Pattern AGE = Pattern.compile("(\\d{1,6})([mhd])");

    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--since", paramLabel = "T", description = "Entries at or after T.") String since;
    @Option(names = "--until", paramLabel = "T", description = "Entries before T.") String until;
    @Option(names = "--user", paramLabel = "NAME", description = "Only this user's entries (cli:<account> for the command line).") String user;
    @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, e.g. sign-in, search, user.create, group.rule.") String action;
    @Option(names = "--endpoint", paramLabel = "NAME", description = "Only entries on this endpoint.") String endpoint;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N entries, the newest (default: ${DEFAULT-VALUE}).") int limit;
    @Option(names = "--format", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE}).") Format format;

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

    /** Epoch ms of a --since or --until value (see the command's description); null when absent. */
    static Long time(String option, String value, Instant now) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        Matcher age = AGE.matcher(v);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d).toEpochMilli();
        }
        try {
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(option + " '" + Text.safe(value) + "' is no time: give a UTC date (2026-12-01),"
                    + " a time with its zone (2026-12-01T10:00Z) or an age (30m, 12h, 7d)");
        }
    }

    private static void table(List<AuditTrail.Entry> entries, PrintWriter out) {
        String row = "%6s  %-24s  %-20s  %-12s  %-20s  %-20s  %-15s  %-7s  %s%n";
        out.printf(row, "SEQ", "TIME (UTC)", "USER", "VIA", "ACTION", "ENDPOINT", "ADDRESS", "OUTCOME", "DETAIL");
        for (AuditTrail.Entry e : entries) {
            AuditTrail.Event v = e.event();
            out.printf(row, e.seq(), Text.time(v.at()), Text.orDash(v.actor()), Text.orDash(v.via()), Text.orDash(v.action()),
                    Text.orDash(v.endpoint()), Text.orDash(v.address()), Text.orDash(v.outcome()), Text.orDash(v.detail()));
        }
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
        "Check the audit trail's hash chain: every entry against its hash and its link to the one before, and that none of",
        "the newest is gone. Exit status 0 when it holds, 1 naming the first broken link."})
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;

        @Override
        public Integer call() throws Exception {
            // the store's trail, not the access layer's: opening that re-creates missing triggers, which this reports
            try (DataDir dir = DataDir.openExisting(data.dir)) {
                AuditTrail trail = dir.store().audit();
                Optional<AuditTrail.Break> broken = trail.verify();
                long count = trail.count();
                PrintWriter out = spec.commandLine().getOut();
                if (broken.isPresent()) {
                    out.println("audit trail: " + count + " entries, BROKEN at entry " + broken.get().seq() + ": " + broken.get().reason());
                    return 1;
                }
                out.println("audit trail: " + count + " entries, chain intact");
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
