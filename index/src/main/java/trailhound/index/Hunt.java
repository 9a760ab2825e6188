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
 *
 * The page before a cursor (Previous; with no cursor, the last page) is the same walk backwards: each
 * endpoint's oldest-first hits from the cursor's time on (ts ascending is exactly the reverse order),
 * as many as the page plus the endpoint's hits at the cursor's very millisecond, which may sort on
 * either side of it and are sorted out in memory. The position of a page's first hit is counted, not
 * carried in the URL: per endpoint the hits newer than the cursor's time plus those at that time that
 * sort before it, so it stays exact while live events arrive.
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
        long[] before = {0};
        each(indexes, only, endpoint -> {
            hunt(indexes, endpoint, base, keep, after, counts, partial, best);
            if (after != null) add(before, hitsBefore(indexes, endpoint, base, after));
        });
        List<HuntHit> hits = new ArrayList<>(best);
        hits.sort(NEWEST_FIRST);
        HuntCursor next = null;
        if (hits.size() > limit) {
            hits = hits.subList(0, limit);
            next = cursor(hits.getLast());
        }
        long start = after == null ? 0 : before[0] + 1; // the cursor's own hit is the one before this page
        return new HuntResult(Collections.unmodifiableMap(counts), List.copyOf(hits), next, Collections.unmodifiableMap(partial), start);
    }

    /**
     * The page before {@code before}: the {@code limit} hits just newer than it, newest first, with
     * {@link HuntResult#next()} at its last hit; with {@code before} null the oldest {@code limit} hits
     * (the last page). Counts as {@link #run}.
     */
    static HuntResult runBefore(Indexes indexes, Set<String> only, Query query, int limit, HuntCursor before) throws IOException {
        if (limit < 1 || limit > EventSort.MAX_DEPTH) {
            throw new IllegalArgumentException("hunt limit must be from 1 to " + EventSort.MAX_DEPTH + ", was " + limit);
        }
        Query base = query == null ? new MatchAllDocsQuery() : query;
        Map<String, Long> counts = new TreeMap<>();
        Map<String, List<SourceProgress>> partial = new TreeMap<>();
        PriorityQueue<HuntHit> closest = new PriorityQueue<>(NEWEST_FIRST); // head = the newest kept, the farthest from the cursor
        long[] newer = {0};
        each(indexes, only, endpoint -> {
            try {
                indexes.withIndex(endpoint, index -> {
                    List<SourceProgress> ingesting = index.ingesting();
                    long count = index.count(base);
                    synchronized (closest) {
                        if (!ingesting.isEmpty()) partial.put(endpoint, List.copyOf(ingesting));
                        if (count > 0) counts.put(endpoint, count);
                    }
                    if (count == 0) return null;
                    Query q = before == null ? base : and(base, LongPoint.newRangeQuery(IndexFields.point(Field.TS), before.ts(), Long.MAX_VALUE));
                    long ties = before == null ? 0 : index.count(and(base, LongPoint.newExactQuery(IndexFields.point(Field.TS), before.ts())));
                    int k = (int) Math.min(EventSort.MAX_DEPTH, limit + ties);
                    List<Event> events = index.page(q, OLDEST_FIRST, 0, k).events();
                    long here = 0;
                    synchronized (closest) {
                        for (Event e : events) {
                            HuntHit hit = new HuntHit(endpoint, e);
                            if (before != null && !sortsBefore(hit, before)) continue;
                            here++;
                            closest.add(hit);
                            if (closest.size() > limit) closest.poll();
                        }
                    }
                    if (before != null) add(newer, hitsBefore(index, endpoint, base, before));
                    return null;
                });
            } catch (UnknownEndpointException | IndexFormatException e) {
                // as in hunt(): removed while hunting, or not searchable until re-indexed
            }
        });
        List<HuntHit> hits = new ArrayList<>(closest);
        hits.sort(NEWEST_FIRST);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long start = before == null ? Math.max(0, total - hits.size()) : newer[0] - hits.size();
        HuntCursor next = hits.isEmpty() || start + hits.size() >= total ? null : cursor(hits.getLast());
        return new HuntResult(Collections.unmodifiableMap(counts), List.copyOf(hits), next, Collections.unmodifiableMap(partial), start);
    }

    /** Oldest first: ts ascending, event_uid descending, the exact reverse of an endpoint's newest-first pages. */
    private static final EventSort OLDEST_FIRST = new EventSort(Field.TS, false);

    private static HuntCursor cursor(HuntHit hit) {
        return new HuntCursor(hit.event().ts(), hit.event().uid(), hit.endpoint());
    }

    /** True when the hit comes before the cursor in {@link #NEWEST_FIRST} order. */
    private static boolean sortsBefore(HuntHit hit, HuntCursor c) {
        if (hit.event().ts() != c.ts()) return hit.event().ts() > c.ts();
        int uid = new BytesRef(hit.event().uid()).compareTo(new BytesRef(c.eventUid()));
        if (uid != 0) return uid < 0;
        return hit.endpoint().compareTo(c.endpoint()) < 0;
    }

    /** The endpoint's hits that come before the cursor: those newer than its time, and those at its time that sort before it. */
    private static long hitsBefore(Indexes indexes, String endpoint, Query base, HuntCursor c) throws IOException {
        try {
            return indexes.withIndex(endpoint, index -> hitsBefore(index, endpoint, base, c));
        } catch (UnknownEndpointException | IndexFormatException e) {
            return 0;
        }
    }

    private static long hitsBefore(EndpointIndex index, String endpoint, Query base, HuntCursor c) throws IOException {
        if (c.ts() == Long.MAX_VALUE) return 0;
        long newer = index.count(and(base, LongPoint.newRangeQuery(IndexFields.point(Field.TS), c.ts() + 1, Long.MAX_VALUE)));
        Query at = and(base, LongPoint.newExactQuery(IndexFields.point(Field.TS), c.ts()));
        long ties = index.count(at);
        if (ties == 0) return newer;
        long before = 0;
        for (Event e : index.page(at, EventSort.NEWEST_FIRST, 0, (int) Math.min(ties, EventSort.MAX_DEPTH)).events()) {
            if (sortsBefore(new HuntHit(endpoint, e), c)) before++;
        }
        return newer + before;
    }

    private static Query and(Query base, Query filter) {
        return new BooleanQuery.Builder().add(base, Occur.MUST).add(filter, Occur.FILTER).build();
    }

    private static void add(long[] sum, long n) {
        synchronized (sum) {
            sum[0] += n;
        }
    }

    private interface EndpointTask {
        void run(String endpoint) throws IOException;
    }

    /** Runs the task for each endpoint hunted (a few at a time, one per core); the first failure is thrown. */
    private static void each(Indexes indexes, Set<String> only, EndpointTask task) throws IOException {
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
                    task.run(endpoint);
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                try {
                    f.get();
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
