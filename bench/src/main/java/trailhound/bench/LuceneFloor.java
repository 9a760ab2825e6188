package trailhound.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

/**
 * What Lucene alone costs per document on this machine, with nothing of Trailhound around it: no
 * reading, no normalising, documents built from values prepared in memory. It answers "how fast
 * could ingest be at best with this document shape", the floor the ingest target is measured
 * against (docs/performance.md). Not part of the benchmark run: {@code trailhound bench --lucene-floor}.
 *
 * <p>Each row indexes the documents with two threads into one IndexWriter (256 MB buffer, as the
 * endpoint index) and commits; CPU is the whole process's (merge threads included), after a
 * first round that only warms the JIT up.
 */
public final class LuceneFloor {
    /**
     * One document shape: untokenized terms, long points, sorted doc values, stored bytes, index
     * sort, and whether one more term is unique to the document (an event_uid).
     */
    record Shape(String name, int terms, int points, int sortedValues, int storedBytes, boolean indexSort,
            boolean uniqueTerm) {}

    static final List<Shape> SHAPES = List.of(
            new Shape("event-like, index sort (format 2)", 15, 5, 3, 200, true, false),
            new Shape("event-like, no index sort (format 3)", 15, 5, 3, 200, false, false),
            // The least any one-document-per-event index needs: the uid (dedup), ts (point and doc
            // value), type/operation (term and doc value), the process key (history), the values
            // to show; no field an analyst searches by.
            new Shape("minimal event (uid, ts, type, process)", 2, 1, 1, 200, false, true),
            new Shape("15 terms only", 15, 0, 0, 0, false, false),
            new Shape("8 terms only", 8, 0, 0, 0, false, false),
            new Shape("5 points only", 0, 5, 0, 0, false, false),
            new Shape("stored 200 bytes only", 0, 0, 0, 200, false, false));

    private LuceneFloor() {}

    /** Measures every shape with {@code documents} documents and prints one line per shape. */
    public static void report(int documents, PrintWriter out) throws Exception {
        int threads = 2;
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf("Lucene alone: %,d documents per row, %d threads, %d cores%n", documents, threads, cores);
        out.flush();
        for (Shape shape : SHAPES) {
            run(shape, Math.max(1, documents / 4), threads); // JIT warm-up
            double cpuMicros = run(shape, documents, threads);
            out.printf("%-38s %6.1f us CPU per document = at most %,9.0f documents/s on %d cores%n",
                    shape.name(), cpuMicros, cores * 1e6 / cpuMicros, cores);
            out.flush();
        }
    }

    /** CPU microseconds per document, the whole process. */
    static double run(Shape shape, int documents, int threads) throws Exception {
        // Value cardinalities 10 .. 100,000 per field, like an event's mix of type, keys and paths.
        BytesRef[][] values = new BytesRef[Math.max(shape.terms(), shape.sortedValues())][];
        for (int f = 0; f < values.length; f++) {
            values[f] = new BytesRef[(int) Math.pow(10, f % 5 + 1)];
            for (int c = 0; c < values[f].length; c++) {
                values[f][c] = new BytesRef("value-" + f + "-" + c + "-C:\\some\\path\\like\\text");
            }
        }
        Path dir = Files.createTempDirectory("lucene-floor");
        long cpu0 = Machine.processCpuNanos();
        try (FSDirectory d = FSDirectory.open(dir)) {
            IndexWriterConfig config = new IndexWriterConfig().setRAMBufferSizeMB(256);
            if (shape.indexSort()) config.setIndexSort(new Sort(new SortField("ts", SortField.Type.LONG, true)));
            try (IndexWriter writer = new IndexWriter(d, config)) {
                List<Thread> workers = new ArrayList<>();
                List<Exception> failures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t;
                    Thread worker = new Thread(() -> {
                        try {
                            index(writer, shape, values, first, documents, threads);
                        } catch (IOException e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                        }
                    });
                    workers.add(worker);
                    worker.start();
                }
                for (Thread w : workers) w.join();
                if (!failures.isEmpty()) throw failures.getFirst();
                writer.commit();
            }
        } finally {
            IOUtils.rm(dir);
        }
        return Benchmark.microsPerEvent(cpu0, documents);
    }

    private static void index(IndexWriter writer, Shape shape, BytesRef[][] values, int first, int documents, int step)
            throws IOException {
        SplittableRandom random = new SplittableRandom(first);
        StringField[] terms = new StringField[shape.terms()];
        for (int f = 0; f < terms.length; f++) terms[f] = new StringField("t" + f, new BytesRef(), Store.NO);
        LongPoint[] points = new LongPoint[shape.points()];
        for (int p = 0; p < points.length; p++) points[p] = new LongPoint("p" + p, 0L);
        SortedDocValuesField[] sorted = new SortedDocValuesField[shape.sortedValues()];
        for (int s = 0; s < sorted.length; s++) sorted[s] = new SortedDocValuesField("s" + s, new BytesRef());
        NumericDocValuesField ts = new NumericDocValuesField("ts", 0L);
        byte[] storedBytes = new byte[shape.storedBytes()];
        StoredField stored = new StoredField("v", storedBytes);
        StringField unique = new StringField("uid", new BytesRef(), Store.NO);
        List<IndexableField> doc = new ArrayList<>();
        for (int i = first; i < documents; i += step) {
            doc.clear();
            if (shape.uniqueTerm()) {
                unique.setBytesValue(new BytesRef("r" + i));
                doc.add(unique);
            }
            for (int f = 0; f < terms.length; f++) {
                terms[f].setBytesValue(values[f][random.nextInt(values[f].length)]);
                doc.add(terms[f]);
            }
            for (LongPoint p : points) {
                p.setLongValue(random.nextInt(100_000));
                doc.add(p);
            }
            for (int s = 0; s < sorted.length; s++) {
                sorted[s].setBytesValue(values[s][random.nextInt(values[s].length)]);
                doc.add(sorted[s]);
            }
            ts.setLongValue(1_700_000_000_000L + 10L * i); // arriving oldest first, as events do
            doc.add(ts);
            if (storedBytes.length > 0) {
                for (int b = 0; b < storedBytes.length; b += 8) storedBytes[b] = (byte) random.nextInt(256);
                stored.setBytesValue(storedBytes);
                doc.add(stored);
            }
            writer.addDocument(doc);
        }
    }
}
