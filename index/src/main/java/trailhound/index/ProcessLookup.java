package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/*
 * The process facts of one endpoint's Lucene index, for ProcessGraph. Every event carries its acting
 * process's fields (some through its process variant). Children are collected from doc value ords
 * (process_key of the events under a parent), not by reading events, each with the doc id of one of
 * those events: it describes the child with no further search.
 *
 * Counts per process are one pass over the events of all the processes asked (a TermInSetQuery on
 * process_key), reading two doc values per event (process_key and type/operation ords) and counting
 * ord pairs per segment; no event is read.
 *
 * A lookup belongs to one acquired searcher and one request; not thread-safe.
 */
final class ProcessLookup implements ProcessFacts {
    private final IndexSearcher s;
    private final ProcessVariants variants;
    private final ProcessCaches caches;
    private final Query visible;

    /**
     * {@code variants} fill in the events read (their process fields); {@code caches} are the index's;
     * {@code visible}: the events a count may see (null: all).
     */
    ProcessLookup(IndexSearcher searcher, ProcessVariants variants, ProcessCaches caches, Query visible) {
        this.s = searcher;
        this.variants = variants;
        this.caches = caches;
        this.visible = visible;
    }

    @Override
    public long events(String key) throws IOException {
        return s.count(term(Field.PROCESS_KEY, key));
    }

    @Override
    public List<Event> oldest(String key, int limit) throws IOException {
        return oldestFirst(term(Field.PROCESS_KEY, key), limit);
    }

    /**
     * Describes each process with events in the index, in the order of the keys (normalised), each
     * mapped to the doc id of one of its events (or null: look one up). Each comes from the index's
     * cache when this reader already described it with the same hint: describing a page of children or
     * peers reads their start events, most of a busy process's view, and a doc id names the same event
     * for as long as the reader lives.
     */
    @Override
    public Map<String, ProcessInfo> describe(Map<String, Integer> keys) throws IOException {
        Map<String, ProcessInfo> cached = new LinkedHashMap<>();
        Map<String, Integer> todo = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : keys.entrySet()) {
            ProcessInfo hit = caches.infos().get(s.getIndexReader(), cacheKey(e));
            if (hit != null) cached.put(e.getKey(), hit);
            else todo.put(e.getKey(), e.getValue());
        }
        Map<String, ProcessInfo> found = read(todo);
        Map<String, ProcessInfo> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : keys.entrySet()) {
            ProcessInfo info = cached.containsKey(e.getKey()) ? cached.get(e.getKey()) : found.get(e.getKey());
            if (info == null) continue;
            out.put(e.getKey(), info);
            caches.infos().put(s.getIndexReader(), cacheKey(e), info);
        }
        return out;
    }

    private static ProcessCaches.Described cacheKey(Map.Entry<String, Integer> keyAndHint) {
        return new ProcessCaches.Described(keyAndHint.getKey(), keyAndHint.getValue());
    }

    private Map<String, ProcessInfo> read(Map<String, Integer> keys) throws IOException {
        Map<String, ProcessInfo> out = new LinkedHashMap<>();
        if (keys.isEmpty()) return out;
        List<BytesRef> terms = keys.keySet().stream().map(BytesRef::new).toList();
        Query ofKeys = new TermInSetQuery(IndexFields.term(Field.PROCESS_KEY), terms);
        Map<String, Event> starts = new LinkedHashMap<>();
        Map<String, Event> ends = new LinkedHashMap<>();
        Query lifecycle = new BooleanQuery.Builder()
                .add(ofKeys, Occur.FILTER)
                .add(term(Field.TYPE, "process"), Occur.FILTER)
                .add(new TermInSetQuery(IndexFields.term(Field.OPERATION), List.of(new BytesRef("start"), new BytesRef("end"))), Occur.FILTER)
                .build();
        for (Event e : oldestFirst(lifecycle, Math.max(2 * keys.size(), 1))) {
            String k = IndexFields.normalize(e.get(Field.PROCESS_KEY));
            (("start".equalsIgnoreCase(e.operation())) ? starts : ends).putIfAbsent(k, e);
        }
        // one batched read of a representative event for the processes without a start event
        List<String> without = new ArrayList<>();
        List<ScoreDoc> docs = new ArrayList<>();
        for (Map.Entry<String, Integer> e : keys.entrySet()) {
            if (starts.containsKey(e.getKey()) || e.getValue() == null) continue;
            without.add(e.getKey());
            docs.add(new ScoreDoc(e.getValue(), Float.NaN));
        }
        List<Event> read = EventReader.read(s.getIndexReader(), docs.toArray(ScoreDoc[]::new), variants);
        Map<String, Event> representatives = new LinkedHashMap<>();
        for (int i = 0; i < without.size(); i++) representatives.put(without.get(i), read.get(i));
        for (String k : keys.keySet()) {
            Event described = starts.containsKey(k) ? starts.get(k) : representatives.get(k);
            if (described == null) {
                List<Event> any = oldestFirst(term(Field.PROCESS_KEY, k), 1);
                if (any.isEmpty()) continue;
                described = any.getFirst();
            }
            Event start = starts.get(k);
            Event end = ends.get(k);
            out.put(k, ProcessInfo.of(described, start == null ? null : start.ts(), end == null ? null : end.ts()));
        }
        return out;
    }

    private static Query term(Field f, String normalized) {
        return new TermQuery(new Term(IndexFields.term(f), normalized));
    }

    private List<Event> oldestFirst(Query q, int limit) throws IOException {
        ScoreDoc[] hits = OldestFirst.top(s, q, limit);
        return EventReader.read(s.getIndexReader(), hits, variants);
    }

    /**
     * Distinct process keys (normalised, sorted) of the events whose parent_key is the given key,
     * each with the doc id of one of those events: it describes the child (events carry their
     * acting process's fields), so no further search per child is needed. Unmodifiable; from the
     * index's cache when this reader already collected them.
     */
    @Override
    public NavigableMap<String, Integer> childKeys(String parentKey) throws IOException {
        NavigableMap<String, Integer> keys = caches.childKeys().get(s.getIndexReader(), parentKey);
        if (keys == null) {
            keys = Collections.unmodifiableNavigableMap(s.search(term(Field.PARENT_KEY, parentKey), new DistinctKeys()));
            caches.childKeys().put(s.getIndexReader(), parentKey, keys);
        }
        return keys;
    }

    private static final class DistinctKeys implements CollectorManager<DistinctKeys.Collector, TreeMap<String, Integer>> {
        @Override
        public Collector newCollector() {
            return new Collector();
        }

        @Override
        public TreeMap<String, Integer> reduce(Collection<Collector> collectors) throws IOException {
            TreeMap<String, Integer> all = new TreeMap<>();
            for (Collector c : collectors) {
                c.flush();
                c.keys.forEach(all::putIfAbsent);
            }
            return all;
        }

        /** Keeps the first doc per ord in each segment and looks each ord up once. */
        static final class Collector extends SimpleCollector {
            final TreeMap<String, Integer> keys = new TreeMap<>();
            private SortedDocValues dv;
            private Map<Integer, Integer> firstDoc;
            private int docBase;

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                flush();
                dv = context.reader().getSortedDocValues(IndexFields.display(Field.PROCESS_KEY));
                docBase = context.docBase;
                firstDoc = new HashMap<>();
            }

            @Override
            public void collect(int doc) throws IOException {
                if (dv != null && dv.advanceExact(doc)) firstDoc.putIfAbsent(dv.ordValue(), docBase + doc);
            }

            void flush() throws IOException {
                if (dv == null || firstDoc == null) return;
                for (Map.Entry<Integer, Integer> e : firstDoc.entrySet()) {
                    keys.putIfAbsent(IndexFields.normalize(dv.lookupOrd(e.getKey()).utf8ToString()), e.getValue());
                }
                firstDoc = null;
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        }
    }

    @Override
    public Map<String, Map<String, Long>> typeCounts(Collection<String> keys) throws IOException {
        // counts over every event can be kept for the reader; under a narrower visibility they are not
        boolean all = visible == null || visible instanceof MatchAllDocsQuery;
        ReaderCache<String, Map<String, Long>> cache = caches.typeCounts();
        Map<String, Map<String, Long>> byType = new HashMap<>();
        List<BytesRef> todo = new ArrayList<>();
        for (String k : keys) {
            Map<String, Long> hit = all ? cache.get(s.getIndexReader(), k) : null;
            if (hit != null) byType.put(k, hit);
            else todo.add(new BytesRef(k));
        }
        if (!todo.isEmpty()) {
            Query ofKeys = new TermInSetQuery(IndexFields.term(Field.PROCESS_KEY), todo);
            Query q = visible == null ? ofKeys
                    : new BooleanQuery.Builder().add(ofKeys, Occur.FILTER).add(visible, Occur.FILTER).build();
            Map<String, Map<String, Long>> counted = s.search(q, new TypeCounts());
            for (BytesRef k : todo) {
                Map<String, Long> c = Map.copyOf(counted.getOrDefault(k.utf8ToString(), Map.of()));
                byType.put(k.utf8ToString(), c);
                if (all) cache.put(s.getIndexReader(), k.utf8ToString(), c);
            }
        }
        return byType;
    }

    /** Events per (process key, type), from the process_key and type/operation doc value ords. */
    private static final class TypeCounts implements CollectorManager<TypeCounts.Collector, Map<String, Map<String, Long>>> {
        @Override
        public Collector newCollector() {
            return new Collector();
        }

        @Override
        public Map<String, Map<String, Long>> reduce(Collection<Collector> collectors) throws IOException {
            Map<String, Map<String, Long>> all = new HashMap<>();
            for (Collector c : collectors) {
                c.flush();
                c.counts.forEach((k, types) -> types.forEach((t, n) -> all.computeIfAbsent(k, x -> new HashMap<>()).merge(t, n, Long::sum)));
            }
            return all;
        }

        static final class Collector extends SimpleCollector {
            final Map<String, Map<String, Long>> counts = new HashMap<>();
            private SortedDocValues keys;
            private SortedDocValues pairs;
            /** (key ord << 32 | pair ord) -> events, for the current segment. */
            private Map<Long, long[]> segment;

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                flush();
                keys = context.reader().getSortedDocValues(IndexFields.display(Field.PROCESS_KEY));
                pairs = context.reader().getSortedDocValues(EventDocuments.TYPE_OPERATION);
                segment = new HashMap<>();
            }

            @Override
            public void collect(int doc) throws IOException {
                if (keys == null || pairs == null || !keys.advanceExact(doc) || !pairs.advanceExact(doc)) return;
                segment.computeIfAbsent(((long) keys.ordValue() << 32) | pairs.ordValue(), x -> new long[1])[0]++;
            }

            void flush() throws IOException {
                if (segment == null) return;
                for (Map.Entry<Long, long[]> e : segment.entrySet()) {
                    String key = IndexFields.normalize(keys.lookupOrd((int) (e.getKey() >>> 32)).utf8ToString());
                    String pair = pairs.lookupOrd((int) (e.getKey() & 0xffffffffL)).utf8ToString();
                    String type = pair.substring(0, Math.max(0, pair.indexOf('/')));
                    counts.computeIfAbsent(key, x -> new HashMap<>()).merge(type, e.getValue()[0], Long::sum);
                }
                segment = null;
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        }
    }
}
