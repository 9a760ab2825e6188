package trailhound.web.admin;

import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import trailhound.access.Action;
import trailhound.access.AuditTime;
import trailhound.schema.Event;
import trailhound.store.AuditTrail;
import trailhound.web.BadRequest;
import trailhound.web.Format;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.search.EventCsv;

/**
 * Administration > Audit: the trail newest first, 100 a page, filtered by user, action, endpoint and
 * time ({@code since}, {@code until}: as {@code bin/trailhound audit} takes them, see {@link AuditTime});
 * {@code /admin/audit.csv} exports every matching entry (cells starting with = + - @ neutralised, as in
 * event exports). The chain's state is shown on the page.
 *
 * <p>JSON: {@code GET /api/v1/audit} with the command's names and meanings: {@code since}, {@code until}
 * ({@code 7d}, {@code 2026-12-01}, {@code 2026-12-01T10:00Z}; until exclusive), {@code user}, {@code action},
 * {@code endpoint}, {@code limit} (1 to {@value #MAX_LIMIT}, default {@value #PAGE}), and {@code before}
 * (answer entries older than this seq: the {@code older} of the previous answer, null on the last page).
 * Each entry as {@code audit --format json} prints it: {@code seq} a number, {@code time} UTC.
 */
public final class AuditPages {
    static final int PAGE = 100;
    /** The most entries one API answer holds: {@code older} pages on from there. */
    static final int MAX_LIMIT = 1_000;
    private static final List<String> HEADER = List.of("seq", "time", "user", "via", "action", "endpoint", "address", "outcome",
            "detail", "hash");

    public record AuditPage(PageChrome chrome, Map<String, String> filter, List<AuditTrail.Entry> entries, Long older, String chain) {}

    private final WebContext ctx;

    private AuditPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        AuditPages pages = new AuditPages(ctx);
        routes.get("/admin/audit", Action.ADMINISTER, pages::page);
        routes.get("/admin/audit.csv", Action.ADMINISTER, pages::csv);
        routes.get("/api/v1/audit", Action.ADMINISTER, pages::api);
    }

    private void page(Context http) {
        List<AuditTrail.Entry> entries = ctx.access().audit().list(filter(http), before(http), PAGE + 1);
        Long older = entries.size() > PAGE ? entries.get(PAGE - 1).seq() : null;
        long count = ctx.access().audit().count();
        String chain = ctx.access().audit().verify().map(b -> "broken at entry " + b.seq() + ": " + b.reason())
                .orElse("intact (" + Format.count(count) + (count == 1 ? " entry)" : " entries)"));
        ctx.render(http, "admin/audit.jte", new AuditPage(ctx.chrome(http, "Audit"), params(http),
                entries.subList(0, Math.min(PAGE, entries.size())), older, chain));
    }

    private void csv(Context http) throws Exception {
        AuditTrail.Filter f = filter(http);
        http.contentType("text/csv; charset=utf-8");
        http.header("Content-Disposition", "attachment; filename=\"trailhound-audit.csv\"");
        try (CSVPrinter out = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(http.outputStream(), StandardCharsets.UTF_8)),
                CSVFormat.RFC4180)) {
            out.printRecord(HEADER);
            long before = 0;
            while (true) {
                List<AuditTrail.Entry> batch = ctx.access().audit().list(f, before, 5_000);
                for (AuditTrail.Entry e : batch) {
                    out.printRecord(row(e).stream().map(EventCsv::cell).toList());
                }
                if (batch.size() < 5_000) break;
                before = batch.getLast().seq();
            }
        }
    }

    private void api(Context http) {
        int limit = limit(http);
        List<AuditTrail.Entry> entries = ctx.access().audit().list(filter(http), before(http), limit + 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries.subList(0, Math.min(limit, entries.size())).stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            List<String> values = row(e);
            for (int i = 0; i < HEADER.size(); i++) m.put(HEADER.get(i), values.get(i));
            m.put("seq", e.seq());
            return m;
        }).toList());
        body.put("older", entries.size() > limit ? entries.get(limit - 1).seq() : null);
        http.json(body);
    }

    private static int limit(Context http) {
        String l = http.queryParam("limit");
        if (l == null || l.isBlank()) return PAGE;
        try {
            int n = Integer.parseInt(l.strip());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // told below
        }
        throw new BadRequest("'limit' is a number of entries from 1 to " + MAX_LIMIT + " (page on with 'before'), not '" + l + "'");
    }

    static List<String> row(AuditTrail.Entry e) {
        AuditTrail.Event v = e.event();
        return java.util.Arrays.asList(String.valueOf(e.seq()), Event.formatTime(v.at()), v.actor(), v.via(), v.action(), v.endpoint(),
                v.address(), v.outcome(), v.detail(), e.hash());
    }

    private static Map<String, String> params(Context http) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : List.of("user", "action", "endpoint", "since", "until")) {
            String v = http.queryParam(k);
            m.put(k, v == null ? "" : v);
        }
        return m;
    }

    private static AuditTrail.Filter filter(Context http) {
        Instant now = Instant.now();
        return new AuditTrail.Filter(blankNull(http.queryParam("user")), blankNull(http.queryParam("action")),
                blankNull(http.queryParam("endpoint")), time("since", http.queryParam("since"), now), time("until", http.queryParam("until"), now));
    }

    private static long before(Context http) {
        String b = http.queryParam("before");
        long before;
        try {
            before = b == null || b.isBlank() ? 0 : Long.parseLong(b.strip());
        } catch (NumberFormatException e) {
            before = -1;
        }
        if (before < 0) throw new BadRequest("'before' is an entry number (1 or more), not '" + b + "'");
        return before;
    }

    private static Long time(String name, String value, Instant now) {
        try {
            return AuditTime.parse(name, value, now);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private static String blankNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
