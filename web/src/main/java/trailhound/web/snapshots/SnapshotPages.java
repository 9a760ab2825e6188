package trailhound.web.snapshots;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.Action;
import trailhound.access.Snapshots;
import trailhound.ingest.IngestException;
import trailhound.store.SnapshotInfo;
import trailhound.web.Format;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Snapshots: every endpoint the caller may see with its snapshots (captured or uploaded), each opening
 * its grid (the endpoint's index restricted to the snapshot's window); and uploads of a recorder
 * database copied off an endpoint by hand, or of a telemetry file.
 *
 * <ul>
 *   <li>{@code GET /snapshots}: the list; {@code GET /api/v1/snapshots}: {@code {"endpoints": [{"endpoint",
 *       "os", "count", "snapshots": [{"id", "taken_at", "first_ts", "last_ts", "event_count", "url"}]}]}},
 *       times ISO-8601 UTC, newest snapshot first; and {@code "captures"}: the captures from live endpoints this
 *       server has run since it started, newest first, as {@link trailhound.web.live.LiveSnapshots} describes them.
 *   <li>{@code GET /snapshots/upload}: the upload page; its "Upload & Connect" sends the file with
 *       {@code POST /api/v1/snapshots?name=FILE[&endpoint=NAME]}, the body the file's bytes as they are
 *       (any content type; not multipart), and opens the grid it answers.
 *       201 {@code {"source", "format", "endpoints", "snapshot", "events_read", "events_added", "known",
 *       "warnings", "url"}}; 413 over the size cap ({@code serve} or {@code demo --upload-max-size}); 422 a file that
 *       is not a recorder database (that opens and names its host) or a telemetry file Trailhound reads,
 *       or of an endpoint outside the caller's groups, with the reason; nothing of a refused file is kept.
 * </ul>
 * Analysts and administrators upload ({@link Action#INVESTIGATE}); {@link Snapshots} in the access layer
 * checks who may upload into which endpoint and audits every upload.
 */
public final class SnapshotPages {
    static final String PATH = "/snapshots";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SnapshotPages.class);

    private final WebContext ctx;
    private final long maxBytes;
    private final trailhound.web.live.SnapshotCaptures captures;

    private SnapshotPages(WebContext ctx, long maxBytes, trailhound.web.live.SnapshotCaptures captures) {
        this.ctx = ctx;
        this.maxBytes = maxBytes;
        this.captures = captures;
    }

    /** The routes; uploads above {@code maxBytes} are refused; {@code captures} those from live endpoints. */
    public static void register(Routes routes, WebContext ctx, long maxBytes, trailhound.web.live.SnapshotCaptures captures) {
        SnapshotPages pages = new SnapshotPages(ctx, maxBytes, captures);
        routes.get(PATH, Action.VIEW, pages::list);
        routes.get(PATH + "/upload", Action.INVESTIGATE, pages::uploadPage);
        routes.get("/api/v1/snapshots", Action.VIEW, pages::apiList);
        routes.post("/api/v1/snapshots", Action.INVESTIGATE, pages::apiUpload);
    }

    private void list(Context http) throws IOException {
        List<Snapshots.EndpointSnapshots> all = ctx.scope(http).snapshots().byEndpoint();
        ctx.render(http, "snapshots/list.jte", new SnapshotsPage(ctx.chrome(http, "Snapshots"), all,
                ctx.scope(http).may(Action.INVESTIGATE)));
    }

    private void uploadPage(Context http) {
        ctx.render(http, "snapshots/upload.jte", new UploadPage(ctx.chrome(http, "Upload snapshot"), size(maxBytes)));
    }

    private void apiList(Context http) throws IOException {
        List<Map<String, Object>> endpoints = new java.util.ArrayList<>();
        for (Snapshots.EndpointSnapshots e : ctx.scope(http).snapshots().byEndpoint()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("endpoint", e.endpoint());
            m.put("os", e.os());
            m.put("count", e.snapshots().size());
            m.put("snapshots", e.snapshots().stream().map(s -> {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("id", s.id());
                one.put("taken_at", iso(s.takenAt()));
                one.put("first_ts", iso(s.firstTs()));
                one.put("last_ts", iso(s.lastTs()));
                one.put("event_count", s.eventCount());
                one.put("url", grid(e.endpoint(), s.id()));
                return one;
            }).toList());
            endpoints.add(m);
        }
        http.json(Map.of("endpoints", endpoints, "captures", captures.list(ctx.scope(http)).stream()
                .map(trailhound.web.live.LiveSnapshots::json).toList()));
    }

    private void apiUpload(Context http) throws IOException {
        Snapshots.Uploaded up;
        try (InputStream body = http.req().getInputStream()) {
            up = ctx.ingests().run(stop -> ctx.scope(http).snapshots().upload(body, http.queryParam("name"), http.queryParam("endpoint"),
                    maxBytes, stop));
        } catch (Snapshots.Refused e) {
            throw new HttpResponseException(e.tooLarge() ? 413 : 422, e.getMessage());
        } catch (IngestException e) {
            if (e.stopped()) throw new HttpResponseException(503, Snapshots.STOPPED_UPLOAD);
            throw new HttpResponseException(422, e.getMessage());
        } catch (Snapshots.Cut e) {
            // third try-out: a cancel from the page was logged at ERROR with a stack trace; it is ordinary (and audited)
            LOG.info("{} (by {})", e.getMessage(), ctx.scope(http).caller().user());
            throw new HttpResponseException(400, e.getMessage());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "s" + up.sourceId());
        m.put("format", up.format());
        m.put("endpoints", up.endpoints());
        m.put("snapshot", up.snapshotId());
        m.put("events_read", up.read());
        m.put("events_added", up.added());
        m.put("known", up.known());
        m.put("warnings", up.warnings());
        m.put("url", up.endpoints().isEmpty() ? PATH : up.snapshotId() != null ? grid(up.endpoints().getFirst(), up.snapshotId())
                : "/endpoints/" + Format.segment(up.endpoints().getFirst()) + "/events");
        http.status(HttpStatus.CREATED).json(m);
    }

    /** The grid of one snapshot: the endpoint's index restricted to it. */
    static String grid(String endpoint, String snapshotId) {
        return "/endpoints/" + Format.segment(endpoint) + "/events?snapshot=" + Format.url(snapshotId);
    }

    /** "8 GiB", "500 MiB", or bytes. */
    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) return (bytes >> 30) + " GiB";
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) return (bytes >> 20) + " MiB";
        return String.format("%,d bytes", bytes);
    }

    private static String iso(long ms) {
        return java.time.Instant.ofEpochMilli(ms).toString();
    }

    /** The list page: endpoints with their snapshots; {@code mayUpload}: the caller may upload (analysts, administrators). */
    public record SnapshotsPage(trailhound.web.PageChrome chrome, List<Snapshots.EndpointSnapshots> endpoints, boolean mayUpload) {
        public String grid(String endpoint, SnapshotInfo s) {
            return SnapshotPages.grid(endpoint, s.id());
        }
    }

    /** The upload page, saying the size cap. */
    public record UploadPage(trailhound.web.PageChrome chrome, String maxSize) {}
}
