package trailhound.index;

/** Event count, first and last event time (UTC ms, null when empty) and bytes on disk. */
public record IndexStats(long eventCount, Long firstTs, Long lastTs, long sizeOnDisk) {}
