package trailhound.web.live;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.Action;
import trailhound.access.Scope;
import trailhound.access.Snapshots;
import trailhound.web.Format;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.evidence.EvidencePages;

/**
 * Snapshot captures over a live connection {@code {id}} (open, on an endpoint the caller sees; its
 * agent connected and of protocol 3): the analyst sees the agent's recorder database size and the
 * server's free space, confirms, and follows the capture under Saved Evidence. Analysts and
 * administrators; the access layer audits ({@code snapshot.capture}: who, endpoint, size, outcome).
 * <ul>
 * <li>{@code GET /api/v1/live/connections/{id}/snapshots/room}: {@code {"endpoint", "recorder_bytes",
 *     "free_bytes", "needed_bytes", "reserve_bytes", "enough"}} (bytes; needed: twice the database and the
 *     reserve, {@code serve --snapshot-reserve}).
 * <li>{@code POST /api/v1/live/connections/{id}/snapshots}: starts a capture; 202 {@code {"capture_id",
 *     "state", "url"}}, {@code url} the capture to poll; 507 when the server lacks room, with both figures.
 * <li>{@code GET /api/v1/snapshots/captures/{capture_id}}: one capture (as listed under {@code "captures"}
 *     by {@code GET /api/v1/snapshots}): {@code {"id", "endpoint", "user", "started_at", "state" (copying,
 *     transferring, checking, ingesting, done, failed), "received", "size", "resumes", "name",
 *     "captured_at", "snapshot", "events_read", "events_added", "reason", "ended_at", "url", "progress" (as the page says it), and while it
 *     runs "ahead" (queued: captures before it) or "away_since" (its transfer waits for the agent)}}.
 *     409 while a capture of the endpoint is under way (naming it), 422 when the agent's recorder database
 *     holds no events (a replay agent records nothing of its own).
 * <li>{@code POST /api/v1/snapshots/captures/{capture_id}/cancel}: stops a capture while it is copied or
 *     transferred (the analyst who started it or an administrator; audited); it shows {@code cancelling} at once, until the
 *     agent stops, then ends {@code cancelled} and
 *     keeps nothing; 202 with the capture, 409 once it is being checked and ingested or has ended.
 * <li>{@code GET /live/connections/{id}/snapshot}: the confirmation (Yes / No) or the refusal;
 *     {@code POST} starts it and opens Saved Evidence &gt; Snapshot captures;
 *     {@code GET /endpoints/{endpoint}/live/snapshot} (the grid's Capture snapshot) opens a connection when none is.
 * <li>{@code GET /evidence/captures}: the captures by endpoint, with their progress; {@code POST
 *     /evidence/captures/{capture_id}/cancel} its Cancel button.
 * </ul>
 */
public final class LiveSnapshots {
    private final WebContext ctx;
    private final LiveConnections connections;
    private final SnapshotCaptures captures;

    private LiveSnapshots(WebContext ctx, LiveConnections connections, SnapshotCaptures captures) {
        this.ctx = ctx;
        this.connections = connections;
        this.captures = captures;
    }

    public static void register(Routes routes, WebContext ctx, LiveConnections connections, SnapshotCaptures captures) {
        LiveSnapshots s = new LiveSnapshots(ctx, connections, captures);
        routes.get("/api/v1/live/connections/{id}/snapshots/room", Action.INVESTIGATE, s::roomJson);
        routes.post("/api/v1/live/connections/{id}/snapshots", Action.INVESTIGATE, s::startJson);
        routes.get("/api/v1/snapshots/captures/{id}", Action.VIEW, s::oneJson);
        routes.get("/live/connections/{id}/snapshot", Action.INVESTIGATE, s::confirm);
        routes.post("/live/connections/{id}/snapshot", Action.INVESTIGATE, s::startForm);
        routes.get("/endpoints/{endpoint}/live/snapshot", Action.INVESTIGATE, s::fromEndpoint);
        routes.get("/evidence/captures", Action.VIEW, s::page);
        routes.post("/api/v1/snapshots/captures/{id}/cancel", Action.INVESTIGATE, s::cancelJson);
        routes.post("/evidence/captures/{id}/cancel", Action.INVESTIGATE, s::cancelForm);
    }

    private SnapshotCaptures.Capture cancel(Context http) {
        String id = http.pathParam("id");
        try {
            return captures.cancel(ctx.scope(http), id).orElseThrow(() -> new NotFoundResponse("no capture '" + id
                    + "' among those you may see; GET /api/v1/snapshots lists them"));
        } catch (IllegalStateException e) {
            throw new HttpResponseException(409, e.getMessage());
        }
    }

    private void cancelJson(Context http) {
        http.status(HttpStatus.ACCEPTED).json(json(cancel(http)));
    }

    private void cancelForm(Context http) {
        http.redirect("/evidence/captures?new=" + Format.url(cancel(http).id()));
    }

    /** The caller's open connection {@code {id}}; 404 when unknown or not the caller's, 409 when closed. */
    private LiveConnections.View connection(Context http, Scope scope) {
        String id = http.pathParam("id");
        LiveConnections.View v = connections.find(scope, id).orElseThrow(() -> new NotFoundResponse("no live connection '" + id
                + "' among yours: GET /api/v1/live/connections lists them; connect on Live endpoints"));
        LiveConnections.requireOwn(scope, v);
        if (!v.state().open()) {
            throw new HttpResponseException(409, "live connection " + id + " to " + v.endpoint() + " is " + v.state().label() + " ("
                    + v.reason() + "): connect again on Live endpoints");
        }
        connections.activity(v.endpoint());
        return v;
    }

    private static HttpResponseException http(AgentRequests.RequestException e) {
        return new HttpResponseException(switch (e.code()) {
            case OFFLINE, DISCONNECTED, TOO_OLD -> 409;
            case TIMEOUT, UNKNOWN -> 504;
            case INTERRUPTED -> 503;
            case FAILED -> "bad_request".equals(e.agentCode()) ? 409 : 502;
        }, e.getMessage());
    }

    private Snapshots.Room room(Scope scope, LiveConnections.View v) throws IOException {
        try {
            return captures.room(scope, v.endpoint());
        } catch (AgentRequests.RequestException e) {
            throw http(e);
        }
    }

    private void roomJson(Context http) throws IOException {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        Snapshots.Room r = room(scope, v);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", v.endpoint());
        m.put("recorder_bytes", r.recorderBytes());
        m.put("free_bytes", r.freeBytes());
        m.put("needed_bytes", r.neededBytes());
        m.put("reserve_bytes", captures.reserveBytes());
        m.put("enough", r.enough());
        http.json(m);
    }

    private SnapshotCaptures.Capture start(Scope scope, LiveConnections.View v) throws IOException {
        try {
            return captures.start(scope, v.endpoint());
        } catch (AgentRequests.RequestException e) {
            throw http(e);
        } catch (Snapshots.Refused e) {
            throw new HttpResponseException(507, e.getMessage());
        } catch (SnapshotCaptures.Busy e) {
            throw new HttpResponseException(409, e.getMessage());
        } catch (SnapshotCaptures.NothingToCapture e) {
            throw new HttpResponseException(422, e.getMessage());
        }
    }

    private void startJson(Context http) throws IOException {
        Scope scope = ctx.scope(http);
        SnapshotCaptures.Capture c = start(scope, connection(http, scope));
        http.status(HttpStatus.ACCEPTED).json(Map.of("capture_id", c.id(), "state", c.stage().label(), "url",
                "/api/v1/snapshots/captures/" + c.id()));
    }

    private void oneJson(Context http) {
        String id = http.pathParam("id");
        http.json(json(captures.find(ctx.scope(http), id).orElseThrow(() -> new NotFoundResponse("no capture '" + id
                + "' among those you may see; GET /api/v1/snapshots lists them"))));
    }

    /** A capture as the API shows it; times ISO-8601 UTC. */
    public static Map<String, Object> json(SnapshotCaptures.Capture c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("endpoint", c.endpoint());
        m.put("user", c.user());
        m.put("started_at", c.started().toString());
        m.put("state", c.stage().label());
        m.put("received", c.received());
        m.put("size", c.size() < 0 ? null : c.size());
        m.put("resumes", c.resumes());
        m.put("name", c.name());
        m.put("captured_at", c.capturedAt() == null ? null : c.capturedAt().toString());
        m.put("snapshot", c.snapshotId());
        m.put("events_read", c.events());
        m.put("events_added", c.added());
        m.put("reason", c.reason());
        m.put("ended_at", c.ended() == null ? null : c.ended().toString());
        m.put("url", grid(c));
        // third try-out: a capture queued behind two said "copying", and one whose agent was away seemed to move
        if (c.queued()) m.put("ahead", c.ahead());
        if (c.awaySince() != null) m.put("away_since", java.time.Instant.ofEpochMilli(c.awaySince()).toString());
        m.put("progress", progress(c));
        return m;
    }

    /** The snapshot's grid once kept, else null. */
    static String grid(SnapshotCaptures.Capture c) {
        return c.snapshotId() == null ? null : "/endpoints/" + Format.segment(c.endpoint()) + "/events?snapshot=" + Format.url(c.snapshotId());
    }

    private String host(String endpoint) {
        return ctx.access().agents().endpoint(endpoint).map(e -> e.hostname() == null || e.hostname().equals(endpoint) ? endpoint
                : endpoint + " (" + e.hostname() + ")").orElse(endpoint);
    }

    private void confirm(Context http) throws IOException {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        Snapshots.Room r = room(scope, v);
        String back = "/endpoints/" + Format.segment(v.endpoint()) + "/events";
        PageChrome chrome = ctx.chrome(http, "Capture a snapshot").forEndpoint(v.endpoint());
        String sizes = "The recorder database of " + host(v.endpoint()) + " is " + EvidencePages.bytes(r.recorderBytes()) + "; the server"
                + " has " + EvidencePages.bytes(r.freeBytes()) + " free in its data folder";
        if (!r.enough()) {
            ctx.render(http, "live/confirm.jte", new LiveFiles.ConfirmPage(chrome, "Capture a snapshot", sizes + ", and a capture needs "
                    + EvidencePages.bytes(r.neededBytes()) + " (twice the database, and " + EvidencePages.bytes(captures.reserveBytes())
                    + " kept free). Free space on the server, or copy the database off the endpoint by hand (bin/trailhound agent"
                    + " snapshot) and upload it.", null, Map.of(), null, back));
            return;
        }
        ctx.render(http, "live/confirm.jte", new LiveFiles.ConfirmPage(chrome, "Capture a snapshot", sizes + ". Capture a copy of it now?"
                + " The agent keeps recording while it copies; the copy is transferred, checked and ingested, and its progress shows"
                + " under Saved evidence.", "/live/connections/" + Format.url(v.id()) + "/snapshot", Map.of(), "Yes, capture", back));
    }

    private void startForm(Context http) throws IOException {
        Scope scope = ctx.scope(http);
        SnapshotCaptures.Capture c = start(scope, connection(http, scope));
        http.redirect("/evidence/captures?new=" + Format.url(c.id()));
    }

    private void fromEndpoint(Context http) {
        Scope scope = ctx.scope(http);
        String endpoint = Format.unsegment(http.pathParam("endpoint"));
        LiveConnections.View v = connections.openOn(scope, endpoint).orElseGet(() -> connections.connect(scope, List.of(endpoint)).getFirst());
        http.redirect("/live/connections/" + Format.url(v.id()) + "/snapshot");
    }

    /** Saved evidence &gt; Snapshot captures: the captures grouped by endpoint, newest first. */
    public record CapturesPage(PageChrome chrome, List<EndpointCaptures> endpoints, String highlight) {}

    /** An endpoint's captures; {@code running}: one is under way (the page follows it). */
    public record EndpointCaptures(String endpoint, List<Row> rows) {
        public boolean running() {
            return rows.stream().anyMatch(r -> r.capture().stage().running());
        }
    }

    /** A capture as the page shows it: its progress in words and its grid once kept. */
    public record Row(SnapshotCaptures.Capture capture, String progress, String grid, String started) {
        public boolean cancellable() {
            return capture.stage().cancellable();
        }
    }

    /** "transferring 40 % (400 MiB of 1 GiB)", "done: 1,234 events (0 added)", "failed"... */
    static String progress(SnapshotCaptures.Capture c) {
        if (c.queued()) return EvidencePages.queuedText(c.ahead());
        if (c.awaySince() != null && c.stage() == SnapshotCaptures.Stage.TRANSFERRING) {
            return "transferring: waiting for the agent (away since " + EvidencePages.awayTime(c.awaySince()) + ")" + (c.size() <= 0 ? ""
                    : "; " + (c.received() * 100 / c.size()) + " % received") + (c.resumes() > 0 ? ", resumed " + c.resumes()
                    + (c.resumes() == 1 ? " time" : " times") : "");
        }
        return switch (c.stage()) {
            case COPYING -> "copying on the endpoint";
            case TRANSFERRING -> "transferring " + (c.size() <= 0 ? EvidencePages.bytes(c.received())
                    : (c.received() * 100 / c.size()) + " % (" + EvidencePages.bytes(c.received()) + " of " + EvidencePages.bytes(c.size()) + ")")
                    + (c.resumes() > 0 ? ", resumed " + c.resumes() + (c.resumes() == 1 ? " time" : " times") : "");
            case CHECKING -> "checking " + EvidencePages.bytes(c.size());
            case INGESTING -> "ingesting" + (c.events() == null ? "" : ": " + Format.count(c.events()) + " events read");
            case DONE -> "done: " + Format.count(c.events() == null ? 0 : c.events()) + " events, " + Format.count(c.added() == null ? 0
                    : c.added()) + " new";
            case FAILED -> "failed";
            case CANCELLING -> "cancelling: waiting for the endpoint to stop";
            case CANCELLED -> "cancelled";
            case INTERRUPTED -> "interrupted";
        };
    }

    private void page(Context http) {
        Map<String, List<Row>> by = new java.util.TreeMap<>();
        for (SnapshotCaptures.Capture c : captures.list(ctx.scope(http))) {
            by.computeIfAbsent(c.endpoint(), k -> new ArrayList<>()).add(new Row(c, progress(c), grid(c), trailhound.web.Format.utc(
                    c.started().toEpochMilli())));
        }
        List<EndpointCaptures> endpoints = by.entrySet().stream().map(e -> new EndpointCaptures(e.getKey(), e.getValue())).toList();
        ctx.render(http, "evidence/captures.jte", new CapturesPage(ctx.chrome(http, "Saved evidence: snapshot captures"), endpoints,
                http.queryParam("new")));
    }
}
