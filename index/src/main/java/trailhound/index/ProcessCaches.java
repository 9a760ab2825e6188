package trailhound.index;

import java.util.Map;
import java.util.NavigableMap;

/**
 * One index's {@link ReaderCache}s for the process view and tree: child key sets (at most 50,000
 * keys in all, some megabytes), descriptions of processes (by key, and hint when one was given), and events per
 * type of processes counted over all visible events (10,000 each).
 */
record ProcessCaches(
        ReaderCache<String, NavigableMap<String, Integer>> childKeys,
        ReaderCache<Described, ProcessInfo> infos,
        ReaderCache<String, Map<String, Long>> typeCounts) {

    /** A process described: its normalised key and the doc id of the event hinted to describe it (null: none). */
    record Described(String key, Integer hint) {}

    ProcessCaches() {
        this(new ReaderCache<>(50_000, NavigableMap::size), new ReaderCache<>(10_000, v -> 1), new ReaderCache<>(10_000, v -> 1));
    }
}
