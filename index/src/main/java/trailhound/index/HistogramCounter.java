package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.util.Bits;
import trailhound.query.IndexFields;

/*
 * Histogram of matching events over time (Histogram), exact.
 *
 * A window with both edges known (asked for, or for all events the ts points' min and max) fixes
 * the bucket size before counting, and one pass counts into an array:
 *  - all events: per segment, a walk of the ts point tree (BKD): a cell whose values all fall in
 *    one bucket adds its size without visiting a document, so only the cells that straddle a
 *    bucket edge are read (about one leaf of 512 points per edge per segment). A segment with
 *    deletions reads its ts doc values against the live docs instead, as the point counts still
 *    hold deleted events.
 *  - under a query: a collector reading the ts doc value of each match (the window is a point
 *    range filter on the query, so only matches in it are visited).
 *
 * An open edge under a query depends on the matches, which are only known after visiting them.
 * Rather than a pass for the edges and another to count, one pass counts into an adaptive array
 * (Adaptive): slots of a unit that divides every bucket size, coarsened (slots merged) when a value
 * falls outside the slots; at the end the slots merge into buckets of the size the matches' edges
 * call for. Every unit of CHAIN divides the next, and 4,096 slots cover any window whose bucket
 * size is in the ladder at a unit dividing it (Histogram.LADDER; 7 d is the one size not in CHAIN:
 * its windows are at most 847 days, within 4,096 one-day slots).
 */
final class HistogramCounter {
    private static final long DAY = 86_400_000L;
    private static final long[] CHAIN = {1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000,
            3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, DAY, 30 * DAY};
    static final int SLOTS = 4096;

    private HistogramCounter() {}

    /**
     * Counts in {@code [from, to)}; {@code query} null means every event in the index (deleted ones
     * aside), to be counted from the points.
     */
    static Histogram window(IndexSearcher s, Query query, long from, long to) throws IOException {
        long size = Histogram.bucketMillis(from, to);
        long first = Histogram.alignDown(from, size);
        long[] counts = new long[(int) Histogram.bucketCount(from, to, size)];
        if (query == null) {
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) countAll(leaf.reader(), from, to, first, size, counts);
        } else {
            for (long[] c : s.search(inWindow(query, from, to), new FixedManager(first, size, counts.length))) {
                for (int i = 0; i < c.length; i++) counts[i] += c[i];
            }
        }
        return histogram(from, to, first, size, counts);
    }

    /**
     * Counts the matches of {@code query} in {@code [from, to)} where a null edge is open: the
     * window's open edge becomes the oldest match (from) or the newest match + 1 ms (to).
     */
    static Histogram matches(IndexSearcher s, Query query, Long from, Long to) throws IOException {
        Query q = from == null && to == null ? query
                : inWindow(query, from == null ? Long.MIN_VALUE : from, to == null ? Long.MAX_VALUE : to);
        Adaptive all = s.search(q, new AdaptiveManager());
        if (all.total == 0) return new Histogram(from, to, 0, List.of(), 0);
        long lo = from != null ? from : all.min;
        long hi = to != null ? to : all.max + 1;
        long size = Histogram.bucketMillis(lo, hi);
        long first = Histogram.alignDown(lo, size);
        long[] counts = new long[(int) Histogram.bucketCount(lo, hi, size)];
        all.mergeInto(first, size, counts);
        return histogram(lo, hi, first, size, counts);
    }

    private static Query inWindow(Query query, long from, long to) {
        return new BooleanQuery.Builder()
                .add(query, Occur.FILTER)
                .add(LongPoint.newRangeQuery(IndexFields.TS, from, to - 1), Occur.FILTER)
                .build();
    }

    private static Histogram histogram(long from, long to, long first, long size, long[] counts) {
        List<Histogram.Bucket> buckets = new ArrayList<>(counts.length);
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            long start = first + i * size;
            buckets.add(new Histogram.Bucket(start, start + size, counts[i]));
            total += counts[i];
        }
        return new Histogram(from, to, size, buckets, total);
    }

    /** Every live event of the segment in {@code [from, to)}, into buckets of {@code size} from {@code first}. */
    private static void countAll(LeafReader reader, long from, long to, long first, long size, long[] counts) throws IOException {
        Bits live = reader.getLiveDocs();
        if (live != null) {
            NumericDocValues ts = DocValues.getNumeric(reader, IndexFields.TS);
            for (int d = ts.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = ts.nextDoc()) {
                long t = ts.longValue();
                if (live.get(d) && t >= from && t < to) counts[(int) Math.floorDiv(t - first, size)]++;
            }
            return;
        }
        PointValues points = reader.getPointValues(IndexFields.TS);
        if (points != null) new TreeWalk(from, to, first, size, counts).walk(points.getPointTree());
    }

    /** The point-tree walk of {@link #countAll}: whole cells inside one bucket count by their size. */
    private record TreeWalk(long from, long to, long first, long size, long[] counts) implements PointValues.IntersectVisitor {
        void walk(PointValues.PointTree tree) throws IOException {
            long min = LongPoint.decodeDimension(tree.getMinPackedValue(), 0);
            long max = LongPoint.decodeDimension(tree.getMaxPackedValue(), 0);
            if (max < from || min >= to) return;
            if (min >= from && max < to && Math.floorDiv(min - first, size) == Math.floorDiv(max - first, size)) {
                counts[(int) Math.floorDiv(min - first, size)] += tree.size();
            } else if (tree.moveToChild()) {
                do {
                    walk(tree);
                } while (tree.moveToSibling());
                tree.moveToParent();
            } else {
                tree.visitDocValues(this);
            }
        }

        @Override
        public void visit(int docID) {
            throw new IllegalStateException("every cell crosses: values are visited one by one");
        }

        @Override
        public void visit(int docID, byte[] packedValue) {
            long t = LongPoint.decodeDimension(packedValue, 0);
            if (t >= from && t < to) counts[(int) Math.floorDiv(t - first, size)]++;
        }

        @Override
        public PointValues.Relation compare(byte[] minPackedValue, byte[] maxPackedValue) {
            return PointValues.Relation.CELL_CROSSES_QUERY;
        }
    }

    private record FixedManager(long first, long size, int buckets) implements CollectorManager<FixedCollector, List<long[]>> {
        @Override
        public FixedCollector newCollector() {
            return new FixedCollector(first, size, new long[buckets]);
        }

        @Override
        public List<long[]> reduce(Collection<FixedCollector> collectors) {
            return collectors.stream().map(c -> c.counts).toList();
        }
    }

    /** Counts matches (all inside the window: it is a filter of the query) into fixed buckets. */
    private static final class FixedCollector extends SimpleCollector {
        private final long first;
        private final long size;
        final long[] counts;
        private NumericDocValues ts;

        FixedCollector(long first, long size, long[] counts) {
            this.first = first;
            this.size = size;
            this.counts = counts;
        }

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            ts = DocValues.getNumeric(context.reader(), IndexFields.TS);
        }

        @Override
        public void collect(int doc) throws IOException {
            if (ts.advanceExact(doc)) counts[(int) Math.floorDiv(ts.longValue() - first, size)]++;
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }

    private static final class AdaptiveManager implements CollectorManager<Adaptive, Adaptive> {
        @Override
        public Adaptive newCollector() {
            return new Adaptive();
        }

        @Override
        public Adaptive reduce(Collection<Adaptive> collectors) {
            Adaptive all = new Adaptive();
            for (Adaptive c : collectors) all.merge(c);
            return all;
        }
    }

    /**
     * Counts per slot of {@code unit} ms, {@link #SLOTS} slots from {@code origin} (a multiple of the
     * unit); a value outside them re-centres the slots on the values seen, coarsening the unit to
     * the next of {@link #CHAIN} (or its double past the end) until they all fit. Each re-centre at
     * least halves the free slots, so there are few: O(log SLOTS) per unit.
     */
    static final class Adaptive extends SimpleCollector {
        long unit = CHAIN[0];
        long origin;
        long[] slots;
        /** The first and last slot start holding a count, and the exact oldest and newest value. */
        private long lowSlot = Long.MAX_VALUE;
        private long highSlot = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long total;
        private NumericDocValues ts;

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            ts = DocValues.getNumeric(context.reader(), IndexFields.TS);
        }

        @Override
        public void collect(int doc) throws IOException {
            if (ts.advanceExact(doc)) value(ts.longValue());
        }

        /** Counts one matching event at {@code t}. */
        void value(long t) {
            if (t < min) min = t;
            if (t > max) max = t;
            add(t, 1);
        }

        void add(long t, long n) {
            long slot;
            if (slots == null || (slot = Math.floorDiv(t - origin, unit)) < 0 || slot >= SLOTS) {
                refit(Math.min(t, lowSlot), Math.max(t, highSlot), unit);
                slot = Math.floorDiv(t - origin, unit);
            }
            slots[(int) slot] += n;
            total += n;
            long start = origin + slot * unit;
            if (start < lowSlot) lowSlot = start;
            if (start > highSlot) highSlot = start;
        }

        /**
         * Re-lays the slots so that {@code [lo, hi]} fits, centred, at the smallest unit from
         * {@code minUnit} on; the counts move with their slots (a unit divides every coarser one).
         */
        private void refit(long lo, long hi, long minUnit) {
            long newUnit = minUnit;
            while (Math.floorDiv(hi, newUnit) - Math.floorDiv(lo, newUnit) + 1 > SLOTS) newUnit = next(newUnit);
            long span = Math.floorDiv(hi, newUnit) - Math.floorDiv(lo, newUnit) + 1;
            long newOrigin = (Math.floorDiv(lo, newUnit) - (SLOTS - span) / 2) * newUnit;
            long[] newSlots = new long[SLOTS];
            if (slots != null) {
                for (int i = 0; i < SLOTS; i++) {
                    if (slots[i] != 0) newSlots[(int) Math.floorDiv(origin + i * unit - newOrigin, newUnit)] += slots[i];
                }
            }
            unit = newUnit;
            origin = newOrigin;
            slots = newSlots;
        }

        private static long next(long unit) {
            for (long u : CHAIN) if (u > unit) return u;
            return unit * 2;
        }

        /** Adds another collector's counts: its slots as values, at its unit or a coarser one. */
        void merge(Adaptive other) {
            if (other.total == 0) return;
            if (slots == null) unit = Math.max(unit, other.unit);
            else if (unit < other.unit) refit(lowSlot, highSlot, other.unit);
            for (int i = 0; i < SLOTS; i++) {
                if (other.slots[i] != 0) add(other.origin + i * other.unit, other.slots[i]);
            }
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }

        /** Sums the slots into buckets of {@code size} (a multiple of the unit) starting at {@code first}. */
        void mergeInto(long first, long size, long[] counts) {
            if (size % unit != 0) throw new IllegalStateException("bucket size " + size + " is not a multiple of unit " + unit);
            for (int i = 0; i < SLOTS; i++) {
                if (slots[i] != 0) counts[(int) Math.floorDiv(origin + i * unit - first, size)] += slots[i];
            }
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }
}
