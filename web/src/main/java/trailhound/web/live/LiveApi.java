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
 * The endpoint registry's JSON: {@code GET /api/v1/live/endpoints?q=} lists the enrolled endpoints the
 * caller may see (name, host name or an address containing {@code q}), each
 * {@code {"name", "online", "os", "addresses", "agent_version", "first_seen", "last_seen", ...}} with
 * times in ISO-8601 UTC (null when never seen).
 */
public final class LiveApi {
    private final WebContext ctx;

    private LiveApi(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        LiveApi api = new LiveApi(ctx);
        routes.get("/api/v1/live/endpoints", Action.VIEW, api::endpoints);
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
