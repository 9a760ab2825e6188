package trailhound.web.intel;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.AccessException;
import trailhound.access.Action;
import trailhound.access.Alerts;
import trailhound.access.Scope;
import trailhound.store.Alerts.Alert;
import trailhound.web.BadRequest;
import trailhound.web.Format;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Alerts raised by IOCs (and policies) set to alert, as events arrive.
 *
 * <ul>
 *   <li>{@code GET /alerts}: endpoint, rule, events (a link to them on the endpoint's grid), state;
 *       {@code POST /alerts/{id}/state} ({@code state}: new, acknowledged, closed).
 *   <li>JSON: {@code GET /api/v1/alerts} ({@code {"alerts": [{"id", "endpoint", "rule": {"kind", "id",
 *       "name"}, "state", "events", "event_uids", "created_at", "updated_at", "updated_by"}]}}),
 *       {@code POST /api/v1/alerts/{id}/state} ({@code {"state": "acknowledged"}}).
 * </ul>
 * Only alerts of endpoints the caller may see; state changes are audited ({@link Alerts}).
 */
public final class AlertPages {
    /** The most event uids one alert lists on the grid link (the API lists them all). */
    static final int LINKED_EVENTS = 200;

    private final WebContext ctx;

    private AlertPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        AlertPages p = new AlertPages(ctx);
        routes.get("/alerts", Action.VIEW, p::list);
        routes.post("/alerts/{id}/state", Action.INVESTIGATE, p::stateFromForm);
        routes.get("/api/v1/alerts", Action.VIEW, p::apiList);
        routes.post("/api/v1/alerts/{id}/state", Action.INVESTIGATE, p::apiState);
    }

    private Alerts alerts() {
        return ctx.access().alerts();
    }

    private void list(Context http) {
        Scope scope = ctx.scope(http);
        List<AlertsPage.Row> rows = alerts().list(scope).stream().map(a -> new AlertsPage.Row(a, eventsLink(scope, a),
                java.time.Instant.ofEpochMilli(a.createdAt()).toString(), "ioc".equals(a.ruleKind()) ? IntelPages.PATH + "/" + a.ruleId() : null))
                .toList();
        ctx.render(http, "intel/alerts.jte", new AlertsPage(ctx.chrome(http, "Alerts"), rows, scope.may(Action.INVESTIGATE)));
    }

    private String eventsLink(Scope scope, Alert a) {
        List<String> uids = alerts().events(scope, a.id()).stream().limit(LINKED_EVENTS).toList();
        String q = String.join(" OR ", uids.stream().map(u -> "event_uid:\"" + u.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList());
        return "/endpoints/" + Format.segment(a.endpoint()) + "/events?q=" + Format.url(q);
    }

    private void stateFromForm(Context http) {
        alerts().setState(ctx.scope(http), id(http), http.formParam("state"));
        http.redirect("/alerts", HttpStatus.SEE_OTHER);
    }

    private void apiList(Context http) {
        Scope scope = ctx.scope(http);
        http.json(Map.of("alerts", alerts().list(scope).stream().map(a -> json(a, alerts().events(scope, a.id()))).toList()));
    }

    private void apiState(Context http) {
        JsonNode state = ctx.jsonBody(http).path("state");
        if (!state.isTextual()) throw new BadRequest("expected {\"state\": \"acknowledged\"}: one of " + Alerts.STATES);
        Scope scope = ctx.scope(http);
        Alert a = alerts().setState(scope, id(http), state.asText());
        http.json(json(a, alerts().events(scope, a.id())));
    }

    static Map<String, Object> json(Alert a, List<String> uids) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("endpoint", a.endpoint());
        m.put("rule", Map.of("kind", a.ruleKind(), "id", a.ruleId(), "name", a.ruleName()));
        m.put("state", a.state());
        m.put("events", a.events());
        m.put("event_uids", uids);
        m.put("created_at", java.time.Instant.ofEpochMilli(a.createdAt()).toString());
        m.put("updated_at", java.time.Instant.ofEpochMilli(a.updatedAt()).toString());
        m.put("updated_by", a.updatedBy());
        return m;
    }

    private static long id(Context http) {
        try {
            return Long.parseLong(http.pathParam("id"));
        } catch (NumberFormatException e) {
            throw AccessException.unknown("unknown alert '" + http.pathParam("id") + "': the Alerts page lists them");
        }
    }
}
