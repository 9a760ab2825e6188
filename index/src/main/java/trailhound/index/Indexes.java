package trailhound.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.lucene.search.Query;

/**
 * The {@code local} {@link IndexBackend}: per-endpoint indexes under {@code <data>/endpoints/<endpoint>/index/}, opened on demand and
 * kept in a bounded cache (least recently used closed on eviction, never while leased).
 *
 * <pre>{@code
 * try (IndexBackend.Lease lease = indexes.acquire("ws-01")) {
 *     long n = lease.index().count(query);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Any non-empty endpoint name is accepted: one that cannot be a folder name gets
 * a safe folder ({@link #folderName}). An index evicted from the cache while
 * leased stays open until its last lease closes; acquiring it again meanwhile reuses it, so two
 * IndexWriters never compete for one folder.
 */
public final class Indexes implements IndexBackend {
    private final IndexLayout layout;
    private final Cache<String, OpenIndex> open;
    /** Evicted but still leased: closed by the last release, or taken back by the next acquire. */
    private final Map<String, OpenIndex> retired = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param endpointsDir the {@code endpoints/} folder; @param maxOpen cap on open indexes */
    public Indexes(Path endpointsDir, int maxOpen) {
        if (maxOpen < 1) throw new IllegalArgumentException("maxOpen must be at least 1, was " + maxOpen);
        this.layout = new IndexLayout(endpointsDir);
        this.open = Caffeine.newBuilder()
                .maximumSize(maxOpen)
                .executor(Runnable::run) // evict on the caller's thread: the cap holds when acquire returns
                .removalListener((String name, OpenIndex index, RemovalCause cause) -> {
                    if (index != null) retire(name, index);
                })
                .build();
    }

    /** The folder under {@code endpoints/} that holds the endpoint: its name, or a safe stand-in (see IndexLayout). */
    public static String folderName(String endpoint) {
        return IndexLayout.folderName(endpoint);
    }

    @Override
    public List<String> endpoints() throws IOException {
        if (!Files.isDirectory(layout.endpointsDir())) return List.of();
        try (Stream<Path> dirs = Files.list(layout.endpointsDir())) {
            List<String> names = new ArrayList<>();
            for (Path d : dirs.filter(d -> Files.isRegularFile(d.resolve("index").resolve(IndexLayout.CURRENT))).toList()) {
                names.add(IndexLayout.endpointOf(d));
            }
            names.sort(null);
            return names;
        }
    }

    @Override
    public boolean exists(String endpoint) {
        return layout.exists(endpoint);
    }

    /** Leases the endpoint's index, opening it if needed; fails with UnknownEndpointException if absent. */
    @Override
    public Lease acquire(String endpoint) throws IOException {
        IndexLayout.folderName(endpoint);
        if (open.getIfPresent(endpoint) == null && !layout.exists(endpoint)) throw new UnknownEndpointException(endpoint);
        return lease(endpoint, false);
    }

    @Override
    public Lease acquireOrCreate(String endpoint) throws IOException {
        IndexLayout.folderName(endpoint);
        return lease(endpoint, true);
    }

    private Lease lease(String endpoint, boolean create) throws IOException {
        while (true) {
            if (closed) throw new IllegalStateException("indexes of " + layout.endpointsDir() + " are closed");
            OpenIndex index;
            try {
                index = open.get(endpoint, name -> load(name, create));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (index.retain()) return new IndexLease(endpoint, index);
            // closed by eviction between get and retain: load again
        }
    }

    private OpenIndex load(String endpoint, boolean create) {
        try {
            OpenIndex old = retired.remove(endpoint);
            // a generation replaced by a rebuild is never taken back: CURRENT names another folder by then
            if (old != null && layout.exists(endpoint) && old.index.dir().equals(layout.current(endpoint)) && old.revive()) return old;
            if (!create && !layout.exists(endpoint)) throw new UnknownEndpointException(endpoint);
            Path dir = create ? layout.currentOrCreate(endpoint) : layout.current(endpoint);
            return new OpenIndex(EndpointIndex.open(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface IndexFunction<T> {
        T apply(EndpointIndex index) throws IOException;
    }

    /**
     * Runs the function on the endpoint's index: the open one when the cache (or a lease) holds it,
     * else a read-only open that is closed again afterwards. A sweep over a thousand endpoints thus
     * neither evicts the indexes analysts are working in nor pays for closing evicted ones.
     */
    <T> T withIndex(String endpoint, IndexFunction<T> function) throws IOException {
        IndexLayout.folderName(endpoint);
        OpenIndex cached = open.getIfPresent(endpoint);
        if (cached == null) cached = retired.get(endpoint);
        if (cached != null && cached.retain()) {
            try (IndexLease lease = new IndexLease(endpoint, cached)) {
                return function.apply(lease.index());
            }
        }
        if (!layout.exists(endpoint)) throw new UnknownEndpointException(endpoint);
        try (EndpointIndex transientIndex = EndpointIndex.open(layout.current(endpoint))) {
            return function.apply(transientIndex);
        }
    }

    private void retire(String name, OpenIndex index) {
        retired.put(name, index);
        if (index.evict()) retired.remove(name, index);
    }

    /** Number of indexes open right now (cached or still leased after eviction); for tests and metrics. */
    int openCount() {
        open.cleanUp();
        return (int) open.estimatedSize() + retired.size();
    }

    /**
     * One query over every endpoint in one pass: the exact count per endpoint (those with at least one
     * hit, by name) and the newest {@code limit} matching events across all of them.
     */
    @Override
    public HuntResult hunt(Query query, int limit) throws IOException {
        return Hunt.run(this, null, query, limit, null);
    }

    /**
     * As {@link #hunt(Query, int)}, over the named endpoints only (names without an index are
     * skipped; the others are never opened) and from after {@code after} (null: the newest).
     */
    @Override
    public HuntResult hunt(Query query, int limit, Collection<String> endpoints, HuntCursor after) throws IOException {
        return Hunt.run(this, Set.copyOf(endpoints), query, limit, after);
    }

    @Override
    public HuntResult huntBefore(Query query, int limit, Collection<String> endpoints, HuntCursor before) throws IOException {
        return Hunt.runBefore(this, Set.copyOf(endpoints), query, limit, before);
    }

    @Override
    public HuntSuggestions suggest(Collection<String> endpoints, List<trailhound.schema.Field> fields, String prefix, int limit,
            int maxEndpoints) throws IOException {
        if (maxEndpoints < 1) throw new IllegalArgumentException("maxEndpoints must be at least 1, was " + maxEndpoints);
        List<String> named = endpoints.stream().distinct().filter(layout::exists).sorted().toList();
        // open indexes first: a transient open of a cold one costs more than the suggestion itself
        List<String> order = new ArrayList<>(named.stream().filter(e -> open.getIfPresent(e) != null || retired.containsKey(e)).toList());
        named.stream().filter(e -> !order.contains(e)).forEach(order::add);
        Map<String, Long> sums = new java.util.HashMap<>();
        int searched = 0;
        for (String endpoint : order.subList(0, Math.min(order.size(), maxEndpoints))) {
            try {
                for (TermCount t : withIndex(endpoint, index -> index.suggest(fields, prefix, limit))) sums.merge(t.term(), t.count(), Long::sum);
                searched++;
            } catch (UnknownEndpointException | IndexFormatException e) {
                // removed meanwhile, or an older format waiting for its re-index (the endpoint list says so)
            }
        }
        List<TermCount> best = sums.entrySet().stream().map(e -> new TermCount(e.getKey(), e.getValue()))
                .sorted(java.util.Comparator.comparingLong(TermCount::count).reversed().thenComparing(TermCount::term))
                .limit(limit).toList();
        return new HuntSuggestions(best, searched, named.size());
    }

    @Override
    public Map<String, Long> countAll(Query query) throws IOException {
        return Hunt.run(this, null, query, 1, null).counts();
    }

    @Override
    public List<HuntHit> searchAll(Query query, int limit) throws IOException {
        return Hunt.run(this, null, query, limit, null).hits();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        open.invalidateAll();
        open.cleanUp();
        List<IOException> failures = new ArrayList<>();
        for (OpenIndex index : retired.values()) {
            try {
                index.index.close(); // leases still out: their next use fails with AlreadyClosedException
            } catch (IOException e) {
                failures.add(e);
            }
        }
        retired.clear();
        if (!failures.isEmpty()) {
            IOException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    /**
     * Starts a rebuild of the endpoint's index: a new, empty generation beside the current one,
     * which searches never see until {@link Rebuild#publish()} swaps it in. Leftover generations of an
     * interrupted rebuild are deleted first. One rebuild per endpoint at a time (the caller's duty).
     */
    @Override
    public Rebuild rebuild(String endpoint) throws IOException {
        IndexLayout.folderName(endpoint);
        Path indexDir = layout.indexDir(endpoint);
        Files.createDirectories(indexDir);
        long current = layout.exists(endpoint) ? layout.currentGeneration(endpoint) : 0;
        long next = current + 1;
        try (Stream<Path> dirs = Files.list(indexDir)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (Files.isDirectory(d) && name.matches("[0-9]+") && Long.parseLong(name) != current) {
                    IndexLayout.deleteTree(d); // a rebuild that never finished, or an old generation left open
                    next = Math.max(next, Long.parseLong(name) + 1);
                }
            }
        }
        Path dir = indexDir.resolve(Long.toString(next));
        return new LocalRebuild(endpoint, next, current, EndpointIndex.open(dir));
    }

    /** A new generation in the endpoint's index folder. */
    private final class LocalRebuild implements Rebuild {
        private final String endpoint;
        private final long generation;
        private final long replaced;
        private final EndpointIndex index;
        private boolean done;

        private LocalRebuild(String endpoint, long generation, long replaced, EndpointIndex index) {
            this.endpoint = endpoint;
            this.generation = generation;
            this.replaced = replaced;
            this.index = index;
        }

        @Override
        public EndpointIndex index() {
            return index;
        }

        /**
         * Commits the new generation and makes it the endpoint's index atomically. Searches running
         * meanwhile finish on the old one, which is closed by its last lease and then deleted.
         */
        @Override
        public void publish() throws IOException {
            index.commit();
            index.close();
            layout.swap(endpoint, generation);
            done = true;
            open.invalidate(endpoint);
            open.cleanUp();
            Path oldDir = layout.indexDir(endpoint).resolve(Long.toString(replaced));
            Runnable deleteOld = () -> {
                try {
                    IndexLayout.deleteTree(oldDir);
                } catch (IOException e) {
                    // left for the next rebuild, which deletes every generation but the current one
                }
            };
            OpenIndex old = retired.remove(endpoint); // never revive the replaced generation
            if (replaced == 0) return;
            if (old == null || !old.afterClose(deleteOld)) deleteOld.run(); // else deleted when its last search ends
        }

        /** Throws the new generation away unless published. */
        @Override
        public void close() throws IOException {
            if (done) return;
            done = true;
            index.close();
            IndexLayout.deleteTree(layout.indexDir(endpoint).resolve(Long.toString(generation)));
        }
    }

    /**
     * Removes the endpoint's index (every generation). Searches running on it finish first; the
     * folder is deleted when its last lease ends. Absent is fine.
     */
    @Override
    public void delete(String endpoint) throws IOException {
        Path indexDir = layout.indexDir(endpoint);
        if (!Files.exists(indexDir)) return;
        List<Path> generations;
        try (Stream<Path> dirs = Files.list(indexDir)) {
            generations = dirs.filter(Files::isDirectory).toList(); // only these: a new index of the name may start meanwhile
        }
        Files.deleteIfExists(indexDir.resolve(IndexLayout.CURRENT)); // gone for every new acquire from here on
        open.invalidate(endpoint);
        open.cleanUp();
        OpenIndex old = retired.remove(endpoint);
        Runnable deleteAll = () -> {
            try {
                for (Path g : generations) IndexLayout.deleteTree(g);
            } catch (IOException e) {
                // a later delete or rebuild of this name removes what is left
            }
        };
        if (old == null || !old.afterClose(deleteAll)) deleteAll.run();
    }

    /**
     * The format of the endpoint's current index, when it differs from the one this code reads
     * ({@link EndpointIndex#FORMAT}): such an endpoint needs a re-index. Empty when it is current or absent.
     */
    @Override
    public java.util.OptionalInt staleFormat(String endpoint) throws IOException {
        if (!layout.exists(endpoint)) return java.util.OptionalInt.empty();
        int format = EndpointIndex.format(layout.current(endpoint));
        return format == 0 || format == EndpointIndex.FORMAT ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(format);
    }

    /** An open index with its lease count; closed when evicted and no longer leased. */
    private static final class OpenIndex {
        final EndpointIndex index;
        private int leases;
        private boolean evicted;
        private boolean closed;
        private Runnable afterClose;

        OpenIndex(EndpointIndex index) {
            this.index = index;
        }

        synchronized boolean retain() {
            if (closed) return false;
            leases++;
            return true;
        }

        /** Marks it evicted; closes it now when unleased. True when closed. */
        synchronized boolean evict() {
            evicted = true;
            if (leases == 0) closeNow();
            return closed;
        }

        /** Takes an evicted but still leased index back into the cache. */
        synchronized boolean revive() {
            if (closed) return false;
            evicted = false;
            return true;
        }

        /** Evicts it and runs the action once it is closed; false (nothing scheduled) when it is closed already. */
        synchronized boolean afterClose(Runnable action) {
            if (closed) return false;
            afterClose = action;
            evict();
            if (closed) {
                afterClose = null;
                return false;
            }
            return true;
        }

        synchronized boolean release() {
            leases--;
            if (leases == 0 && evicted) closeNow();
            return closed;
        }

        private void closeNow() {
            closed = true;
            try {
                index.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing the index in " + index.dir() + " failed", e);
            } finally {
                if (afterClose != null) afterClose.run();
            }
        }
    }

    private final class IndexLease implements Lease {
        private final String endpoint;
        private final OpenIndex index;
        private boolean released;

        IndexLease(String endpoint, OpenIndex index) {
            this.endpoint = endpoint;
            this.index = index;
        }

        @Override
        public boolean current() throws IOException {
            return !released && !index.index.isClosed() && layout.exists(endpoint) && index.index.dir().equals(layout.current(endpoint));
        }

        @Override
        public EndpointIndex index() {
            if (released) throw new IllegalStateException("lease already closed");
            return index.index;
        }

        @Override
        public void close() {
            if (released) return;
            released = true;
            if (index.release()) retired.values().remove(index);
        }
    }
}
