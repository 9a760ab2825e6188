package trailhound.web.search;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import trailhound.index.EventPage;
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
 * The events grid {@code /endpoints/{endpoint}/events?q=&snapshot=&after=} (the URL holds the whole
 * search, so it can be bookmarked), its builder edits ({@code .../events/builder}, which redirect to
 * the grid with the new text), the exports and the JSON twins
 * {@code /api/v1/endpoints/{endpoint}/search?q=&limit=&after=} and {@code .../count}.
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

    public static void register(Routes routes, WebContext ctx) {
        SearchPages pages = new SearchPages(ctx);
        Exports exports = new Exports(ctx, pages.language);
        routes.get("/endpoints/{endpoint}/events", Action.VIEW, pages::grid);
        routes.get("/endpoints/{endpoint}/events/builder", Action.VIEW, pages::edit);
        routes.get("/endpoints/{endpoint}/export.xlsx", Action.EXPORT, exports::excel);
        routes.get("/endpoints/{endpoint}/export.zip", Action.EXPORT, exports::csvZip);
        routes.get("/api/v1/endpoints/{endpoint}/search", Action.VIEW, pages::apiSearch);
        routes.get("/api/v1/endpoints/{endpoint}/count", Action.VIEW, pages::apiCount);
    }

    private void grid(Context http) throws Exception {
        PageCursor after = cursor(http.queryParam("after"));
        EventScope scope = EventScope.of(http, ctx.scope(http));
        if (after == null) audited(http, scope); // a search once, not each page of it
        show(http, scope, after, null);
    }

    /** The search in the audit trail: the query text, and the snapshot when there is one. */
    private void audited(Context http, EventScope scope) {
        Scope access = ctx.scope(http);
        access.audit("search", scope.endpoint(), AuditLog.OK,
                scope.text() + (scope.snapshot() == null ? "" : " [snapshot " + scope.snapshot().id() + "]"));
    }

    /**
     * Renders the grid for the scope; {@code rejected} is a builder edit that could not be applied
     * (shown like a query error, with the query unchanged).
     */
    private void show(Context http, EventScope scope, PageCursor after, BadRequest rejected) throws Exception {
        BuilderView view = builder.view(scope.text());
        boolean typedFirst = "typed".equals(http.queryParam("view")) || view.unavailable() != null;
        var chrome = ctx.chrome(http, "Events · " + scope.endpoint()).forEndpoint(scope.endpoint());
        var snapshots = ctx.scope(http).snapshots(scope.endpoint());
        Query query;
        try {
            query = scope.query(language);
        } catch (QuerySyntaxException e) {
            // Keep what the user typed, show the message and column, answer 400.
            http.status(HttpStatus.BAD_REQUEST);
            ctx.render(http, "search/events.jte", new SearchPage(chrome, scope, view, e.getMessage(), e.column(),
                    -1, List.of(), List.of(), null, true, snapshots, true, List.of()));
            return;
        }
        EventPage page;
        try (IndexBackend.Lease lease = ctx.scope(http).index(scope.endpoint())) {
            page = lease.index().search(query, PAGE_SIZE, after);
        }
        EventColumns.Grid grid = EventColumns.grid(page.events());
        if (rejected != null) {
            http.status(HttpStatus.BAD_REQUEST);
        }
        ctx.render(http, "search/events.jte", new SearchPage(chrome, scope, view,
                rejected == null ? null : rejected.getMessage(), null, page.total(),
                grid.headers(), grid.rows(), page.next() == null ? null : page.next().toString(), after == null,
                snapshots, typedFirst, page.partial().stream().map(SearchPages::describe).toList()));
    }

    /**
     * Applies one builder action (add, update, remove) to the text in {@code q} and redirects to the
     * grid for the new text, so the URL always holds the query; a rejected edit shows the grid as it
     * was, with the reason.
     */
    private void edit(Context http) throws Exception {
        EventScope scope = EventScope.of(http, ctx.scope(http));
        String action = http.queryParam("action");
        String text;
        try {
            text = builder.apply(scope.text(), action == null ? "" : action, intParam(http, "row"),
                    http.queryParam("connector"), http.queryParam("parameter"), http.queryParam("operand"),
                    http.queryParam("value"));
        } catch (BadRequest e) {
            show(http, scope, null, e);
            return;
        }
        http.redirect("/endpoints/" + trailhound.web.Format.segment(scope.endpoint()) + "/events?" + scope.withText(text).params());
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
        if (after == null) audited(http, scope);
        EventPage page;
        try (IndexBackend.Lease lease = ctx.scope(http).index(scope.endpoint())) {
            page = lease.index().search(query, limit, after);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", scope.endpoint());
        body.put("query", scope.text());
        body.put("total", page.total());
        body.put("events", page.events().stream().map(Event::toDisplayMap).toList());
        body.put("next", page.next() == null ? null : page.next().toString());
        body.put("partial", page.partial()); // sources being ingested: their events so far are included
        http.json(body);
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
}
