package trailhound.recorder;

import java.util.List;

/**
 * What {@link RecorderReader#read} did.
 *
 * @param eventsRead      events passed to the sink
 * @param rowsRejected    rows that could not be mapped to an event (e.g. no {@code ts} or {@code type})
 * @param firstRejectedIds the ids of the first (at most ten) rejected rows, to look at with SQL
 * @param lastId          the last events.id seen (read or rejected) in the order read, 0 when none:
 *                        resume after it (ascending) or before it (newest first)
 */
public record ReadReport(long eventsRead, long rowsRejected, List<Long> firstRejectedIds, long lastId) {
    public ReadReport {
        firstRejectedIds = List.copyOf(firstRejectedIds);
    }
}
