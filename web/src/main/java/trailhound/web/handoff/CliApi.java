package trailhound.web.handoff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Handler;
import io.javalin.http.UnauthorizedResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import trailhound.index.UnknownEndpointException;
import trailhound.ingest.IngestException;
import trailhound.ingest.IngestReport;
import trailhound.ingest.Ingestor;
import trailhound.ingest.ReindexJobs;
import trailhound.ingest.Reindexer;
import trailhound.store.JobInfo;
import trailhound.store.EndpointInfo;
import trailhound.web.BadRequest;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Caller;
import trailhound.access.IngestAudit;
import trailhound.access.Role;
import trailhound.ingest.DataDir;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.handoff.HandOff.Failure;
import trailhound.web.handoff.HandOff.Kind;
import trailhound.web.handoff.HandOff.Line;

/*
 * The server's side of the hand-off (HandOff has the protocol). Why it is built this way:
 * - The CLI is no browser: it has no session and no CSRF token. Auth's gate lets HandOff.PREFIX
 *   through and every route here is wrapped in guard(), so no route under the prefix exists without
 *   the token check. The token is compared in constant time.
 * - Only from this machine: the token lives in an owner-only file on this machine, so a request from
 *   elsewhere is refused even with the right token. "This machine" is a loopback peer, or a peer
 *   whose address is the one it connected to (a server listening on one LAN address only).
 * - Answers are JSON lines written to the servlet response and flushed per line: Javalin's
 *   outputStream() buffers the whole result, and the CLI's progress line should move.
 * - One hand-off at a time: an ingest into an endpoint that is being rebuilt would write into the
 *   generation the rebuild is about to replace, and two rebuilds of one endpoint must not overlap.
 * - The work runs with the server's own DataDir, so every write goes through its one IndexWriter per
 *   endpoint, and the Ingestor's commit makes the events searchable here at once.
 * - When the CLI goes away (Ctrl-C), the work goes on to its end: an ingest or a rebuild is
 *   consistent either way, and `sources` shows how it ended.
 */
public final class CliApi {
    private static final Logger LOG = LoggerFactory.getLogger(CliApi.class);

    private final WebContext ctx;
    private final String token = ServerFile.newToken();
    private final ReentrantLock work = new ReentrantLock(true);
    private volatile String running = "";
    private volatile ServerFile announced;

    private final ReindexJobs jobs;

    private final DataDir data;

    private CliApi(WebContext ctx, DataDir data, ReindexJobs jobs) {
        this.ctx = ctx;
        this.data = data;
        this.jobs = jobs;
    }

    /**
     * The hand-off of a server over {@code data}, with a new token; re-indexing goes through the
     * server's {@code jobs}, so it never rebuilds an endpoint a job of the Jobs page is rebuilding.
     * Then {@link #register} and {@link #announce}.
     */
    public static CliApi create(WebContext ctx, DataDir data, ReindexJobs jobs) {
        return new CliApi(ctx, data, jobs);
    }

    /** Adds the hand-off routes; they answer only requests carrying this instance's token. */
    public void register(Routes routes) {
        long pid = ProcessHandle.current().pid();
        // PUBLIC to the session gate: no browser session; each route checks this instance's token instead
        routes.get(HandOff.PING, Action.PUBLIC, guard(http -> http.json(new HandOff.Ping(HandOff.PROTOCOL, pid))));
        routes.get(HandOff.ENDPOINTS, Action.PUBLIC, guard(http ->
                http.json(data.catalogue().endpoints().stream().map(EndpointInfo::name).toList())));
        routes.post(HandOff.INGEST, Action.PUBLIC, guard(this::ingest));
        routes.post(HandOff.REINDEX, Action.PUBLIC, guard(this::reindex));
    }

    /** Writes {@code server.json} into the data folder: from now on CLI writers hand their work to {@code url}. */
    public void announce(String url) throws IOException {
        ServerFile file = ServerFile.forThisProcess(url, token);
        file.write(data.root());
        announced = file;
    }

    /** Removes {@code server.json} again, unless a later server has replaced it. */
    public void withdraw() {
        ServerFile file = announced;
        if (file != null) file.deleteIfOurs(data.root());
        announced = null;
    }

    private Handler guard(Handler handler) {
        return http -> {
            if (!fromThisMachine(http)) {
                throw new ForbiddenResponse("the hand-off API answers requests from this machine only");
            }
            String auth = http.header("Authorization");
            if (!sameToken(auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null)) {
                http.header("WWW-Authenticate", "Bearer");
                throw new UnauthorizedResponse("missing or wrong hand-off token (it is in the data folder's " + ServerFile.NAME + ")");
            }
            handler.handle(http);
        };
    }

    private static boolean fromThisMachine(Context http) {
        try {
            // literal addresses (brackets allowed for IPv6): no name lookup happens here
            InetAddress peer = InetAddress.getByName(http.req().getRemoteAddr());
            return peer.isLoopbackAddress() || peer.equals(InetAddress.getByName(http.req().getLocalAddr()));
        } catch (IOException e) {
            return false;
        }
    }

    private boolean sameToken(String candidate) {
        return candidate != null && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    private void ingest(Context http) throws IOException {
        HandOff.IngestRequest request = body(http, HandOff.IngestRequest.class);
        Path file = absolute(request.path());
        String actor = actor(request.user());
        stream(http, "ingest of " + file + " by " + actor, lines -> {
            IngestReport report;
            try {
                report = ctx.ingests().run(stop -> new Ingestor(data).as(actor).stopWhen(stop)
                        .onProgress(n -> lines.write(Line.progress(n)))
                        .onNote(text -> lines.write(Line.note(text)))
                        .inTimeZone(request.timeZone() == null ? null : java.time.ZoneId.of(request.timeZone()))
                        .ingest(file, request.endpoint()));
            } catch (IOException | RuntimeException e) {
                audit(http, actor, "ingest", request.endpoint(), AuditLog.FAILED, file + ": " + e.getMessage());
                throw e;
            }
            audit(http, actor, "ingest", request.endpoint(), AuditLog.OK, IngestAudit.detail(file, report));
            LOG.info("{} ingested {}: source s{}, {} events added", actor, file, report.sourceId(), report.added());
            return Line.of(report);
        });
    }

    private void reindex(Context http) throws IOException {
        HandOff.ReindexRequest request = body(http, HandOff.ReindexRequest.class);
        String actor = actor(request.user());
        if (request.detach() != null) {
            http.res().setContentType(HandOff.LINES);
            Lines lines = new Lines(http.res().getOutputStream(), ctx.json());
            try {
                long id = jobs.submit(request.detach(), actor);
                audit(http, actor, "job.reindex", null, AuditLog.OK, "job " + id + ": " + String.join(", ", request.detach()));
                LOG.info("{} started re-index job {} over {} endpoints", actor, id, request.detach().size());
                lines.write(Line.job(id));
            } catch (IllegalArgumentException e) {
                lines.write(Line.of(new Failure(Kind.UNKNOWN_ENDPOINT, e.getMessage())));
            }
            return;
        }
        String endpoint = request.endpoint() == null ? null : data.currentName(request.endpoint()); // renamed: its new name
        if (endpoint == null || endpoint.isBlank()) throw new BadRequest("no endpoint to re-index");
        stream(http, "re-index of " + endpoint + " by " + actor, lines -> {
            if (data.catalogue().endpoint(endpoint).isEmpty()) {
                return Line.of(new Failure(Kind.UNKNOWN_ENDPOINT, "unknown endpoint '" + endpoint + "'"));
            }
            long start = System.nanoTime();
            long id = jobs.submit(List.of(endpoint), actor);
            audit(http, actor, "job.reindex", endpoint, AuditLog.OK, "job " + id);
            JobInfo done;
            try {
                done = jobs.await(id, j -> lines.write(Line.progress(j.eventsDone())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for re-index job " + id, e);
            }
            JobInfo.Part part = done.parts().getFirst();
            if (!done.state().equals(JobInfo.DONE)) {
                return Line.of(new Failure(Kind.FILE, part.message() != null ? part.message()
                        : endpoint + ": re-index job " + id + " " + done.state()));
            }
            LOG.info("{} re-indexed {} (job {}): {} events", actor, endpoint, id, part.events());
            return Line.of(new Reindexer.Result(endpoint, part.events(), java.util.Map.of(),
                    part.message() == null ? List.of() : List.of(part.message()), (System.nanoTime() - start) / 1e9));
        });
    }

    private interface Work {
        Line run(Lines lines) throws IOException;
    }

    /** Runs the work under the one hand-off lock, streaming its progress and then its outcome. */
    private void stream(Context http, String what, Work job) throws IOException {
        http.res().setContentType(HandOff.LINES);
        Lines lines = new Lines(http.res().getOutputStream(), ctx.json());
        if (!work.tryLock()) {
            lines.write(Line.note("waiting for the server to finish the " + running + " first"));
            work.lock();
        }
        Line outcome;
        try {
            running = what;
            try {
                outcome = job.run(lines);
            } catch (IOException | RuntimeException e) {
                outcome = Line.of(failure(e, what));
            }
        } finally {
            running = "";
            work.unlock();
        }
        // after the unlock: a CLI that reads the outcome and hands off its next work must not find this one still running
        lines.write(outcome);
        if (lines.clientGone) LOG.info("{}: the CLI stopped waiting; the work ran to its end", what);
    }

    /** Classifies a failure as the CLI classifies the same failure locally (app's Errors), with the same message. */
    static Failure failure(Exception e, String what) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        return switch (t) {
            case IngestException i -> new Failure(Kind.FILE, i.getMessage());
            case UnknownEndpointException u -> new Failure(Kind.UNKNOWN_ENDPOINT, u.getMessage());
            case NoSuchFileException n -> new Failure(Kind.INPUT, "no such file: " + n.getFile());
            case IllegalArgumentException i -> new Failure(Kind.INPUT, i.getMessage());
            case IOException io -> {
                LOG.warn("{} failed: {}", what, io.toString());
                yield new Failure(Kind.INPUT, io.getMessage());
            }
            default -> {
                String reference = UUID.randomUUID().toString().substring(0, 8);
                LOG.error("{} failed, reference {}", what, reference, t);
                yield new Failure(Kind.INTERNAL, "the server failed: " + t + " (reference " + reference
                        + "; the server's log has the detail)");
            }
        };
    }

    private <T> T body(Context http, Class<T> type) {
        try {
            return ctx.json().readValue(http.bodyAsBytes(), type);
        } catch (JsonProcessingException e) {
            throw new BadRequest("expected a JSON " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server does not share the CLI's working folder, so the CLI sends absolute paths. */
    private static Path absolute(String path) {
        if (path == null) throw new BadRequest("no path to ingest");
        try {
            Path p = Path.of(path);
            if (!p.isAbsolute()) throw new BadRequest("the path to ingest must be absolute, was '" + path + "'");
            return p.normalize();
        } catch (InvalidPathException e) {
            throw new BadRequest("bad path to ingest: " + e.getMessage());
        }
    }

    /** {@code cli:<os user>}: a token holder can record work as a CLI user, never as a web user. */
    /** The command line acts with a data folder's full rights: an administrator, named as the OS account. */
    private void audit(Context http, String actor, String action, String endpoint, String outcome, String detail) {
        ctx.access().audit().record(new Caller(actor, Role.ADMINISTRATOR, "cli", http.ip()), action, endpoint, outcome, detail);
    }

    private static String actor(String user) {
        if (user == null || user.isBlank()) return "cli:unknown";
        if (user.length() > 256 || user.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("bad user name: at most 256 characters, no control characters");
        }
        return "cli:" + user;
    }

    /** JSON lines on the response, flushed one by one; a client that went away is remembered, not fatal. */
    private static final class Lines {
        private final OutputStream out;
        private final ObjectMapper json;
        private volatile boolean clientGone;

        Lines(OutputStream out, ObjectMapper json) {
            this.out = out;
            this.json = json;
        }

        /** Progress arrives from the ingest's worker threads, so writes are serialised. */
        synchronized void write(Line line) {
            if (clientGone) return;
            try {
                out.write(json.writeValueAsBytes(line));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                clientGone = true;
            }
        }
    }
}
