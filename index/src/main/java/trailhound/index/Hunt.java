package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/*
 * Hunting: one query over every endpoint, a few endpoints at a time (one per core), each through
 * the index cache when it holds the endpoint and a transient read-only open otherwise, so the
 * open-index cap holds however many endpoints there are. For newest-first hits across endpoints,
 * once `limit` hits are known, the time of the oldest of them becomes a lower bound (a point range
 * filter) for the next endpoints, so each further endpoint only returns (and reads) events that
 * could make the cut.
 */
final class Hunt {
    /** Newest first, then event uid, then endpoint: the order of one endpoint's pages, extended. */
    static final Comparator<HuntHit> NEWEST_FIRST = Comparator
            .comparingLong((HuntHit h) -> h.event().ts()).reversed()
            .thenComparing(h -> h.event().uid())
            .thenComparing(HuntHit::endpoint);

    private Hunt() {}

    static HuntResult run(Indexes indexes, Query query, int limit) throws IOException {
        if (limit < 1) throw new IllegalArgumentException("hunt limit must be at least 1, was " + limit);
        Query base = query == null ? new MatchAllDocsQuery() : query;
        Map<String, Long> counts = new TreeMap<>();
        PriorityQueue<HuntHit> best = new PriorityQueue<>(NEWEST_FIRST.reversed()); // head = the oldest kept
        List<String> endpoints = indexes.endpoints();
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), endpoints.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "trailhound-hunt");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (String endpoint : endpoints) {
                tasks.add(pool.submit(() -> {
                    hunt(indexes, endpoint, base, limit, counts, best);
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new IOException("hunt failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("hunt interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<HuntHit> hits = new ArrayList<>(best);
        hits.sort(NEWEST_FIRST);
        return new HuntResult(Collections.unmodifiableMap(counts), List.copyOf(hits));
    }

    /** One endpoint: its exact count and the page of hits that could still make the cut. */
    private static void hunt(Indexes indexes, String endpoint, Query base, int limit,
            Map<String, Long> counts, PriorityQueue<HuntHit> best) throws IOException {
        try {
            indexes.withIndex(endpoint, index -> {
                long count = index.count(base);
                if (count == 0) return null;
                Query q = base;
                synchronized (best) {
                    counts.put(endpoint, count);
                    if (best.size() == limit) {
                        Query newer = LongPoint.newRangeQuery(IndexFields.point(Field.TS), best.peek().event().ts(), Long.MAX_VALUE);
                        q = new BooleanQuery.Builder().add(base, Occur.MUST).add(newer, Occur.FILTER).build();
                    }
                }
                List<Event> events = index.search(q, limit, null).events();
                synchronized (best) {
                    for (Event e : events) {
                        best.add(new HuntHit(endpoint, e));
                        if (best.size() > limit) best.poll();
                    }
                }
                return null;
            });
        } catch (UnknownEndpointException e) {
            // removed while hunting: it has nothing to find
        } catch (IndexFormatException e) {
            // an index of an older format is not searchable until re-indexed; the endpoint list says so
        }
    }
}
