package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/*
 * Event distribution: counts per "type/operation", summed per type.
 *
 * Whole endpoint: the docFreq of each term of the internal type/operation field, per segment (a
 * handful of terms, so constant time in the number of events); segments with deletions (events
 * replaced by re-ingest) count their postings against the live docs instead, since docFreq
 * still includes deleted documents.
 *
 * Under a query: a collector counting the ords of the type/operation doc value per segment (a few
 * dozen counters), mapped to strings once per segment.
 */
final class DistributionCounter {
    private DistributionCounter() {}

    static Distribution all(IndexSearcher searcher) throws IOException {
        Map<String, Long> pairs = new HashMap<>();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            LeafReader reader = leaf.reader();
            Terms terms = reader.terms(EventDocuments.TYPE_OPERATION);
            if (terms == null) continue;
            Bits live = reader.getLiveDocs();
            TermsEnum te = terms.iterator();
            PostingsEnum postings = null;
            for (BytesRef t = te.next(); t != null; t = te.next()) {
                long n;
                if (live == null) {
                    n = te.docFreq();
                } else {
                    postings = te.postings(postings, PostingsEnum.NONE);
                    n = 0;
                    for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                        if (live.get(d)) n++;
                    }
                }
                if (n > 0) pairs.merge(t.utf8ToString(), n, Long::sum);
            }
        }
        return fromPairs(pairs);
    }

    static Distribution under(IndexSearcher searcher, Query query) throws IOException {
        return fromPairs(searcher.search(query, new PairCountManager()));
    }

    /** Pairs are "type/operation" with an empty operation when the event has none. */
    static Distribution fromPairs(Map<String, Long> pairs) {
        Map<String, Long> types = new HashMap<>();
        Map<String, Long> operations = new HashMap<>();
        long total = 0;
        for (Map.Entry<String, Long> e : pairs.entrySet()) {
            String pair = e.getKey();
            int slash = pair.lastIndexOf('/');
            total += e.getValue();
            types.merge(pair.substring(0, slash), e.getValue(), Long::sum);
            if (slash < pair.length() - 1) operations.merge(pair, e.getValue(), Long::sum);
        }
        return new Distribution(total, byCountDescending(types), byCountDescending(operations));
    }

    private static Map<String, Long> byCountDescending(Map<String, Long> counts) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> sorted = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : entries) sorted.put(e.getKey(), e.getValue());
        return sorted;
    }

    private static final class PairCountManager implements CollectorManager<PairCounter, Map<String, Long>> {
        @Override
        public PairCounter newCollector() {
            return new PairCounter();
        }

        @Override
        public Map<String, Long> reduce(Collection<PairCounter> collectors) throws IOException {
            Map<String, Long> all = new HashMap<>();
            for (PairCounter c : collectors) {
                c.flush();
                c.pairs.forEach((k, v) -> all.merge(k, v, Long::sum));
            }
            return all;
        }
    }

    private static final class PairCounter extends SimpleCollector {
        final Map<String, Long> pairs = new HashMap<>();
        private SortedDocValues values;
        private long[] counts;

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            flush();
            values = context.reader().getSortedDocValues(EventDocuments.TYPE_OPERATION);
            counts = values == null ? null : new long[values.getValueCount()];
        }

        @Override
        public void collect(int doc) throws IOException {
            if (values != null && values.advanceExact(doc)) counts[values.ordValue()]++;
        }

        void flush() throws IOException {
            if (counts == null) return;
            for (int ord = 0; ord < counts.length; ord++) {
                if (counts[ord] > 0) pairs.merge(values.lookupOrd(ord).utf8ToString(), counts[ord], Long::sum);
            }
            counts = null;
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }
}
