package trailhound.web.hunt;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.index.EventPage;
import trailhound.index.HuntCursor;
import trailhound.index.HuntHit;
import trailhound.index.HuntResult;
import trailhound.index.IndexBackend;
import trailhound.index.PageCursor;
import trailhound.index.SourceProgress;
import trailhound.index.UnknownEndpointException;
import trailhound.query.QueryLanguage;
import trailhound.query.QuerySyntaxException;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.BadRequest;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.search.EventColumns;
import trailhound.web.exports.ExportZip;
import trailhound.web.search.EventCsv;
import trailhound.web.search.SearchPages;
import trailhound.web.search.TimePicker;
import trailhound.web.search.TimeRange;
import trailhound.web.search.TimeViews;

/**
 * Hunting: one query over every endpoint the caller may see (administrators: all), through
 * {@link Scope#hunt}, so an endpoint outside the caller's groups is never searched.
 *
 * <ul>
 *   <li>{@code GET /hunt?q=&from=&to=&after=|before=|last=1}: the query box, the time picker, the counts per
 *       endpoint (largest first, each linking to that endpoint's grid with the same query and
 *       window), then the newest events of all of them,
 *       100 a page with First, Previous ({@code before}: the page before a hit), Next ({@code after})
 *       and Last, and the exact position ("101-200 of 24,846"). Without {@code q} only the form: nothing is hunted.
 *   <li>{@code GET /api/v1/hunt?q=&from=&to=&limit=&after=|before=|last=1}: its JSON twin,
 *       <pre>{@code
 * {"query": "type:dns", "total": 42, "start": 0, "counts": [{"endpoint": "WS-01", "count": 40}, ...],
 *  "events": [{"endpoint": "WS-01", "ts": "...", ...}, ...], "next": "1795...:WS-01:uid" or null,
 *  "previous": null, "partial": [{"endpoint": "WS-02", "source": "s7", "events": 1200, "expected": 10000}]}
 * }</pre>
 *       {@code limit} 1 to 1,000 (default 100); {@code next} is the {@code after} of the next page,
 *       {@code previous} the {@code before} of the previous one (null on the first), {@code last=1} the
 *       oldest {@code limit} events; {@code start} is the 0-based position of the first event.
 *       Every page has the exact counts (a page costs what the first one costs).
 *   <li>{@code GET /hunt/export.zip?q=&from=&to=}: every matching event as one CSV ({@link EventCsv}: formula-safe)
 *       in the encrypted ZIP every export is ({@link ExportZip}: AES-256, password {@code infected}), endpoint by
 *       endpoint (those with hits, by name), each newest first (needs {@link Action#EXPORT}).
 * </ul>
 * A blank {@code q} matches every event; a bad one is a 400 with the column. {@code from}/{@code to}
 * restrict all three to a time window as on the grid ({@link TimeRange}; a bad one is a 400 naming
 * it). Audited once per hunt (action {@code hunt}, the query text and window; not each further
 * page) and per export ({@code export}, {@code hunt csv: } and the text), with no endpoint.
 */
public final class HuntPages {
    static final int PAGE_SIZE = 100;
    static final int MAX_API_LIMIT = 1_000;
    private static final int BATCH = 5_000;
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final WebContext ctx;
    private final QueryLanguage language;

    private HuntPages(WebContext ctx) {
        this.ctx = ctx;
        this.language = QueryLanguage.withClock(ctx.clock());
    }

    public static void register(Routes routes, WebContext ctx) {
        HuntPages pages = new HuntPages(ctx);
        routes.get("/hunt", Action.VIEW, pages::page);
        routes.get("/hunt/export.zip", Action.EXPORT, pages::csvZip);
        routes.get("/api/v1/hunt", Action.VIEW, pages::api);
    }

    private void page(Context http) throws Exception {
        Scope access = ctx.scope(http);
        var chrome = ctx.chrome(http, "Hunt");
        String text = http.queryParam("q");
        String from = param(http, "from");
        String to = param(http, "to");
        TimePicker time = picker(access, text, from, to);
        if (time.error() != null) { // a bad from/to: shown in the picker, with what was typed
            http.status(HttpStatus.BAD_REQUEST);
            ctx.render(http, "hunt/page.jte", HuntPage.form(chrome, text == null ? "" : text, null, null, from, to, time));
            return;
        }
        if (text == null) {
            ctx.render(http, "hunt/page.jte", HuntPage.form(chrome, "", null, null, from, to, time));
            return;
        }
        HuntCursor after;
        HuntCursor before;
        try {
            after = cursor(http.queryParam("after"));
            before = cursor(http.queryParam("before"));
        } catch (BadRequest e) {
            throw new BadRequest("This link to a further page of results is broken or out of date: run the hunt again"
                    + " from its first page.");
        }
        boolean last = "1".equals(http.queryParam("last"));
        TimeRange range = TimeRange.parse(from, to);
        Query query;
        try {
            query = range.filter(language(text));
        } catch (QuerySyntaxException e) {
            // keep what the user typed, show the message and column, answer 400 (as the grid does)
            http.status(HttpStatus.BAD_REQUEST);
            ctx.render(http, "hunt/page.jte", HuntPage.form(chrome, text, e.getMessage(), e.column(), from, to, time));
            return;
        }
        boolean first = after == null && before == null && !last;
        if (first) access.audit("hunt", null, AuditLog.OK, text + range.describe());
        // Next pages after a cursor, Previous pages before one, Last is the page before the end:
        // keyset pages both ways, so no hit is skipped or shown twice however many endpoints take part.
        HuntResult found = before != null || last ? access.huntBefore(query, PAGE_SIZE, before) : access.hunt(query, PAGE_SIZE, after);
        List<HuntHit> hits = found.hits();
        EventColumns.Grid grid = EventColumns.grid(hits.stream().map(HuntHit::event).toList());
        List<HuntPage.Row> rows = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) rows.add(new HuntPage.Row(hits.get(i).endpoint(), grid.rows().get(i)));
        List<String> partial = found.partial().entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(p -> e.getKey() + ": " + SearchPages.describe(p))).toList();
        // a page starting inside the first hundred (reached by Previous or Last) has a shorter page before it
        String previous = found.start() == 0 || found.start() == PAGE_SIZE || hits.isEmpty() ? null : first(found).toString();
        ctx.render(http, "hunt/page.jte", new HuntPage(chrome, text, null, null, true, found.total(), counts(found),
                grid.headers(), rows, found.next() == null ? null : found.next().toString(), found.start(), previous, partial,
                from, to, time));
    }

    /**
     * The time picker of the hunt page: its quick ranges end at the newest event of every endpoint the
     * caller may see (the one newest hit of a match-all hunt).
     */
    private TimePicker picker(Scope access, String text, String from, String to) throws java.io.IOException {
        List<HuntHit> newest = access.hunt(new MatchAllDocsQuery(), 1, null).hits();
        return TimeViews.picker("/hunt", List.of(new TimePicker.Param("q", text == null ? "" : text)), from, to,
                newest.isEmpty() ? null : newest.get(0).event().ts(), ctx.clock().instant());
    }

    private static String param(Context http, String name) {
        String v = http.queryParam(name);
        return v == null ? "" : v.strip();
    }

    private void api(Context http) throws Exception {
        Scope access = ctx.scope(http);
        String text = text(http);
        int limit = limit(http.queryParam("limit"));
        TimeRange range = TimeRange.parse(param(http, "from"), param(http, "to"));
        Query query = range.filter(parse(text));
        HuntCursor after = cursor(http.queryParam("after"));
        HuntCursor before = cursor(http.queryParam("before"));
        boolean last = "1".equals(http.queryParam("last")) || "true".equals(http.queryParam("last"));
        if ((after != null ? 1 : 0) + (before != null ? 1 : 0) + (last ? 1 : 0) > 1) {
            throw new BadRequest("after, before and last each choose the page: give one of them");
        }
        if (after == null && before == null && !last) access.audit("hunt", null, AuditLog.OK, text + range.describe());
        HuntResult found = before != null || last ? access.huntBefore(query, limit, before) : access.hunt(query, limit, after);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", text);
        body.put("total", found.total());
        body.put("start", found.start());
        body.put("counts", counts(found).stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>(); // endpoint first, always
            m.put("endpoint", c.endpoint());
            m.put("count", c.count());
            return m;
        }).toList());
        body.put("events", found.hits().stream().map(h -> withEndpoint(h.event(), h.endpoint()).toDisplayMap()).toList());
        body.put("next", found.next() == null ? null : found.next().toString());
        body.put("previous", found.start() == 0 || found.hits().isEmpty() ? null : first(found).toString());
        List<Map<String, Object>> partial = new ArrayList<>();
        found.partial().forEach((endpoint, sources) -> {
            for (SourceProgress p : sources) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("endpoint", endpoint);
                m.put("source", p.source());
                m.put("events", p.events());
                m.put("expected", p.expected());
                partial.add(m);
            }
        });
        body.put("partial", partial); // sources being ingested: their events so far are included, as in the search API
        http.json(body);
    }

    private void csvZip(Context http) throws Exception {
        Scope access = ctx.scope(http);
        String text = text(http);
        TimeRange range = TimeRange.parse(param(http, "from"), param(http, "to"));
        Query query = range.filter(parse(text));
        access.audit("export", null, AuditLog.OK, "hunt csv: " + text + range.describe());
        HuntResult found = access.hunt(query, 1, null); // which of the caller's endpoints have hits
        String base = "trailhound_hunt_" + FILE_TIME.format(ctx.clock().instant());
        http.contentType("application/zip");
        http.header("Content-Disposition", "attachment; filename=\"" + base + ".zip\"");
        // attacker-written values: the same encrypted ZIP as the grid's and background exports, never a bare CSV
        try (ExportZip zip = ExportZip.onto(http.outputStream(), base + ".csv", Field.all())) {
            for (String endpoint : found.counts().keySet()) {
                try (IndexBackend.Lease lease = access.index(endpoint)) {
                    PageCursor after = null;
                    do {
                        EventPage page = lease.index().search(query, BATCH, after);
                        for (Event e : page.events()) zip.write(withEndpoint(e, endpoint));
                        after = page.next();
                    } while (after != null);
                } catch (UnknownEndpointException gone) {
                    // removed (or taken out of the caller's groups) since the hunt: nothing of it to export
                }
            }
        }
    }

    /** The cursor of the page's first hit: {@code before} it is the previous page. */
    private static HuntCursor first(HuntResult found) {
        HuntHit hit = found.hits().getFirst();
        return new HuntCursor(hit.event().ts(), hit.event().uid(), hit.endpoint());
    }

    /** Largest first, then by name. */
    private static List<HuntPage.EndpointCount> counts(HuntResult found) {
        return found.counts().entrySet().stream()
                .map(e -> new HuntPage.EndpointCount(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(HuntPage.EndpointCount::count).reversed()
                        .thenComparing(HuntPage.EndpointCount::endpoint))
                .toList();
    }

    /** The event under the endpoint's catalogue name (an index's events may still carry a name from before a rename). */
    private static Event withEndpoint(Event event, String endpoint) {
        return endpoint.equals(event.get(Field.ENDPOINT)) ? event : event.toBuilder().set(Field.ENDPOINT, endpoint).build();
    }

    private static String text(Context http) {
        String q = http.queryParam("q");
        return q == null ? "" : q;
    }

    private Query language(String text) {
        return text.isBlank() ? new MatchAllDocsQuery() : language.query(text);
    }

    /** The text's query; a bad text becomes a 400 with message and column. */
    private Query parse(String text) {
        try {
            return language(text);
        } catch (QuerySyntaxException e) {
            throw new BadRequest(e.getMessage(), e.column());
        }
    }

    private static int limit(String limitText) {
        if (limitText == null || limitText.isBlank()) return PAGE_SIZE;
        int limit;
        try {
            limit = Integer.parseInt(limitText.strip());
        } catch (NumberFormatException e) {
            limit = -1; // not a number, or out of int's range: the same message as any other bad limit
        }
        if (limit < 1 || limit > MAX_API_LIMIT) {
            throw new BadRequest("limit must be a whole number from 1 to " + MAX_API_LIMIT + ", was '" + limitText + "'");
        }
        return limit;
    }

    private static HuntCursor cursor(String token) {
        if (token == null || token.isBlank()) return null;
        try {
            return HuntCursor.parse(token);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("bad page cursor '" + token + "': use the 'next' value of the previous page");
        }
    }
}
