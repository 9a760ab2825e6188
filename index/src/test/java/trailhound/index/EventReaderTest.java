package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import trailhound.query.IndexFields;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Events are read from their values doc value, and from the stored field that segments written before
 * it hold: an index of both kinds (a folder ingested before, events added since) reads every event.
 */
class EventReaderTest {
    private static Document event(String path, long ts, boolean stored) {
        String[] values = new String[Field.count()];
        values[Field.FILE_PATH.ordinal()] = path;
        values[Field.TYPE.ordinal()] = "file";
        values[Field.EVENT_UID.ordinal()] = "uid-" + ts;
        byte[] encoded = new FieldValues().encode(values, EventDocuments.EVENT_FIELDS, null);
        Document d = new Document();
        d.add(stored ? new StoredField(EventDocuments.VALUES, encoded) : new BinaryDocValuesField(EventDocuments.VALUES_DV, new BytesRef(encoded)));
        d.add(new NumericDocValuesField(IndexFields.TS, ts));
        return d;
    }

    @Test
    void eventsOfOldAndNewSegments_andOfOneSegmentHoldingBoth_readAlike() throws Exception {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
                IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
            w.addDocument(event("/old/a", 1_000, true));
            w.commit(); // a segment of stored values only
            w.addDocument(event("/new/b", 2_000, false));
            w.commit(); // one of doc values only
            try (DirectoryReader two = DirectoryReader.open(w)) {
                assertEquals(2, two.leaves().size());
                assertEquals(List.of("/new/b", "/old/a"), paths(two, 1, 0));
            }
            w.forceMerge(1); // a merged segment holds each event's values as it was written
            try (DirectoryReader one = DirectoryReader.open(w)) {
                assertEquals(1, one.leaves().size());
                assertEquals(List.of("/new/b", "/old/a"), paths(one, 0, 1).stream().sorted().toList());
                assertEquals(List.of(1_000L, 2_000L), EventReader.read(one, new ScoreDoc[] {new ScoreDoc(0, 0), new ScoreDoc(1, 0)}, null).stream()
                        .map(Event::ts).sorted().toList(), "ts from its doc value");
            }
        }
    }

    private static List<String> paths(DirectoryReader reader, int... docs) throws Exception {
        ScoreDoc[] hits = java.util.Arrays.stream(docs).mapToObj(d -> new ScoreDoc(d, 0)).toArray(ScoreDoc[]::new);
        return EventReader.read(reader, hits, null).stream().map(e -> e.get(Field.FILE_PATH)).toList();
    }
}
