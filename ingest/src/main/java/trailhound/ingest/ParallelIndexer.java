package trailhound.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import trailhound.index.IndexBackend;
import trailhound.index.Indexes;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * Reading (SQLite) runs on the caller's thread; indexing runs on worker threads that share each
 * endpoint's one IndexWriter. Events travel in batches through a bounded queue, so a fast reader
 * cannot fill the heap and the workers never wait on the reader per event. A reader that already
 * runs on several threads (JSON lines are parsed on worker threads of their own) calls index()
 * from them instead, and the queue's workers are never started. Nothing is committed until
 * finish() or a checkpoint, and then as an unfinished source; abort() removes what the source added.
 * A crash mid-way leaves the last commit; running the ingest again completes the source, because an
 * event already indexed is kept as it is. While it runs, the source's events are searchable, marked
 * partial, with this indexer's progress (EventIndex#startSource).
 */

/** Indexes one source's stream of events into their endpoints' indexes on worker threads; one use. */
final class ParallelIndexer implements Consumer<Event>, AutoCloseable {
    private static final int BATCH = 2_000;
    private static final List<Event> POISON = List.of();

    private final IndexBackend indexes;
    private final EndpointLocks locks;
    /** The endpoints this ingest writes, each held against a rebuild until close. */
    private final List<EndpointLocks.Held> held = java.util.Collections.synchronizedList(new ArrayList<>());
    private final int threads;
    private final String source;
    private final long expected;
    private final BlockingQueue<List<Event>> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final Map<String, IndexBackend.Lease> leases = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> submitted = new ConcurrentHashMap<>();
    private final Map<String, Long> before = new ConcurrentHashMap<>();
    /** Per kind: read, added, duplicates, refused. */
    private final Map<String, LongAdder[]> kinds = new ConcurrentHashMap<>();
    private final java.util.function.Consumer<String> notes;
    /** Per endpoint, the source's events an interrupted run committed at a checkpoint before this one. */
    private final Map<String, Long> resumed = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong refusedCount = new AtomicLong();
    /** Batches queued or being indexed: a checkpoint waits for none. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
    private final DataDir data;
    /** Newly indexed events per endpoint not yet handed to the data folder's listener (each list guarded by itself). */
    private final Map<String, List<Event>> fresh = new ConcurrentHashMap<>();
    private List<Event> batch = new ArrayList<>(BATCH);
    private boolean finished;

    /**
     * @param source   the label of the source whose events these are
     * @param expected how many events the source holds (the progress shown beside partial results),
     *                 -1 when unknown
     * @param notes    told what the ingest waits for, when it waits (for a rebuild of an endpoint)
     */
    ParallelIndexer(DataDir data, int threads, String source, long expected, java.util.function.Consumer<String> notes) {
        this.data = data;
        this.notes = notes;
        this.indexes = data.indexes();
        this.locks = data.endpointLocks();
        this.threads = threads;
        this.source = source;
        this.expected = expected;
        this.queue = new ArrayBlockingQueue<>(threads * 4);
    }

    /** Queues the event; rethrows the first indexing failure so the reader stops early. */
    @Override
    public void accept(Event event) {
        batch.add(event);
        if (batch.size() == BATCH) {
            flushBatch();
        }
    }

    /**
     * Indexes the event on the calling thread, bypassing the queue: for readers that spread their
     * work over threads themselves. Thread-safe; rethrows the first indexing failure.
     */
    void index(Event event) {
        rethrow();
        try {
            add(event, data.indexedListener().orElse(null));
            indexed.incrementAndGet();
        } catch (IOException e) {
            failure.compareAndSet(null, e);
            rethrow();
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            throw e;
        }
    }

    /**
     * The events in order; for an index that prefers batches (OpenSearch: one bulk request, not one per
     * event) each endpoint's run of consecutive events at once.
     */
    private void addAll(List<Event> events, IndexedEvents listener) throws IOException {
        int i = 0;
        while (i < events.size()) {
            String endpoint = events.get(i).get(Field.ENDPOINT);
            int end = i + 1;
            while (end < events.size() && java.util.Objects.equals(events.get(end).get(Field.ENDPOINT), endpoint)) end++;
            trailhound.index.EventIndex index = lease(endpoint).index();
            if (index.prefersBatches()) {
                List<Event> run = events.subList(i, end);
                boolean[] added = index.addEach(run);
                submitted.computeIfAbsent(endpoint, k -> new AtomicLong()).addAndGet(run.size());
                for (int j = 0; j < added.length; j++) {
                    LongAdder[] kind = kinds(run.get(j));
                    kind[0].increment();
                    kind[added[j] ? 1 : 2].increment();
                    if (added[j] && listener != null) tell(listener, endpoint, run.get(j));
                }
            } else {
                for (int j = i; j < end; j++) add(events.get(j), listener);
            }
            i = end;
        }
    }

    private LongAdder[] kinds(Event e) {
        return kinds.computeIfAbsent(e.kind(), k -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder()});
    }

    private void add(Event e, IndexedEvents listener) throws IOException {
        String endpoint = e.get(Field.ENDPOINT);
        submitted.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
        LongAdder[] kind = kinds.computeIfAbsent(e.kind(), k -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder()});
        kind[0].increment();
        try {
            boolean added = lease(endpoint).index().add(e);
            kind[added ? 1 : 2].increment();
            if (added && listener != null) tell(listener, endpoint, e);
        } catch (IllegalArgumentException invalid) {
            kind[3].increment();
            // One event Lucene refuses (a value it cannot index) costs that event, never the file:
            // IndexWriter stays usable after such a refusal.
            long n = refusedCount.incrementAndGet();
            if (n <= 10) refused.add("event " + e.uid() + " of " + endpoint + " could not be indexed: " + invalid.getMessage());
        }
    }

    /**
     * Takes part in the endpoint's index before any event arrives: a resumed ingest whose last
     * checkpoint was its last event reads nothing, yet finish() must still complete the source there.
     */
    void touch(String endpoint) throws IOException {
        lease(endpoint);
    }

    /** Keeps the new event for the listener, handing it over with the endpoint's others once IndexedEvents.BATCH wait. */
    private void tell(IndexedEvents listener, String endpoint, Event e) {
        List<Event> ready = null;
        List<Event> waiting = fresh.computeIfAbsent(endpoint, k -> new ArrayList<>());
        synchronized (waiting) {
            waiting.add(e);
            if (waiting.size() >= IndexedEvents.BATCH) {
                ready = List.copyOf(waiting);
                waiting.clear();
            }
        }
        if (ready != null) listener.indexed(endpoint, ready);
    }

    /** Hands what waits for the listener over (at the end of a source, when its events are all indexed). */
    private void tellRest() {
        IndexedEvents listener = data.indexedListener().orElse(null);
        for (var entry : fresh.entrySet()) {
            List<Event> rest;
            synchronized (entry.getValue()) {
                rest = List.copyOf(entry.getValue());
                entry.getValue().clear();
            }
            if (listener != null && !rest.isEmpty()) listener.indexed(entry.getKey(), rest);
        }
    }

    /** Events Lucene refused, and the first (at most ten) reasons. */
    long refusedCount() {
        return refusedCount.get();
    }

    List<String> refused() {
        return List.copyOf(refused);
    }

    long indexedSoFar() {
        return indexed.get();
    }

    private void flushBatch() {
        if (batch.isEmpty()) return;
        if (workers.isEmpty()) {
            for (int i = 0; i < threads; i++) {
                workers.add(Thread.ofPlatform().name("indexer-" + i).daemon().start(this::work));
            }
        }
        put(batch);
        batch = new ArrayList<>(BATCH);
    }

    private void put(List<Event> events) {
        if (events != POISON) inFlight.incrementAndGet();
        try {
            while (!queue.offer(events, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                rethrow();
            }
            rethrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while indexing", e);
        }
    }

    private void work() {
        try {
            while (true) {
                List<Event> events = queue.take();
                if (events == POISON) return;
                if (failure.get() != null) {
                    inFlight.decrementAndGet();
                    continue;
                }
                try {
                    IndexedEvents listener = data.indexedListener().orElse(null); // once a batch: most of the time none
                    addAll(events, listener);
                    indexed.addAndGet(events.size());
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            queue.clear();
        }
    }

    private IndexBackend.Lease lease(String endpoint) throws IOException {
        IndexBackend.Lease lease = leases.get(endpoint);
        if (lease != null) return lease;
        synchronized (leases) {
            lease = leases.get(endpoint);
            if (lease == null) {
                held.add(locks.ingesting(endpoint, notes)); // waits while the endpoint is rebuilt
                lease = indexes.acquireOrCreate(endpoint);
                before.put(endpoint, lease.index().stats().eventCount());
                long earlier = lease.index().countSource(source); // committed by an interrupted run of this source
                resumed.put(endpoint, earlier);
                AtomicLong sent = submitted.computeIfAbsent(endpoint, k -> new AtomicLong());
                lease.index().startSource(source, () -> earlier + sent.get(), expected);
                leases.put(endpoint, lease);
            }
            return lease;
        }
    }

    /**
     * Waits for the workers, commits every touched index with the source complete and returns
     * per-endpoint counts, sorted by endpoint; {@code sourceEvents} is filled with the events labelled
     * with the source per endpoint (more than this run added when an earlier, interrupted run of the
     * same source committed some).
     */
    Map<String, EndpointCounts> finish(Map<String, Long> sourceEvents) throws IOException {
        flushBatch();
        stopWorkers();
        rethrow();
        tellRest();
        Map<String, EndpointCounts> counts = new TreeMap<>();
        for (var entry : leases.entrySet()) {
            var index = entry.getValue().index();
            index.finishSource(source); // this commit makes the source's events count
            index.commit();
            long now = index.stats().eventCount();
            long read = submitted.get(entry.getKey()).get();
            long added = now - before.get(entry.getKey());
            long earlier = resumed.get(entry.getKey());
            counts.put(entry.getKey(), new EndpointCounts(entry.getKey(), read, added, read - (added - earlier), 0, earlier));
            sourceEvents.put(entry.getKey(), index.countSource(source));
        }
        return counts;
    }

    /**
     * Makes everything accepted so far durable as the source's progress up to {@code position}: waits
     * until every queued event is indexed, then commits each touched index with the checkpoint (see
     * EventIndex#checkpoint). The caller reads in position order.
     */
    void checkpoint(String position) throws IOException {
        flushBatch();
        while (inFlight.get() > 0) {
            rethrow();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        rethrow();
        for (IndexBackend.Lease lease : leases.values()) lease.index().checkpoint(source, position);
    }

    /** What happened to the events of each kind so far, sorted by kind. */
    Map<String, KindCounts> kinds() {
        Map<String, KindCounts> out = new java.util.TreeMap<>();
        kinds.forEach((k, c) -> out.put(k, new KindCounts(c[0].sum(), c[1].sum(), c[2].sum(), c[3].sum())));
        return out;
    }

    /** Stops the workers and removes every event labelled with the source from the touched indexes (committed). */
    void abort() throws IOException {
        stopWorkers();
        IOException first = null;
        for (IndexBackend.Lease lease : leases.values()) {
            try {
                lease.index().deleteSource(source);
            } catch (IOException | RuntimeException e) {
                if (first == null) first = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
        if (first != null) throw first;
    }

    private void stopWorkers() {
        if (finished) return;
        finished = true;
        for (int i = 0; i < workers.size(); i++) {
            try {
                queue.put(POISON);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void rethrow() {
        Throwable t = failure.get();
        if (t == null) return;
        if (t instanceof IOException io) throw new UncheckedIOException("indexing failed: " + io.getMessage(), io);
        if (t instanceof RuntimeException re) throw re;
        throw new IllegalStateException("indexing failed: " + t, t);
    }

    /** Stops the workers (if finish() was not reached), hides what an unfinished source added, releases the leases. */
    @Override
    public void close() {
        stopWorkers();
        leases.values().forEach(lease -> lease.index().stopIngesting(source));
        leases.values().forEach(IndexBackend.Lease::close);
        leases.clear();
        held.forEach(EndpointLocks.Held::close);
        held.clear();
    }
}
