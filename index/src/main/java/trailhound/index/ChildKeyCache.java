package trailhound.index;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.lucene.index.IndexReader;

/*
 * The distinct child process keys of recently asked parents, for one index reader at a time.
 * Every process page walks its ancestry, and every ancestor's child count is the size of its child
 * key set, collected from the doc values of all events under it: for a parent like services.exe
 * that is every event of thousands of processes, about 10 ms of CPU on each page load of any of
 * its descendants (issue #14: the largest part of a process page under load). The sets hold doc
 * ids, which belong to one reader, so the entries are dropped whenever another reader (after a
 * refresh that saw new events) asks. Bounded by the number of child keys held in all, least
 * recently used parents dropped first: at {@value #MAX_KEYS} keys, some megabytes per open index.
 *
 * Thread-safe: a lock around the map; sets are computed outside it (two requests may compute the
 * same set, the second put wins) and are unmodifiable.
 */
final class ChildKeyCache {
    static final int MAX_KEYS = 50_000;

    private final LinkedHashMap<String, NavigableMap<String, Integer>> byParent = new LinkedHashMap<>(64, 0.75f, true);
    private Object readerKey;
    private int keys;

    /** The cached set of {@code parentKey}'s children for {@code reader}, or null. */
    synchronized NavigableMap<String, Integer> get(IndexReader reader, String parentKey) {
        if (readerKey != key(reader)) return null;
        return byParent.get(parentKey);
    }

    /** Keeps {@code children} (unmodifiable) of {@code parentKey} for {@code reader}, dropping other readers' sets. */
    synchronized void put(IndexReader reader, String parentKey, NavigableMap<String, Integer> children) {
        Object k = key(reader);
        if (readerKey != k) {
            byParent.clear();
            keys = 0;
            readerKey = k;
        }
        if (children.size() > MAX_KEYS) return;
        NavigableMap<String, Integer> old = byParent.put(parentKey, children);
        keys += children.size() - (old == null ? 0 : old.size());
        for (Iterator<Map.Entry<String, NavigableMap<String, Integer>>> it = byParent.entrySet().iterator(); keys > MAX_KEYS && it.hasNext(); ) {
            Map.Entry<String, NavigableMap<String, Integer>> eldest = it.next();
            if (eldest.getKey().equals(parentKey)) continue;
            keys -= eldest.getValue().size();
            it.remove();
        }
    }

    private static Object key(IndexReader reader) {
        IndexReader.CacheHelper helper = reader.getReaderCacheHelper();
        return helper != null ? helper.getKey() : reader;
    }
}
