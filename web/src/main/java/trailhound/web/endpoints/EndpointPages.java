package trailhound.web.endpoints;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import trailhound.index.UnknownEndpointException;
import trailhound.web.WebContext;

/**
 * {@code /endpoints} (the table, with a type-ahead filter that htmx re-requests as
 * {@code /endpoints/rows?filter=} while the user types), {@code GET /api/v1/endpoints?filter=} and
 * {@code GET /api/v1/endpoints/{endpoint}/snapshots}.
 */
public final class EndpointPages {
    private final WebContext ctx;
    private final EndpointDirectory directory;

    private EndpointPages(WebContext ctx) {
        this.ctx = ctx;
        this.directory = new EndpointDirectory(ctx.data());
    }

    public static void register(RoutesConfig routes, WebContext ctx) {
        EndpointPages pages = new EndpointPages(ctx);
        routes.get("/endpoints", pages::page);
        routes.get("/endpoints/rows", pages::rows);
        routes.get("/api/v1/endpoints", pages::api);
        routes.get("/api/v1/endpoints/{endpoint}/snapshots", pages::apiSnapshots);
    }

    private void page(Context http) throws Exception {
        String filter = http.queryParam("filter");
        ctx.render(http, "endpoints/list.jte",
                new EndpointsPage(ctx.chrome(http, "Endpoints"), filter == null ? "" : filter, directory.list(filter)));
    }

    private void rows(Context http) throws Exception {
        String filter = http.queryParam("filter");
        ctx.render(http, "endpoints/rows.jte",
                new EndpointsPage(ctx.chrome(http, "Endpoints"), filter == null ? "" : filter, directory.list(filter)));
    }

    private void api(Context http) throws Exception {
        http.json(Map.of("endpoints", directory.list(http.queryParam("filter"))));
    }

    /** The endpoint's snapshots, newest first: id, taken, time window (UTC ms) and event count. */
    private void apiSnapshots(Context http) {
        String endpoint = http.pathParam("endpoint");
        if (!ctx.data().indexes().exists(endpoint)) {
            throw new UnknownEndpointException(endpoint);
        }
        List<Map<String, Object>> snapshots = ctx.data().catalogue().snapshots(endpoint).stream()
                .map(s -> Map.<String, Object>of("id", s.id(), "takenAt", s.takenAt(), "firstTs", s.firstTs(),
                        "lastTs", s.lastTs(), "eventCount", s.eventCount()))
                .toList();
        http.json(Map.of("endpoint", endpoint, "snapshots", snapshots));
    }
}
