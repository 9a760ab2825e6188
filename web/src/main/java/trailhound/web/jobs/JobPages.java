package trailhound.web.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.ingest.ReindexJobs;
import trailhound.schema.Event;
import trailhound.store.EndpointInfo;
import trailhound.store.JobInfo;
import trailhound.web.BadRequest;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Jobs, for administrators: {@code /jobs} (start a re-index of all or some endpoints, watch progress,
 * cancel), and the JSON API {@code POST /api/v1/jobs/reindex} (body {@code {"all":true}} or
 * {@code {"endpoints":[...]}}, answers 202 with the job), {@code GET /api/v1/jobs},
 * {@code GET /api/v1/jobs/{id}}, {@code POST /api/v1/jobs/{id}/cancel}. Others get 403.
 */
public final class JobPages {
    private final WebContext ctx;
    private final ReindexJobs jobs;

    private JobPages(WebContext ctx, ReindexJobs jobs) {
        this.ctx = ctx;
        this.jobs = jobs;
    }

    /** Re-index is for administrators (other kinds of job, later, belong to the user who started them). */
    public static void register(Routes routes, WebContext ctx, ReindexJobs jobs) {
        JobPages pages = new JobPages(ctx, jobs);
        routes.get("/jobs", Action.ADMINISTER, pages::page);
        routes.get("/jobs/rows", Action.ADMINISTER, pages::rows);
        routes.postForScripts("/jobs/reindex", Action.ADMINISTER, pages::startFromForm);
        routes.postForScripts("/jobs/{id}/cancel", Action.ADMINISTER, pages::cancelFromForm);
        routes.postForScripts("/api/v1/jobs/reindex", Action.ADMINISTER, pages::startFromApi);
        routes.get("/api/v1/jobs", Action.ADMINISTER, pages::apiList);
        routes.get("/api/v1/jobs/{id}", Action.ADMINISTER, pages::apiGet);
        routes.postForScripts("/api/v1/jobs/{id}/cancel", Action.ADMINISTER, pages::apiCancel);
    }

    private JobsPage model(Context http) {
        long now = ctx.clock().millis();
        List<JobRow> rows = jobs.list(50).stream().map(j -> JobRow.of(j, now)).toList();
        List<String> endpoints = all(http);
        return new JobsPage(ctx.chrome(http, "Jobs"), rows, endpoints);
    }

    private void page(Context http) {
        ctx.render(http, "jobs/list.jte", model(http));
    }

    private void rows(Context http) {
        ctx.render(http, "jobs/rows.jte", model(http));
    }

    private void startFromForm(Context http) {
        List<String> endpoints = "all".equals(http.formParam("scope")) ? all(http)
                : Arrays.stream(String.valueOf(http.formParam("endpoints")).split(",")).map(String::strip)
                        .filter(e -> !e.isEmpty() && !e.equals("null")).toList();
        submit(endpoints, http);
        http.redirect("/jobs", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void cancelFromForm(Context http) {
        jobs.cancel(id(http));
        ctx.scope(http).audit("job.cancel", null, AuditLog.OK, "job " + id(http));
        http.redirect("/jobs", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void startFromApi(Context http) throws Exception {
        JsonNode body = ctx.jsonBody(http);
        String usage = "expected a JSON body {\"all\": true} or {\"endpoints\": [\"name\", ...]}";
        List<String> endpoints = new ArrayList<>();
        if (body.path("all").isBoolean() && body.path("all").asBoolean()) {
            endpoints.addAll(all(http));
        } else if (body.has("endpoints")) {
            endpoints.addAll(WebContext.strings(body, "endpoints", usage));
        } else {
            throw new BadRequest(usage);
        }
        long id = submit(endpoints, http);
        http.status(202).json(json(jobs.get(id).orElseThrow()));
    }

    private void apiList(Context http) {
        http.json(Map.of("jobs", jobs.list(50).stream().map(this::json).toList()));
    }

    private void apiGet(Context http) {
        http.json(json(job(http)));
    }

    private void apiCancel(Context http) {
        JobInfo j = job(http);
        jobs.cancel(j.id());
        ctx.scope(http).audit("job.cancel", null, AuditLog.OK, "job " + j.id());
        http.json(json(jobs.get(j.id()).orElseThrow()));
    }

    private long submit(List<String> endpoints, Context http) {
        try {
            long id = jobs.submit(endpoints, ctx.scope(http).caller().user());
            ctx.scope(http).audit("job.reindex", null, AuditLog.OK, "job " + id + ": " + String.join(", ", endpoints));
            return id;
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private List<String> all(Context http) {
        return ctx.scope(http).administration().catalogue().endpoints().stream().map(EndpointInfo::name).toList();
    }

    private static long id(Context http) {
        try {
            return Long.parseLong(http.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse("no job " + http.pathParam("id"));
        }
    }

    private JobInfo job(Context http) {
        long id = id(http);
        return jobs.get(id).orElseThrow(() -> new NotFoundResponse("no job " + id));
    }

    private Map<String, Object> json(JobInfo j) {
        JobRow row = JobRow.of(j, ctx.clock().millis());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("kind", j.kind());
        m.put("owner", j.owner());
        m.put("state", j.state());
        m.put("created_at", Event.formatTime(j.createdAt()));
        m.put("started_at", j.startedAt() == null ? null : Event.formatTime(j.startedAt()));
        m.put("finished_at", j.finishedAt() == null ? null : Event.formatTime(j.finishedAt()));
        m.put("endpoints_done", j.endpointsDone());
        m.put("endpoints_total", j.endpointsTotal());
        m.put("events_done", j.eventsDone());
        m.put("events_total", j.eventsTotal());
        m.put("events_per_second", Math.round(row.eventsPerSecond()));
        m.put("eta_seconds", row.etaSeconds());
        m.put("message", j.message());
        m.put("cancel_requested", j.cancelRequested());
        m.put("endpoints", j.parts().stream().map(p -> {
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("endpoint", p.endpoint());
            part.put("state", p.state());
            part.put("events", p.events());
            part.put("message", p.message());
            return part;
        }).toList());
        return m;
    }
}
