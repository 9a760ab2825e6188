package trailhound.web.endpoints;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.index.UnknownEndpointException;
import trailhound.schema.Event;
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
        List<Map<String, Object>> endpoints = directory.list(http.queryParam("filter")).stream().map(e -> {
            Map<String, Object> json = new LinkedHashMap<>(); // canonical snake_case names, UTC ISO times
            json.put("name", e.name());
            json.put("os", e.os());
            json.put("hostname", e.hostname());
            json.put("ip", e.ip());
            json.put("event_count", e.eventCount());
            json.put("first_ts", e.firstTs() == null ? null : Event.formatTime(e.firstTs()));
            json.put("last_ts", e.lastTs() == null ? null : Event.formatTime(e.lastTs()));
            json.put("snapshots", e.snapshots());
            return json;
        }).toList();
        http.json(Map.of("endpoints", endpoints));
    }

    /** The endpoint's snapshots, newest first: id, taken, time window (UTC ISO-8601) and event count. */
    private void apiSnapshots(Context http) {
        String endpoint = http.pathParam("endpoint");
        if (!ctx.data().indexes().exists(endpoint)) {
            throw new UnknownEndpointException(endpoint);
        }
        List<Map<String, Object>> snapshots = ctx.data().catalogue().snapshots(endpoint).stream()
                .map(s -> Map.<String, Object>of("id", s.id(), "taken_at", Event.formatTime(s.takenAt()),
                        "first_ts", Event.formatTime(s.firstTs()), "last_ts", Event.formatTime(s.lastTs()),
                        "event_count", s.eventCount()))
                .toList();
        http.json(Map.of("endpoint", endpoint, "snapshots", snapshots));
    }
}
