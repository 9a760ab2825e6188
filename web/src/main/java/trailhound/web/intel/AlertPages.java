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
 * Alerts raised by IOCs set to alert and by protection policies' events, as events arrive. A rule's
 * new events on an endpoint gather in its open alert there until it is closed.
 *
 * <ul>
 *   <li>{@code GET /alerts?state=S&rule=KIND:ID} (both optional): the newest activity first; endpoint,
 *       rule (a link to the IOC or policy), events (a link to them on the endpoint's grid), state;
 *       {@code POST /alerts/{id}/state} ({@code state}: new, acknowledged, closed), {@code POST
 *       /alerts/state} ({@code id} repeated, {@code state}) for several at once.
 *   <li>JSON: {@code GET /api/v1/alerts?state=S&rule_kind=K&rule_id=N} ({@code {"alerts": [{"id",
 *       "endpoint", "rule": {"kind", "id", "name"}, "state", "events", "event_uids", "created_at",
 *       "last_seen", "updated_at", "updated_by"}]}}), {@code POST /api/v1/alerts/{id}/state}
 *       ({@code {"state": "acknowledged"}}), {@code POST /api/v1/alerts/state} ({@code {"ids": [1, 2],
 *       "state": "closed"}}, answering {@code {"alerts": [...]}}; all or none).
 * </ul>
 * Only alerts of endpoints the caller may see; state changes are audited ({@link Alerts}).
 */
public final class AlertPages {
    /**
     * The most event uids one alert lists on the grid link (the API lists them all): the link is a query naming each uid,
     * which must stay within what a URL and one query may hold. An alert of more says so beside the link (try-out: 200
     * of 3,000 shown without a word).
     */
    static final int LINKED_EVENTS = 200;

    private final WebContext ctx;

    private AlertPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        AlertPages p = new AlertPages(ctx);
        routes.get("/alerts", Action.VIEW, p::list);
        routes.post("/alerts/state", Action.INVESTIGATE, p::statesFromForm);
        routes.post("/alerts/{id}/state", Action.INVESTIGATE, p::stateFromForm);
        routes.get("/api/v1/alerts", Action.VIEW, p::apiList);
        routes.post("/api/v1/alerts/state", Action.INVESTIGATE, p::apiStates);
        routes.post("/api/v1/alerts/{id}/state", Action.INVESTIGATE, p::apiState);
    }

    private Alerts alerts() {
        return ctx.access().alerts();
    }

    private void list(Context http) {
        Scope scope = ctx.scope(http);
        String state = blankToNull(http.queryParam("state"));
        String rule = blankToNull(http.queryParam("rule"));
        String kind = rule == null ? null : rule.split(":", 2)[0];
        Long ruleId = rule == null || !rule.contains(":") ? null : ruleId(rule.substring(rule.indexOf(':') + 1));
        // an IOC deleted since its alerts were raised: its link would answer 404 (fourth try-out), the row says so instead
        // and a deleted policy likewise (fifth try-out)
        java.util.Set<Long> iocs = new java.util.HashSet<>();
        for (var ioc : scope.intel().list()) iocs.add(ioc.id());
        java.util.Set<Long> policies = new java.util.HashSet<>();
        for (var p : ctx.access().policies(scope).list()) policies.add(p.id());
        List<AlertsPage.Row> rows = alerts().list(scope, state, kind, ruleId).stream().map(a -> {
            String gone = "ioc".equals(a.ruleKind()) && !iocs.contains(a.ruleId()) ? "IOC deleted"
                    : "policy".equals(a.ruleKind()) && a.ruleId() > 0 && !policies.contains(a.ruleId()) ? "policy deleted" : null;
            return new AlertsPage.Row(a, eventsLink(scope, a), java.time.Instant.ofEpochMilli(a.createdAt()).toString(),
                    java.time.Instant.ofEpochMilli(a.lastSeen()).toString(), gone != null ? null : ruleLink(a), gone,
                    (int) Math.min(a.events(), LINKED_EVENTS), a.events() > LINKED_EVENTS ? ruleEventsLink(scope, a) : null);
        }).toList();
        Map<String, AlertsPage.Rule> rules = new java.util.TreeMap<>();
        for (Alert a : alerts().list(scope)) {
            String value = a.ruleKind() + ":" + a.ruleId();
            rules.putIfAbsent(value, new AlertsPage.Rule(value, ("ioc".equals(a.ruleKind()) ? "IOC" : "policy") + ": " + a.ruleName()));
        }
        ctx.render(http, "intel/alerts.jte", new AlertsPage(ctx.chrome(http, "Alerts"), rows, scope.may(Action.INVESTIGATE),
                state == null ? "" : state, rule == null ? "" : rule, List.copyOf(rules.values())));
    }

    /** The page of the alert's IOC or policy; null for a policy known by name only (renamed or removed since). */
    static String ruleLink(Alert a) {
        if ("ioc".equals(a.ruleKind())) return IntelPages.PATH + "/" + a.ruleId();
        if ("policy".equals(a.ruleKind()) && a.ruleId() > 0) return "/policies/" + a.ruleId();
        return null;
    }

    private String eventsLink(Scope scope, Alert a) {
        List<String> uids = alerts().events(scope, a.id()).stream().limit(LINKED_EVENTS).toList();
        String q = String.join(" OR ", uids.stream().map(u -> "event_uid:\"" + u.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList());
        return "/endpoints/" + Format.segment(a.endpoint()) + "/events?q=" + Format.url(q);
    }

    /**
     * The grid of every event of the alert's rule on its endpoint, for an alert of more events than its grid link names:
     * a policy's enforcement events, an IOC's query (when the caller sees the IOC). It holds the alert's events and
     * those of the rule's other alerts there. Null when there is none to give.
     */
    private static String ruleEventsLink(Scope scope, Alert a) {
        String q = null;
        if ("policy".equals(a.ruleKind())) {
            q = "type:policy AND policy:\"" + a.ruleName().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        } else if ("ioc".equals(a.ruleKind())) {
            try {
                q = scope.intel().find(a.ruleId()).map(ioc -> trailhound.access.IocJson.read(ioc.tree()).toQuery()).orElse(null);
            } catch (RuntimeException unreadable) {
                q = null;
            }
        }
        return q == null ? null : "/endpoints/" + Format.segment(a.endpoint()) + "/events?q=" + Format.url(q);
    }

    private void stateFromForm(Context http) {
        alerts().setState(ctx.scope(http), id(http), http.formParam("state"));
        http.redirect("/alerts", HttpStatus.SEE_OTHER);
    }

    /** Several alerts at once from the page's check boxes; back to the page as it was filtered. */
    private void statesFromForm(Context http) {
        List<Long> ids = http.formParams("id").stream().map(AlertPages::alertId).toList();
        alerts().setStates(ctx.scope(http), ids, http.formParam("state"));
        String state = blankToNull(http.formParam("shown_state"));
        String rule = blankToNull(http.formParam("shown_rule"));
        String query = (state == null ? "" : "&state=" + Format.url(state)) + (rule == null ? "" : "&rule=" + Format.url(rule));
        http.redirect("/alerts" + (query.isEmpty() ? "" : "?" + query.substring(1)), HttpStatus.SEE_OTHER);
    }

    private void apiList(Context http) {
        Scope scope = ctx.scope(http);
        String ruleIdText = blankToNull(http.queryParam("rule_id"));
        String kind = blankToNull(http.queryParam("rule_kind"));
        if (ruleIdText != null && kind == null) throw new BadRequest("rule_id needs rule_kind (one of " + Alerts.RULE_KINDS + ")");
        List<Alert> listed = alerts().list(scope, blankToNull(http.queryParam("state")), kind, ruleIdText == null ? null : ruleId(ruleIdText));
        http.json(Map.of("alerts", listed.stream().map(a -> json(a, alerts().events(scope, a.id()))).toList()));
    }

    private void apiStates(Context http) {
        String usage = "expected {\"ids\": [1, 2], \"state\": \"acknowledged\"} (state one of " + Alerts.STATES + ")";
        JsonNode body = ctx.jsonBody(http);
        if (!body.path("state").isTextual()) throw new BadRequest(usage + ": 'state' is missing or not a string");
        JsonNode ids = body.path("ids");
        if (!ids.isArray()) throw new BadRequest(usage + ": 'ids' is missing or not a list");
        List<Long> list = new java.util.ArrayList<>();
        for (JsonNode n : ids) {
            if (!n.canConvertToLong()) throw new BadRequest(usage + ": 'ids' must hold alert ids (numbers), not " + n);
            list.add(n.asLong());
        }
        Scope scope = ctx.scope(http);
        List<Alert> changed = alerts().setStates(scope, list, body.path("state").asText());
        http.json(Map.of("alerts", changed.stream().map(a -> json(a, alerts().events(scope, a.id()))).toList()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static long ruleId(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new BadRequest("'" + text + "' is no rule id: a number, as the IOC's or policy's page shows it");
        }
    }

    private static long alertId(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw AccessException.unknown("unknown alert '" + text + "': the Alerts page lists them");
        }
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
        m.put("last_seen", java.time.Instant.ofEpochMilli(a.lastSeen()).toString());
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
