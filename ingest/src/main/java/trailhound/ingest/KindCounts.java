package trailhound.ingest;

/**
 * What one ingest did with the events of one kind ({@code type/operation}, see Event#kind): read from
 * the file, added to the index, skipped as duplicates (already indexed, by event_uid), and refused by
 * the index (a value it cannot hold).
 */
public record KindCounts(long read, long added, long duplicates, long rejected) {}
