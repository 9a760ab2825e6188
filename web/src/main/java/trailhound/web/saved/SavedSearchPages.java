package trailhound.web.saved;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.MatchAllDocsQuery;
import trailhound.access.AccessException;
import trailhound.access.Action;
import trailhound.access.SavedSearches;
import trailhound.access.SavedSearches.Saved;
import trailhound.access.Scope;
import trailhound.index.HuntHit;
import trailhound.index.IndexBackend;
import trailhound.query.QueryLanguage;
import trailhound.query.QuerySyntaxException;
import trailhound.web.BadRequest;
import trailhound.web.Format;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.search.EventScope;
import trailhound.web.search.TimeRange;
import trailhound.web.search.TimeViews;

/**
 * Saved searches: a name for a query, its time window and its endpoint, or every endpoint (the hunt).
 *
 * <ul>
 *   <li>{@code GET /saved-searches}: one's own and the shared ones (administrators: all), to open,
 *       rename and delete; {@code POST /saved-searches} saves one from the grid's or the hunt page's
 *       "Save search" form ({@code name, q, endpoint, from, to, range, shared});
 *       {@code POST /saved-searches/{id}/rename} ({@code name}) and {@code .../delete}.
 *   <li>{@code GET /saved-searches/{id}}: opens it, the link to share: a redirect to the grid (or the
 *       hunt page) with its query and window, where the search runs (and is audited). A search kept
 *       with a quick range ({@code 24h}) gets the window ending at the newest event now. An id the
 *       caller may not open (another user's private one, or one of an endpoint outside the caller's
 *       groups) is 404 "unknown saved search", like one that never existed.
 *   <li>JSON: {@code GET /api/v1/saved-searches} ({@code {"saved_searches": [...]}}),
 *       {@code POST /api/v1/saved-searches} ({@code {"name": .., "query": .., "endpoint": null or a name,
 *       "from": .., "to": .., "range": null or "24h", "shared": false}}, 201 with the search),
 *       {@code GET} and {@code DELETE /api/v1/saved-searches/{id}} (204).
 * </ul>
 * Everything goes through {@link SavedSearches} (access layer: who sees and changes which, audited).
 * A query is checked as the grid checks it (400 with the column); {@code from}/{@code to} as
 * {@link TimeRange} reads them.
 */
public final class SavedSearchPages {
    static final String PATH = "/saved-searches";

    private final WebContext ctx;
    private final QueryLanguage language;

    private SavedSearchPages(WebContext ctx) {
        this.ctx = ctx;
        this.language = QueryLanguage.withClock(ctx.clock());
    }

    public static void register(Routes routes, WebContext ctx) {
        SavedSearchPages pages = new SavedSearchPages(ctx);
        routes.get(PATH, Action.VIEW, http -> pages.list(http, null, null, HttpStatus.OK));
        routes.post(PATH, Action.VIEW, pages::createFromForm);
        routes.get(PATH + "/{id}", Action.VIEW, pages::open);
        routes.post(PATH + "/{id}/rename", Action.VIEW, pages::renameFromForm);
        routes.post(PATH + "/{id}/delete", Action.VIEW, pages::deleteFromForm);
        routes.get("/api/v1/saved-searches", Action.VIEW, pages::apiList);
        routes.post("/api/v1/saved-searches", Action.VIEW, pages::apiCreate);
        routes.get("/api/v1/saved-searches/{id}", Action.VIEW, pages::apiFind);
        routes.delete("/api/v1/saved-searches/{id}", Action.VIEW, pages::apiDelete);
    }

    private void list(Context http, String error, String back, HttpStatus status) {
        Scope scope = ctx.scope(http);
        String notice = null;
        String created = http.queryParam("saved");
        http.status(status);
        List<SavedSearchesPage.Row> rows = scope.savedSearches().list().stream().map(SavedSearchesPage.Row::of).toList();
        if (created != null) {
            notice = rows.stream().filter(r -> String.valueOf(r.saved().id()).equals(created)).findFirst()
                    .map(r -> "Saved “" + r.saved().name() + "”. Its link opens it" + (r.saved().shared()
                            ? " for everyone who may see " + (r.saved().endpoint() == null ? "the endpoints" : "the endpoint") + "." : "."))
                    .orElse(null);
        }
        ctx.render(http, "saved/list.jte", new SavedSearchesPage(ctx.chrome(http, "Saved searches"), rows, notice, error, back));
    }

    private void createFromForm(Context http) {
        String range = blankToNull(http.formParam("range"));
        String q = http.formParam("q") == null ? "" : http.formParam("q");
        String endpoint = blankToNull(http.formParam("endpoint"));
        String from = range == null ? http.formParam("from") : null;
        String to = range == null ? http.formParam("to") : null;
        String back = endpoint == null ? "/hunt?q=" + Format.url(q) : "/endpoints/" + Format.segment(endpoint) + "/events?q=" + Format.url(q);
        back += EventScope.timeParams(http.formParam("from"), http.formParam("to"));
        Saved saved;
        try {
            saved = create(http, http.formParam("name"), q, endpoint, from, to, range, http.formParam("shared") != null);
        } catch (AccessException | BadRequest e) {
            if (e instanceof AccessException a && a.isUnknown()) throw a;
            list(http, capitalised(e.getMessage()) + ".", back, HttpStatus.BAD_REQUEST);
            return;
        }
        http.redirect(PATH + "?saved=" + saved.id(), HttpStatus.SEE_OTHER);
    }

    private Saved create(Context http, String name, String typed, String endpoint, String from, String to, String range, boolean shared) {
        String query = typed == null ? "" : typed; // none: every event, as on the grid
        try {
            language.query(query);
        } catch (QuerySyntaxException e) {
            throw new BadRequest("the query does not parse: " + e.getMessage(), e.column());
        }
        TimeRange window = TimeRange.parse(from, to);
        return ctx.scope(http).savedSearches().create(new SavedSearches.Draft(name, query, endpoint, window.from(), window.to(), range,
                shared));
    }

    /** Runs the search: a redirect to the grid or the hunt page with its query and window. */
    private void open(Context http) throws Exception {
        Scope scope = ctx.scope(http);
        Saved s = scope.savedSearches().find(id(http));
        TimeRange window = new TimeRange(s.from(), s.to());
        if (s.range() != null) window = TimeViews.quickRange(s.range(), newest(scope, s.endpoint()), ctx.clock().instant());
        http.redirect(link(s, window), HttpStatus.SEE_OTHER);
    }

    /** The newest event's time of the endpoint, or of every endpoint the caller sees (null endpoint); null when there is none. */
    private static Long newest(Scope scope, String endpoint) throws java.io.IOException {
        if (endpoint == null) {
            List<HuntHit> hits = scope.hunt(new MatchAllDocsQuery(), 1, null).hits();
            return hits.isEmpty() ? null : hits.getFirst().event().ts();
        }
        if (!scope.hasIndex(endpoint)) return null;
        try (IndexBackend.Lease lease = scope.index(endpoint)) {
            return lease.index().stats().lastTs();
        }
    }

    static String link(Saved s, TimeRange window) {
        String base = s.endpoint() == null ? "/hunt" : "/endpoints/" + Format.segment(s.endpoint()) + "/events";
        return base + "?q=" + Format.url(s.query()) + EventScope.timeParams(TimeRange.iso(window.from()), TimeRange.iso(window.to()));
    }

    private void renameFromForm(Context http) {
        try {
            ctx.scope(http).savedSearches().rename(id(http), http.formParam("name"));
        } catch (AccessException e) {
            if (e.isUnknown()) throw e;
            list(http, capitalised(e.getMessage()) + ".", null, HttpStatus.BAD_REQUEST);
            return;
        }
        http.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    private void deleteFromForm(Context http) {
        ctx.scope(http).savedSearches().delete(id(http));
        http.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    private void apiList(Context http) {
        http.json(Map.of("saved_searches", ctx.scope(http).savedSearches().list().stream().map(SavedSearchPages::json).toList()));
    }

    private void apiFind(Context http) {
        http.json(json(ctx.scope(http).savedSearches().find(id(http))));
    }

    private void apiCreate(Context http) {
        JsonNode body = ctx.jsonBody(http);
        String usage = "expected a JSON body {\"name\": \"...\", \"query\": \"...\", \"endpoint\": \"WS-01\" or null for all endpoints,"
                + " \"from\": \"2026-11-19T07:00:00Z\", \"to\": ..., \"range\": null or \"24h\" (instead of from/to), \"shared\": false}";
        if (!body.path("name").isTextual()) throw new BadRequest(usage + ": 'name' is missing or not a string");
        for (String f : List.of("query", "endpoint", "from", "to", "range")) {
            JsonNode n = body.path(f);
            if (!n.isMissingNode() && !n.isNull() && !n.isTextual()) throw new BadRequest(usage + ": '" + f + "' must be a string");
        }
        JsonNode shared = body.path("shared");
        if (!shared.isMissingNode() && !shared.isNull() && !shared.isBoolean()) throw new BadRequest(usage + ": 'shared' must be true or false");
        Saved saved = create(http, body.path("name").asText(), text(body, "query"), blankToNull(text(body, "endpoint")),
                text(body, "from"), text(body, "to"), blankToNull(text(body, "range")), shared.asBoolean(false));
        http.status(HttpStatus.CREATED).json(json(saved));
    }

    private void apiDelete(Context http) {
        ctx.scope(http).savedSearches().delete(id(http));
        http.status(HttpStatus.NO_CONTENT);
    }

    static Map<String, Object> json(Saved s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("owner", s.owner());
        m.put("query", s.query());
        m.put("endpoint", s.endpoint());
        m.put("from", s.from() == null ? null : TimeRange.iso(s.from()));
        m.put("to", s.to() == null ? null : TimeRange.iso(s.to()));
        m.put("range", s.range());
        m.put("shared", s.shared());
        m.put("created_at", s.created().toString());
        m.put("updated_at", s.updated().toString());
        m.put("changeable", s.changeable());
        m.put("url", PATH + "/" + s.id());
        return m;
    }

    private static long id(Context http) {
        String text = http.pathParam("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw AccessException.unknown("unknown saved search '" + text + "': the Saved searches page lists those you may open");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.path(field);
        return n.isTextual() ? n.asText() : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
