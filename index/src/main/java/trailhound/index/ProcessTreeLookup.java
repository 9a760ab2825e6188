package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/*
 * The process tree: ancestry up the parent_key chain, and pages of children loaded some levels
 * deep. Children are ProcessLookup's (distinct process_key of the events under a parent, from doc
 * value ords), ordered by normalised key so a page is an offset into a stable order.
 *
 * Counts per node are one pass over the events of all the page's processes (a TermInSetQuery on
 * process_key), reading two doc values per event (process_key and type/operation ords) and
 * counting ord pairs per segment; no event is read. The child count of a node is the size of its
 * child key set, which the next level needs anyway, so it is memoised per lookup.
 *
 * A lookup belongs to one acquired searcher and one request; not thread-safe.
 */
final class ProcessTreeLookup {
    /** Hops followed up the parent chain; a deeper chain (or a cycle in bad data) stops there. */
    static final int MAX_ANCESTRY = 256;

    private final IndexSearcher s;
    private final ProcessLookup lookup;
    private final Query visible;
    private final Map<String, NavigableMap<String, Integer>> childKeys = new HashMap<>();

    /** {@code visible}: the events a count may see (null: all). */
    ProcessTreeLookup(IndexSearcher searcher, ProcessLookup lookup, Query visible) {
        this.s = searcher;
        this.lookup = lookup;
        this.visible = visible;
    }

    /** The process and its ancestors, root first (the process last); empty for an unknown process. */
    List<ProcessNode> ancestry(String processKey) throws IOException {
        String key = IndexFields.normalize(processKey);
        ProcessInfo at = lookup.infos(ProcessLookup.single(key)).get(key);
        List<ProcessInfo> chain = new ArrayList<>();
        if (at == null) return List.of();
        chain.add(at);
        Set<String> seen = new HashSet<>(List.of(key));
        while (at != null && at.parentKey() != null && chain.size() <= MAX_ANCESTRY) {
            String parentKey = IndexFields.normalize(at.parentKey());
            if (!seen.add(parentKey)) break;
            ProcessInfo parent = lookup.infos(ProcessLookup.single(parentKey)).get(parentKey);
            if (parent == null) {
                chain.add(ProcessLookup.describedByChild(at)); // known only from the child: its own parent is unknown
                break;
            }
            chain.add(parent);
            at = parent;
        }
        Map<String, ProcessCounts> counts = counts(chain.stream().map(p -> IndexFields.normalize(p.key())).toList());
        List<ProcessNode> out = new ArrayList<>(chain.size());
        for (int i = chain.size() - 1; i >= 0; i--) {
            ProcessInfo p = chain.get(i);
            out.add(new ProcessNode(p, counts.getOrDefault(IndexFields.normalize(p.key()), ProcessCounts.NONE), null));
        }
        return out;
    }

    /**
     * The children of {@code parentKey} at {@code offset}, at most {@code limit} of them, without
     * {@code exclude} (null: none); each loaded {@code levels - 1} more levels down (first pages
     * only) while fewer than {@code budget} nodes have been loaded in all.
     */
    ProcessBranch children(String parentKey, int offset, int limit, String exclude, int levels, int budget) throws IOException {
        if (offset < 0 || limit < 0 || levels < 1 || budget < 0) {
            throw new IllegalArgumentException("offset, limit and budget must be >= 0 and levels >= 1, were "
                    + offset + ", " + limit + ", " + budget + ", " + levels);
        }
        return branch(IndexFields.normalize(parentKey), offset, limit, exclude == null ? null : IndexFields.normalize(exclude),
                levels, new int[] {budget});
    }

    private ProcessBranch branch(String parentKey, int offset, int limit, String exclude, int levels, int[] budget) throws IOException {
        NavigableMap<String, Integer> all = childKeysOf(parentKey);
        int total = all.size() - (exclude != null && all.containsKey(exclude) ? 1 : 0);
        Map<String, Integer> page = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<String, Integer> e : all.entrySet()) {
            if (e.getKey().equals(exclude)) continue;
            if (index++ < offset) continue;
            if (page.size() == limit) break;
            page.put(e.getKey(), e.getValue());
        }
        Map<String, ProcessInfo> infos = lookup.infos(page);
        Map<String, ProcessCounts> counts = counts(page.keySet());
        budget[0] -= page.size();
        List<ProcessNode> nodes = new ArrayList<>(page.size());
        for (String k : page.keySet()) {
            ProcessInfo info = infos.get(k);
            if (info == null) continue; // its events are gone since the keys were collected
            ProcessCounts c = counts.getOrDefault(k, ProcessCounts.NONE);
            ProcessBranch below = levels > 1 && c.children() > 0 && budget[0] > 0
                    ? branch(k, 0, limit, null, levels - 1, budget) : null;
            nodes.add(new ProcessNode(info, c, below));
        }
        return new ProcessBranch(parentKey, offset, total, nodes);
    }

    private NavigableMap<String, Integer> childKeysOf(String parentKey) throws IOException {
        NavigableMap<String, Integer> keys = childKeys.get(parentKey);
        if (keys == null) {
            keys = lookup.childKeys(parentKey);
            if (keys.containsKey(parentKey)) { // a process is never its own child, whatever the data says
                keys = new TreeMap<>(keys);
                keys.remove(parentKey);
            }
            childKeys.put(parentKey, keys);
        }
        return keys;
    }

    /** Events per type and child counts of each process (normalised keys). */
    Map<String, ProcessCounts> counts(Collection<String> keys) throws IOException {
        Map<String, ProcessCounts> out = new LinkedHashMap<>();
        if (keys.isEmpty()) return out;
        // counts over every event can be kept for the reader; under a narrower visibility they are not
        boolean all = visible == null || visible instanceof MatchAllDocsQuery;
        ReaderCache<String, Map<String, Long>> cache = lookup.caches().typeCounts();
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
        for (String k : keys) {
            out.put(k, new ProcessCounts(byType.getOrDefault(k, Map.of()), childKeysOf(k).size()));
        }
        return out;
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
