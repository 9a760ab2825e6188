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
import java.util.Optional;
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
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/*
 * The process view. Every event carries its acting process's fields (some through its process
 * variant), so what is known of a process comes from its process/start event when indexed, else
 * from its oldest event; start and
 * end times come from its process/start and process/end events. Children are the distinct
 * process_key values of events whose parent_key is the process (collected from doc value ords, not
 * by reading events); peers are the children of the parent, minus the process itself. When the
 * parent has no events of its own, it is described from the child's parent_* fields.
 */
final class ProcessLookup {
    private final IndexSearcher s;
    private final ProcessVariants variants;
    private final ProcessCaches caches;

    /** {@code variants} fill in the events read (their process fields); {@code caches} are the index's. */
    ProcessLookup(IndexSearcher searcher, ProcessVariants variants, ProcessCaches caches) {
        this.s = searcher;
        this.variants = variants;
        this.caches = caches;
    }

    ProcessCaches caches() {
        return caches;
    }

    /** {@code relatives}: at most this many children and peers each, the first by normalised key (0: none, not even looked for). */
    Optional<ProcessView> view(String processKey, int historyLimit, int relatives) throws IOException {
        if (historyLimit < 0) throw new IllegalArgumentException("history limit must be >= 0, was " + historyLimit);
        if (relatives < 0) throw new IllegalArgumentException("relatives limit must be >= 0, was " + relatives);
        String key = IndexFields.normalize(processKey);
        Query ofProcess = term(Field.PROCESS_KEY, key);
        long historyTotal = s.count(ofProcess);
        if (historyTotal == 0) return Optional.empty();
        List<Event> history = historyLimit == 0 ? List.of() : oldestFirst(ofProcess, historyLimit);
        ProcessInfo process = infos(single(key)).get(key);

        ProcessInfo parent = null;
        List<ProcessInfo> peers = List.of();
        if (process.parentKey() != null) {
            String parentKey = IndexFields.normalize(process.parentKey());
            parent = infos(single(parentKey)).get(parentKey);
            if (parent == null) parent = describedByChild(process);
            if (relatives > 0) {
                Map<String, Integer> peerKeys = new LinkedHashMap<>(childKeys(parentKey));
                peerKeys.remove(key);
                peers = List.copyOf(infos(first(peerKeys, relatives)).values());
            }
        }
        List<ProcessInfo> children = relatives == 0 ? List.of() : List.copyOf(infos(first(childKeys(key), relatives)).values());
        return Optional.of(new ProcessView(process, parent, children, peers, history, historyTotal));
    }

    /**
     * The first {@code n} entries: describing a process reads one of its events, and a busy parent's
     * thousands of children cost tens of milliseconds that a page of them does not.
     */
    private static Map<String, Integer> first(Map<String, Integer> keys, int n) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : keys.entrySet()) {
            if (out.size() == n) break;
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The parent of {@code child} as its events describe it, for a parent with no events of its own. */
    static ProcessInfo describedByChild(ProcessInfo child) {
        return new ProcessInfo(child.parentKey(), child.parentPath(), fileName(child.parentPath()),
                child.parentCommandLine(), null, child.ppid(), null, null, null, null,
                null, null, null, null, null, null);
    }

    static Map<String, Integer> single(String key) {
        Map<String, Integer> one = new LinkedHashMap<>();
        one.put(key, null);
        return one;
    }

    /**
     * Describes each process with events in the index, in the order of the keys (normalised), each
     * mapped to the doc id of one of its events (or null: look one up). Each comes from the index's
     * cache when this reader already described it with the same hint: describing a page of children or
     * peers reads their start events, most of a busy process's view, and a doc id names the same event
     * for as long as the reader lives.
     */
    Map<String, ProcessInfo> infos(Map<String, Integer> keys) throws IOException {
        Map<String, ProcessInfo> cached = new LinkedHashMap<>();
        Map<String, Integer> todo = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : keys.entrySet()) {
            ProcessInfo hit = caches.infos().get(s.getIndexReader(), cacheKey(e));
            if (hit != null) cached.put(e.getKey(), hit);
            else todo.put(e.getKey(), e.getValue());
        }
        Map<String, ProcessInfo> found = describe(todo);
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

    private Map<String, ProcessInfo> describe(Map<String, Integer> keys) throws IOException {
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
            out.put(k, info(described, start == null ? null : start.ts(), end == null ? null : end.ts()));
        }
        return out;
    }

    private static ProcessInfo info(Event e, Long startTs, Long endTs) {
        String path = e.get(Field.PROCESS_PATH);
        String name = e.get(Field.PROCESS_NAME);
        return new ProcessInfo(e.get(Field.PROCESS_KEY), path, name != null ? name : fileName(path),
                e.get(Field.COMMAND_LINE), e.get(Field.USER), number(e.get(Field.PID)), number(e.get(Field.PPID)),
                e.get(Field.PARENT_KEY), e.get(Field.PARENT_PATH), e.get(Field.PARENT_COMMAND_LINE),
                e.get(Field.HASH_MD5), e.get(Field.HASH_SHA1), e.get(Field.HASH_SHA256), e.get(Field.SIGNATURE),
                startTs, endTs);
    }

    private static String fileName(String path) {
        return trailhound.schema.FilePaths.fileName(path);
    }

    private static Long number(String text) {
        return text == null ? null : EventDocuments.parseLong(text);
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
    NavigableMap<String, Integer> childKeys(String parentKey) throws IOException {
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
}
