package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
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
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.schema.IndexFields;

/*
 * The process view. Events carry their acting process's denormalised fields, so what is known of
 * a process comes from its process/start event when indexed, else from its oldest event; start and
 * end times come from its process/start and process/end events. Children are the distinct
 * process_key values of events whose parent_key is the process (collected from doc value ords, not
 * by reading events); peers are the children of the parent, minus the process itself. When the
 * parent has no events of its own, it is described from the child's parent_* fields.
 */
final class ProcessLookup {
    private ProcessLookup() {}

    static Optional<ProcessView> view(IndexSearcher s, String processKey, int historyLimit) throws IOException {
        if (historyLimit < 0) throw new IllegalArgumentException("history limit must be >= 0, was " + historyLimit);
        String key = IndexFields.normalize(processKey);
        Query ofProcess = term(Field.PROCESS_KEY, key);
        long historyTotal = s.count(ofProcess);
        if (historyTotal == 0) return Optional.empty();
        List<Event> history = historyLimit == 0 ? List.of() : oldestFirst(s, ofProcess, historyLimit);
        ProcessInfo process = infos(s, List.of(key)).get(key);

        ProcessInfo parent = null;
        List<ProcessInfo> peers = List.of();
        if (process.parentKey() != null) {
            String parentKey = IndexFields.normalize(process.parentKey());
            parent = infos(s, List.of(parentKey)).get(parentKey);
            if (parent == null) {
                parent = new ProcessInfo(process.parentKey(), process.parentPath(), fileName(process.parentPath()),
                        process.parentCommandLine(), null, process.ppid(), null, null, null, null,
                        null, null, null, null, null, null);
            }
            List<String> peerKeys = childKeys(s, parentKey);
            peerKeys.remove(key);
            peers = List.copyOf(infos(s, peerKeys).values());
        }
        List<ProcessInfo> children = List.copyOf(infos(s, childKeys(s, key)).values());
        return Optional.of(new ProcessView(process, parent, children, peers, history, historyTotal));
    }

    /** Describes each process with events in the index, in the order of {@code keys} (normalised). */
    private static Map<String, ProcessInfo> infos(IndexSearcher s, List<String> keys) throws IOException {
        Map<String, ProcessInfo> out = new LinkedHashMap<>();
        if (keys.isEmpty()) return out;
        List<BytesRef> terms = keys.stream().map(BytesRef::new).toList();
        Query ofKeys = new TermInSetQuery(IndexFields.term(Field.PROCESS_KEY), terms);
        Map<String, Event> starts = new LinkedHashMap<>();
        Map<String, Event> ends = new LinkedHashMap<>();
        Query lifecycle = new BooleanQuery.Builder()
                .add(ofKeys, Occur.FILTER)
                .add(term(Field.TYPE, "process"), Occur.FILTER)
                .add(new TermInSetQuery(IndexFields.term(Field.OPERATION), List.of(new BytesRef("start"), new BytesRef("end"))), Occur.FILTER)
                .build();
        for (Event e : oldestFirst(s, lifecycle, Math.max(2 * keys.size(), 1))) {
            String k = IndexFields.normalize(e.get(Field.PROCESS_KEY));
            (("start".equalsIgnoreCase(e.operation())) ? starts : ends).putIfAbsent(k, e);
        }
        for (String k : keys) {
            Event described = starts.get(k);
            if (described == null) {
                List<Event> any = oldestFirst(s, term(Field.PROCESS_KEY, k), 1);
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
        if (path == null) return null;
        int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(cut + 1);
    }

    private static Long number(String text) {
        return text == null ? null : EventDocuments.parseLong(text);
    }

    private static Query term(Field f, String normalized) {
        return new TermQuery(new Term(IndexFields.term(f), normalized));
    }

    static List<Event> oldestFirst(IndexSearcher s, Query q, int limit) throws IOException {
        ScoreDoc[] hits = s.search(q, new TopFieldCollectorManager(EndpointIndex.OLDEST_FIRST, limit, null, limit)).scoreDocs;
        return EventReader.read(s.getIndexReader(), hits);
    }

    /** Distinct process keys (normalised, sorted) of the events whose parent_key is the given key. */
    private static List<String> childKeys(IndexSearcher s, String parentKey) throws IOException {
        return new ArrayList<>(s.search(term(Field.PARENT_KEY, parentKey), new DistinctKeys()));
    }

    private static final class DistinctKeys implements CollectorManager<DistinctKeys.Collector, TreeSet<String>> {
        @Override
        public Collector newCollector() {
            return new Collector();
        }

        @Override
        public TreeSet<String> reduce(Collection<Collector> collectors) throws IOException {
            TreeSet<String> all = new TreeSet<>();
            for (Collector c : collectors) {
                c.flush();
                all.addAll(c.keys);
            }
            return all;
        }

        /** Marks the ords seen per segment and looks each one up once. */
        static final class Collector extends SimpleCollector {
            final TreeSet<String> keys = new TreeSet<>();
            private SortedDocValues dv;
            private java.util.BitSet seen;

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                flush();
                dv = context.reader().getSortedDocValues(IndexFields.display(Field.PROCESS_KEY));
                seen = new java.util.BitSet();
            }

            @Override
            public void collect(int doc) throws IOException {
                if (dv != null && dv.advanceExact(doc)) seen.set(dv.ordValue());
            }

            void flush() throws IOException {
                if (dv == null || seen == null) return;
                for (int ord = seen.nextSetBit(0); ord >= 0; ord = seen.nextSetBit(ord + 1)) {
                    keys.add(IndexFields.normalize(dv.lookupOrd(ord).utf8ToString()));
                }
                seen = null;
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        }
    }
}
