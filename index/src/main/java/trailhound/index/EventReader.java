package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Reads events back: the event's own values from its VALUES_DV doc value (or, in a segment written
 * before it, its stored VALUES field), the acting process's
 * from its variant (ProcessVariants), ts from the sort doc value when it was not stored. Doc values
 * iterators only move forward, so the hits are read in doc-id order, one leaf at a time, and then
 * put back into the caller's order.
 */
final class EventReader {
    private EventReader() {}

    static List<Event> read(IndexReader reader, ScoreDoc[] hits, ProcessVariants variants) throws IOException {
        Integer[] order = new Integer[hits.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(hits[a].doc, hits[b].doc));
        Event[] events = new Event[hits.length];
        List<LeafReaderContext> leaves = reader.leaves();
        LeafEvents leafEvents = null;
        for (int i : order) {
            int doc = hits[i].doc;
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
            if (leafEvents == null || leafEvents.leaf != leaf) leafEvents = new LeafEvents(leaf, variants);
            events[i] = leafEvents.event(doc - leaf.docBase);
        }
        return new ArrayList<>(Arrays.asList(events));
    }

    /** One leaf's events; use for ascending doc ids only. */
    private static final class LeafEvents {
        final LeafReaderContext leaf;
        private StoredFields stored;
        private final BinaryDocValues encodedValues;
        private final NumericDocValues ts;
        private final ProcessVariants variants;

        LeafEvents(LeafReaderContext leaf, ProcessVariants variants) throws IOException {
            this.leaf = leaf;
            this.encodedValues = leaf.reader().getBinaryDocValues(EventDocuments.VALUES_DV);
            this.ts = DocValues.getNumeric(leaf.reader(), trailhound.query.IndexFields.TS);
            this.variants = variants;
        }

        Event event(int doc) throws IOException {
            String[] values = new String[Field.count()];
            BytesRef encoded;
            if (encodedValues != null && encodedValues.advanceExact(doc)) {
                encoded = encodedValues.binaryValue();
            } else { // an event of a segment written before VALUES_DV (or merged with one)
                if (stored == null) stored = leaf.reader().storedFields();
                encoded = stored.document(doc).getBinaryValue(EventDocuments.VALUES);
            }
            BytesRef variant = encoded == null ? null : FieldValues.decode(encoded, values);
            if (variant != null) {
                String[] process = variants.values(variant);
                if (process != null) {
                    for (Field f : ProcessVariants.FIELDS) values[f.ordinal()] = process[f.ordinal()];
                }
            }
            Event.Builder b = Event.builder();
            for (Field f : Field.all()) {
                if (values[f.ordinal()] != null) b.set(f, values[f.ordinal()]);
            }
            if (b.get(Field.TS) == null && ts.advanceExact(doc)) b.ts(ts.longValue());
            return b.build();
        }
    }
}
