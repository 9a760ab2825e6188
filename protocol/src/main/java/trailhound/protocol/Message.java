package trailhound.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every message agent and server exchange: one JSON object per WebSocket text frame, its kind in
 * {@code "type"}, field names in snake_case, times in UTC epoch milliseconds. {@link Protocol} encodes
 * and decodes them. A conversation:
 *
 * <pre>
 * agent                                          server
 * hello {protocol, agent_version}          -&gt;
 *                                          &lt;-    welcome {protocol, server_pin}       (or error, then close)
 * enrol {token, name, hostname, os,       -&gt;    until enrolled
 *        agent_id, secret}
 *                                          &lt;-    enrolled {agent_id, endpoint}, then authenticated
 * authenticate {agent_id, secret}          -&gt;    every later connection
 *                                          &lt;-    authenticated {endpoint, acknowledged, backfill, live_edge}
 * heartbeat {...}                          -&gt;    every 10 s
 *                                          &lt;-    start {} / stop {}                 (version 2) an analyst connected / left
 * batch {batch_id, first, last, events,    -&gt;    only between start and stop (version 1: always)
 *        backfill, catchup_events}
 *                                          &lt;-    ack {batch_id, acknowledged, backfill, live_edge}   once durable
 *                                          &lt;-    list_files / stat_file / read_file /  (version 3) requests, any time
 *                                                delete_file / kill_process / describe_recorder /
 *                                                capture_snapshot / release_snapshot {request_id, ...}
 * listing / file_info / file_chunk / done / -&gt;    (version 3) each request's one reply, out of band
 * recorder_info / snapshot_ready /
 * failed {request_id, ...}
 *                                          &lt;-    policies {policies}   (version 4) after authenticated when the agent's
 *                                                policies_digest differs, and again on every change
 * priority {events}                        -&gt;    (version 4) policy events as soon as recorded, streaming or not
 * </pre>
 *
 * <p>Version 4, deadlines: {@code welcome} carries {@code server_time}, and {@code delete_file} and
 * {@code kill_process} a {@code deadline} (server clock, epoch ms): the agent refuses such a request with
 * {@code failed {code: "expired"}} when its turn comes after the deadline, so a kill or delete the server
 * gave up on never happens later. Long requests (hashing, chunks, listings, captures) no longer hold
 * kills and deletes up: the agent answers them on separate threads. The shapes are version 3's plus
 * those optional fields, so a server of 4 talks with an agent of 3 (whose kills it cannot withdraw).
 * Also in version 4, names that are not UTF-8 (on Linux a name is bytes): beside a path or name whose
 * text lost bytes (shown as U+FFFD), its exact bytes in base64, {@code path_bytes} ({@code list_files},
 * {@code stat_file}, {@code read_file}, {@code delete_file}, {@code listing}, {@code file_info}),
 * {@code parent_bytes} ({@code listing}) and {@code name_bytes} (a listing's entries); absent otherwise.
 * A receiver uses the bytes when present ({@link PathBytes}).
 *
 * <p>Version 2, streaming on demand and catch-up newest first: an agent sends events only after the
 * server's {@link Start} (an analyst opened a live connection on its endpoint, or the endpoint is in a
 * computer group set to stream) and until its {@link Stop}. What waited in its store is sent newest
 * first: the first {@code backfill} batch holds the newest events and opens a held range
 * {@code backfill..live_edge} above {@code acknowledged}; later backfill batches extend it downwards,
 * new events extend it upwards (ordinary batches), and when a backfill batch reaches
 * {@code acknowledged + 1} the range merges: everything up to {@code live_edge} is held and
 * {@code acknowledged} becomes it. Both ends are acknowledged and resumed separately after any
 * disconnect. A version 1 agent streams whenever connected and sends no backfill batches.
 *
 * <p>Positions are the agent's: each event in its local store has a sequence number, ascending from
 * 1, and a batch carries the events {@code first..last} (gaps allowed where the store dropped events;
 * a gap event says so). {@code acknowledged} is the highest position the server holds durably: after
 * any disconnect the agent sends from {@code acknowledged + 1}. A batch at or below it is acknowledged
 * again and not stored twice.
 *
 * <p>Version 3, requests and replies: the server asks the agent something ({@link Request}: list a
 * folder, describe or read a file, delete a file, kill a process) with a {@code request_id} it chose
 * (unique on the connection) and the agent answers with exactly one {@link Reply} carrying it back:
 * the request's own reply type, or {@link Failed} with a code and a sentence. The agent answers on its
 * own thread while its events keep streaming, so replies and batches interleave; the server gives up
 * waiting after its own timeout (the reply, should it come later, is dropped). A file travels by
 * {@link ReadFile} requests the server makes one after the other, each answered by a {@link FileChunk}
 * of at most {@link Protocol#CHUNK_BYTES} bytes (base64 in the JSON text, as Jackson writes a
 * {@code byte[]}): the server holds what it received, so after a cut it asks from where it stopped.
 * Paths are the agent's, absolute, in its own syntax ({@code /} or {@code C:\}); sizes in bytes; times
 * epoch ms UTC.
 *
 * <p>A snapshot capture: {@link DescribeRecorder} (how large the recorder database is), then
 * {@link CaptureSnapshot}: the agent copies its recorder database and answers {@link SnapshotReady}
 * with a handle ({@code snapshot:} and 32 hex digits) that {@link StatFile} and {@link ReadFile} accept
 * in place of a path, for that copy only (its state folder stays denied to every path); then
 * {@link ReleaseSnapshot} once the server holds it, and the agent deletes its copy.
 *
 * <p>All records are immutable values; null fields are absent on the wire.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Message.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = Message.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = Message.Enrol.class, name = "enrol"),
    @JsonSubTypes.Type(value = Message.Enrolled.class, name = "enrolled"),
    @JsonSubTypes.Type(value = Message.Authenticate.class, name = "authenticate"),
    @JsonSubTypes.Type(value = Message.Authenticated.class, name = "authenticated"),
    @JsonSubTypes.Type(value = Message.Heartbeat.class, name = "heartbeat"),
    @JsonSubTypes.Type(value = Message.Batch.class, name = "batch"),
    @JsonSubTypes.Type(value = Message.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = Message.Error.class, name = "error"),
    @JsonSubTypes.Type(value = Message.Start.class, name = "start"),
    @JsonSubTypes.Type(value = Message.Stop.class, name = "stop"),
    @JsonSubTypes.Type(value = Message.ListFiles.class, name = "list_files"),
    @JsonSubTypes.Type(value = Message.Listing.class, name = "listing"),
    @JsonSubTypes.Type(value = Message.StatFile.class, name = "stat_file"),
    @JsonSubTypes.Type(value = Message.FileInfo.class, name = "file_info"),
    @JsonSubTypes.Type(value = Message.ReadFile.class, name = "read_file"),
    @JsonSubTypes.Type(value = Message.FileChunk.class, name = "file_chunk"),
    @JsonSubTypes.Type(value = Message.DeleteFile.class, name = "delete_file"),
    @JsonSubTypes.Type(value = Message.KillProcess.class, name = "kill_process"),
    @JsonSubTypes.Type(value = Message.Done.class, name = "done"),
    @JsonSubTypes.Type(value = Message.Failed.class, name = "failed"),
    @JsonSubTypes.Type(value = Message.DescribeRecorder.class, name = "describe_recorder"),
    @JsonSubTypes.Type(value = Message.RecorderInfo.class, name = "recorder_info"),
    @JsonSubTypes.Type(value = Message.CaptureSnapshot.class, name = "capture_snapshot"),
    @JsonSubTypes.Type(value = Message.SnapshotReady.class, name = "snapshot_ready"),
    @JsonSubTypes.Type(value = Message.ReleaseSnapshot.class, name = "release_snapshot"),
    @JsonSubTypes.Type(value = Message.Policies.class, name = "policies"),
    @JsonSubTypes.Type(value = Message.Priority.class, name = "priority"),
})
public sealed interface Message {
    /**
     * The agent's first frame: the protocol version it speaks ({@link Protocol#CURRENT} of its build)
     * and its own version (e.g. {@code 0.1.0}).
     */
    record Hello(int protocol, String agentVersion) implements Message {}

    /**
     * The server's answer to an accepted {@link Hello}: the version the conversation uses and the
     * pin of the server's TLS key ({@code sha256/<base64>} of its DER SubjectPublicKeyInfo; null on
     * plain HTTP), which an enrolling agent compares with the key it saw in the handshake. Version 4:
     * {@code serverTime}, the server's clock when it sent this (epoch ms UTC), from which the agent
     * reads request deadlines on its own clock (null before version 4). {@code binaryFrames}: true when
     * the server takes the agent's frames as binary frames (the same JSON in UTF-8, see {@link Protocol});
     * null from a server before it (an added field, which older agents ignore: no new version).
     */
    record Welcome(int protocol, String serverPin, Long serverTime, Boolean binaryFrames) implements Message {
        /** Before version 4: no clock. */
        public Welcome(int protocol, String serverPin) {
            this(protocol, serverPin, null, null);
        }

        /** A server that takes text frames only. */
        public Welcome(int protocol, String serverPin, Long serverTime) {
            this(protocol, serverPin, serverTime, null);
        }

        public boolean takesBinaryFrames() {
            return Boolean.TRUE.equals(binaryFrames);
        }
    }

    /**
     * A new agent asks to join with an enrolment {@code token} ({@code te_...}); {@code name} is the
     * endpoint name it asks for (its host name when not chosen), {@code hostname} and {@code os}
     * describe the machine. {@code agentId} ({@code a} and 16 hex digits) and {@code secret} (32
     * random bytes, base64url without padding: 43 characters) are the identity the agent made and kept
     * before asking, so that an agent killed before it heard the answer asks again with the same
     * identity and is enrolled without using the token twice.
     */
    record Enrol(String token, String name, String hostname, String os, String agentId, String secret) implements Message {}

    /** Enrolment accepted: the endpoint the agent's events go to, bound to its agent id for good. */
    record Enrolled(String agentId, String endpoint) implements Message {}

    /**
     * An enrolled agent proves who it is, on every connection after the first. Version 5: {@code policiesDigest}
     * is {@link Protocol#digest} of the {@link Policies} it holds (null: none, or an empty set), so the server
     * sends policies only when they differ.
     */
    record Authenticate(String agentId, String secret, String policiesDigest) implements Message {
        public Authenticate(String agentId, String secret) {
            this(agentId, secret, null);
        }
    }

    /**
     * Authentication accepted: the agent's endpoint and the highest position the server holds
     * durably with everything below it (0: none), from which the agent resumes; in version 2 also the
     * range {@code backfill..liveEdge} held above it while a catch-up runs (both null when none).
     */
    record Authenticated(String endpoint, long acknowledged, Long backfill, Long liveEdge) implements Message {
        public Authenticated(String endpoint, long acknowledged) {
            this(endpoint, acknowledged, null, null);
        }
    }

    /**
     * Every 10 s: the machine's OS ({@code Linux 6.8.0 amd64}), its addresses (IPv4/IPv6 text, no
     * loopback), the agent version, the events and bytes in its local store, the free bytes of the
     * disk holding the store, and when it was sent.
     */
    record Heartbeat(String os, List<String> addresses, String agentVersion, long storeEvents, long storeBytes,
            long freeDiskBytes, long sentAt) implements Message {
        public Heartbeat {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }
    }

    /**
     * Events at positions {@code first..last} of the agent's store, oldest first; each event a map of
     * canonical field name to text value ({@code ts} in epoch ms), as {@link Protocol#toWire} makes it.
     * {@code batchId} is the agent's own count of batches sent on this connection, echoed in the ack.
     */
    record Batch(long batchId, long first, long last, List<Map<String, String>> events, Boolean backfill, Long catchupEvents)
            implements Message {
        public Batch {
            events = events == null ? List.of() : List.copyOf(events);
        }

        /** An ordinary (forward) batch. */
        public Batch(long batchId, long first, long last, List<Map<String, String>> events) {
            this(batchId, first, last, events, null, null);
        }

        /**
         * Version 2: a catch-up batch, newest first. It holds the waiting events {@code first..last} and
         * says no other waiting event lies between {@code last} and the range held already (or, for the
         * first, that {@code last} is the newest): {@code first} at or below {@code acknowledged + 1}
         * ends the catch-up. The first one also says how many events waited ({@code catchupEvents}).
         */
        public static Batch backfill(long batchId, long first, long last, List<Map<String, String>> events, Long catchupEvents) {
            return new Batch(batchId, first, last, events, true, catchupEvents);
        }

        public boolean backfilling() {
            return Boolean.TRUE.equals(backfill);
        }
    }

    /**
     * Batch {@code batchId} is durable: every position up to {@code acknowledged} is held by the server,
     * and (version 2, while a catch-up runs) every position {@code backfill..liveEdge}.
     */
    record Ack(long batchId, long acknowledged, Long backfill, Long liveEdge) implements Message {
        public Ack(long batchId, long acknowledged) {
            this(batchId, acknowledged, null, null);
        }
    }

    /**
     * Version 4, agent to server: policy events (type {@code policy}) sent as soon as they are recorded,
     * whether or not the server asked for events, so a block raises its alert at once. Not acknowledged
     * and no position: the same events come again in the ordinary batches, which the server does not
     * add twice (it keeps each event uid once). Event maps as in {@link Batch}.
     */
    record Priority(List<Map<String, String>> events) implements Message {
        public Priority {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /** Version 2: the server wants this endpoint's events now (an analyst connected, or its group streams). */
    record Start() implements Message {}

    /** Version 2: no one needs this endpoint's events now: finish the batches in flight and send no more. */
    record Stop() implements Message {}

    /**
     * Refused: a {@code code} for programs ({@link Protocol.Refusal}) and a {@code message} for people
     * saying what is wrong and what to do. The sender closes the connection after it.
     */
    record Error(String code, String message) implements Message {
        public Error {
            Objects.requireNonNull(code, "code");
        }
    }

    /** Version 3: something the server asks of the agent; answered by one {@link Reply} with the same {@code requestId}. */
    sealed interface Request extends Message {
        long requestId();

        /**
         * Version 4: when the server stops waiting for this request (epoch ms UTC, the server's clock, which
         * the agent offsets by what {@link Welcome#serverTime} showed); an agent whose turn to carry it out
         * comes later answers {@link Failed} {@code expired} and does nothing. Null: none (reads; before 4).
         */
        default Long deadline() {
            return null;
        }
    }

    /** Version 3: the agent's answer to the {@link Request} with the same {@code requestId}. */
    sealed interface Reply extends Message {
        long requestId();
    }

    /**
     * Version 3: one page of a folder's entries, sorted by {@code sort} (one of {@link Protocol#SORT_KEYS}:
     * {@code name}, {@code type}, {@code size}, {@code created}, {@code modified}, {@code permissions},
     * {@code owner}; ties by name), {@code descending} or not, entries {@code offset..offset+limit-1}
     * (limit at most {@link Protocol#MAX_PAGE_ENTRIES}). {@code path} null: the first root ({@code /}).
     * Answered by {@link Listing}.
     */
    record ListFiles(long requestId, String path, String sort, boolean descending, int offset, int limit, String pathBytes) implements Request {
        /** A path whose text is exact (UTF-8). */
        public ListFiles(long requestId, String path, String sort, boolean descending, int offset, int limit) {
            this(requestId, path, sort, descending, offset, limit, null);
        }
    }

    /**
     * One entry of a folder. {@code type}: {@code file}, {@code directory}, {@code link} (a symbolic link,
     * not followed; {@code target} what it points to) or {@code other}. {@code size} bytes; {@code created},
     * {@code modified} epoch ms (null when the file system keeps none); {@code permissions} as
     * {@code rwxr-x---} (null where not POSIX); {@code owner} the owning account's name. Version 4: {@code nameBytes}
     * the name's bytes in base64 when it is not UTF-8 ({@code name} then shows U+FFFD for them; see {@link PathBytes}).
     */
    record FileEntry(String name, String type, Long size, Long created, Long modified, String permissions, String owner, String target,
            String nameBytes) {
        /** A name that is UTF-8. */
        public FileEntry(String name, String type, Long size, Long created, Long modified, String permissions, String owner, String target) {
            this(name, type, size, created, modified, permissions, owner, target, null);
        }
    }

    /**
     * A page of {@code path} (the resolved, real path of the folder asked for): {@code total} entries in
     * the folder, this page's from {@code offset}; {@code parent} the folder above (null at a root);
     * {@code roots} the file system roots the agent may show (e.g. {@code /}, or {@code C:\}, {@code D:\}). Version 4:
     * {@code pathBytes} and {@code parentBytes} their bytes in base64 when they are not UTF-8; {@code note}, when
     * the folder holds more entries than the agent lists (its cap follows its heap), says how many it holds and
     * that the first {@code total} in directory order are listed (null otherwise).
     */
    record Listing(long requestId, String path, String parent, List<String> roots, long total, int offset, List<FileEntry> entries,
            String pathBytes, String parentBytes, String note) implements Reply {
        public Listing {
            entries = entries == null ? List.of() : List.copyOf(entries);
            roots = roots == null ? List.of() : List.copyOf(roots);
        }

        /** Without a note: every entry of the folder is listed. */
        public Listing(long requestId, String path, String parent, List<String> roots, long total, int offset, List<FileEntry> entries,
                String pathBytes, String parentBytes) {
            this(requestId, path, parent, roots, total, offset, entries, pathBytes, parentBytes, null);
        }

        /** Paths that are UTF-8. */
        public Listing(long requestId, String path, String parent, List<String> roots, long total, int offset, List<FileEntry> entries) {
            this(requestId, path, parent, roots, total, offset, entries, null, null);
        }
    }

    /** Version 3: describe a regular file, with its SHA-256 when {@code hash}; answered by {@link FileInfo}. */
    record StatFile(long requestId, String path, boolean hash, String pathBytes) implements Request {
        public StatFile(long requestId, String path, boolean hash) {
            this(requestId, path, hash, null);
        }
    }

    /**
     * A regular file: its resolved real {@code path}, {@code size} bytes, {@code modified} epoch ms, and
     * {@code sha256} (64 lower-case hex digits; null when not asked for).
     */
    record FileInfo(long requestId, String path, long size, long modified, String sha256, String pathBytes) implements Reply {
        public FileInfo(long requestId, String path, long size, long modified, String sha256) {
            this(requestId, path, size, modified, sha256, null);
        }
    }

    /**
     * Version 3: bytes {@code offset..offset+length-1} of a regular file ({@code length} at most
     * {@link Protocol#CHUNK_BYTES}); answered by {@link FileChunk}. Stateless on the agent: the server
     * may ask any offset again, which is what makes a transfer resumable.
     */
    record ReadFile(long requestId, String path, long offset, int length, String pathBytes) implements Request {
        public ReadFile(long requestId, String path, long offset, int length) {
            this(requestId, path, offset, length, null);
        }
    }

    /**
     * Bytes of a file from {@code offset} ({@code data}: fewer than asked only at the end), with the
     * file's {@code size} and {@code modified} now, so the server sees a file that changes while it is
     * copied.
     */
    record FileChunk(long requestId, long offset, byte[] data, long size, long modified) implements Reply {
        public FileChunk {
            data = data == null ? new byte[0] : data;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileChunk c && c.requestId == requestId && c.offset == offset && java.util.Arrays.equals(c.data, data)
                    && c.size == size && c.modified == modified;
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, offset, java.util.Arrays.hashCode(data), size, modified);
        }
    }

    /**
     * Version 3: delete a regular file or an empty folder, on behalf of {@code user} (recorded in the
     * agent's event); answered by {@link Done} naming the resolved path deleted. Version 4: with a
     * {@code deadline} (see {@link Request#deadline}).
     */
    record DeleteFile(long requestId, String path, String user, Long deadline, String pathBytes) implements Request {
        /** Without a deadline (version 3). */
        public DeleteFile(long requestId, String path, String user) {
            this(requestId, path, user, null, null);
        }

        /** A path whose text is exact (UTF-8). */
        public DeleteFile(long requestId, String path, String user, Long deadline) {
            this(requestId, path, user, deadline, null);
        }
    }

    /**
     * Version 3: kill process {@code pid} (forcibly: SIGKILL on Linux) on behalf of {@code user}; when
     * {@code expectedPath} is given and the pid now runs another executable (its pid reused), refused.
     * The agent records an event for it (type {@code agent}, operation {@code kill}). Answered by
     * {@link Done}. Version 4: with a {@code deadline} (see {@link Request#deadline}); refused unless the
     * process's executable lies under the agent's allowed roots and in no denied folder.
     */
    record KillProcess(long requestId, long pid, String expectedPath, String user, Long deadline) implements Request {
        /** Without a deadline (version 3). */
        public KillProcess(long requestId, long pid, String expectedPath, String user) {
            this(requestId, pid, expectedPath, user, null);
        }
    }

    /** A request carried out; {@code detail} says what was done (a path deleted, a process killed). */
    record Done(long requestId, String detail) implements Reply {}

    /**
     * A request refused or failed: {@code code} for programs ({@link Protocol.Failure}) and a sentence
     * for people saying what is wrong and what to do.
     */
    record Failed(long requestId, String code, String message) implements Reply {}

    /**
     * Version 3: how large the recorder database is, before a capture; answered by {@link RecorderInfo}.
     */
    record DescribeRecorder(long requestId) implements Request {}

    /**
     * The agent's recorder database: {@code bytes} on disk now (its file and write-ahead log, the agent's
     * send queue included: a capture is at most this large), {@code events} recorded, and
     * {@code freeDiskBytes} of the disk that would hold the agent's copy.
     */
    record RecorderInfo(long requestId, long bytes, long events, long freeDiskBytes) implements Reply {}

    /**
     * Version 3: take a consistent copy of the recorder database now, on behalf of {@code user}, for the
     * server to pull; answered by {@link SnapshotReady}.
     */
    record CaptureSnapshot(long requestId, String user) implements Request {}

    /**
     * A copy taken: {@code handle} to read it with ({@link StatFile}, {@link ReadFile}), its {@code name}
     * ({@code <host>_YYYY_MM_DDTHH.MM.SS.mmmZ.db}), {@code size} bytes, {@code capturedAt} (epoch ms UTC: it
     * holds what the recorder had committed then), the recorder's {@code host} and {@code events}. The
     * agent deletes the copy on {@link ReleaseSnapshot}, or {@code keptUntil} (epoch ms UTC) at the latest.
     */
    record SnapshotReady(long requestId, String handle, String name, long size, long capturedAt, String host, long events,
            long keptUntil) implements Reply {}

    /** Version 3: the server holds the copy {@code handle}: delete it; answered by {@link Done}. */
    record ReleaseSnapshot(long requestId, String handle) implements Request {}

    /**
     * Version 5: every protection policy that applies to the agent's endpoint now (enabled, in one of its
     * computer groups), replacing whatever the agent had: sent right after {@link Authenticated} and again
     * whenever that set changes. No answer. The agent keeps the set, so it enforces it across restarts
     * before it reconnects; an empty list ends all enforcement. {@link PolicyRules} matches processes.
     */
    record Policies(List<Policy> policies) implements Message {
        public Policies {
            policies = policies == null ? List.of() : List.copyOf(policies);
        }
    }

    /**
     * One policy: its server-side {@code id} and {@code name}, its {@code action} ({@code block}: stop a
     * matching process as soon as it is seen; {@code alert}: only record an event), and its rules, any one
     * of which matching is a match.
     */
    record Policy(long id, String name, String action, List<Rule> rules) {
        public Policy {
            rules = rules == null ? List.of() : List.copyOf(rules);
        }
    }

    /**
     * A process rule: every condition given must hold (null: any). {@code sha256} the executable's hash
     * (64 hex digits); {@code path} the executable's path, exact or a glob ({@code *} any characters,
     * {@code /} included, {@code ?} one); {@code commandLine} a glob over the whole command line (globs have no escapes), or a
     * regular expression (RE2 syntax) written between slashes, {@code /.../}; {@code parent} the parent
     * process's path (when it holds a {@code /} or {@code \}) or name, exact or a glob. All compare
     * case-insensitively. {@link PolicyRules#check} says what is wrong with one.
     */
    record Rule(long id, String sha256, String path, String commandLine, String parent) {}
}
