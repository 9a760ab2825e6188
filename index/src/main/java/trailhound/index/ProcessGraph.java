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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import trailhound.query.IndexFields;
import trailhound.schema.FilePaths;

/**
 * The process view, ancestry and tree pages ({@link EventIndex#process}, {@link EventIndex#ancestry},
 * {@link EventIndex#children}) built from a backend's {@link ProcessFacts}, so that both backends
 * answer them alike. Every event carries its acting process's fields, so a process is described by
 * one of its events; children are the distinct process keys of the events whose parent_key is the
 * process, ordered by normalised key so that a page is an offset into a stable order; peers are the
 * parent's children minus the process. A parent with no events of its own is described from its
 * child's parent_* fields and ends the chain.
 *
 * <p>One request's: child key sets are memoised for its life. Not thread-safe.
 */
public final class ProcessGraph {
    /** Hops followed up the parent chain; a deeper chain (or a cycle in bad data) stops there. */
    public static final int MAX_ANCESTRY = 256;

    private final ProcessFacts facts;
    private final Map<String, NavigableMap<String, Integer>> childKeys = new HashMap<>();

    public ProcessGraph(ProcessFacts facts) {
        this.facts = facts;
    }

    /** See {@link EventIndex#process(String, int, int)}. */
    public Optional<ProcessView> view(String processKey, int historyLimit, int relatives) throws IOException {
        if (historyLimit < 0) throw new IllegalArgumentException("history limit must be >= 0, was " + historyLimit);
        if (relatives < 0) throw new IllegalArgumentException("relatives limit must be >= 0, was " + relatives);
        String key = IndexFields.normalize(processKey);
        long historyTotal = facts.events(key);
        if (historyTotal == 0) return Optional.empty();
        List<trailhound.schema.Event> history = historyLimit == 0 ? List.of() : facts.oldest(key, historyLimit);
        ProcessInfo process = one(key);
        if (process == null) return Optional.empty(); // its events went between the two looks

        ProcessInfo parent = null;
        List<ProcessInfo> peers = List.of();
        if (process.parentKey() != null) {
            String parentKey = IndexFields.normalize(process.parentKey());
            parent = one(parentKey);
            if (parent == null) parent = describedByChild(process);
            if (relatives > 0) {
                Map<String, Integer> peerKeys = new LinkedHashMap<>(facts.childKeys(parentKey));
                peerKeys.remove(key);
                peers = List.copyOf(facts.describe(first(peerKeys, relatives)).values());
            }
        }
        List<ProcessInfo> children = relatives == 0 ? List.of()
                : List.copyOf(facts.describe(first(facts.childKeys(key), relatives)).values());
        return Optional.of(new ProcessView(process, parent, children, peers, history, historyTotal));
    }

    /** See {@link EventIndex#ancestry}. */
    public List<ProcessNode> ancestry(String processKey) throws IOException {
        String key = IndexFields.normalize(processKey);
        ProcessInfo at = one(key);
        if (at == null) return List.of();
        List<ProcessInfo> chain = new ArrayList<>();
        chain.add(at);
        Set<String> seen = new HashSet<>(List.of(key));
        while (at != null && at.parentKey() != null && chain.size() <= MAX_ANCESTRY) {
            String parentKey = IndexFields.normalize(at.parentKey());
            if (!seen.add(parentKey)) break;
            ProcessInfo parent = one(parentKey);
            if (parent == null) {
                chain.add(describedByChild(at)); // known only from the child: its own parent is unknown
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

    /** See {@link EventIndex#children}. */
    public ProcessBranch children(String parentKey, int offset, int limit, String exclude, int levels, int budget) throws IOException {
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
        Map<String, ProcessInfo> infos = facts.describe(page);
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

    private ProcessInfo one(String key) throws IOException {
        Map<String, Integer> single = new LinkedHashMap<>();
        single.put(key, null);
        return facts.describe(single).get(key);
    }

    private NavigableMap<String, Integer> childKeysOf(String parentKey) throws IOException {
        NavigableMap<String, Integer> keys = childKeys.get(parentKey);
        if (keys == null) {
            keys = facts.childKeys(parentKey);
            if (keys.containsKey(parentKey)) { // a process is never its own child, whatever the data says
                keys = new TreeMap<>(keys);
                keys.remove(parentKey);
            }
            childKeys.put(parentKey, keys);
        }
        return keys;
    }

    /** Events per type and child counts of each process (normalised keys). */
    private Map<String, ProcessCounts> counts(Collection<String> keys) throws IOException {
        Map<String, ProcessCounts> out = new LinkedHashMap<>();
        if (keys.isEmpty()) return out;
        Map<String, Map<String, Long>> byType = facts.typeCounts(keys);
        for (String k : keys) out.put(k, new ProcessCounts(byType.getOrDefault(k, Map.of()), childKeysOf(k).size()));
        return out;
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
        return new ProcessInfo(child.parentKey(), child.parentPath(), FilePaths.fileName(child.parentPath()),
                child.parentCommandLine(), null, child.ppid(), null, null, null, null,
                null, null, null, null, null, null);
    }
}
