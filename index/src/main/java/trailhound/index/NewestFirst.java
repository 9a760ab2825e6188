package trailhound.index;

import java.io.IOException;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/*
 * The newest hits of a query, without an index sort (docs/decisions.md, format 3).
 *
 * Events arrive roughly oldest first, so document order is time order. A sorted search over
 * everything would fill its queue with the oldest events first and could skip nothing. Instead it
 * searches a window of the most recent time, sized from the ts range as if the matching events were
 * spread evenly over it, and widens the window fourfold until it holds enough hits or reaches the
 * oldest event. Once a window [from, upper] holds n hits, they are exactly the newest n of all:
 * everything outside it is older.
 */
final class NewestFirst {
    /** Newest first; event_uid breaks ties so pages are stable. */
    static final Sort SORT = new Sort(
            new SortField(IndexFields.TS, SortField.Type.LONG, true),
            new SortField(IndexFields.display(Field.EVENT_UID), SortField.Type.STRING));

    private NewestFirst() {}

    /**
     * The first {@code n} hits of {@code query} newest first, after {@code after} (null: from the
     * newest); {@code matching} is the query's total hit count.
     */
    static TopFieldDocs top(IndexSearcher s, Query query, long matching, int n, FieldDoc after) throws IOException {
        byte[] min = PointValues.getMinPackedValue(s.getIndexReader(), IndexFields.TS);
        byte[] max = PointValues.getMaxPackedValue(s.getIndexReader(), IndexFields.TS);
        if (min == null || matching <= n) return search(s, query, n, after);
        long oldest = LongPoint.decodeDimension(min, 0);
        long upper = after == null ? LongPoint.decodeDimension(max, 0) : (Long) after.fields[0];
        double perHit = (double) (upper - oldest) / matching; // ms of time per matching event, if even
        double span = Math.max(1, 2 * n * perHit);
        while (true) {
            long from = upper - span >= oldest ? (long) (upper - span) : oldest;
            if (from <= oldest) return search(s, query, n, after);
            Query window = new BooleanQuery.Builder()
                    .add(query, Occur.FILTER)
                    .add(LongPoint.newRangeQuery(IndexFields.TS, from, upper), Occur.FILTER)
                    .build();
            TopFieldDocs top = search(s, window, n, after);
            if (top.scoreDocs.length >= n) return top;
            span *= 4;
        }
    }

    private static TopFieldDocs search(IndexSearcher s, Query query, int n, FieldDoc after) throws IOException {
        return s.search(query, new TopFieldCollectorManager(SORT, n, after, n));
    }

    /** The cursor of a page that ended at this event. */
    static FieldDoc after(long ts, String eventUid) {
        return after(ts, eventUid, false);
    }

    /**
     * As {@link #after(long, String)}; {@code inclusive}: a hit with exactly these values comes after
     * it too. Lucene skips a hit equal to the cursor's values when its doc id is at most the cursor's:
     * {@code MAX_VALUE} skips every such hit, {@code -1} none.
     */
    static FieldDoc after(long ts, String eventUid, boolean inclusive) {
        return new FieldDoc(inclusive ? -1 : Integer.MAX_VALUE, Float.NaN, new Object[] {ts, new BytesRef(eventUid)});
    }
}
