package trailhound.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import trailhound.index.IndexBackend;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Live events into a data folder: each batch an agent sends is appended to its endpoint's journal
 * ({@code endpoints/<endpoint>/journal.db}, fsync'd), and only then acknowledged and indexed, so an
 * acknowledged event survives any crash; the index is derived and caught up from the journal.
 *
 * <pre>{@code
 * LiveIngest live = new LiveIngest(data);
 * long from = live.acknowledged("ws-01", agentId) + 1;          // where the agent resumes
 * long acked = live.append("ws-01", agentId, last, events);      // durable and indexed when it returns
 * Positions held = live.positions("ws-01", agentId);               // with a catch-up, newest first: two ends
 * }</pre>
 *
 * <p>Every live event is labelled {@code source} = {@value #SOURCE} and {@code endpoint} = the bound
 * endpoint, whatever the agent sent. Its uid is the agent's (a recorder row's, a telemetry record's),
 * so a snapshot of the same recorder later adds no duplicates, and a re-sent event is never stored or
 * indexed twice. Indexes are committed at most every {@link #COMMIT_EVERY_MS} ms; a crash before a
 * commit loses nothing, the next open re-indexes from the journal. Thread-safe; batches of one
 * endpoint are taken one at a time.
 */
public final class LiveIngest implements Closeable {
    /** The {@code source} label of live events. */
    public static final String SOURCE = "live";
    /** Longest time between index commits of an endpoint receiving events, in ms. */
    static final long COMMIT_EVERY_MS = 5_000;
    /**
     * Longest time a received live event waits to become searchable, in ms: the index's own refresher
     * runs about once a second after its last refresh ended (measured: up to 1.1 s from send to
     * searchable), so a batch refreshes its endpoint itself when the last refresh is this old.
     */
    static final long REFRESH_EVERY_MS = 500;

    private final DataDir data;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    /** One endpoint's journal and how far its index has been committed. */
    private static final class Endpoint {
        final LiveJournal journal;
        long indexedSeq;
        long committedAt;
        long refreshedAt;
        boolean dirty;

        Endpoint(LiveJournal journal) {
            this.journal = journal;
        }
    }

    public LiveIngest(DataDir data) {
        this.data = data;
    }

    private java.util.concurrent.ScheduledExecutorService committer;

    /**
     * Commits every {@link #COMMIT_EVERY_MS} ms what endpoints left uncommitted: a batch commits only
     * when the one after it comes, so an agent gone quiet would leave its last events uncommitted (not
     * lost: the journal holds them) and the CLI beside the server would count fewer. For the server;
     * stopped by {@link #close}.
     */
    public synchronized void commitPeriodically() {
        if (committer != null) return;
        committer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("live-commit").unstarted(r));
        committer.scheduleWithFixedDelay(() -> {
            try {
                commit();
            } catch (IOException | RuntimeException e) {
                // tried again at the next tick and at close; the journal keeps the events meanwhile
            }
        }, COMMIT_EVERY_MS, COMMIT_EVERY_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Indexes what every enrolled endpoint's journal holds beyond its index's last commit: what a
     * killed server had received but not committed becomes searchable at the next start, whether or
     * not the endpoint's agent connects again. Returns the endpoints caught up.
     */
    public int recover() throws IOException {
        int n = 0;
        for (var agent : data.store().liveAgents().agents()) {
            if (java.nio.file.Files.exists(data.endpointDir(agent.endpoint()).resolve(LiveJournal.FILE))) {
                endpoint(agent.endpoint());
                n++;
            }
        }
        return n;
    }

    /** The highest position of the agent the endpoint's journal holds (0: none): the agent resumes after it. */
    public long acknowledged(String endpoint, String agentId) throws IOException {
        return positions(endpoint, agentId).acknowledged();
    }

    /** The agent's positions the endpoint's journal holds (see {@link Positions}): the agent resumes both ends from them. */
    public Positions positions(String endpoint, String agentId) throws IOException {
        Endpoint e = endpoint(endpoint);
        synchronized (e) {
            return e.journal.positions(agentId);
        }
    }

    /** The positions of the endpoint's agent, with its catch-up's progress; empty when it has no journal yet. */
    public java.util.Optional<Positions> positions(String endpoint) throws IOException {
        if (!java.nio.file.Files.exists(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) return java.util.Optional.empty();
        Endpoint e = endpoint(endpoint);
        synchronized (e) {
            return java.util.Optional.of(e.journal.latestPositions());
        }
    }

    /**
     * Appends the agent's ordinary batch (positions up to {@code last}) to the endpoint's journal
     * durably, then indexes what was new. Returns the acknowledged position, {@code last} (or the
     * higher one held already when the batch was sent before).
     */
    public long append(String endpoint, String agentId, long last, List<Event> events) throws IOException {
        return append(endpoint, agentId, last, last, false, 0, events, p -> {}).acknowledged();
    }

    /**
     * Appends the agent's batch {@code first..last} (a catch-up batch when {@code backfill}, the first
     * of which says {@code catchupEvents} waited) durably, calling {@code durable} with the positions
     * held as soon as the batch is in the journal, before it is indexed: the agent's ack need not wait
     * for the index. Returns when both are done.
     */
    public Positions append(String endpoint, String agentId, long first, long last, boolean backfill, long catchupEvents, List<Event> events,
            java.util.function.Consumer<Positions> durable) throws IOException {
        Endpoint e = endpoint(endpoint);
        synchronized (e) {
            LiveJournal.Appended appended = e.journal.append(agentId, first, last, backfill, catchupEvents, events);
            durable.accept(appended.positions());
            if (!appended.added().isEmpty()) {
                List<Event> labelled = new ArrayList<>(appended.added().size());
                for (Event ev : appended.added()) labelled.add(label(ev, endpoint));
                index(endpoint, e, labelled, appended.lastSeq());
            }
            return appended.positions();
        }
    }

    /** The number of events in the endpoint's journal (0 when it has none). */
    public long journalEvents(String endpoint) throws IOException {
        if (!java.nio.file.Files.exists(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) return 0;
        Endpoint e = endpoint(endpoint);
        synchronized (e) {
            return e.journal.count();
        }
    }

    private static Event label(Event e, String endpoint) {
        return e.toBuilder().set(Field.ENDPOINT, endpoint).set(Field.SOURCE, SOURCE).build();
    }

    private void index(String endpoint, Endpoint e, List<Event> events, long lastSeq) throws IOException {
        try (EndpointLocks.Held held = data.endpointLocks().ingesting(endpoint, note -> {});
             IndexBackend.Lease lease = data.indexes().acquireOrCreate(endpoint)) {
            lease.index().addAll(events);
            e.dirty = true;
            long now = System.currentTimeMillis();
            if (now - e.committedAt >= COMMIT_EVERY_MS) {
                lease.index().commit(); // also makes them visible
                e.journal.indexedThrough(lastSeq);
                e.committedAt = now;
                e.refreshedAt = now;
                e.dirty = false;
            } else if (now - e.refreshedAt >= REFRESH_EVERY_MS) {
                lease.index().refresh();
                e.refreshedAt = now;
            }
            e.indexedSeq = lastSeq;
        }
    }

    /** The endpoint's journal, opened (and its index caught up with it) on first use. */
    private Endpoint endpoint(String endpoint) throws IOException {
        try {
            return endpoints.computeIfAbsent(endpoint, name -> {
                try {
                    Endpoint e = new Endpoint(LiveJournal.open(data.endpointDir(name).resolve(LiveJournal.FILE)));
                    catchUp(name, e);
                    return e;
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        } catch (java.io.UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    /** Indexes what the journal holds beyond the index's last commit (after a crash or a kill). */
    private void catchUp(String endpoint, Endpoint e) throws IOException {
        long from = e.journal.indexedThrough();
        List<Event> pending = new ArrayList<>();
        long last = e.journal.read(from, endpoint, pending::add);
        if (last > from) {
            try (EndpointLocks.Held held = data.endpointLocks().ingesting(endpoint, note -> {});
                 IndexBackend.Lease lease = data.indexes().acquireOrCreate(endpoint)) {
                lease.index().addAll(pending);
                lease.index().commit();
            }
            e.journal.indexedThrough(last);
        }
        e.indexedSeq = last;
        e.committedAt = System.currentTimeMillis();
    }

    /** The number of events in the endpoint's journal, read from the file (0 when it has none); for verify. */
    static long journalCount(DataDir data, String endpoint) throws IOException {
        java.nio.file.Path file = data.endpointDir(endpoint).resolve(LiveJournal.FILE);
        if (!java.nio.file.Files.exists(file)) return 0;
        try (LiveJournal journal = LiveJournal.open(file)) {
            return journal.count();
        }
    }

    /**
     * Reads every event of the endpoint's journal (for a re-index), labelled as live; nothing when it
     * has none.
     */
    void readJournal(String endpoint, java.util.function.Consumer<Event> sink) throws IOException {
        if (!java.nio.file.Files.exists(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) return;
        try (LiveJournal journal = LiveJournal.open(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) {
            journal.read(0, endpoint, sink);
        }
    }

    /** Commits every endpoint's index that has uncommitted live events. */
    public void commit() throws IOException {
        for (Map.Entry<String, Endpoint> entry : endpoints.entrySet()) {
            Endpoint e = entry.getValue();
            synchronized (e) {
                if (!e.dirty) continue;
                try (EndpointLocks.Held held = data.endpointLocks().ingesting(entry.getKey(), note -> {});
                     IndexBackend.Lease lease = data.indexes().acquireOrCreate(entry.getKey())) {
                    lease.index().commit();
                }
                e.journal.indexedThrough(e.indexedSeq);
                e.committedAt = System.currentTimeMillis();
                e.dirty = false;
            }
        }
    }

    /** Commits what is uncommitted and closes the journals. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (committer != null) committer.shutdownNow();
        }
        IOException failed = null;
        try {
            commit();
        } catch (IOException ex) {
            failed = ex;
        }
        for (Endpoint e : endpoints.values()) {
            synchronized (e) {
                try {
                    e.journal.close();
                } catch (IOException ex) {
                    if (failed == null) failed = ex; else failed.addSuppressed(ex);
                }
            }
        }
        endpoints.clear();
        if (failed != null) throw failed;
    }
}
