package trailhound.web.exports;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.Action;
import trailhound.access.Scope;
import trailhound.schema.Event;
import trailhound.store.JobInfo;
import trailhound.web.BadRequest;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Event exports as background jobs (analysts and administrators; an export is its starter's and the
 * administrators'). Times ISO-8601 UTC.
 * <ul>
 * <li>{@code POST /api/v1/exports}: {@code {"endpoint": E, "q": Q}} or {@code {"all": true, "q": Q}}, optionally
 *     {@code "snapshot"}, {@code "from"}, {@code "to"} (as the grid takes them), {@code "event_uids": [...]} (selected
 *     rows only) and {@code "live": true} (from a live connection's view: at most {@code serve --live-export-max-rows}
 *     rows); answers 202 with the export as below.
 * <li>{@code GET /api/v1/exports}: {@code {"exports": [...]}}, newest first.
 * <li>{@code GET /api/v1/exports/{id}}: {@code {"id", "state" (queued, running, done, failed, cancelled), "rows_written",
 *     "rows_total", "percent", "message", "created_at", "finished_at", "download"}}; {@code download} is the ZIP's path
 *     once done, else null.
 * <li>{@code GET /api/v1/exports/{id}/download}: the ZIP (one CSV, AES-256, password {@code infected}); 400 until done.
 * <li>{@code POST /api/v1/exports/{id}/cancel}: stops it; nothing is left of it; 409 when it had already finished.
 * <li>{@code POST /api/v1/exports/{id}/again}: starts a finished (done, failed or cancelled) export's request again as
 *     a new export; 202 with it, 409 while the export is queued or running.
 * <li>{@code /exports}: the page (progress, download links, Cancel, Run again); {@code POST /exports} starts one from the
 *     grid's form.
 * </ul>
 */
public final class ExportPages {
    private final WebContext ctx;
    private final ExportJobs exports;

    private ExportPages(WebContext ctx, ExportJobs exports) {
        this.ctx = ctx;
        this.exports = exports;
    }

    public static void register(Routes routes, WebContext ctx, ExportJobs exports) {
        ExportPages p = new ExportPages(ctx, exports);
        routes.post("/api/v1/exports", Action.EXPORT, p::apiStart);
        routes.get("/api/v1/exports", Action.EXPORT, p::apiList);
        routes.get("/api/v1/exports/{id}", Action.EXPORT, p::apiGet);
        routes.get("/api/v1/exports/{id}/download", Action.EXPORT, p::download);
        routes.post("/api/v1/exports/{id}/cancel", Action.EXPORT, p::apiCancel);
        routes.post("/api/v1/exports/{id}/again", Action.EXPORT, p::apiAgain);
        routes.get("/exports", Action.EXPORT, p::page);
        routes.get("/exports/rows", Action.EXPORT, p::rows);
        routes.post("/exports", Action.EXPORT, p::startFromForm);
        routes.post("/exports/{id}/cancel", Action.EXPORT, p::cancelFromForm);
        routes.post("/exports/{id}/again", Action.EXPORT, p::againFromForm);
        routes.get("/exports/{id}/download", Action.EXPORT, p::download);
    }

    /** The exports page: the caller's exports, the one just started highlighted. */
    public record ExportsPage(PageChrome chrome, List<Row> rows, String highlight, long liveMaxRows) {}

    /** One export as the page shows it. */
    public record Row(JobInfo job, int percent, String createdAt, String what) {}

    private void apiStart(Context http) throws IOException {
        JsonNode body = ctx.jsonBody(http);
        String usage = "expected {\"endpoint\": name, \"q\": query} or {\"all\": true, \"q\": query}, optionally \"snapshot\", \"from\","
                + " \"to\", \"event_uids\": [...], \"live\": true";
        if (!body.isObject()) throw new BadRequest(usage);
        WebContext.knownFields(body, "an export", "endpoint", "all", "q", "snapshot", "from", "to", "event_uids", "live");
        ExportJobs.Request request = new ExportJobs.Request(text(body, "endpoint", usage), body.path("all").asBoolean(false),
                text(body, "q", usage), text(body, "snapshot", usage), text(body, "from", usage), text(body, "to", usage),
                WebContext.strings(body, "event_uids", usage), body.path("live").asBoolean(false));
        Scope scope = ctx.scope(http);
        long id = exports.submit(scope, request);
        http.status(HttpStatus.ACCEPTED).json(json(exports.get(scope, id).orElseThrow()));
    }

    private static String text(JsonNode body, String field, String usage) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isTextual()) throw new BadRequest("'" + field + "' must be text: " + usage);
        return n.asText();
    }

    private void startFromForm(Context http) throws IOException {
        String endpoint = blankToNull(http.formParam("endpoint"));
        ExportJobs.Request request = new ExportJobs.Request(endpoint, endpoint == null, http.formParam("q"),
                blankToNull(http.formParam("snapshot")), http.formParam("from"), http.formParam("to"), http.formParams("uid"),
                "1".equals(http.formParam("live")));
        long id = exports.submit(ctx.scope(http), request);
        http.redirect("/exports?new=" + id, HttpStatus.SEE_OTHER);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private void apiList(Context http) {
        http.json(Map.of("exports", exports.list(ctx.scope(http), 100).stream().map(this::json).toList()));
    }

    private void apiGet(Context http) {
        http.json(json(find(http)));
    }

    private void apiCancel(Context http) {
        JobInfo j = find(http);
        if (j.finished()) {
            throw new io.javalin.http.HttpResponseException(409, "export " + j.id() + " already finished (" + j.state()
                    + "): there is nothing to cancel");
        }
        exports.cancel(ctx.scope(http), j.id());
        http.json(json(exports.get(ctx.scope(http), j.id()).orElseThrow()));
    }

    private void apiAgain(Context http) throws IOException {
        Scope scope = ctx.scope(http);
        long id = again(http, scope);
        http.status(HttpStatus.ACCEPTED).json(json(exports.get(scope, id).orElseThrow()));
    }

    private void againFromForm(Context http) throws IOException {
        long id = again(http, ctx.scope(http));
        http.redirect("/exports?new=" + id, HttpStatus.SEE_OTHER);
    }

    private long again(Context http, Scope scope) throws IOException {
        JobInfo j = find(http);
        try {
            return exports.again(scope, j.id());
        } catch (IllegalStateException e) {
            throw new io.javalin.http.HttpResponseException(409, e.getMessage());
        }
    }

    private void cancelFromForm(Context http) {
        exports.cancel(ctx.scope(http), find(http).id());
        http.redirect("/exports", HttpStatus.SEE_OTHER);
    }

    private void download(Context http) throws IOException {
        JobInfo j = find(http);
        Path file = ctx.scope(http).exports().download(j.id());
        if (!Files.isRegularFile(file)) {
            throw new io.javalin.http.HttpResponseException(410, "export " + j.id() + " finished but its file " + file
                    + " is gone from the data folder: start the export again");
        }
        http.contentType("application/zip");
        http.header("Content-Disposition", "attachment; filename=\"trailhound_export_" + j.id() + ".zip\"");
        http.header("Content-Length", Long.toString(Files.size(file)));
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(http.outputStream());
        }
    }

    private ExportsPage model(Context http) {
        List<Row> rows = exports.list(ctx.scope(http), 100).stream().map(j -> new Row(j, percent(j), trailhound.web.Format.utc(j.createdAt()),
                String.join(", ", j.parts().stream().map(JobInfo.Part::endpoint).limit(5).toList())
                        + (j.parts().size() > 5 ? " and " + (j.parts().size() - 5) + " more" : ""))).toList();
        return new ExportsPage(ctx.chrome(http, "Exports"), rows, http.queryParam("new"), exports.liveMaxRows());
    }

    private void page(Context http) {
        ctx.render(http, "exports/list.jte", model(http));
    }

    private void rows(Context http) {
        ctx.render(http, "exports/rows.jte", model(http));
    }

    private static int percent(JobInfo j) {
        if (j.state().equals(JobInfo.DONE)) return 100;
        return j.eventsTotal() == 0 ? 0 : (int) Math.min(100, j.eventsDone() * 100 / j.eventsTotal());
    }

    private JobInfo find(Context http) {
        long id;
        try {
            id = Long.parseLong(http.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse(unknown(http.pathParam("id")));
        }
        return exports.get(ctx.scope(http), id).orElseThrow(() -> new NotFoundResponse(unknown(http.pathParam("id"))));
    }

    private static String unknown(String id) {
        return "no export " + id + " among yours; GET /api/v1/exports lists them";
    }

    private Map<String, Object> json(JobInfo j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("state", j.state());
        m.put("rows_written", j.eventsDone());
        m.put("rows_total", j.eventsTotal());
        m.put("percent", percent(j));
        m.put("endpoints", j.parts().stream().map(JobInfo.Part::endpoint).toList());
        m.put("owner", j.owner());
        m.put("message", j.message());
        m.put("created_at", Event.formatTime(j.createdAt()));
        m.put("finished_at", j.finishedAt() == null ? null : Event.formatTime(j.finishedAt()));
        m.put("download", j.state().equals(JobInfo.DONE) ? "/api/v1/exports/" + j.id() + "/download" : null);
        return m;
    }
}
