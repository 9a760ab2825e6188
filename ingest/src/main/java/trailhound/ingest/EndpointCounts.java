package trailhound.ingest;

/**
 * What one ingest did to one endpoint: events read from the file, events new to the index,
 * duplicates (already indexed, by event_uid) and rows rejected as unreadable.
 */
public record EndpointCounts(String endpoint, long read, long added, long duplicates, long rejected) {}
