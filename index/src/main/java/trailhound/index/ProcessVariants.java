package trailhound.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/*
 * The endpoint's process variants. A variant is one distinct combination of the values of the
 * process fields (Field#isProcessField: command line, user, cwd, hashes, signer, parent program).
 * Every event of a process, and of every instance started the same way, repeats the same
 * combination, and indexing those fields on each event was most of the cost of indexing. What a
 * broad clause would expand to thousands of variants for stays on the event: the instance fields
 * (pid, parent_key, ppid; with them every process was its own variant, and a count of
 * "process_name:svchost.exe" on ten million events took 360 ms) and the program's path and name
 * (the usual broad pivots; as variant fields that count still took 14 ms).
 *
 * So an endpoint keeps a third small Lucene index, processes/, with one document per variant, and
 * each event carries only its variant's id:
 *  - a query clause on a process field, whatever its operand, runs against processes/ and becomes
 *    a term-set query on the events' variant ids (see EndpointIndex#prepare), the way patterns are
 *    resolved against the value dictionary;
 *  - showing an event reads its variant's values back by id (cached: a variant never changes).
 * A variant holds exactly the values the event had (absent fields stay absent; a later event of
 * the same process with other values is another variant), so every query matches the same events
 * as if the fields were indexed on each event.
 *
 * The id is the first 16 bytes of the SHA-256 of the values: the same combination gets the same
 * id on every thread and in every session without coordination, re-ingest adds nothing, and no
 * crafted command line can make another process's id.
 *
 * A variant document has the same term and point fields as an event (IndexFields), so a leaf
 * query runs on it unchanged; plus ID (term + binary doc value, collected by resolve) and VALUES
 * (stored, FieldValues). Thread-safe.
 */
final class ProcessVariants implements Closeable {
    static final String ID = "process$variant";
    static final int ID_BYTES = 16;
    /**
     * The variant's number in this index, 0 up, in the order variants were first written: a numeric
     * doc value on the variant and on each of its events, so a set of variants is a bit set an event
     * is checked against (VariantSetQuery) without reading the set's postings.
     */
    static final String NUMBER = "process$number";
    private static final String VALUES = "process$values";
    static final Field[] FIELDS = Field.all().stream().filter(Field::isProcessField).toArray(Field[]::new);
    private static final Set<String> LUCENE_FIELDS = luceneFields();

    private final SideIndex index;
    /** Ids this writer knows are written, with their numbers; loaded from the index when the writer opens. */
    private final ConcurrentHashMap<BytesRef, Integer> known = new ConcurrentHashMap<>();
    /** The next variant's number. */
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    private final Cache<BytesRef, String[]> valuesById = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Cache<Resolution, Query> resolutions =
            Caffeine.newBuilder().maximumSize(256).expireAfterWrite(Duration.ofMinutes(1)).build();

    ProcessVariants(Directory dir) {
        this.index = new SideIndex(dir, this::loadKnown);
    }

    private void loadKnown(DirectoryReader existing) throws IOException {
        int max = -1;
        for (LeafReaderContext leaf : existing.leaves()) {
            BinaryDocValues ids = DocValues.getBinary(leaf.reader(), ID);
            NumericDocValues numbers = DocValues.getNumeric(leaf.reader(), NUMBER);
            Bits live = leaf.reader().getLiveDocs();
            for (int doc = ids.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = ids.nextDoc()) {
                if (live != null && !live.get(doc)) continue;
                if (!numbers.advanceExact(doc)) throw new IOException("process variant without a number in " + existing.directory());
                int number = Math.toIntExact(numbers.longValue());
                known.put(BytesRef.deepCopyOf(ids.binaryValue()), number);
                max = Math.max(max, number);
            }
        }
        next.set(max + 1);
    }

    /** True when the query reads only process fields, so it must run against the variants. */
    static boolean isProcessClause(Query leaf) {
        Set<String> fields = new HashSet<>();
        leaf.visit(new QueryVisitor() {
            @Override
            public boolean acceptField(String field) {
                fields.add(field);
                return true;
            }

            @Override
            public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
                return this;
            }
        });
        if (fields.isEmpty() || !LUCENE_FIELDS.containsAll(fields)) {
            if (fields.stream().anyMatch(LUCENE_FIELDS::contains)) {
                throw new IllegalArgumentException("a single query clause cannot mix process fields with event fields: " + leaf);
            }
            return false;
        }
        return true;
    }

    /**
     * The id of the event's variant, or null when the event has no process field. {@code scratch}
     * is the caller's buffer (one per thread), returned grown when it was too small.
     */
    static BytesRef id(Event event, MessageDigest sha256, byte[][] scratch) {
        byte[] buf = scratch[0];
        int n = 0;
        boolean any = false;
        for (Field f : FIELDS) {
            String v = event.get(f);
            if (v == null) continue;
            any = true;
            int need = n + 5 + 2 * v.length();
            if (need > buf.length) buf = scratch[0] = java.util.Arrays.copyOf(buf, Math.max(need, 2 * buf.length));
            // ordinal, length, UTF-16 code units: no two combinations give the same bytes
            buf[n++] = (byte) f.ordinal();
            int len = v.length();
            buf[n++] = (byte) (len >>> 24);
            buf[n++] = (byte) (len >>> 16);
            buf[n++] = (byte) (len >>> 8);
            buf[n++] = (byte) len;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                buf[n++] = (byte) (c >> 8);
                buf[n++] = (byte) c;
            }
        }
        if (!any) return null;
        sha256.update(buf, 0, n);
        return new BytesRef(sha256.digest(), 0, ID_BYTES);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e); // every JDK has it
        }
    }

    /** The number of a variant {@link #add} has written. */
    int number(BytesRef id) {
        return known.get(id);
    }

    /**
     * Writes the event's variant unless it is known, numbering it. Returns the variant's lower-cased
     * values by field ordinal when it was new (the caller offers them to the value dictionary), else null.
     * A variant is written before add returns on any thread that uses it, so an event is never
     * visible without its variant (refresh and commit order: variants before events).
     */
    String[] add(BytesRef id, Event event) throws IOException {
        if (known.containsKey(id)) return null; // almost always: a lock-free read
        IndexWriter w = index.writer();
        String[][] added = {null};
        try {
            known.computeIfAbsent(BytesRef.deepCopyOf(id), k -> {
                String[] lower = new String[Field.count()];
                int number = next.getAndIncrement();
                try {
                    w.updateDocument(new Term(ID, k), document(k, number, event, lower));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                added[0] = lower;
                return number;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return added[0];
    }

    private static Iterable<IndexableField> document(BytesRef id, int number, Event event, String[] lower) {
        Document doc = new Document();
        String[] values = new String[Field.count()];
        for (Field f : FIELDS) {
            String v = event.get(f);
            if (v == null) continue;
            values[f.ordinal()] = v;
            lower[f.ordinal()] = IndexFields.normalize(v);
            EventDocuments.addSearchable(doc, f, v, lower[f.ordinal()]);
        }
        doc.add(new StringField(ID, id, org.apache.lucene.document.Field.Store.NO));
        doc.add(new BinaryDocValuesField(ID, id));
        doc.add(new NumericDocValuesField(NUMBER, number));
        doc.add(new StoredField(VALUES, new FieldValues().encode(values, FIELDS, null)));
        return doc;
    }

    /** The leaf (a query on process fields only) as a query on the events' variant ids. */
    Query resolve(Query leaf) throws IOException {
        return index.search(s -> {
            Resolution key = new Resolution(leaf, ((DirectoryReader) s.getIndexReader()).getVersion());
            Query cached = resolutions.getIfPresent(key);
            if (cached != null) return cached;
            Matching found = s.search(leaf, new MatchingCollector());
            List<BytesRef> ids = found.ids();
            ids.sort(null); // TermInSetQuery wants them sorted
            Query resolved = ids.isEmpty()
                    ? new MatchNoDocsQuery("no process matches " + leaf)
                    : new VariantSetQuery(new SingleValuedTermsQuery(new TermInSetQuery(ID, ids)), found.numbers(), false);
            resolutions.put(key, resolved);
            return resolved;
        }, new MatchNoDocsQuery("no process recorded"));
    }

    /** The variant's original values by field ordinal, or null when no such variant is visible. */
    String[] values(BytesRef id) throws IOException {
        String[] cached = valuesById.getIfPresent(id);
        if (cached != null) return cached;
        return index.search(s -> {
            TopDocs top = s.search(new TermQuery(new Term(ID, id)), 1);
            if (top.scoreDocs.length == 0) return null;
            BytesRef encoded = s.storedFields().document(top.scoreDocs[0].doc).getBinaryValue(VALUES);
            String[] values = new String[Field.count()];
            FieldValues.decode(encoded, values);
            valuesById.put(BytesRef.deepCopyOf(id), values);
            return values;
        }, null);
    }

    /** The top {@code n} terms of the process field starting with {@code prefix}, by how many variants hold them. */
    List<TermCount> topTerms(Field field, String prefix, int n) throws IOException {
        return index.search(s -> TermSuggestions.top(s.getIndexReader(), IndexFields.term(field), prefix, n), List.of());
    }

    void refresh() throws IOException {
        index.refresh();
    }

    void commit() throws IOException {
        index.commit();
    }

    private static Set<String> luceneFields() {
        Set<String> names = new HashSet<>();
        for (Field f : FIELDS) {
            names.add(IndexFields.term(f));
            names.add(IndexFields.point(f));
        }
        return Set.copyOf(names);
    }

    @Override
    public void close() throws IOException {
        index.close();
    }

    private record Resolution(Query leaf, long version) {}

    /** The variants a leaf matched: their ids (unsorted) and their numbers. */
    private record Matching(List<BytesRef> ids, FixedBitSet numbers) {}

    /** Collects the ids and numbers of the matching variants. */
    private static final class MatchingCollector implements CollectorManager<SimpleCollector, Matching> {
        private final List<BytesRef> ids = new ArrayList<>();
        private FixedBitSet numbers = new FixedBitSet(64);

        @Override
        public SimpleCollector newCollector() {
            return new SimpleCollector() {
                private BinaryDocValues leafIds;
                private NumericDocValues leafNumbers;

                @Override
                protected void doSetNextReader(LeafReaderContext context) throws IOException {
                    leafIds = DocValues.getBinary(context.reader(), ID);
                    leafNumbers = DocValues.getNumeric(context.reader(), NUMBER);
                }

                @Override
                public void collect(int doc) throws IOException {
                    if (!leafIds.advanceExact(doc) || !leafNumbers.advanceExact(doc)) {
                        throw new IOException("process variant " + doc + " without its id or number");
                    }
                    synchronized (MatchingCollector.this) {
                        ids.add(BytesRef.deepCopyOf(leafIds.binaryValue()));
                        int n = Math.toIntExact(leafNumbers.longValue());
                        numbers = FixedBitSet.ensureCapacity(numbers, n);
                        numbers.set(n);
                    }
                }

                @Override
                public ScoreMode scoreMode() {
                    return ScoreMode.COMPLETE_NO_SCORES;
                }
            };
        }

        @Override
        public Matching reduce(java.util.Collection<SimpleCollector> collectors) {
            return new Matching(ids, numbers);
        }
    }
}
