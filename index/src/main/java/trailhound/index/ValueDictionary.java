package trailhound.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import trailhound.query.ValuePatternQuery;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;
import trailhound.query.IndexFields;

/*
 * The endpoint's value dictionary: a second, small Lucene index with one document per distinct
 * (field, lower-cased value) of every KEYWORD (and IP, whose text form behaves like a keyword)
 * field. Contains / ends-with / wildcard / regex patterns are answered here against distinct
 * values (thousands) instead of against events (millions), then turned into a term-set query.
 *
 * Per document (only the field the value belongs to is present):
 *  - "<field>"    StringField: the value, so "all values of a field" is a term-dictionary walk.
 *  - "<field>$r"  StringField: the value reversed, so ends-with is a prefix walk on it.
 *  - "<field>$g"  StringField, one per distinct trigram: contains/wildcard candidates are the
 *                 conjunction of the literals' trigrams; always verified with matches() after.
 *  - "v"          BinaryDocValues: the value, read back for the verification of candidates.
 * A value over IndexFields.MAX_TERM_CHARS has its long-value term (prefix + hash) in "<field>" and
 * "<field>$r", but its trigrams and "v" come from the whole value, so contains still finds it.
 *
 * The set of known values is only loaded when the writer opens (first write, SideIndex), so
 * read-only opens for hunting across many endpoints stay cheap. Thread-safe.
 */
final class ValueDictionary implements Closeable {
    private static final String VALUE = "v";

    private final SideIndex index;
    private final Cache<ResolutionKey, List<BytesRef>> resolutions =
            Caffeine.newBuilder().maximumSize(256).expireAfterWrite(Duration.ofMinutes(1)).build();
    private static final Field[] DICTIONARY_FIELDS = Field.all().stream().filter(ValueDictionary::inDictionary).toArray(Field[]::new);
    /** Known values per field ordinal (null for fields not in the dictionary); set once the writer opens. */
    private volatile List<Set<String>> known;

    ValueDictionary(Directory dir) {
        this.index = new SideIndex(dir, this::loadKnown);
    }

    private void loadKnown(DirectoryReader existing) throws IOException {
        List<Set<String>> values = new ArrayList<>();
        for (Field f : Field.all()) {
            Set<String> set = inDictionary(f) ? ConcurrentHashMap.newKeySet() : null;
            values.add(set);
            Terms terms = set == null ? null : MultiTerms.getTerms(existing, IndexFields.term(f));
            if (terms == null) continue;
            TermsEnum te = terms.iterator();
            for (BytesRef t = te.next(); t != null; t = te.next()) set.add(t.utf8ToString());
        }
        known = values;
    }

    static boolean inDictionary(Field field) {
        return field.kind() == FieldKind.KEYWORD || field.kind() == FieldKind.IP;
    }

    /**
     * Adds the values not seen before; {@code lower} holds the event's lower-cased values by field (only those marked {@code fresh} can be new)
     * ordinal (computed once per event by the caller, shared with the event document).
     */
    void add(String[] terms, boolean[] fresh, Event event) throws IOException {
        IndexWriter w = index.writer();
        for (Field f : DICTIONARY_FIELDS) {
            String term = terms[f.ordinal()];
            if (term == null || !fresh[f.ordinal()]) continue;
            Set<String> seen = known.get(f.ordinal());
            // contains() first: it never locks, and almost every value was seen before
            if (!seen.contains(term) && seen.add(term)) {
                String whole = term.length() > IndexFields.MAX_TERM_CHARS ? IndexFields.lower(event.get(f)) : term;
                w.addDocument(document(f, term, whole));
            }
        }
    }

    private static Document document(Field f, String term, String lower) {
        ValueTerms t = term.equals(lower) ? TERMS.get(term, v -> ValueTerms.of(v, v)) : ValueTerms.of(term, lower);
        Document doc = new Document();
        String[] names = FIELD_NAMES[f.ordinal()];
        doc.add(new StringField(names[0], t.term(), org.apache.lucene.document.Field.Store.NO));
        doc.add(new StringField(names[1], t.reversed(), org.apache.lucene.document.Field.Store.NO));
        for (BytesRef gram : t.grams()) doc.add(new StringField(names[2], gram, org.apache.lucene.document.Field.Store.NO));
        doc.add(new BinaryDocValuesField(VALUE, t.whole()));
        return doc;
    }

    /** "<field>", "<field>$r", "<field>$g" by field ordinal. */
    private static final String[][] FIELD_NAMES = Field.all().stream()
            .map(f -> new String[] {IndexFields.term(f), IndexFields.term(f) + "$r", IndexFields.term(f) + "$g"}).toArray(String[][]::new);

    /*
     * The terms of a value's document, kept for every endpoint's dictionary together: the same values
     * (system paths, common command lines) come to every endpoint, and 200 endpoints streaming at once
     * built the same trigrams 200 times (bench --live, JFR: 40 % of the dictionary's time, most of it
     * in the first minute, when every value is new to every endpoint). Lucene copies a term's bytes
     * as it indexes them, so the instances are shared read-only. About 32 MB at most.
     */
    private static final Cache<String, ValueTerms> TERMS = Caffeine.newBuilder()
            .maximumWeight(32L << 20).weigher((String k, ValueTerms v) -> v.weight()).build();

    /** A value's term, reversed term, distinct trigrams (of the whole value) and whole value, as UTF-8. */
    private record ValueTerms(BytesRef term, BytesRef reversed, BytesRef[] grams, BytesRef whole) {
        static ValueTerms of(String term, String whole) {
            BytesRef[] grams = trigrams(whole).stream().map(BytesRef::new).toArray(BytesRef[]::new);
            return new ValueTerms(new BytesRef(term), new BytesRef(reverse(term)), grams, new BytesRef(whole));
        }

        int weight() {
            return 64 + 2 * term.length + 2 * whole.length + grams.length * 56;
        }
    }

    static Set<String> trigrams(String s) {
        Set<String> grams = new LinkedHashSet<>();
        for (int i = 0; i + 3 <= s.length(); i++) grams.add(s.substring(i, i + 3));
        return grams;
    }

    static String reverse(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    void refresh() throws IOException {
        index.refresh();
    }

    void commit() throws IOException {
        index.commit();
    }

    /** The lower-cased values of the pattern's field that match it, sorted. */
    List<BytesRef> matching(ValuePatternQuery query) throws IOException {
        return index.search(searcher -> {
            long version = ((DirectoryReader) searcher.getIndexReader()).getVersion();
            List<BytesRef> cached = resolutions.getIfPresent(new ResolutionKey(query, version));
            if (cached != null) return cached;
            List<BytesRef> values = compute(searcher, query);
            resolutions.put(new ResolutionKey(query, version), values);
            return values;
        }, List.of());
    }

    private static List<BytesRef> compute(IndexSearcher searcher, ValuePatternQuery query) throws IOException {
        String name = IndexFields.term(query.field());
        IndexReader reader = searcher.getIndexReader();
        Set<String> grams = new LinkedHashSet<>();
        for (String literal : query.requiredLiterals()) grams.addAll(trigrams(literal));
        // terms walked are matched as they are (a long value's term is its prefix and hash: ends-with and
        // match-all patterns see only that); whole values from "v" are matched whole and give their term
        List<String> terms = new ArrayList<>();
        List<String> wholeValues = new ArrayList<>();
        if (query.mode() == ValuePatternQuery.Mode.ENDS_WITH) {
            String prefix = reverse(query.pattern());
            walkTerms(reader, name + "$r", prefix, t -> terms.add(reverse(t)));
        } else if (!grams.isEmpty()) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            for (String gram : grams) b.add(new TermQuery(new Term(name + "$g", gram)), Occur.FILTER);
            for (BytesRef v : searcher.search(b.build(), BinaryValuesCollector.of(VALUE))) wholeValues.add(v.utf8ToString());
        } else {
            walkTerms(reader, name, "", terms::add);
        }
        Set<BytesRef> matching = new HashSet<>();
        for (String term : terms) {
            if (query.matches(term)) matching.add(new BytesRef(term));
        }
        for (String value : wholeValues) {
            if (query.matches(value)) matching.add(new BytesRef(IndexFields.termOf(value)));
        }
        List<BytesRef> sorted = new ArrayList<>(matching);
        sorted.sort(null);
        return List.copyOf(sorted);
    }

    private interface TermSink {
        void accept(String term);
    }

    private static void walkTerms(IndexReader reader, String field, String prefix, TermSink sink) throws IOException {
        Terms terms = MultiTerms.getTerms(reader, field);
        if (terms == null) return;
        TermsEnum te = terms.iterator();
        BytesRef p = new BytesRef(prefix);
        if (te.seekCeil(p) == TermsEnum.SeekStatus.END) return;
        for (BytesRef t = te.term(); t != null; t = te.next()) {
            if (!org.apache.lucene.util.StringHelper.startsWith(t, p)) break;
            sink.accept(t.utf8ToString());
        }
    }

    @Override
    public void close() throws IOException {
        index.close();
    }

    private record ResolutionKey(ValuePatternQuery query, long version) {}
}
