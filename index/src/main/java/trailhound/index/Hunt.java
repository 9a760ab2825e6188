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
import java.util.Set;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;
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
 *
 * Paging: a page keeps limit + 1 hits, the extra one only saying that there is a next page. The
 * next page starts after the cursor (ts, uid, endpoint) of the last hit shown: each endpoint is
 * searched with its own keyset cursor (ts, uid), exclusive for endpoints up to the cursor's and
 * inclusive for the ones after it (an event with the same ts and uid there sorts after the cursor).
 * A page costs what the first one costs: every endpoint's count, and its newest hits past the cursor.
 * uids are compared as UTF-8 bytes, as Lucene sorts them, so the merged order is each endpoint's own.
 */
final class Hunt {
    /** Newest first, then event uid, then endpoint: the order of one endpoint's pages, extended. */
    static final Comparator<HuntHit> NEWEST_FIRST = Comparator
            .comparingLong((HuntHit h) -> h.event().ts()).reversed()
            .thenComparing(h -> new BytesRef(h.event().uid()))
            .thenComparing(HuntHit::endpoint);

    private Hunt() {}

    /**
     * @param only  the endpoints to hunt (null: every endpoint with an index); names without an index are skipped
     * @param after the last hit of the previous page, or null for the first page
     */
    static HuntResult run(Indexes indexes, Set<String> only, Query query, int limit, HuntCursor after) throws IOException {
        if (limit < 1) throw new IllegalArgumentException("hunt limit must be at least 1, was " + limit);
        Query base = query == null ? new MatchAllDocsQuery() : query;
        int keep = limit == Integer.MAX_VALUE ? limit : limit + 1; // one more: is there a next page?
        Map<String, Long> counts = new TreeMap<>();
        Map<String, List<SourceProgress>> partial = new TreeMap<>();
        PriorityQueue<HuntHit> best = new PriorityQueue<>(NEWEST_FIRST.reversed()); // head = the oldest kept
        List<String> endpoints = indexes.endpoints().stream().filter(e -> only == null || only.contains(e)).toList();
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
                    hunt(indexes, endpoint, base, keep, after, counts, partial, best);
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
        HuntCursor next = null;
        if (hits.size() > limit) {
            hits = hits.subList(0, limit);
            HuntHit last = hits.getLast();
            next = new HuntCursor(last.event().ts(), last.event().uid(), last.endpoint());
        }
        return new HuntResult(Collections.unmodifiableMap(counts), List.copyOf(hits), next, Collections.unmodifiableMap(partial));
    }

    /** One endpoint: its exact count and the page of hits past the cursor that could still make the cut. */
    private static void hunt(Indexes indexes, String endpoint, Query base, int limit, HuntCursor after,
            Map<String, Long> counts, Map<String, List<SourceProgress>> partial, PriorityQueue<HuntHit> best) throws IOException {
        try {
            indexes.withIndex(endpoint, index -> {
                List<SourceProgress> ingesting = index.ingesting();
                long count = index.count(base);
                synchronized (best) {
                    if (!ingesting.isEmpty()) partial.put(endpoint, List.copyOf(ingesting));
                }
                if (count == 0) return null;
                Query q = base;
                synchronized (best) {
                    counts.put(endpoint, count);
                    if (best.size() == limit) {
                        Query newer = LongPoint.newRangeQuery(IndexFields.point(Field.TS), best.peek().event().ts(), Long.MAX_VALUE);
                        q = new BooleanQuery.Builder().add(base, Occur.MUST).add(newer, Occur.FILTER).build();
                    }
                }
                PageCursor from = after == null ? null : new PageCursor(after.ts(), after.eventUid());
                boolean inclusive = after != null && endpoint.compareTo(after.endpoint()) > 0;
                List<Event> events = index.search(q, limit, from, inclusive).events();
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
