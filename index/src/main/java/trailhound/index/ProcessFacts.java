package trailhound.index;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import trailhound.schema.Event;

/**
 * What a backend answers about processes, from which {@link ProcessGraph} builds the process view
 * and tree the same way on every backend. Keys are normalised ({@code IndexFields.normalize}); a
 * hint is a backend's own reference to one event of the process (a Lucene doc id) that describes it
 * without a search, or null.
 */
public interface ProcessFacts {
    /** How many events the process has; 0 for an unknown one. */
    long events(String key) throws IOException;

    /** The process's first {@code limit} events by (ts, event_uid). */
    List<Event> oldest(String key, int limit) throws IOException;

    /**
     * Each process with events, in the order of {@code keys}, described from its process/start event
     * when indexed, else from its hinted or oldest event; start and end times from its process/start and
     * process/end events. Processes without events are left out.
     */
    Map<String, ProcessInfo> describe(Map<String, Integer> keys) throws IOException;

    /** The distinct process keys (sorted) of the events whose parent_key is {@code parentKey}, each with a hint. */
    NavigableMap<String, Integer> childKeys(String parentKey) throws IOException;

    /** Events per type (lower case) of each process, over the events the caller may see. */
    Map<String, Map<String, Long>> typeCounts(Collection<String> keys) throws IOException;
}
