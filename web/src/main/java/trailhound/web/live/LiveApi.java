package trailhound.web.live;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.Action;
import trailhound.access.Agents;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Live endpoints' JSON and page; times in ISO-8601 UTC (null when never).
 * <ul>
 * <li>{@code GET /api/v1/live/endpoints?q=}: the enrolled endpoints the caller may see (name, host name
 *     or an address containing {@code q}), each {@code {"name", "online", "os", "addresses",
 *     "agent_version", "first_seen", "last_seen", ...}}.
 * <li>{@code POST /api/v1/live/connections} with {@code {"endpoints": ["NAME", ...]}}: opens a live
 *     connection to each (404 for one the caller does not see; none is opened then); answers
 *     {@code {"connections": [...]}}, each {@code {"id", "endpoint", "user", "state" (attempted, connected,
 *     failed, closed), "since", "reason", "opened", "last_activity", "catchup": {"done", "total",
 *     "running"} or null, "journal_events"}}.
 * <li>{@code GET /api/v1/live/connections}: the connections on endpoints the caller sees, oldest first.
 * <li>{@code DELETE /api/v1/live/connections/{id}}: closes and removes it (204; 404 when unknown).
 * <li>{@code GET /api/v1/live/endpoints/{endpoint}/journal}: {@code {"events", "connected"}}, the
 *     events received live so far: a page's poll for "n new events", which is not analyst activity.
 * <li>{@code GET /live}: the Live Endpoints page.
 * </ul>
 */
public final class LiveApi {
    private final WebContext ctx;
    private final LiveConnections connections;

    private LiveApi(WebContext ctx, LiveConnections connections) {
        this.ctx = ctx;
        this.connections = connections;
    }

    public static void register(Routes routes, WebContext ctx, LiveConnections connections) {
        LiveApi api = new LiveApi(ctx, connections);
        routes.get("/api/v1/live/endpoints", Action.VIEW, api::endpoints);
        routes.get("/api/v1/live/connections", Action.VIEW, api::list);
        routes.post("/api/v1/live/connections", Action.VIEW, api::connect);
        routes.delete("/api/v1/live/connections/{id}", Action.VIEW, api::delete);
        routes.get("/api/v1/live/endpoints/{endpoint}/journal", Action.VIEW, api::journal);
        routes.get("/live", Action.VIEW, http -> ctx.render(http, "live/page.jte",
                new LivePage(ctx.chrome(http, "Live endpoints"), LiveConnections.human(connections.idle()))));
    }

    /** The Live Endpoints page's model: the layout's data and the idle time in words ("10 minutes"). */
    public record LivePage(trailhound.web.PageChrome chrome, String idle) {}

    private void connect(Context http) {
        List<String> names = WebContext.strings(ctx.jsonBody(http), "endpoints", "send {\"endpoints\": [\"NAME\", ...]}");
        if (names.isEmpty()) throw new trailhound.web.BadRequest("name at least one endpoint: {\"endpoints\": [\"NAME\", ...]}");
        List<LiveConnections.View> opened = connections.connect(ctx.scope(http), names.stream().distinct().toList());
        http.status(201).json(Map.of("connections", opened.stream().map(LiveApi::json).toList()));
    }

    private void list(Context http) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connections", connections.list(ctx.scope(http)).stream().map(LiveApi::json).toList());
        body.put("idle_seconds", connections.idle().toSeconds());
        http.json(body);
    }

    private void delete(Context http) {
        if (!connections.delete(ctx.scope(http), http.pathParam("id"))) {
            throw new io.javalin.http.NotFoundResponse("no live connection '" + http.pathParam("id")
                    + "': it was deleted already, or is on an endpoint outside your groups; GET /api/v1/live/connections lists yours");
        }
        http.status(204);
    }

    private void journal(Context http) throws java.io.IOException {
        String endpoint = http.pathParam("endpoint");
        ctx.scope(http).endpoint(endpoint); // 404 outside the caller's groups
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", connections.journalEvents(endpoint));
        body.put("connected", connections.connected(endpoint));
        http.json(body);
    }

    private static Map<String, Object> json(LiveConnections.View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("endpoint", v.endpoint());
        m.put("user", v.user());
        m.put("state", v.state().label());
        m.put("since", v.since().toString());
        m.put("reason", v.reason());
        m.put("opened", v.opened().toString());
        m.put("last_activity", v.lastActivity().toString());
        if (v.catchup() == null) {
            m.put("catchup", null);
        } else {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("done", v.catchup().done());
            c.put("total", v.catchup().total());
            c.put("running", v.catchup().running());
            m.put("catchup", c);
        }
        m.put("journal_events", v.journalEvents());
        return m;
    }

    private void endpoints(Context http) {
        List<Agents.Endpoint> found = ctx.access().agents().endpoints(ctx.scope(http), http.queryParam("q"));
        http.json(Map.of("endpoints", found.stream().map(LiveApi::json).toList()));
    }

    private static Map<String, Object> json(Agents.Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("online", e.online());
        m.put("hostname", e.hostname());
        m.put("os", e.os());
        m.put("addresses", e.addresses());
        m.put("agent_version", e.agentVersion());
        m.put("store_events", e.storeEvents());
        m.put("free_disk_bytes", e.freeDisk());
        m.put("enrolled", e.enrolled().toString());
        m.put("first_seen", e.firstSeen() == null ? null : e.firstSeen().toString());
        m.put("last_seen", e.lastSeen() == null ? null : e.lastSeen().toString());
        return m;
    }
}
