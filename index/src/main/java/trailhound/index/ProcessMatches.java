package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import trailhound.query.IndexFields;
import trailhound.schema.Field;

/**
 * The processes with events matching a query: per process key, how many of its events match and the
 * first and last one's time, exact over every match; {@code total} processes, the {@code newest}
 * (latest last match first, at most the limit asked for). Events without a process key are not
 * counted in any process.
 */
public record ProcessMatches(int total, List<Match> newest) {

    public ProcessMatches {
        newest = List.copyOf(newest);
    }

    /** One process: its key (as recorded), its matching events and their first and last time (UTC ms). */
    public record Match(String processKey, long events, long firstTs, long lastTs) {}

    /*
     * One pass of doc values, no event read: per segment, arrays indexed by the process_key ord
     * (count, min ts, max ts), merged by key at the end of the segment. Memory is one entry per
     * matching process, which a hash loaded by every process (a system DLL) makes the number of
     * processes: a few MB at 100,000.
     */
    static ProcessMatches collect(IndexSearcher searcher, Query query, int limit) throws IOException {
        if (limit < 0) throw new IllegalArgumentException("limit must be 0 or more, was " + limit);
        Map<String, long[]> all = searcher.search(query, new Manager());
        List<Match> matches = new ArrayList<>(all.size());
        all.forEach((key, v) -> matches.add(new Match(key, v[0], v[1], v[2])));
        matches.sort(Comparator.comparingLong(Match::lastTs).reversed().thenComparing(Match::processKey));
        return new ProcessMatches(matches.size(), matches.subList(0, Math.min(limit, matches.size())));
    }

    private static final class Manager implements CollectorManager<Counter, Map<String, long[]>> {
        @Override
        public Counter newCollector() {
            return new Counter();
        }

        @Override
        public Map<String, long[]> reduce(Collection<Counter> collectors) throws IOException {
            Map<String, long[]> all = new HashMap<>();
            for (Counter c : collectors) {
                c.flush();
                c.byKey.forEach((k, v) -> all.merge(k, v, Counter::combine));
            }
            return all;
        }
    }

    private static final class Counter extends SimpleCollector {
        final Map<String, long[]> byKey = new HashMap<>();
        private SortedDocValues keys;
        private NumericDocValues times;
        private long[] counts;
        private long[] first;
        private long[] last;

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            flush();
            keys = context.reader().getSortedDocValues(IndexFields.display(Field.PROCESS_KEY));
            times = context.reader().getNumericDocValues(IndexFields.TS);
            int n = keys == null ? 0 : keys.getValueCount();
            counts = new long[n];
            first = new long[n];
            last = new long[n];
            java.util.Arrays.fill(first, Long.MAX_VALUE);
            java.util.Arrays.fill(last, Long.MIN_VALUE);
        }

        @Override
        public void collect(int doc) throws IOException {
            if (keys == null || !keys.advanceExact(doc) || times == null || !times.advanceExact(doc)) return;
            int ord = keys.ordValue();
            long ts = times.longValue();
            counts[ord]++;
            if (ts < first[ord]) first[ord] = ts;
            if (ts > last[ord]) last[ord] = ts;
        }

        void flush() throws IOException {
            if (counts == null) return;
            for (int ord = 0; ord < counts.length; ord++) {
                if (counts[ord] > 0) {
                    byKey.merge(keys.lookupOrd(ord).utf8ToString(), new long[] {counts[ord], first[ord], last[ord]}, Counter::combine);
                }
            }
            counts = null;
        }

        static long[] combine(long[] a, long[] b) {
            return new long[] {a[0] + b[0], Math.min(a[1], b[1]), Math.max(a[2], b[2])};
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }
}
