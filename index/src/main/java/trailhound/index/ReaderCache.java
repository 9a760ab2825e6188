package trailhound.index;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.lucene.index.IndexReader;

/*
 * What the process pages compute about a process from all its events, kept for one index reader at
 * a time (issue #14: the largest part of a process page under load). Every process page walks its
 * ancestry, and the ancestors are the same few processes for most of an endpoint (System, smss,
 * services.exe, a busy parent): each one's child key set (the distinct process keys of all events
 * under it, from doc values), its events per type, and its description when it has no start event
 * (its oldest event, found among all of its events) took about 10 ms per ancestor on every page
 * of any descendant. Values may hold doc ids, which belong to one reader, and counts change with
 * new events, so the entries are dropped whenever another reader (after a refresh that saw new
 * events) asks: answers never lag the index. Bounded by a weight in all (a child key set weighs
 * its size, other values 1), least recently used first out.
 *
 * Thread-safe: a lock around the map; values are computed outside it (two requests may compute the
 * same value, the second put wins) and must be immutable.
 */
final class ReaderCache<K, V> {
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final int maxWeight;
    private final ToIntFunction<V> weigher;
    private Object readerKey;
    private long weight;

    /** At most {@code maxWeight} in all, each value weighing {@code weigher}'s answer (at least 1 assumed). */
    ReaderCache(int maxWeight, ToIntFunction<V> weigher) {
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    /** The value of {@code key} computed on {@code reader}, or null. */
    synchronized V get(IndexReader reader, K key) {
        if (readerKey != key(reader)) return null;
        return entries.get(key);
    }

    /** Keeps {@code value} of {@code key} for {@code reader}, dropping every other reader's values. */
    synchronized void put(IndexReader reader, K key, V value) {
        Object k = key(reader);
        if (readerKey != k) {
            entries.clear();
            weight = 0;
            readerKey = k;
        }
        int w = Math.max(1, weigher.applyAsInt(value));
        if (w > maxWeight) return;
        V old = entries.put(key, value);
        weight += w - (old == null ? 0 : Math.max(1, weigher.applyAsInt(old)));
        for (Iterator<Map.Entry<K, V>> it = entries.entrySet().iterator(); weight > maxWeight && it.hasNext(); ) {
            Map.Entry<K, V> eldest = it.next();
            if (eldest.getKey().equals(key)) continue;
            weight -= Math.max(1, weigher.applyAsInt(eldest.getValue()));
            it.remove();
        }
    }

    private static Object key(IndexReader reader) {
        IndexReader.CacheHelper helper = reader.getReaderCacheHelper();
        return helper != null ? helper.getKey() : reader;
    }
}
