package trailhound.web.live;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Role;
import trailhound.access.Scope;
import trailhound.access.Snapshots;
import trailhound.ingest.IngestException;
import trailhound.protocol.Message;
import trailhound.store.SnapshotCaptureLog;

/*
 * A capture is four steps, each reusing what exists: the agent copies its recorder database
 * (AgentSnapshot, under a one-time handle), the server pulls the copy (FilePull: chunks, resume after
 * a cut, SHA-256), releases it on the agent, and the access layer checks and ingests it as an upload
 * (Snapshots.Capture.keep). Each capture is a row of server.db (SnapshotCaptureLog), written when it
 * begins and at each change of stage, so the list and its ids survive a restart; a running capture's
 * progress (bytes received) is held in memory only. A capture a server stop cut is not resumed: the
 * next start marks it interrupted (its folder is swept by the next upload or capture; the agent deletes
 * its copy after Captures.KEPT), and the analyst captures again.
 */

/**
 * Snapshot captures from connected endpoints: {@link #start} begins one for the caller (the access
 * layer checks the role, the endpoint and the data folder's room, and audits) and runs it in the
 * background, at most {@value #PARALLEL} at a time and one per endpoint; {@link #list} and
 * {@link #find} say how far each is; {@link #cancel} stops one before it is ingested. Thread-safe.
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
        FAILED,
        /**
         * Cancelled, and still running until the agent answers (it may be copying or paused): shown at once,
         * never stored; it then ends cancelled.
         */
        CANCELLING,
        /** Stopped by an analyst before it was kept; nothing of it is kept. */
        CANCELLED,
        /** The server stopped while it ran; nothing of it is kept. */
        INTERRUPTED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean running() {
            return this == COPYING || this == TRANSFERRING || this == CHECKING || this == INGESTING || this == CANCELLING;
        }

        /** Whether a cancel still stops it: before the copy is checked and ingested. */
        public boolean cancellable() {
            return this == COPYING || this == TRANSFERRING;
        }

        static Stage of(String label) {
            return valueOf(label.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * One capture: {@code id} ({@code c1}, {@code c2}...; never reused, kept across restarts), the endpoint,
     * who asked, when; its stage; bytes {@code received} of {@code size} (-1 until the agent's copy is made)
     * and cuts survived ({@code resumes}); the copy's {@code name} and capture time; when done, the
     * {@code snapshotId} kept and the events read and added; when failed, the {@code reason} (when done, a
     * warning, or null). While it runs: {@code awaySince} (epoch ms) when its transfer waits for the agent to come back
     * after a cut, and {@code ahead} the captures before it while it waits for a worker (queued); else null.
     */
    public record Capture(String id, String endpoint, String user, Instant started, Stage stage, long received, long size, int resumes,
            String name, Instant capturedAt, String snapshotId, Long events, Long added, String reason, Instant ended, Long awaySince,
            Integer ahead) {
        public Capture(String id, String endpoint, String user, Instant started, Stage stage, long received, long size, int resumes,
                String name, Instant capturedAt, String snapshotId, Long events, Long added, String reason, Instant ended) {
            this(id, endpoint, user, started, stage, received, size, resumes, name, capturedAt, snapshotId, events, added, reason, ended, null,
                    null);
        }

        /** Whether it waits for one of the {@value SnapshotCaptures#PARALLEL} workers. */
        public boolean queued() {
            return ahead != null;
        }

        Capture with(Stage s) {
            return new Capture(id, endpoint, user, started, s, received, size, resumes, name, capturedAt, snapshotId, events, added, reason,
                    s.running() ? null : Instant.now());
        }

        Capture ended(Stage s, String why) {
            return new Capture(id, endpoint, user, started, s, received, size, resumes, name, capturedAt, snapshotId, events, added, why,
                    Instant.now());
        }
    }

    /** A second capture of an endpoint while one runs: the running one. */
    public static final class Busy extends RuntimeException {
        private final Capture running;

        Busy(Capture running, String message) {
            super(message);
            this.running = running;
        }

        /** The capture under way; null while it is still being started. */
        public Capture running() {
            return running;
        }
    }

    /** An endpoint whose recorder database holds nothing to capture (a replay agent records nothing of its own). */
    public static final class NothingToCapture extends RuntimeException {
        NothingToCapture(String message) {
            super(message);
        }
    }

    private final AgentRequests requests;
    private final FilePull pull;
    private final long reserveBytes;
    private final SnapshotCaptureLog log;
    /** Captures under way, by id: what the page follows; the row in server.db lags at the last change of stage. */
    private final Map<String, Capture> running = new ConcurrentHashMap<>();
    /** Running captures someone cancelled: the user. */
    private final Map<String, String> cancelledBy = new ConcurrentHashMap<>();
    private static final String STOPPED = "the server stopped during the capture; nothing of it is kept: capture again";
    /** How long the server's stop waits for the captures under way to end (an ingest stops within a few thousand events). */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /** Set by {@link #close}: captures end, none begins. */
    private volatile boolean stopping;
    /** The thread running each capture, by id: a stop interrupts those that wait on their agent. Guarded by this. */
    private final Map<String, Thread> threads = new HashMap<>();

    /** Captures no worker has begun yet, by id: a cancel ends one of them at once. Changed under this. */
    private final Map<String, Snapshots.Capture> queued = new ConcurrentHashMap<>();

    /** Endpoints whose capture is being started (asked for its size): guarded by this. */
    private final Set<String> starting = new HashSet<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL,
            r -> Thread.ofPlatform().daemon().name("snapshot-capture").unstarted(r));

    /**
     * Marks the captures a server stop cut as interrupted.
     *
     * @param reserveBytes the data folder's free space a capture leaves untouched
     * @param log the captures in server.db
     */
    public SnapshotCaptures(AgentRequests requests, FilePull pull, long reserveBytes, SnapshotCaptureLog log) {
        this.requests = requests;
        this.pull = pull;
        this.reserveBytes = reserveBytes;
        this.log = log;
        int cut = log.interruptUnfinished(STOPPED, System.currentTimeMillis());
        if (cut > 0) System.err.println("trailhound: " + (cut == 1 ? "1 snapshot capture was" : cut + " snapshot captures were")
                + " cut by the server's stop; marked interrupted");
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
     * @throws Busy when a capture of the endpoint is under way (its id in the message)
     * @throws NothingToCapture when the agent's recorder database holds no events (a replay agent); audited
     * @throws Snapshots.Refused when the data folder lacks room (both sizes in the message)
     * @throws AgentRequests.RequestException when the agent is offline, too old or cannot say its database's size
     */
    public Capture start(Scope scope, String endpoint) throws IOException {
        scope.require(Action.INVESTIGATE);
        synchronized (this) {
            Optional<Capture> busy = running.values().stream().filter(c -> c.endpoint().equals(endpoint)).findFirst();
            if (busy.isPresent()) {
                Capture c = busy.get();
                throw new Busy(c, "capture " + c.id() + " of " + endpoint + " is under way (" + c.stage().label() + ", started by " + c.user()
                        + " at " + c.started() + "): follow it at /api/v1/snapshots/captures/" + c.id() + ", or cancel it, before capturing"
                        + " again");
            }
            if (!starting.add(endpoint)) {
                throw new Busy(null, "a capture of " + endpoint + " is being started by another request: follow it under Saved evidence"
                        + " > Snapshot captures");
            }
        }
        try {
            Message.RecorderInfo info = describe(endpoint);
            if (info.events() == 0) {
                String why = "the recorder database of " + endpoint + " holds no events of its own, so a snapshot would be empty: an agent"
                        + " started with --replay records nothing itself (the events it replays reach the server over the live connection"
                        + " and are in the endpoint's index already), and a recording agent that has just started has recorded nothing yet";
                scope.audit("snapshot.capture", endpoint, AuditLog.DENIED, why);
                throw new NothingToCapture(why);
            }
            Snapshots.Capture begun = scope.snapshots().capture(endpoint, info.bytes(), reserveBytes);
            long now = System.currentTimeMillis();
            long id = log.begin(endpoint, scope.caller().user(), now);
            Capture c = new Capture("c" + id, endpoint, scope.caller().user(), Instant.ofEpochMilli(now), Stage.COPYING, 0, -1, 0, null, null,
                    null, null, null, null, null);
            running.put(c.id(), c);
            queued.put(c.id(), begun);
            workers.execute(() -> run(scope, c.id()));
            return c;
        } finally {
            synchronized (this) {
                starting.remove(endpoint);
            }
        }
    }

    private boolean cancelled(String id) {
        return cancelledBy.containsKey(id) || stopping;
    }

    private void run(Scope scope, String id) {
        Snapshots.Capture begun;
        synchronized (this) {
            begun = queued.remove(id);
            if (begun == null) return; // cancelled while queued: the cancel ended it
            threads.put(id, Thread.currentThread()); // begun: no longer queued
        }
        Long size = null;
        String endpoint = running.get(id).endpoint();
        try (begun) {
            if (stopping) throw new FilePull.CancelledException("the server is stopping");
            Message.SnapshotReady ready = requests.ask(endpoint, r -> new Message.CaptureSnapshot(r, scope.caller().user()),
                    Message.SnapshotReady.class, COPY_TIMEOUT);
            size = ready.size();
            update(id, c -> new Capture(c.id(), c.endpoint(), c.user(), c.started(), Stage.TRANSFERRING, 0, ready.size(), 0, ready.name(),
                    Instant.ofEpochMilli(ready.capturedAt()), null, null, null, null, null), true);
            Path file = begun.folder().resolve(ready.name());
            try {
                pull.pull(endpoint, ready.handle(), file, Long.MAX_VALUE, p -> update(id, c -> new Capture(c.id(), c.endpoint(), c.user(),
                        c.started(), Stage.TRANSFERRING, p.received(), p.size() < 0 ? c.size() : p.size(), p.resumes(), c.name(),
                        c.capturedAt(), null, null, null, null, null, p.awaySince(), null), false), () -> cancelled(id));
            } finally {
                release(endpoint, ready.handle());
            }
            synchronized (this) { // past this point a cancel is refused and a stop no longer interrupts: the copy is being kept
                if (cancelled(id) || Thread.interrupted()) throw new FilePull.CancelledException("cancelled");
                update(id, c -> c.with(Stage.CHECKING), true);
            }
            Snapshots.Uploaded kept = begun.keep(file, stage -> update(id, c -> c.with(stage.equals("checking") ? Stage.CHECKING
                    : Stage.INGESTING), true), () -> stopping, read -> update(id, c -> new Capture(c.id(), c.endpoint(), c.user(), c.started(),
                    c.stage(), c.received(), c.size(), c.resumes(), c.name(), c.capturedAt(), null, read, null, null, null), false));
            String warning = kept.read() == 0 ? "the copy held no events: the agent recorded nothing of its own (an agent started with"
                    + " --replay records nothing itself)" : null;
            update(id, c -> new Capture(c.id(), c.endpoint(), c.user(), c.started(), Stage.DONE, c.received(), c.size(), c.resumes(), c.name(),
                    c.capturedAt(), kept.snapshotId(), kept.read(), kept.added(), warning, Instant.now()), true);
        } catch (FilePull.CancelledException e) {
            if (stopping) {
                failed(begun, id, size, STOPPED, true);
                return;
            }
            String by = cancelledBy.getOrDefault(id, "?");
            begun.fail(size, "cancelled by " + by);
            update(id, c -> c.ended(Stage.CANCELLED, "cancelled by " + by + "; nothing of it is kept"), true);
        } catch (IngestException e) {
            if (e.stopped()) { // the access layer audited it, as Snapshots.STOPPED_INGEST
                update(id, c -> c.ended(Stage.INTERRUPTED, Snapshots.STOPPED_INGEST), true);
                stoppedIngests.incrementAndGet();
            } else {
                failed(begun, id, size, e.getMessage(), false); // the access layer audited it itself
            }
        } catch (Snapshots.Refused e) {
            failed(begun, id, size, e.getMessage(), false); // the access layer audited it itself
        } catch (FilePull.PullException e) {
            // its advice is for evidence files; a capture is simply taken again
            failed(begun, id, size, e.getMessage().replaceFirst("[;:] keep (the file|it) as evidence.*$", "") + "; capture again", true);
        } catch (IOException | AgentRequests.RequestException e) {
            failed(begun, id, size, e.getMessage(), true);
        } catch (RuntimeException e) {
            failed(begun, id, size, "the server failed: " + e, true);
        } finally {
            running.remove(id);
            cancelledBy.remove(id);
            synchronized (this) {
                threads.remove(id);
            }
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
        if (stopping || Thread.currentThread().isInterrupted()) { // the server is stopping (its workers are interrupted): not the capture's fault
            begun.fail(size, STOPPED);
            update(id, c -> c.ended(Stage.INTERRUPTED, STOPPED), true);
            return;
        }
        if (audit) begun.fail(size, why); // the access layer audited refusals and failed ingests itself
        update(id, c -> c.ended(Stage.FAILED, why), true);
    }

    /** Changes a running capture; {@code persist} writes it to server.db (at a change of stage, not every chunk). */
    private void update(String id, java.util.function.UnaryOperator<Capture> change, boolean persist) {
        Capture now = running.computeIfPresent(id, (k, c) -> change.apply(c));
        if (persist && now != null) {
            log.save(new SnapshotCaptureLog.Capture(Long.parseLong(id.substring(1)), now.endpoint(), now.user(), now.started().toEpochMilli(),
                    now.stage().label(), now.received(), now.size(), now.resumes(), now.name(), now.capturedAt() == null ? null
                            : now.capturedAt().toEpochMilli(), now.snapshotId(), now.events(), now.added(), now.reason(),
                    now.ended() == null ? null : now.ended().toEpochMilli()));
        }
    }

    private static Capture of(SnapshotCaptureLog.Capture r) {
        return new Capture("c" + r.id(), r.endpoint(), r.user(), Instant.ofEpochMilli(r.startedAt()), Stage.of(r.state()), r.received(),
                r.size(), r.resumes(), r.name(), r.capturedAt() == null ? null : Instant.ofEpochMilli(r.capturedAt()), r.snapshotId(),
                r.events(), r.added(), r.reason(), r.endedAt() == null ? null : Instant.ofEpochMilli(r.endedAt()));
    }

    /**
     * The caller cancels the running capture {@code id}: the one who started it or an administrator, while it
     * is copied or transferred; audited ({@code snapshot.cancel}). It ends cancelled and keeps nothing.
     *
     * @return the capture as it stands; empty when there is no such capture the caller sees
     * @throws trailhound.access.AccessDeniedException when another analyst started it
     * @throws IllegalStateException when it has ended or is already being checked and ingested
     */
    public synchronized Optional<Capture> cancel(Scope scope, String id) {
        Optional<Capture> found = find(scope, id);
        if (found.isEmpty()) return found;
        Capture c = found.get();
        scope.require(Action.INVESTIGATE);
        if (c.stage() == Stage.CANCELLING) return found; // cancelled already: it ends as soon as the agent answers
        if (scope.caller().role() != Role.ADMINISTRATOR && !scope.caller().user().equals(c.user())) {
            scope.audit("snapshot.cancel", c.endpoint(), AuditLog.DENIED, "capture " + c.id() + " of " + c.user());
            throw new trailhound.access.AccessDeniedException("capture " + c.id() + " was started by " + c.user() + ": only they or an"
                    + " administrator may cancel it");
        }
        if (!c.stage().cancellable() || !running.containsKey(c.id())) {
            throw new IllegalStateException("capture " + c.id() + " is " + c.stage().label() + (c.stage().running()
                    ? ": the copy is being kept, too late to cancel; delete the snapshot afterwards if it is not wanted" : ": nothing to cancel"));
        }
        Snapshots.Capture waiting = queued.remove(c.id());
        if (waiting != null) {
            // fourth try-out: a queued capture said "cancelling: waiting for the endpoint to stop" for ~30 s, the endpoint never asked
            scope.audit("snapshot.cancel", c.endpoint(), AuditLog.OK, "capture " + c.id() + " (queued)");
            String by = scope.caller().user();
            waiting.fail(null, "cancelled by " + by + " while queued");
            try {
                waiting.close();
            } catch (IOException e) {
                // its empty folder under incoming/ is removed at the next start
            }
            update(c.id(), x -> x.ended(Stage.CANCELLED, "cancelled by " + by + " while queued; nothing of it is kept"), true);
            return Optional.ofNullable(running.remove(c.id()));
        }
        cancelledBy.putIfAbsent(c.id(), scope.caller().user());
        scope.audit("snapshot.cancel", c.endpoint(), AuditLog.OK, "capture " + c.id() + " (" + c.stage().label() + ")");
        return Optional.of(c.with(Stage.CANCELLING));
    }

    /** Captures of the endpoints the caller sees, newest first: the newest {@value #KEPT} and every one under way. */
    public List<Capture> list(Scope scope) {
        Map<String, Capture> all = new LinkedHashMap<>();
        for (SnapshotCaptureLog.Capture r : log.newest(KEPT)) all.put("c" + r.id(), of(r));
        for (Capture c : running.values()) all.put(c.id(), shown(c));
        List<Capture> out = new ArrayList<>();
        for (Capture c : all.values()) if (scope.sees(c.endpoint())) out.add(c);
        out.sort(Comparator.comparing(Capture::started).reversed().thenComparing(c -> Long.parseLong(c.id().substring(1)),
                Comparator.reverseOrder()));
        return out;
    }

    /** One capture, when the caller sees its endpoint. */
    public Optional<Capture> find(Scope scope, String id) {
        Capture c = running.get(id) == null ? null : shown(running.get(id));
        if (c == null && id.matches("c[1-9][0-9]{0,17}")) c = log.find(Long.parseLong(id.substring(1))).map(SnapshotCaptures::of).orElse(null);
        return Optional.ofNullable(c).filter(x -> scope.sees(x.endpoint()));
    }

    /**
     * A running capture as it is shown: cancelling once someone cancelled it, though the agent has not answered yet;
     * queued, with the captures ahead of it, while no worker has begun it (third try-out: it said "copying").
     */
    private Capture shown(Capture c) {
        if (cancelledBy.containsKey(c.id()) && c.stage().running()) return c.with(Stage.CANCELLING);
        synchronized (this) {
            if (c.stage() != Stage.COPYING || threads.containsKey(c.id())) return c;
        }
        long n = Long.parseLong(c.id().substring(1));
        int ahead = (int) running.keySet().stream().filter(other -> Long.parseLong(other.substring(1)) < n).count();
        return new Capture(c.id(), c.endpoint(), c.user(), c.started(), c.stage(), c.received(), c.size(), c.resumes(), c.name(), c.capturedAt(),
                c.snapshotId(), c.events(), c.added(), c.reason(), c.ended(), null, ahead);
    }

    private final java.util.concurrent.atomic.AtomicInteger stoppedIngests = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Ends the captures under way before the data folder closes, each recorded and audited as stopped: those
     * waiting on their agent (copying, transferring) are interrupted; one being checked or ingested is asked to
     * stop and is waited for (at most {@link #STOP_WAIT}): interrupting it would close the index's files under
     * Lucene and its end could no longer be written. Says on stderr, in one line, how many ingests it stopped.
     */
    @Override
    public void close() {
        synchronized (this) {
            stopping = true;
            for (Map.Entry<String, Thread> t : threads.entrySet()) {
                Capture c = running.get(t.getKey());
                if (c == null || c.stage().cancellable()) t.getValue().interrupt();
            }
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
                long ingesting = running.values().stream().filter(c -> !c.stage().cancellable()).count();
                int n = running.size();
                System.err.println("trailhound: waiting up to " + STOP_WAIT.toSeconds() + " s for " + (n == 1 ? "a snapshot capture" : n
                        + " snapshot captures") + " to stop" + (ingesting > 0 ? " (an ingest stops within a few thousand events)" : ""));
                if (!workers.awaitTermination(STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        int stopped = stoppedIngests.get();
        if (stopped > 0) {
            System.err.println("trailhound: stopped " + (stopped == 1 ? "a snapshot capture during its ingest; nothing of it is kept"
                    : stopped + " snapshot captures during their ingest; nothing of them is kept") + " (Saved evidence > Snapshot captures:"
                    + " capture again)");
        }
    }
}
