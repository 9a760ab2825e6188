package trailhound.web.search;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import trailhound.index.EventPage;
import trailhound.index.Histogram;
import trailhound.index.IndexBackend;
import trailhound.index.PageCursor;
import trailhound.query.QueryLanguage;
import trailhound.query.QuerySyntaxException;
import trailhound.schema.Event;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.web.BadRequest;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * The events grid {@code /endpoints/{endpoint}/events?q=&snapshot=&from=&to=&cols=&sort=&size=&start=} (the URL
 * holds the whole search and how it is shown, so it can be bookmarked and shared; see {@link GridOptions}) with its time picker and histogram, its builder edits ({@code .../events/builder}, which redirect to
 * the grid with the new text), the exports and the JSON twins
 * {@code /api/v1/endpoints/{endpoint}/search?q=&from=&to=&limit=&after=&sort=&start=&cols=} ({@code after}: newest
 * first from a cursor; {@code sort}, {@code start}, {@code cols}: as in the grid, see {@link GridOptions}; {@code cols}
 * keeps only those fields of each event) and {@code .../count}; a bad
 * {@code from}/{@code to} ({@link TimeRange}) is a 400 naming it, on the grid shown in the picker.
 */
public final class SearchPages {
    static final int PAGE_SIZE = 100;
    static final int MAX_API_LIMIT = 10_000;

    private final WebContext ctx;
    private final QueryLanguage language;
    private final QueryBuilder builder = new QueryBuilder();

    private SearchPages(WebContext ctx) {
        this.ctx = ctx;
        this.language = QueryLanguage.withClock(ctx.clock());
    }

    /** {@code liveExportMaxRows}: the most rows of an export from a live endpoint's view. */
    public static void register(Routes routes, WebContext ctx, long liveExportMaxRows) {
        SearchPages pages = new SearchPages(ctx);
        Exports exports = new Exports(ctx, pages.language, liveExportMaxRows);
        routes.get("/endpoints/{endpoint}/events", Action.VIEW, pages::grid);
        routes.get("/endpoints/{endpoint}/events/builder", Action.VIEW, pages::edit);
        routes.get("/endpoints/{endpoint}/export.xlsx", Action.EXPORT, exports::excel);
        routes.get("/endpoints/{endpoint}/export.zip", Action.EXPORT, exports::csvZip);
        routes.get("/api/v1/endpoints/{endpoint}/search", Action.VIEW, pages::apiSearch);
        routes.get("/api/v1/endpoints/{endpoint}/count", Action.VIEW, pages::apiCount);
    }

    private void grid(Context http) throws Exception {
        EventScope scope = EventScope.of(http, ctx.scope(http));
        GridOptions options = GridOptions.of(http);
        if (options.start() == 0) audited(http, scope); // a search once, not each page of it
        show(http, scope, options, null);
    }

    /** The search in the audit trail: the query text, and the snapshot when there is one. */
    private void audited(Context http, EventScope scope) {
        Scope access = ctx.scope(http);
        access.audit("search", scope.endpoint(), AuditLog.OK,
                scope.describe());
    }

    /**
     * Renders the grid for the scope; {@code rejected} is a builder edit that could not be applied
     * (shown like a query error, with the query unchanged). A bad query or time window keeps what the
     * user typed, shows the message (the query's column) and answers 400.
     */
    private void show(Context http, EventScope scope, GridOptions options, BadRequest rejected) throws Exception {
        BuilderView view = builder.view(scope.text());
        boolean typedFirst = "typed".equals(http.queryParam("view")) || view.unavailable() != null;
        var chrome = ctx.chrome(http, "Events · " + scope.endpoint()).forEndpoint(scope.endpoint());
        Scope access = ctx.scope(http);
        var snapshots = access.snapshots(scope.endpoint());
        long[] extent = TimeViews.extent(access, scope);
        Long newest = extent == null ? null : extent[1];
        String path = "/endpoints/" + trailhound.web.Format.segment(scope.endpoint()) + "/events";
        List<TimePicker.Param> keep = new ArrayList<>();
        keep.add(new TimePicker.Param("q", scope.text()));
        if (scope.snapshot() != null) keep.add(new TimePicker.Param("snapshot", scope.snapshot().id()));
        if (typedFirst) keep.add(new TimePicker.Param("view", "typed"));
        keep.addAll(options.hidden());
        Query query;
        try {
            query = scope.query(language);
        } catch (QuerySyntaxException | BadRequest e) {
            // Keep what the user typed, show the message (and column), answer 400.
            boolean window = e instanceof BadRequest;
            http.status(HttpStatus.BAD_REQUEST);
            TimePicker time = TimeViews.picker(path, keep, scope.from(), scope.to(), newest, ctx.clock().instant());
            // The builder's own parse of a text that is no query at all may call it "too complex for the
            // builder": the language's error, shown below, is the one that says what is wrong.
            BuilderView shown = window ? view : builder.invalid();
            ctx.render(http, "search/events.jte", new SearchPage(chrome, scope, shown, window ? null : e.getMessage(),
                    e instanceof QuerySyntaxException q ? q.column() : null, -1, null, options, snapshots,
                    typedFirst || !window, List.of(), time, null, null, live(scope.endpoint())));
            return;
        }
        TimeRange range = scope.range();
        EventPage page;
        Histogram histogram;
        try (IndexBackend.Lease lease = access.index(scope.endpoint())) {
            page = options.beyondDepth() ? pastDepth(lease, query, options) : page(lease, query, options.sort(), options.start(), options.size());
            histogram = lease.index().histogram(scope.untimedQuery(language), range.from(), range.to());
        }
        EventColumns.Table table = EventColumns.table(page.events(), options.cols());
        if (rejected != null) {
            http.status(HttpStatus.BAD_REQUEST);
        }
        TimePicker time = TimeViews.picker(path, keep, scope.from(), scope.to(), newest, ctx.clock().instant())
                .withHint(extent == null ? null : TimeViews.missed(range, page.total(), extent[0], extent[1]));
        String base = path + "?" + scope.untimedParams() + (typedFirst ? "&view=typed" : "") + options.params();
        ctx.render(http, "search/events.jte", new SearchPage(chrome, scope, view,
                rejected == null ? null : rejected.getMessage(), null, page.total(), table, options,
                snapshots, typedFirst, page.partial().stream().map(SearchPages::describe).toList(),
                time, HistogramView.of(histogram, base), cursorNote(http, options), live(scope.endpoint())));
    }

    /**
     * A page beyond the depth offset pages reach: past the search's last event it is an empty page
     * (the grid then says so and offers the last page, as for any position past the end); with events
     * there, a 400 that says how to reach them.
     */
    private static EventPage pastDepth(IndexBackend.Lease lease, Query query, GridOptions options) throws java.io.IOException {
        long total = lease.index().count(query);
        if (options.start() >= total) return new EventPage(List.of(), total, null, List.of());
        throw new BadRequest("Pages reach the first " + trailhound.web.Format.count(trailhound.index.EventSort.MAX_DEPTH)
                + " events of an order, and this search has " + trailhound.web.Format.count(total)
                + ": narrow the search (a shorter time range, another condition) or sort the other way to see its end.");
    }

    /**
     * Links from before the grid paged by position carry {@code after=} (a cursor into newest-first
     * results); those pages cannot be placed exactly in another order or page size, so the grid opens
     * at the first page and says why, rather than showing it without a word.
     */
    private static String cursorNote(Context http, GridOptions options) {
        String after = http.queryParam("after");
        if (after == null || after.isBlank() || options.start() != 0) return null;
        return "This link is from an older Trailhound that paged by a bookmark in the results: the search opens at its first page."
                + " Use Next and Previous to move through it; the address now holds the position.";
    }

    /**
     * Applies one builder action (add, update, remove) to the text in {@code q} and redirects to the
     * grid for the new text, so the URL always holds the query; a rejected edit shows the grid as it
     * was, with the reason.
     */
    private void edit(Context http) throws Exception {
        EventScope scope = EventScope.of(http, ctx.scope(http));
        GridOptions options = GridOptions.of(http).withStart(0);
        String action = http.queryParam("action");
        String text;
        try {
            text = builder.apply(scope.text(), action == null ? "" : action, intParam(http, "row"),
                    http.queryParam("connector"), http.queryParam("parameter"), http.queryParam("operand"),
                    http.queryParam("value"));
        } catch (BadRequest e) {
            show(http, scope, options, e);
            return;
        }
        http.redirect("/endpoints/" + trailhound.web.Format.segment(scope.endpoint()) + "/events?" + scope.withText(text).params()
                + options.params());
    }

    /** "ingesting s7: 1,200,000 of 10,000,000 events" (or "... events so far" when the total is unknown). */
    public static String describe(trailhound.index.SourceProgress p) {
        return "ingesting " + p.source() + ": " + trailhound.web.Format.count(p.events())
                + (p.expected() >= 0 ? " of " + trailhound.web.Format.count(p.expected()) + " events" : " events so far");
    }

    private void apiSearch(Context http) throws Exception {
        EventScope scope = EventScope.of(http, ctx.scope(http));
        String limitText = http.queryParam("limit");
        int limit = PAGE_SIZE;
        if (limitText != null && !limitText.isBlank()) {
            try {
                limit = Integer.parseInt(limitText.strip());
            } catch (NumberFormatException e) {
                limit = -1; // not a number, or out of int's range: the same message as any other bad limit
            }
        }
        if (limit < 1 || limit > MAX_API_LIMIT) {
            throw new BadRequest("limit must be a whole number from 1 to " + MAX_API_LIMIT + ", was '" + limitText + "'");
        }
        Query query = parse(scope);
        PageCursor after = cursor(http.queryParam("after"));
        var sort = GridOptions.sort(http);
        int start = GridOptions.start(http, limit);
        List<trailhound.schema.Field> cols = GridOptions.cols(http);
        if (after != null && (start != 0 || !sort.equals(trailhound.index.EventSort.NEWEST_FIRST))) {
            throw new BadRequest("after pages newest first from a cursor; with sort or start, page by start instead (start=" + start
                    + " and the next page at start + limit)");
        }
        if (after == null && start == 0) audited(http, scope);
        EventPage page;
        try (IndexBackend.Lease lease = ctx.scope(http).index(scope.endpoint())) {
            page = after != null ? lease.index().search(query, limit, after) : page(lease, query, sort, start, limit);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", scope.endpoint());
        body.put("query", scope.text());
        body.put("total", page.total());
        body.put("sort", sort.toString());
        if (after == null) body.put("start", start);
        body.put("events", page.events().stream().map(e -> only(e.toDisplayMap(), cols)).toList());
        body.put("next", page.next() == null ? null : page.next().toString());
        body.put("partial", page.partial()); // sources being ingested: their events so far are included
        http.json(body);
    }

    /** The event's fields named in {@code cols} (in that order), or all of them when it is empty. */
    private static Map<String, String> only(Map<String, String> event, List<trailhound.schema.Field> cols) {
        if (cols.isEmpty()) return event;
        Map<String, String> out = new LinkedHashMap<>();
        for (var f : cols) {
            String v = event.get(f.canonicalName());
            if (v != null) out.put(f.canonicalName(), v);
        }
        return out;
    }

    private void apiCount(Context http) throws Exception {
        EventScope scope = EventScope.of(http, ctx.scope(http));
        Query query = parse(scope);
        audited(http, scope);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("endpoint", scope.endpoint());
        body.put("query", scope.text());
        try (IndexBackend.Lease lease = ctx.scope(http).index(scope.endpoint())) {
            body.put("total", lease.index().count(query));
            body.put("partial", lease.index().ingesting()); // as in search: sources being ingested are in the total so far
        }
        http.json(body);
    }

    /** An offset page; an index that cannot sort by the field (written before it could) is a 400 saying so. */
    private static EventPage page(IndexBackend.Lease lease, Query query, trailhound.index.EventSort sort, int start, int limit)
            throws java.io.IOException {
        try {
            return lease.index().page(query, sort, start, limit);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    /** The scope's query; a bad text becomes a 400 with message and column. */
    static Query parse(EventScope scope, QueryLanguage language) {
        try {
            return scope.query(language);
        } catch (QuerySyntaxException e) {
            throw new BadRequest(e.getMessage(), e.column());
        }
    }

    private Query parse(EventScope scope) {
        return parse(scope, language);
    }

    private static PageCursor cursor(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return PageCursor.parse(token);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("bad page cursor '" + token + "': use the 'next' value of the previous page");
        }
    }

    private static Integer intParam(Context http, String name) {
        String v = http.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new BadRequest("parameter '" + name + "' must be a whole number, was '" + v + "'");
        }
    }

    /** An agent is enrolled for the endpoint (a revoked one too: its pages say so): the grid offers the live-only actions. */
    private boolean live(String endpoint) {
        return ctx.access().agents().bound(endpoint);
    }
}
