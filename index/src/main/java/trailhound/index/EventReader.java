package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.ScoreDoc;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.schema.IndexFields;

/**
 * Reads events back from display doc values (the index has no stored fields). Doc values
 * iterators only move forward, so the hits are read in doc-id order, one leaf at a time, and then
 * put back into the caller's order.
 */
final class EventReader {
    private static final Field[] FIELDS = Field.all().toArray(Field[]::new);

    private EventReader() {}

    static List<Event> read(IndexReader reader, ScoreDoc[] hits) throws IOException {
        Integer[] order = new Integer[hits.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(hits[a].doc, hits[b].doc));
        Event[] events = new Event[hits.length];
        List<LeafReaderContext> leaves = reader.leaves();
        LeafValues values = null;
        for (int i : order) {
            int doc = hits[i].doc;
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
            if (values == null || values.leaf != leaf) values = new LeafValues(leaf);
            events[i] = values.event(doc - leaf.docBase);
        }
        return new ArrayList<>(Arrays.asList(events));
    }

    /** The display values of one leaf; use for ascending doc ids only. */
    static final class LeafValues {
        final LeafReaderContext leaf;
        private final SortedDocValues[] displays = new SortedDocValues[FIELDS.length];
        private final NumericDocValues ts;
        /** Values repeat across a page (paths, users, keys); looking an ord up decompresses a block. */
        @SuppressWarnings("unchecked")
        private final Map<Integer, String>[] seen = new Map[FIELDS.length];

        LeafValues(LeafReaderContext leaf) throws IOException {
            this.leaf = leaf;
            LeafReader r = leaf.reader();
            for (Field f : FIELDS) displays[f.ordinal()] = r.getSortedDocValues(IndexFields.display(f));
            ts = DocValues.getNumeric(r, IndexFields.SORT_TS);
        }

        Event event(int doc) throws IOException {
            Event.Builder b = Event.builder();
            for (Field f : FIELDS) {
                SortedDocValues dv = displays[f.ordinal()];
                if (dv != null && dv.advanceExact(doc)) {
                    Map<Integer, String> cache = seen[f.ordinal()];
                    if (cache == null) cache = seen[f.ordinal()] = new HashMap<>();
                    int ord = dv.ordValue();
                    String value = cache.get(ord);
                    if (value == null) {
                        value = dv.lookupOrd(ord).utf8ToString();
                        cache.put(ord, value);
                    }
                    b.set(f, value);
                }
            }
            if (b.get(Field.TS) == null && ts.advanceExact(doc)) b.ts(ts.longValue());
            return b.build();
        }
    }
}
