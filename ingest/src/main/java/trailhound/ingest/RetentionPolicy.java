package trailhound.ingest;

import java.io.IOException;
import trailhound.index.EventIndex;
import trailhound.index.IndexStats;
import trailhound.store.Retention;
import trailhound.store.SourceInfo;

/**
 * Applies an endpoint's retention limit (store {@link Retention}): at most N days before the
 * endpoint's newest event (not before now: evidence imported from last year must not vanish on
 * import) and/or at most N events, the oldest going first. Applied after each ingest and by each
 * re-index; what it removed is recorded, and each source's count is what it still holds.
 */
public final class RetentionPolicy {
    private static final long DAY = 86_400_000L;

    private RetentionPolicy() {}

    /** Applies the endpoint's limit to its current index now (after a limit was set); returns the events removed. */
    public static long applyNow(DataDir data, String endpoint) throws IOException {
        if (!data.indexes().exists(endpoint)) return 0;
        try (trailhound.index.IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return apply(data, endpoint, lease.index(), true);
        }
    }

    /** Applies the endpoint's limit to {@code index}; returns the events removed. */
    static long apply(DataDir data, String endpoint, EventIndex index, boolean record) throws IOException {
        Retention.Limit limit = data.store().retention().limitFor(endpoint);
        if (limit.none()) return 0;
        IndexStats stats = index.stats();
        if (stats.lastTs() == null) return 0;
        Long cutoff = null;
        if (limit.maxDays() != null) cutoff = stats.lastTs() - limit.maxDays() * DAY;
        if (limit.maxEvents() != null) {
            Long byCount = index.cutoffForMaxEvents(limit.maxEvents());
            if (byCount != null) cutoff = cutoff == null ? byCount : Math.max(cutoff, byCount);
        }
        if (cutoff == null) return 0;
        long removed = index.deleteOlderThan(cutoff);
        if (record && removed > 0) {
            data.store().retention().recordApplied(endpoint, removed, cutoff);
            for (SourceInfo s : data.store().sources().list(endpoint)) {
                if (s.state().equals(SourceInfo.COMPLETE)) data.store().sources().setEvents(s.id(), endpoint, index.countSource(s.label()));
            }
        }
        return removed;
    }
}
