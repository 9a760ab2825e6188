package trailhound.ingest;

/**
 * What one ingest did to one endpoint: events read from the file, events new to the index (counted
 * from now on), duplicates (already indexed, by event_uid), rows rejected as unreadable, and of the
 * added, those an earlier interrupted run of the same source had committed at a checkpoint
 * ({@code resumed}; this run read on from there).
 */
public record EndpointCounts(String endpoint, long read, long added, long duplicates, long rejected, long resumed) {}
