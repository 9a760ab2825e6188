package trailhound.web.handoff;

import java.util.List;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import trailhound.ingest.IngestReport;
import trailhound.ingest.Reindexer;

/**
 * The hand-off protocol: how a CLI command that writes a data folder (ingest, reindex) gives its work
 * to the server running on that folder instead of opening the folder's indexes itself. The server
 * answers at the URL of {@link ServerFile}, only to requests from this machine that carry
 * {@code Authorization: Bearer <token>} with the file's token.
 *
 * <pre>
 * GET  /api/internal/cli/ping       -> {"protocol": 1, "pid": 1234}
 * GET  /api/internal/cli/endpoints  -> ["WS-01", "web-01"]            (the catalogue's endpoints, for reindex --all)
 * POST /api/internal/cli/ingest     {"path": "/abs/file.db", "endpoint": null, "user": "bob", "timeZone": null}
 * POST /api/internal/cli/reindex    {"endpoint": "WS-01", "user": "bob"}          (one endpoint, as a job awaited)
 * POST /api/internal/cli/reindex    {"detach": ["WS-01", "web-01"], "user": "bob"} (one job, answered at once)
 * </pre>
 *
 * <p>Both POSTs answer 200 with JSON lines ({@code application/x-ndjson}), one {@link Line} each,
 * flushed as they happen: any number of notes and progress lines, then exactly one outcome
 * ({@code ingested}, {@code reindexed} or {@code failure}). A stream that ends without an outcome
 * means the server stopped midway. A request that cannot be run at all (bad JSON, a relative path)
 * is a 400 with {@code {"error": ...}}; a missing or wrong token 401; a request from another
 * machine 403. The work is recorded as done by {@code cli:<user>}. One hand-off runs at a time; the
 * next waits (and is told so in a note).
 */
public final class HandOff {
    /** Bumped when a request or a line changes incompatibly; client and server must agree. */
    public static final int PROTOCOL = 1;
    public static final String PREFIX = "/api/internal/cli/";
    public static final String PING = PREFIX + "ping";
    public static final String ENDPOINTS = PREFIX + "endpoints";
    public static final String INGEST = PREFIX + "ingest";
    public static final String REINDEX = PREFIX + "reindex";
    public static final String LINES = "application/x-ndjson";

    private HandOff() {}

    /**
     * Ingest the file at {@code path} (absolute, read by the server); {@code endpoint} null or an
     * override; {@code timeZone} null or the zone of times written without one (e.g. {@code Europe/Berlin}).
     */
    public record IngestRequest(String path, String endpoint, String user, String timeZone) {}

    /**
     * Rebuild the index of one endpoint from its sources (the server runs it as a re-index job and
     * streams its progress); or, with {@code detach}, start one job over those endpoints and answer
     * its id at once.
     */
    public record ReindexRequest(String endpoint, List<String> detach, String user) {}

    /** {@code GET ping}: the protocol the server speaks and its process id. */
    public record Ping(int protocol, long pid) {}

    /**
     * One line of a hand-off answer; exactly one part is set. {@code note}: something to tell the user
     * (e.g. waiting for another hand-off); {@code events}: events read so far; the rest are outcomes.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Line(String note, Long events, IngestReport ingested, Reindexer.Result reindexed, Failure failure, Long job) {
        static Line note(String text) {
            return new Line(text, null, null, null, null, null);
        }

        static Line progress(long events) {
            return new Line(null, events, null, null, null, null);
        }

        static Line of(IngestReport report) {
            return new Line(null, null, report, null, null, null);
        }

        static Line of(Reindexer.Result result) {
            return new Line(null, null, null, result, null, null);
        }

        static Line of(Failure failure) {
            return new Line(null, null, null, null, failure, null);
        }

        static Line job(long id) {
            return new Line(null, null, null, null, null, id);
        }

        /** True for the last line of an answer. */
        @JsonIgnore
        public boolean isOutcome() {
            return ingested != null || reindexed != null || failure != null || job != null;
        }
    }

    /** Why the work failed, classified as the CLI classifies a local failure, with the message it prints. */
    public record Failure(Kind kind, String message) {}

    /** Kinds of failure; the CLI reacts to each as it does to the same failure locally. */
    public enum Kind {
        /** This file or this endpoint's sources cannot be ingested (IngestException): reported, the command goes on. */
        FILE,
        /** No such endpoint in the catalogue (reindex). */
        UNKNOWN_ENDPOINT,
        /** Bad input that stops the command (a bad endpoint name, an unreadable file): exit status 2. */
        INPUT,
        /** A defect; the server logged it with the reference in the message: exit status 1. */
        INTERNAL
    }
}
