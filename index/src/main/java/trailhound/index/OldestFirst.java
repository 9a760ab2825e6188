package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.util.IntroSelector;
import trailhound.query.IndexFields;
import trailhound.schema.Field;

/*
 * The oldest hits of a query, whatever order the documents lie in (docs/decisions.md).
 *
 * Lucene's sorted collector is cheap when documents arrive in sort order (after the first n hits
 * nothing competes) and slow the other way round: every hit enters the queue, and each entry copies
 * the event_uid tie-break. A snapshot read newest first lies the other way round, and a busy
 * process's history took 5-10x longer. Here each hit adds only its ts and doc id to two arrays; the
 * n oldest are selected by ts (IntroSelector), and event_uid is read only for those, to order equal
 * times as the sorted search did.
 */
final class OldestFirst {
    private OldestFirst() {}

    /** The first {@code n} hits of {@code query} by (ts, event_uid), as global doc ids. */
    static ScoreDoc[] top(IndexSearcher s, Query query, int n) throws IOException {
        // a process's history is a term: its document frequency sizes the arrays at once (a 24,000-event process
        // grew them nine times; 10M-event harness, JFR: 16 % of a busy view)
        int expected = query instanceof org.apache.lucene.search.TermQuery t
                ? (int) Math.min(MAX_PRESIZE, s.getIndexReader().docFreq(t.getTerm())) : 64;
        Hits hits = collect(s, query, n, Math.max(64, expected));
        if (hits.size == 0 || n == 0) return new ScoreDoc[0];
        int take = Math.min(n, hits.size);
        List<Integer> picked = new ArrayList<>();
        if (hits.size > n) {
            hits.select(n - 1); // [0, n-1) <= ts[n-1] <= (n-1, size)
            long cut = hits.ts[n - 1];
            for (int i = 0; i < hits.size; i++) {
                if (i < n || hits.ts[i] == cut) picked.add(i); // every event at the cut competes on event_uid
            }
        } else {
            for (int i = 0; i < hits.size; i++) picked.add(i);
        }
        String[] uids = uids(s, hits, picked);
        picked.sort(Comparator.<Integer>comparingLong(i -> hits.ts[i]).thenComparing(i -> uids[i]));
        ScoreDoc[] out = new ScoreDoc[take];
        for (int k = 0; k < take; k++) out[k] = new ScoreDoc(hits.doc[picked.get(k)], Float.NaN);
        return out;
    }

    /*
     * The hits that can be among the n oldest: segments are visited by their oldest ts (the ts point's
     * minimum), and one whose oldest event is newer than the n-th oldest hit so far is skipped whole.
     * Ingest writes segments of neighbouring times, so the oldest hundred of a process spread over a
     * whole recording come from its first segment or two: reading the ts of every hit (random reads
     * across the index) was most of a busy process's view (10M-event harness, JFR: 38 %).
     */
    private static Hits collect(IndexSearcher s, Query query, int n, int expected) throws IOException {
        Weight weight = s.createWeight(s.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        List<LeafReaderContext> leaves = new ArrayList<>(s.getIndexReader().leaves());
        long[] oldest = new long[leaves.size()];
        for (LeafReaderContext leaf : leaves) {
            PointValues points = leaf.reader().getPointValues(IndexFields.TS);
            oldest[leaf.ord] = points == null ? Long.MAX_VALUE : LongPoint.decodeDimension(points.getMinPackedValue(), 0);
        }
        leaves.sort(Comparator.comparingLong(leaf -> oldest[leaf.ord]));
        Hits hits = new Hits(expected);
        Collector collector = new Collector(hits);
        for (LeafReaderContext leaf : leaves) {
            if (oldest[leaf.ord] == Long.MAX_VALUE) break; // no event with a time here or after
            if (n > 0 && hits.size >= n && hits.nth(n) < oldest[leaf.ord]) break; // nothing here competes
            BulkScorer scorer = weight.bulkScorer(leaf);
            if (scorer == null) continue;
            LeafCollector lc = collector.getLeafCollector(leaf);
            scorer.score(lc, leaf.reader().getLiveDocs(), 0, DocIdSetIterator.NO_MORE_DOCS);
            lc.finish();
        }
        return hits;
    }

    /** event_uid of the picked hits (by hit index), read in doc order as doc values require. */
    private static String[] uids(IndexSearcher s, Hits hits, List<Integer> picked) throws IOException {
        String[] uids = new String[hits.size];
        List<Integer> byDoc = new ArrayList<>(picked);
        byDoc.sort(Comparator.comparingInt(i -> hits.doc[i]));
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        int leafIndex = -1;
        SortedDocValues dv = null;
        LeafReaderContext leaf = null;
        for (int i : byDoc) {
            int global = hits.doc[i];
            int li = ReaderUtil.subIndex(global, leaves);
            if (li != leafIndex) {
                leafIndex = li;
                leaf = leaves.get(li);
                dv = leaf.reader().getSortedDocValues(IndexFields.display(Field.EVENT_UID));
            }
            uids[i] = dv != null && dv.advanceExact(global - leaf.docBase) ? dv.lookupOrd(dv.ordValue()).utf8ToString() : "";
        }
        return uids;
    }

    /** The most hits the arrays are sized for at first (8 MB); beyond, they grow. */
    private static final int MAX_PRESIZE = 1 << 19;

    /** ts and global doc id of every hit. */
    private static final class Hits {
        long[] ts;
        int[] doc;
        int size;

        Hits(int capacity) {
            ts = new long[capacity];
            doc = new int[capacity];
        }

        void add(long t, int d) {
            if (size == ts.length) {
                ts = Arrays.copyOf(ts, size * 2);
                doc = Arrays.copyOf(doc, size * 2);
            }
            ts[size] = t;
            doc[size++] = d;
        }

        /** The n-th smallest ts of the hits (n >= 1, at most size); reorders them. */
        long nth(int n) {
            select(n - 1);
            return ts[n - 1];
        }

        /** Moves the hits so that the k-th smallest ts is at k, smaller or equal before it, larger or equal after. */
        void select(int k) {
            new IntroSelector() {
                private long pivot;

                @Override
                protected void swap(int i, int j) {
                    long t = ts[i];
                    ts[i] = ts[j];
                    ts[j] = t;
                    int d = doc[i];
                    doc[i] = doc[j];
                    doc[j] = d;
                }

                @Override
                protected void setPivot(int i) {
                    pivot = ts[i];
                }

                @Override
                protected int comparePivot(int j) {
                    return Long.compare(pivot, ts[j]);
                }
            }.select(0, size, k);
        }
    }

    private static final class Collector extends SimpleCollector {
        final Hits hits;

        Collector(Hits hits) {
            this.hits = hits;
        }

        private NumericDocValues ts;
        private int docBase;

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            ts = context.reader().getNumericDocValues(IndexFields.TS);
            docBase = context.docBase;
        }

        @Override
        public void collect(int doc) throws IOException {
            if (ts != null && ts.advanceExact(doc)) hits.add(ts.longValue(), docBase + doc);
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }
}
