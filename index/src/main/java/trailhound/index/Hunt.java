package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
import trailhound.schema.IndexFields;

/*
 * Hunting: one query over every endpoint, one endpoint at a time through Indexes leases so the
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

    static Map<String, Long> countAll(Indexes indexes, Query query) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String endpoint : indexes.endpoints()) {
            try (Indexes.Lease lease = indexes.acquire(endpoint)) {
                long n = lease.index().count(query);
                if (n > 0) counts.put(endpoint, n);
            } catch (UnknownEndpointException e) {
                // removed while hunting: it has nothing to count
            }
        }
        return counts;
    }

    static List<HuntHit> searchAll(Indexes indexes, Query query, int limit) throws IOException {
        if (limit < 1) throw new IllegalArgumentException("hunt limit must be at least 1, was " + limit);
        PriorityQueue<HuntHit> best = new PriorityQueue<>(NEWEST_FIRST.reversed()); // head = the oldest kept
        for (String endpoint : indexes.endpoints()) {
            Query q = query;
            if (best.size() == limit) {
                Query newer = LongPoint.newRangeQuery(IndexFields.point(Field.TS), best.peek().event().ts(), Long.MAX_VALUE);
                q = new BooleanQuery.Builder()
                        .add(query == null ? new MatchAllDocsQuery() : query, Occur.MUST)
                        .add(newer, Occur.FILTER)
                        .build();
            }
            try (Indexes.Lease lease = indexes.acquire(endpoint)) {
                for (Event e : lease.index().search(q, limit, null).events()) {
                    best.add(new HuntHit(endpoint, e));
                    if (best.size() > limit) best.poll();
                }
            } catch (UnknownEndpointException e) {
                // removed while hunting: it has nothing to find
            }
        }
        List<HuntHit> hits = new ArrayList<>(best);
        hits.sort(NEWEST_FIRST);
        return hits;
    }
}
