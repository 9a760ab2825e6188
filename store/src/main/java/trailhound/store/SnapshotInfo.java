package trailhound.store;

import java.nio.file.Path;

/**
 * A snapshot file kept under {@code endpoints/<endpoint>/snapshots/}: its id (the file name without
 * extension, {@code <host>_<YYYY_MM_DDTHH.MM.SS.mmmZ>}), when it was taken, the time window of its
 * events (UTC ms; a snapshot is viewed as the endpoint's index restricted to this window) and the
 * number of events it holds.
 */
public record SnapshotInfo(String id, String endpoint, Path file, long takenAt, long firstTs, long lastTs, long eventCount) {}
