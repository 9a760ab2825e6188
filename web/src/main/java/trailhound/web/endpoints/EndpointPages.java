package trailhound.web.endpoints;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.javalin.http.ForbiddenResponse;
import trailhound.index.UnknownEndpointException;
import trailhound.ingest.EndpointAdmin;
import trailhound.ingest.IngestException;
import trailhound.web.BadRequest;
import trailhound.web.auth.Role;
import trailhound.web.auth.Session;
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
        routes.post("/endpoints/{endpoint}/rename", http -> pages.administer(http, false, "name"));
        routes.post("/endpoints/{endpoint}/merge", http -> pages.administer(http, false, "into"));
        routes.post("/endpoints/{endpoint}/purge", http -> pages.administer(http, false, "purge"));
        routes.post("/api/v1/endpoints/{endpoint}/rename", http -> pages.administer(http, true, "name"));
        routes.post("/api/v1/endpoints/{endpoint}/merge", http -> pages.administer(http, true, "into"));
        routes.delete("/api/v1/endpoints/{endpoint}", http -> pages.administer(http, true, "purge"));
    }

    /**
     * Rename ({@code name}), merge ({@code into}) or purge an endpoint, for administrators: from the
     * endpoint list's forms (purge needs the endpoint's name typed as {@code confirm}) or the JSON API
     * ({@code {"name":N}}, {@code {"into":E}}, DELETE). Answers the endpoint list or the outcome as JSON.
     */
    private void administer(Context http, boolean api, String what) throws Exception {
        Session s = Session.of(http);
        if (s == null || s.role() != Role.ADMINISTRATOR) {
            throw new ForbiddenResponse("renaming, merging and purging endpoints is for administrators");
        }
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
        if (ctx.data().catalogue().endpoint(endpoint).isEmpty()) throw new UnknownEndpointException(endpoint);
        String value = null;
        if (!what.equals("purge")) {
            if (api) {
                com.fasterxml.jackson.databind.JsonNode body;
                try {
                    body = ctx.json().readTree(http.body());
                } catch (Exception e) {
                    throw new BadRequest("expected a JSON body {\"" + what + "\": \"...\"}");
                }
                value = body == null ? null : body.path(what).asText(null);
            } else {
                value = http.formParam(what);
            }
            if (value == null || value.isBlank()) throw new BadRequest("missing '" + what + "': the endpoint's new name");
        } else if (!api && !endpoint.equals(http.formParam("confirm"))) {
            throw new BadRequest("type the endpoint's name (" + endpoint + ") to confirm the purge");
        }
        EndpointAdmin admin = new EndpointAdmin(ctx.data());
        Map<String, Object> outcome = new LinkedHashMap<>();
        try {
            switch (what) {
                case "name" -> outcome.put("events", admin.rename(endpoint, value).events());
                case "into" -> outcome.put("events", admin.merge(endpoint, value).events());
                default -> outcome.put("sources_removed", admin.purge(endpoint).stream().map(x -> x.label()).toList());
            }
        } catch (IngestException e) {
            throw new BadRequest(e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
        outcome.put("endpoint", what.equals("purge") ? null : value);
        if (api) {
            http.json(outcome);
        } else {
            http.redirect("/endpoints", io.javalin.http.HttpStatus.SEE_OTHER);
        }
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
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
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
