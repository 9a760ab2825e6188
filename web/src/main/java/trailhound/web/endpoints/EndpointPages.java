package trailhound.web.endpoints;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.AccessException;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Groups;
import trailhound.access.Scope;
import trailhound.ingest.EndpointAdmin;
import trailhound.ingest.EndpointChangeException;
import trailhound.schema.Event;
import trailhound.web.BadRequest;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * {@code /endpoints} (the table, with a type-ahead filter that htmx re-requests as
 * {@code /endpoints/rows?filter=} while the user types), {@code GET /api/v1/endpoints?filter=} and
 * {@code GET /api/v1/endpoints/{endpoint}/snapshots}; for administrators rename, merge, purge and
 * tags (the list's "Change" forms and {@code POST /api/v1/endpoints/{endpoint}/tags}).
 */
public final class EndpointPages {
    private final WebContext ctx;

    private EndpointPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        EndpointPages pages = new EndpointPages(ctx);
        routes.get("/endpoints", Action.VIEW, pages::page);
        routes.get("/endpoints/rows", Action.VIEW, pages::rows);
        routes.get("/api/v1/endpoints", Action.VIEW, pages::api);
        routes.get("/api/v1/endpoints/{endpoint}/snapshots", Action.VIEW, pages::apiSnapshots);
        routes.post("/endpoints/{endpoint}/rename", Action.ADMINISTER, http -> pages.administer(http, false, "name"));
        routes.post("/endpoints/{endpoint}/merge", Action.ADMINISTER, http -> pages.administer(http, false, "into"));
        routes.post("/endpoints/{endpoint}/purge", Action.ADMINISTER, http -> pages.administer(http, false, "purge"));
        routes.post("/endpoints/{endpoint}/tags", Action.ADMINISTER, http -> pages.tag(http, false));
        routes.post("/api/v1/endpoints/{endpoint}/rename", Action.ADMINISTER, http -> pages.administer(http, true, "name"));
        routes.post("/api/v1/endpoints/{endpoint}/merge", Action.ADMINISTER, http -> pages.administer(http, true, "into"));
        routes.delete("/api/v1/endpoints/{endpoint}", Action.ADMINISTER, http -> pages.administer(http, true, "purge"));
        routes.post("/api/v1/endpoints/{endpoint}/tags", Action.ADMINISTER, http -> pages.tag(http, true));
    }

    /**
     * Tags: from the list's form ({@code tags}, the whole new set, comma or space separated) or the API
     * ({@code {"add":[..],"remove":[..]}}); answers the list or the endpoint's tags.
     */
    private void tag(Context http, boolean api) throws Exception {
        Scope access = ctx.scope(http);
        String endpoint = access.endpoint(trailhound.web.Format.unsegment(http.pathParam("endpoint"))).name();
        List<String> now = List.copyOf(ctx.access().groups().tags().getOrDefault(endpoint, new java.util.TreeSet<>()));
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        if (api) {
            com.fasterxml.jackson.databind.JsonNode body = ctx.jsonBody(http);
            String usage = "expected a JSON body {\"add\": [\"tag\", ...], \"remove\": [\"tag\", ...]}";
            if (!(body.has("add") || body.has("remove"))) throw new BadRequest(usage);
            add.addAll(WebContext.strings(body, "add", usage));
            remove.addAll(WebContext.strings(body, "remove", usage));
        } else {
            String typed = http.formParam("tags");
            if (typed == null) throw new BadRequest("missing 'tags': the endpoint's tags, comma separated (empty for none)");
            List<String> wanted = new ArrayList<>();
            for (String t : typed.split("[,\\s]+")) {
                if (!t.isBlank() && !wanted.contains(t)) wanted.add(t);
            }
            wanted.stream().filter(t -> !now.contains(t)).forEach(add::add);
            now.stream().filter(t -> !wanted.contains(t)).forEach(remove::add);
        }
        try {
            ctx.access().groups().tag(access.caller(), endpoint, add, remove);
        } catch (AccessException e) {
            throw new BadRequest(e.getMessage());
        }
        if (api) {
            http.json(Map.of("endpoint", endpoint, "tags", ctx.access().groups().tags().getOrDefault(endpoint, new java.util.TreeSet<>())));
        } else {
            http.redirect("/endpoints", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    /**
     * Rename ({@code name}), merge ({@code into}) or purge an endpoint, for administrators: from the
     * endpoint list's forms (purge needs the endpoint's name typed as {@code confirm}) or the JSON API
     * ({@code {"name":N}}, {@code {"into":E}}, DELETE). Answers the endpoint list or the outcome as JSON.
     */
    /** The rename or merge confirmation: who would gain or lose access, and the same form again with the confirmation. */
    public record ConfirmPage(PageChrome chrome, String endpoint, String action, String field, String value, String change) {}

    /**
     * Rename ({@code what} "name"), merge ("into") or purge. A rename or merge that changes which groups
     * see the endpoint's events is done only when confirmed ({@code confirm_access_change}: form value
     * "yes", JSON true); until then the answer is 409 naming the groups.
     */
    private void administer(Context http, boolean api, String what) throws Exception {
        Scope access = ctx.scope(http);
        String endpoint = access.endpoint(trailhound.web.Format.unsegment(http.pathParam("endpoint"))).name();
        String action = "endpoint." + switch (what) {
            case "name" -> "rename";
            case "into" -> "merge";
            default -> "purge";
        };
        String value = null;
        boolean confirmed;
        if (api) {
            com.fasterxml.jackson.databind.JsonNode body = what.equals("purge") ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                    : ctx.jsonBody(http);
            if (!what.equals("purge")) {
                if (!body.path(what).isTextual()) throw new BadRequest("expected a JSON body {\"" + what + "\": \"...\"}");
                value = body.path(what).asText();
            }
            confirmed = body.path("confirm_access_change").asBoolean(false);
        } else {
            value = what.equals("purge") ? null : http.formParam(what);
            confirmed = "yes".equals(http.formParam("confirm_access_change"));
            if (what.equals("purge") && !endpoint.equals(http.formParam("confirm"))) {
                throw new BadRequest("type the endpoint's name (" + endpoint + ") to confirm the purge");
            }
        }
        if (!what.equals("purge") && (value == null || value.isBlank())) {
            throw new BadRequest("missing '" + what + "': the endpoint's new name");
        }
        EndpointAdmin admin = new EndpointAdmin(access.administration());
        Map<String, Object> outcome = new LinkedHashMap<>();
        Groups.AccessChange change = null;
        try {
            if (what.equals("name")) admin.checkNewName(endpoint, value);
            if (!what.equals("purge")) {
                change = ctx.access().groups().accessChange(endpoint, value, what.equals("into"));
                if (!change.none() && !confirmed) {
                    askToConfirm(http, api, endpoint, what, value, change);
                    return;
                }
            }
            switch (what) {
                case "name" -> outcome.put("events", admin.rename(endpoint, value).events());
                case "into" -> outcome.put("events", admin.merge(endpoint, value).events());
                default -> outcome.put("sources_removed", admin.purge(endpoint).stream().map(x -> x.label()).toList());
            }
        } catch (EndpointChangeException e) {
            access.audit(action, endpoint, AuditLog.FAILED, (value == null ? "" : "-> " + value + ": ") + e.getMessage());
            throw new BadRequest(e.getMessage());
        }
        String changed = change == null || change.none() ? "" : "; " + change.describe();
        access.audit(action, endpoint, AuditLog.OK, (value == null ? outcome.toString() : "-> " + value) + changed);
        outcome.put("endpoint", what.equals("purge") ? null : value);
        if (change != null) {
            outcome.put("groups_gaining", change.gaining());
            outcome.put("groups_losing", change.losing());
        }
        if (api) {
            http.json(outcome);
        } else {
            http.redirect("/endpoints", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private void askToConfirm(Context http, boolean api, String endpoint, String what, String value, Groups.AccessChange change) {
        String verb = what.equals("name") ? "Renaming " + endpoint + " to " + value : "Merging " + endpoint + " into " + value;
        String message = verb + " changes who sees its events: " + change.describe() + ".";
        http.status(409);
        if (api) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message + " Send it again with \"confirm_access_change\": true to go ahead.");
            body.put("groups_gaining", change.gaining());
            body.put("groups_losing", change.losing());
            http.json(body);
            return;
        }
        ctx.render(http, "endpoints/confirm.jte", new ConfirmPage(ctx.chrome(http, "Confirm"), endpoint,
                "/endpoints/" + trailhound.web.Format.segment(endpoint) + (what.equals("name") ? "/rename" : "/merge"), what, value, message));
    }

    private void page(Context http) throws Exception {
        String filter = http.queryParam("filter");
        ctx.render(http, "endpoints/list.jte",
                new EndpointsPage(ctx.chrome(http, "Endpoints"), filter == null ? "" : filter, list(http, filter)));
    }

    private void rows(Context http) throws Exception {
        String filter = http.queryParam("filter");
        ctx.render(http, "endpoints/rows.jte",
                new EndpointsPage(ctx.chrome(http, "Endpoints"), filter == null ? "" : filter, list(http, filter)));
    }

    private List<EndpointRow> list(Context http, String filter) throws Exception {
        return EndpointDirectory.list(ctx.scope(http), ctx.access().groups().tags(), filter);
    }

    private void api(Context http) throws Exception {
        List<Map<String, Object>> endpoints = list(http, http.queryParam("filter")).stream().map(e -> {
            Map<String, Object> json = new LinkedHashMap<>(); // canonical snake_case names, UTC ISO times
            json.put("name", e.name());
            json.put("os", e.os());
            json.put("hostname", e.hostname());
            json.put("ip", e.ip());
            json.put("event_count", e.eventCount());
            json.put("first_ts", e.firstTs() == null ? null : Event.formatTime(e.firstTs()));
            json.put("last_ts", e.lastTs() == null ? null : Event.formatTime(e.lastTs()));
            json.put("snapshots", e.snapshots());
            json.put("tags", e.tags());
            return json;
        }).toList();
        http.json(Map.of("endpoints", endpoints));
    }

    /** The endpoint's snapshots, newest first: id, taken, time window (UTC ISO-8601) and event count. */
    private void apiSnapshots(Context http) {
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
        List<Map<String, Object>> snapshots = ctx.scope(http).snapshots(endpoint).stream()
                .map(s -> Map.<String, Object>of("id", s.id(), "taken_at", Event.formatTime(s.takenAt()),
                        "first_ts", Event.formatTime(s.firstTs()), "last_ts", Event.formatTime(s.lastTs()),
                        "event_count", s.eventCount()))
                .toList();
        http.json(Map.of("endpoint", endpoint, "snapshots", snapshots));
    }
}
