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
import trailhound.telemetry.ValueInterner;

/**
 * Live events into a data folder: each batch an agent sends is appended to its endpoint's journal
 * ({@code endpoints/<endpoint>/journal.db}, fsync'd), and only then acknowledged; the index is derived
 * from the journal, by a few indexing threads shared by every live endpoint.
 *
 * <pre>{@code
 * LiveIngest live = new LiveIngest(data);
 * long from = live.acknowledged("ws-01", agentId) + 1;          // where the agent resumes
 * long acked = live.append("ws-01", agentId, last, events);      // durable when it returns; indexed soon after
 * Positions held = live.positions("ws-01", agentId);               // with a catch-up, newest first: two ends
 * }</pre>
 *
 * <p>Every live event is labelled {@code source} = {@value #SOURCE} and {@code endpoint} = the bound
 * endpoint, whatever the agent sent. Its uid is the agent's (a recorder row's, a telemetry record's),
 * so a snapshot of the same recorder later adds no duplicates, and a re-sent event is never stored or
 * indexed twice. An endpoint's index is committed every {@link #COMMIT_EVERY_MS} ms while few
 * endpoints stream, less often when many do (see {@link #commitInterval}); a crash before a commit loses
 * nothing, the next start re-indexes from the journal. Thread-safe; batches of one
 * endpoint are taken one at a time.
 */
public final class LiveIngest implements Closeable {
    /*
     * Why indexing is not done on the agent's connection thread: with hundreds of streaming endpoints,
     * hundreds of connection threads indexing at once on two cores meant hundreds of open writers,
     * each with its own per-thread buffers, and a cache of open indexes evicting them all the time
     * (bench --live, docs/performance.md). So a batch is journalled and acknowledged on the connection,
     * and handed to a few indexing threads (an endpoint always to the same one) that index what each
     * endpoint has waiting in one go. An endpoint
     * that streams keeps a lease on its index (released after IDLE_RELEASE_MS without events), so
     * the cache of open indexes may evict it without closing it, and its writer is never reopened per
     * batch. Visibility is the index's own: a search refreshes a stale index first, and the index's
     * background refresh runs about twice a second while someone searches it.
     */

    /** The {@code source} label of live events. */
    public static final String SOURCE = "live";
    /** Time between index commits of an endpoint receiving events while few stream, in ms. */
    static final long COMMIT_EVERY_MS = 5_000;
    /**
     * Index commits per second for all streaming endpoints together, at most (beyond 20 endpoints).
     * A commit writes and fsyncs a segment of each of the endpoint's three indexes; 200 endpoints
     * committing every 5 s were hundreds of fsyncs a second. Searches do not wait for commits (they
     * see what was refreshed); the journal is the truth, so a longer interval only means a restart
     * re-indexes more of it, and a CLI beside the server counts what was committed.
     */
    static final int COMMITS_PER_SECOND = 4;
    /**
     * Between commits an endpoint's writer keeps what it indexed in memory (about 3 KB an event): at
     * 5,000 events/s over 200 endpoints committed every 50 s, most of a 4 GB heap. So a writer is also
     * flushed (a refresh: a new segment, no fsync) when it has held events this long, at most
     * {@link #FLUSHES_PER_SECOND} a second, the oldest first.
     */
    static final long FLUSH_EVERY_MS = 10_000;
    static final int FLUSHES_PER_SECOND = 20;
    /** An endpoint's index lease is released after this long without live events, in ms. */
    static final long IDLE_RELEASE_MS = 60_000;
    /**
     * Events of one endpoint journalled but not yet being indexed beyond which the acks of its next
     * batches wait until the index takes them (backpressure: an agent has at most 4 batches
     * unacknowledged, so it then waits and its events wait in its own store). It bounds what the
     * server holds in memory (a live event takes about 3 KB of heap): with 200 streaming endpoints,
     * about 200 MB at most.
     */
    static final int MAX_WAITING_EVENTS = 250;
    /**
     * Events held in memory waiting to be indexed or being indexed, for every endpoint together, at most
     * (and a labelled copy of {@link #CATCH_UP_CHUNK} per indexing thread): a sixteenth of
     * the heap at 3 KB an event (about 87,000 with 4 GB). Acks held back bound each endpoint to
     * {@link #MAX_WAITING_EVENTS} plus the batches its agent has in flight (4 of 500 by default: 2,250
     * events, 6.75 MB), which 200 endpoints far behind made 1.35 GB, and the server's heap filled under
     * load (docs/performance.md). Beyond this budget a batch is journalled and not kept: the indexing
     * thread reads it back from the journal ({@link #CATCH_UP_CHUNK} at a time), which holds it anyway.
     */
    static final long MAX_HELD_EVENTS = Math.max(10_000, Runtime.getRuntime().maxMemory() / 16 / 3_000);
    /** Journal events indexed at a time when an index catches up with its journal. */
    static final int CATCH_UP_CHUNK = 10_000;
    /** Threads indexing live events, for every endpoint together. */
    static final int INDEX_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final DataDir data;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    /** A lock per endpoint name, held while its journal opens (see {@link #endpoint}). */
    private final Map<String, Object> opening = new ConcurrentHashMap<>();
    /*
     * One single-threaded lane per indexing thread, an endpoint always on the same lane: the memo tables
     * of a thread (EventDocuments, ValueInterner) hit when they see the same String instances again, which
     * an endpoint's events share; spread over every thread of a shared pool, each endpoint's values filled
     * every thread's tables (when the index kept one set per thread, hundreds of MB for 200 endpoints).
     */
    private final java.util.concurrent.ExecutorService[] lanes;
    private volatile boolean closed;
    /** Events in every endpoint's {@code waiting} list and being indexed from it, together (see {@link #MAX_HELD_EVENTS}). */
    private final java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();
    private final long maxHeld;

    /** One endpoint's journal, what waits to be indexed, and how far its index has been committed. */
    private static final class Endpoint {
        final String name;
        final LiveJournal journal;
        /** Events journalled, not yet handed to the index (guarded by this). */
        List<Event> waiting = new ArrayList<>();
        /** The journal seq of the last waiting event. */
        long waitingSeq;
        /** An indexing task is queued or running for this endpoint. */
        boolean scheduled;
        /** The journal must be read from {@link #indexedSeq} first (at open, or after an indexing failure). */
        boolean catchUp = true;
        /** Journal seq the index holds (committed or not). */
        long indexedSeq;
        volatile long committedAt;
        long lastIndexedAt;
        /** Events added since the writer's buffer was last flushed (a refresh or a commit). */
        volatile boolean unflushed;
        volatile long flushedAt;
        volatile boolean dirty;
        /** Acks held back while too many events wait to be indexed, in order (guarded by this). */
        List<Runnable> heldAcks = new ArrayList<>();
        /** Keeps the index open while the endpoint streams; null when idle. */
        volatile IndexBackend.Lease keep;

        Endpoint(String name, LiveJournal journal) {
            this.name = name;
            this.journal = journal;
        }
    }

    public LiveIngest(DataDir data) {
        this(data, MAX_HELD_EVENTS);
    }

    /** With at most {@code maxHeld} events held in memory waiting (tests set a small budget). */
    LiveIngest(DataDir data, long maxHeld) {
        this.data = data;
        this.maxHeld = maxHeld;
        this.lanes = new java.util.concurrent.ExecutorService[INDEX_THREADS];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("live-index-" + (i + 1)).factory());
        }
    }

    private java.util.concurrent.ScheduledExecutorService committer;

    /**
     * Commits, once a second, the endpoints whose last commit is older than {@link #commitInterval()}
     * (at most {@link #COMMITS_PER_SECOND} of them, the oldest first), and releases the
     * indexes of endpoints that stopped streaming: a batch commits only when the one after it comes,
     * so an agent gone quiet would leave its last events uncommitted (not lost: the journal holds them)
     * and the CLI beside the server would count fewer. For the server; stopped by {@link #close}.
     */
    public synchronized void commitPeriodically() {
        if (committer != null) return;
        committer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("live-commit").unstarted(r));
        committer.scheduleWithFixedDelay(() -> {
            try {
                commit(commitInterval(), COMMITS_PER_SECOND);
                flush(FLUSHES_PER_SECOND);
                releaseIdle(System.currentTimeMillis());
            } catch (IOException | RuntimeException e) {
                // tried again at the next tick and at close; the journal keeps the events meanwhile
            }
        }, 1_000, 1_000, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Indexes, in the background, what every enrolled endpoint's journal holds beyond its index's
     * last commit: what a killed server had received but not committed becomes searchable after a
     * start, whether or not the endpoint's agent connects again. Returns at once the number of
     * endpoints with a journal.
     */
    public int recover() throws IOException {
        int n = 0;
        for (var agent : data.store().liveAgents().agents()) {
            if (java.nio.file.Files.exists(data.endpointDir(agent.endpoint()).resolve(LiveJournal.FILE))) {
                schedule(endpoint(agent.endpoint()));
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
        return endpoint(endpoint).journal.positions(agentId);
    }

    /** The positions of the endpoint's agent, with its catch-up's progress; empty when it has no journal yet. */
    public java.util.Optional<Positions> positions(String endpoint) throws IOException {
        if (!java.nio.file.Files.exists(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) return java.util.Optional.empty();
        return java.util.Optional.of(endpoint(endpoint).journal.latestPositions());
    }

    /**
     * Appends the agent's ordinary batch (positions up to {@code last}) to the endpoint's journal
     * durably and hands what was new to the indexing threads. Returns the acknowledged position,
     * {@code last} (or the higher one held already when the batch was sent before).
     */
    public long append(String endpoint, String agentId, long last, List<Event> events) throws IOException {
        return append(endpoint, agentId, last, last, false, 0, events, p -> {}).acknowledged();
    }

    /**
     * Appends the agent's batch {@code first..last} (a catch-up batch when {@code backfill}, the first
     * of which says {@code catchupEvents} waited) durably, calling {@code durable} with the positions
     * held once the batch is in the journal (at once, or, while more than {@link #MAX_WAITING_EVENTS}
     * of the endpoint's events wait to be indexed, on an indexing thread when the index takes them);
     * what was new is indexed by the indexing threads soon after. Returns once journalled.
     */
    public Positions append(String endpoint, String agentId, long first, long last, boolean backfill, long catchupEvents, List<Event> events,
            java.util.function.Consumer<Positions> durable) throws IOException {
        Endpoint e = endpoint(endpoint);
        synchronized (e) {
            if (closed) throw new IOException("the server is stopping; the agent sends the batch again");
            LiveJournal.Appended appended = e.journal.append(agentId, first, last, backfill, catchupEvents, events);
            hold(e, appended);
            Positions positions = appended.positions();
            // Past the budget a batch is read back from the journal and its ack is not held (the journal, on
            // disk, takes the overload; memory stays bounded); else acks wait while the endpoint's index is behind.
            if (e.waiting.size() > MAX_WAITING_EVENTS || !e.heldAcks.isEmpty()) {
                e.heldAcks.add(() -> durable.accept(positions)); // sent when the index takes what waits
                schedule(e);
            } else {
                durable.accept(positions);
            }
            return positions;
        }
    }

    /**
     * Journals events an agent sent out of band (policy events, at once, whether or not it streams)
     * durably and hands the new ones to the indexing threads; the agent's positions are untouched, and
     * an event whose uid the journal holds (sent before, or later in a batch) is not added again.
     *
     * @return how many events were new
     */
    public int priority(String endpoint, List<Event> events) throws IOException {
        Endpoint e = endpoint(endpoint);
        synchronized (e) {
            if (closed) throw new IOException("the server is stopping; the events come again with the agent's batches");
            LiveJournal.Appended appended = e.journal.insert(events);
            hold(e, appended);
            return appended.added().size();
        }
    }

    /**
     * Hands what the journal newly holds to the indexing thread: kept in memory while the budget allows
     * and the endpoint is not reading its journal anyway, else read back from the journal. Caller holds e.
     */
    private void hold(Endpoint e, LiveJournal.Appended appended) {
        List<Event> added = appended.added();
        if (added.isEmpty()) return;
        if (e.catchUp || held.get() + added.size() > maxHeld) {
            release(e); // the journal read from what the index holds covers these and what waited
            e.catchUp = true;
        } else {
            e.waiting.addAll(added); // labelled by the indexing thread
            held.addAndGet(added.size());
        }
        e.waitingSeq = appended.lastSeq();
        schedule(e);
    }

    /** Drops the endpoint's waiting events from memory (the journal holds them); caller holds e. */
    private void release(Endpoint e) {
        held.addAndGet(-e.waiting.size());
        e.waiting = new ArrayList<>();
    }

    /** Events held in memory waiting to be indexed, every endpoint together (for tests). */
    long heldEvents() {
        return held.get();
    }

    /** Queues the endpoint for indexing unless it is queued already; caller holds e's monitor or none. */
    private void schedule(Endpoint e) {
        synchronized (e) {
            if (e.scheduled) return;
            e.scheduled = true;
        }
        try {
            lanes[Math.floorMod(e.name.hashCode(), lanes.length)].execute(() -> drain(e));
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            synchronized (e) {
                e.scheduled = false; // closing: the journal keeps the events for the next start
            }
        }
    }

    /** Indexes what the endpoint has waiting until nothing is left (one task per endpoint at a time). */
    private void drain(Endpoint e) {
        try {
            while (true) {
                List<Event> batch;
                long seq;
                long catchUp = -1;
                List<Runnable> acks;
                synchronized (e) {
                    if (e.catchUp) {
                        // what the journal holds beyond the index, waiting events included (read again below)
                        catchUp = e.indexedSeq;
                        batch = List.of();
                        seq = e.indexedSeq;
                        release(e);
                        e.catchUp = false;
                    } else if (!e.waiting.isEmpty()) {
                        // still counted in `held` until indexed: batches arriving past the budget meanwhile wait in the
                        // journal, not beside it in memory (an overloaded run held three budgets: waiting, taken, labelled)
                        batch = e.waiting;
                        seq = e.waitingSeq;
                        e.waiting = new ArrayList<>();
                    } else {
                        e.scheduled = false;
                        return;
                    }
                    acks = e.heldAcks;
                    e.heldAcks = new ArrayList<>();
                }
                for (Runnable ack : acks) {
                    try {
                        ack.run();
                    } catch (RuntimeException ex) {
                        // the agent's connection closed meanwhile: it resumes from what the journal holds
                    }
                }
                if (catchUp >= 0) {
                    // in chunks, without holding the endpoint: batches keep arriving meanwhile, and what they
                    // add that this read also finds is not indexed twice (a uid already in the index is skipped)
                    while (!closed) { // stopping: the rest waits in the journal for the next start
                        List<Event> chunk = new ArrayList<>();
                        long last = e.journal.read(catchUp, CATCH_UP_CHUNK, e.name, chunk::add);
                        if (chunk.isEmpty()) break;
                        index(e, chunk, last);
                        catchUp = last;
                    }
                } else if (!batch.isEmpty()) {
                    try {
                        index(e, batch, seq);
                    } finally {
                        held.addAndGet(-batch.size());
                    }
                }
            }
        } catch (IOException | RuntimeException ex) {
            synchronized (e) {
                // not lost: the journal holds them; read again from what the index holds at the next batch
                e.catchUp = true;
                release(e);
                e.scheduled = false;
            }
        }
    }

    /*
     * On the indexing thread, with its ValueInterner: events decoded from JSON have a new String for
     * every value, and the index memoises lower-casing, term bytes and the process variant's SHA-256
     * by String instance, as it does for imported telemetry.
     */
    private static Event label(Event e, String endpoint) {
        return ValueInterner.internValues(e.toBuilder().set(Field.ENDPOINT, endpoint).set(Field.SOURCE, SOURCE)).build();
    }

    private void index(Endpoint e, List<Event> events, long lastSeq) throws IOException {
        try (EndpointLocks.Held held = data.endpointLocks().ingesting(e.name, note -> {})) {
            IndexBackend.Lease lease = lease(e);
            for (int from = 0; from < events.size(); from += CATCH_UP_CHUNK) { // labelled copies of a chunk at a time
                List<Event> labelled = new ArrayList<>(Math.min(CATCH_UP_CHUNK, events.size() - from));
                for (Event ev : events.subList(from, Math.min(events.size(), from + CATCH_UP_CHUNK))) labelled.add(label(ev, e.name));
                lease.index().addAll(labelled);
                data.indexedListener().ifPresent(l -> l.indexed(e.name, labelled));
            }
            long now = System.currentTimeMillis();
            synchronized (e) {
                e.indexedSeq = Math.max(e.indexedSeq, lastSeq);
                e.dirty = true;
                e.lastIndexedAt = now;
                e.unflushed = true;
            }
        }
    }

    /**
     * The lease that keeps the endpoint's current index open while it streams, taken anew after a
     * rebuild; its writer is used without going through the cache of open indexes, so 200 streaming
     * endpoints neither evict each other nor the indexes analysts search. Caller holds the endpoint's
     * ingest lock and its indexing claim ({@code scheduled}).
     */
    private IndexBackend.Lease lease(Endpoint e) throws IOException {
        IndexBackend.Lease lease = e.keep;
        if (lease != null && lease.current()) return lease;
        IndexBackend.Lease fresh = data.indexes().acquireOrCreate(e.name);
        synchronized (e) {
            e.keep = fresh;
        }
        if (lease != null) lease.close();
        return fresh;
    }

    /** How long an endpoint's index goes uncommitted while it streams, in ms: 5 s, longer with more than 20 streaming endpoints. */
    long commitInterval() {
        long streaming = endpoints.values().stream().filter(e -> e.keep != null).count();
        return Math.max(COMMIT_EVERY_MS, streaming * 1_000 / COMMITS_PER_SECOND);
    }

    /** Flushes (refreshes) at most {@code most} endpoints' writers that have held events for {@link #FLUSH_EVERY_MS}. */
    private void flush(int most) {
        long now = System.currentTimeMillis();
        List<Endpoint> due = endpoints.values().stream().filter(e -> e.unflushed && e.keep != null && now - e.flushedAt >= FLUSH_EVERY_MS)
                .sorted(java.util.Comparator.comparingLong(e -> e.flushedAt)).limit(most).toList();
        for (Endpoint e : due) {
            IndexBackend.Lease lease = e.keep;
            if (lease == null) continue;
            e.unflushed = false;
            e.flushedAt = now;
            try {
                lease.index().refresh(); // beside indexing, as the index's own refresher does
            } catch (IOException | RuntimeException ex) {
                e.unflushed = true; // released or closed meanwhile: the next commit writes it
            }
        }
    }

    /** Releases the leases of endpoints without live events for {@link #IDLE_RELEASE_MS}. */
    private void releaseIdle(long now) {
        for (Endpoint e : endpoints.values()) {
            synchronized (e) {
                if (e.keep != null && !e.scheduled && now - e.lastIndexedAt >= IDLE_RELEASE_MS) {
                    e.keep.close();
                    e.keep = null;
                }
            }
        }
    }

    /** The endpoint's journal, opened on first use; its index catches up with it in the background. */
    private Endpoint endpoint(String name) throws IOException {
        Endpoint known = endpoints.get(name);
        if (known != null) return known;
        // opened outside the map's own lock: computeIfAbsent holds a bin's lock while it runs, and 200 agents
        // connecting at once queued behind each other's journal files being created (JFR: 20 s of blocked threads)
        synchronized (opening.computeIfAbsent(name, n -> new Object())) {
            known = endpoints.get(name);
            if (known != null) return known;
            LiveJournal journal = LiveJournal.open(data.endpointDir(name).resolve(LiveJournal.FILE));
            Endpoint e = new Endpoint(name, journal);
            e.indexedSeq = journal.indexedThrough();
            e.committedAt = System.currentTimeMillis();
            endpoints.put(name, e);
            schedule(e); // what a killed server journalled but had not committed to the index
            return e;
        }
    }

    /** The number of events in the endpoint's journal (0 when it has none). */
    public long journalEvents(String endpoint) throws IOException {
        if (!java.nio.file.Files.exists(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) return 0;
        return endpoint(endpoint).journal.count();
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
    static void readJournal(DataDir data, String endpoint, java.util.function.Consumer<Event> sink) throws IOException {
        if (!java.nio.file.Files.exists(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) return;
        try (LiveJournal journal = LiveJournal.open(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) {
            journal.read(0, endpoint, sink);
        }
    }

    /**
     * Commits every endpoint's index that has uncommitted live events. An endpoint being indexed
     * right now is skipped: the next periodic commit takes it.
     */
    public void commit() throws IOException {
        commit(0, Integer.MAX_VALUE);
    }

    /**
     * {@link #commit()} for at most {@code most} endpoints whose last commit is at least
     * {@code olderThanMs} old, the oldest first: endpoints that began streaming together would
     * otherwise all commit in the same second, and searches on every one of them wait meanwhile.
     */
    private void commit(long olderThanMs, int most) throws IOException {
        IOException failed = null;
        long now = System.currentTimeMillis();
        List<Endpoint> due = endpoints.values().stream().filter(e -> e.dirty && now - e.committedAt >= olderThanMs)
                .sorted(java.util.Comparator.comparingLong(e -> e.committedAt)).toList();
        int done = 0;
        for (Endpoint e : due) {
            if (done >= most) break;
            synchronized (e) {
                if (!e.dirty || e.scheduled) continue;
                done++;
                e.scheduled = true; // no indexing of this endpoint while its commit runs
            }
            try (EndpointLocks.Held held = data.endpointLocks().ingesting(e.name, note -> {})) {
                commit(e, lease(e));
            } catch (IOException ex) {
                if (failed == null) failed = ex; else failed.addSuppressed(ex);
            } finally {
                boolean more;
                synchronized (e) {
                    e.scheduled = false;
                    more = !e.waiting.isEmpty();
                }
                if (more) schedule(e);
            }
        }
        if (failed != null) throw failed;
    }

    /*
     * The seq is read before the commit: events indexed while it runs may or may not be in it, and
     * the journal's mark must not claim them. A uid already in the index is never added twice, so
     * reading the journal again from an earlier mark after a crash is harmless.
     */
    private void commit(Endpoint e, IndexBackend.Lease lease) throws IOException {
        long seq;
        synchronized (e) {
            seq = e.indexedSeq;
            e.dirty = false;
        }
        try {
            lease.index().commit();
        } catch (IOException | RuntimeException ex) {
            synchronized (e) {
                e.dirty = true;
            }
            throw ex;
        }
        e.journal.indexedThrough(seq);
        synchronized (e) {
            e.committedAt = System.currentTimeMillis();
            e.flushedAt = e.committedAt;
            if (e.indexedSeq != seq) e.dirty = true;
        }
    }

    /**
     * Stops taking batches, indexes what waits (at most 30 s; what is left the next start takes from
     * the journals), commits and closes the journals.
     */
    @Override
    public void close() throws IOException {
        java.util.concurrent.ScheduledExecutorService ticker;
        synchronized (this) {
            ticker = committer;
        }
        closed = true;
        if (ticker != null) {
            // shutdown, not shutdownNow: an interrupted commit closes the index's write.lock channel ("FileLock
            // invalidated by an external force") and the last commit below fails; the tick under way finishes
            ticker.shutdown();
            try {
                ticker.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        // Never interrupted: a Lucene write interrupted closes its channel and with it the IndexWriter, and
        // the commit below then failed with AlreadyClosedException. What is waiting is indexed (appends are
        // refused now), a catch-up stops after its chunk; then the lanes end by themselves.
        for (var lane : lanes) lane.shutdown();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        try {
            for (var lane : lanes) lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        IOException failed = null;
        try {
            commit();
        } catch (IOException ex) {
            failed = ex;
        } catch (RuntimeException ex) { // an index closed under it: the journal holds every event
            failed = new IOException("committing the live indexes: " + ex, ex);
        }
        for (Endpoint e : endpoints.values()) {
            synchronized (e) {
                if (e.keep != null) e.keep.close();
                e.keep = null;
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
