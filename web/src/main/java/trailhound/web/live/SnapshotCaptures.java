package trailhound.web.live;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import trailhound.access.Scope;
import trailhound.access.Snapshots;
import trailhound.ingest.IngestException;
import trailhound.protocol.Message;

/*
 * A capture is four steps, each reusing what exists: the agent copies its recorder database
 * (AgentSnapshot, under a one-time handle), the server pulls the copy (FilePull: chunks, resume after
 * a cut, SHA-256), releases it on the agent, and the access layer checks and ingests it as an upload
 * (Snapshots.Capture.keep). Captures are followed in memory, as evidence transfers are: a capture a
 * server stop cut is not resumed (its folder is swept by the next upload or capture; the agent deletes
 * its copy after Captures.KEPT), and the analyst captures again.
 */

/**
 * Snapshot captures from connected endpoints: {@link #start} begins one for the caller (the access
 * layer checks the role, the endpoint and the data folder's room, and audits) and runs it in the
 * background, at most {@value #PARALLEL} at a time; {@link #list} and {@link #find} say how far each
 * is. Thread-safe.
 */
public final class SnapshotCaptures implements AutoCloseable {
    static final int PARALLEL = 2;
    static final int KEPT = 200;
    static final Duration COPY_TIMEOUT = Duration.ofMinutes(15); // VACUUM INTO of several GB on a slow disk
    static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(30);

    /** Where a capture stands. */
    public enum Stage {
        /** The agent is copying its recorder database. */
        COPYING,
        /** The server is pulling the copy: {@code received} of {@code size} bytes. */
        TRANSFERRING,
        /** The copy arrived and verified; checked as a recorder database. */
        CHECKING,
        /** Being ingested into the endpoint's index. */
        INGESTING,
        DONE,
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean running() {
            return this != DONE && this != FAILED;
        }
    }

    /**
     * One capture: {@code id} ({@code c1}, {@code c2}...), the endpoint, who asked, when; its stage; bytes
     * {@code received} of {@code size} (-1 until the agent's copy is made) and cuts survived
     * ({@code resumes}); the copy's {@code name} and capture time; when done, the {@code snapshotId} kept and
     * the events read and added; when failed, the {@code reason}.
     */
    public record Capture(String id, String endpoint, String user, Instant started, Stage stage, long received, long size, int resumes,
            String name, Instant capturedAt, String snapshotId, Long events, Long added, String reason, Instant ended) {
        Capture with(Stage s) {
            return new Capture(id, endpoint, user, started, s, received, size, resumes, name, capturedAt, snapshotId, events, added, reason,
                    s.running() ? null : Instant.now());
        }
    }

    private final AgentRequests requests;
    private final FilePull pull;
    private final long reserveBytes;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Capture> captures = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL,
            r -> Thread.ofPlatform().daemon().name("snapshot-capture").unstarted(r));

    /** @param reserveBytes the data folder's free space a capture leaves untouched */
    public SnapshotCaptures(AgentRequests requests, FilePull pull, long reserveBytes) {
        this.requests = requests;
        this.pull = pull;
        this.reserveBytes = reserveBytes;
    }

    /** The agent's recorder database and the data folder's room for it: what the analyst confirms. */
    public Snapshots.Room room(Scope scope, String endpoint) throws IOException {
        Message.RecorderInfo info = describe(endpoint);
        return scope.snapshots().room(info.bytes(), reserveBytes);
    }

    public long reserveBytes() {
        return reserveBytes;
    }

    private Message.RecorderInfo describe(String endpoint) {
        return requests.ask(endpoint, Message.DescribeRecorder::new, Message.RecorderInfo.class, DESCRIBE_TIMEOUT);
    }

    /**
     * Begins a capture of {@code endpoint} for the caller.
     *
     * @throws trailhound.access.AccessDeniedException when the caller may not (read-only, or not the endpoint's groups)
     * @throws Snapshots.Refused when the data folder lacks room (both sizes in the message)
     * @throws AgentRequests.RequestException when the agent is offline, too old or cannot say its database's size
     */
    public Capture start(Scope scope, String endpoint) throws IOException {
        scope.require(trailhound.access.Action.INVESTIGATE);
        Message.RecorderInfo info = describe(endpoint);
        Snapshots.Capture begun = scope.snapshots().capture(endpoint, info.bytes(), reserveBytes);
        Capture c = new Capture("c" + ids.incrementAndGet(), endpoint, scope.caller().user(), Instant.now(), Stage.COPYING, 0, -1, 0, null,
                null, null, null, null, null, null);
        captures.put(c.id(), c);
        forgetOld();
        workers.execute(() -> run(scope, begun, c.id()));
        return c;
    }

    private void run(Scope scope, Snapshots.Capture begun, String id) {
        Long size = null;
        try (begun) {
            Message.SnapshotReady ready = requests.ask(captures.get(id).endpoint(), r -> new Message.CaptureSnapshot(r, scope.caller().user()),
                    Message.SnapshotReady.class, COPY_TIMEOUT);
            size = ready.size();
            update(id, c -> new Capture(c.id(), c.endpoint(), c.user(), c.started(), Stage.TRANSFERRING, 0, ready.size(), 0, ready.name(),
                    Instant.ofEpochMilli(ready.capturedAt()), null, null, null, null, null));
            String endpoint = captures.get(id).endpoint();
            Path file = begun.folder().resolve(ready.name());
            pull.pull(endpoint, ready.handle(), file, Long.MAX_VALUE, p -> update(id, c -> new Capture(c.id(), c.endpoint(), c.user(),
                    c.started(), Stage.TRANSFERRING, p.received(), p.size() < 0 ? c.size() : p.size(), p.resumes(), c.name(), c.capturedAt(),
                    null, null, null, null, null)));
            release(endpoint, ready.handle());
            Snapshots.Uploaded kept = begun.keep(file, stage -> update(id, c -> c.with(stage.equals("checking") ? Stage.CHECKING
                    : Stage.INGESTING)));
            update(id, c -> new Capture(c.id(), c.endpoint(), c.user(), c.started(), Stage.DONE, c.received(), c.size(), c.resumes(), c.name(),
                    c.capturedAt(), kept.snapshotId(), kept.read(), kept.added(), null, Instant.now()));
        } catch (Snapshots.Refused | IngestException e) {
            failed(begun, id, size, e.getMessage(), false); // the access layer audited these itself
        } catch (FilePull.PullException e) {
            // its advice is for evidence files; a capture is simply taken again
            failed(begun, id, size, e.getMessage().replaceFirst("[;:] keep (the file|it) as evidence.*$", "") + "; capture again", true);
        } catch (IOException | AgentRequests.RequestException e) {
            failed(begun, id, size, e.getMessage(), true);
        } catch (RuntimeException e) {
            failed(begun, id, size, "the server failed: " + e, true);
        }
    }

    /** Tells the agent it may delete its copy; when it cannot be told, it deletes it after its own timeout. */
    private void release(String endpoint, String handle) {
        try {
            requests.ask(endpoint, r -> new Message.ReleaseSnapshot(r, handle), Message.Done.class, DESCRIBE_TIMEOUT);
        } catch (AgentRequests.RequestException e) {
            // offline now: the agent deletes the copy after Captures.KEPT
        }
    }

    private void failed(Snapshots.Capture begun, String id, Long size, String why, boolean audit) {
        if (audit) begun.fail(size, why); // the access layer audited refusals and failed ingests itself
        update(id, c -> new Capture(c.id(), c.endpoint(), c.user(), c.started(), Stage.FAILED, c.received(), c.size(), c.resumes(), c.name(),
                c.capturedAt(), null, null, null, why, Instant.now()));
    }

    private void update(String id, java.util.function.UnaryOperator<Capture> change) {
        captures.computeIfPresent(id, (k, c) -> change.apply(c));
    }

    /** Only the newest {@value #KEPT} finished captures are remembered. */
    private void forgetOld() {
        List<Capture> finished = captures.values().stream().filter(c -> !c.stage().running())
                .sorted(Comparator.comparing(Capture::started).reversed()).toList();
        for (Capture c : finished.subList(Math.min(KEPT, finished.size()), finished.size())) captures.remove(c.id());
    }

    /** Captures of the endpoints the caller sees, newest first. */
    public List<Capture> list(Scope scope) {
        List<Capture> out = new ArrayList<>();
        for (Capture c : captures.values()) if (scope.sees(c.endpoint())) out.add(c);
        out.sort(Comparator.comparing(Capture::started).reversed().thenComparing(Capture::id, Comparator.reverseOrder()));
        return out;
    }

    /** One capture, when the caller sees its endpoint. */
    public Optional<Capture> find(Scope scope, String id) {
        return Optional.ofNullable(captures.get(id)).filter(c -> scope.sees(c.endpoint()));
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
