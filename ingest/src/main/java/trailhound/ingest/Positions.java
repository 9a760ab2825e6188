package trailhound.ingest;

/*
 * Two positions, because a catch-up runs newest first: the agent's store holds waiting events at
 * positions acknowledged+1..newest; its first catch-up batch is the newest ones, so what the server
 * holds is then everything up to `acknowledged` plus a range `backfill..liveEdge` above it. New events
 * extend the range upwards (the live edge), catch-up batches downwards (the backfill), each
 * acknowledged as it becomes durable; when the backfill reaches acknowledged+1 the two meet and
 * `acknowledged` jumps to the live edge. After any disconnect the agent resumes both ends from here.
 */

/**
 * What the server holds of one agent's positions: every position up to {@code acknowledged} and, while
 * a catch-up runs ({@code backfill > 0}), every position {@code backfill..liveEdge}; the catch-up's
 * progress: {@code catchupDone} of the {@code catchupTotal} events that waited when it began (both 0
 * when none ran). An immutable value.
 */
public record Positions(long acknowledged, long backfill, long liveEdge, long catchupTotal, long catchupDone) {
    /** Whether a catch-up runs: a range is held above {@link #acknowledged}. */
    public boolean catchingUp() {
        return backfill > 0;
    }

    /** Whether the batch {@code first..last} is held already (sent again after a lost ack): it adds nothing. */
    boolean holds(long first, long last, boolean backfilling) {
        if (last <= acknowledged) return true;
        if (!catchingUp()) return false;
        // a catch-up batch reaching above the live edge is not held either: a stale first batch of an earlier connection
        // may have opened the range after this connection began its own catch-up from further up
        return first >= backfill && last <= liveEdge;
    }

    /** The positions once the batch {@code first..last} (that added {@code added} new events) is durable. */
    Positions after(long first, long last, boolean backfilling, long catchupEvents, int added) {
        if (backfilling) {
            if (!catchingUp()) { // the newest waiting events: the range opens
                return merged(new Positions(acknowledged, Math.max(first, acknowledged + 1), last, Math.max(catchupEvents, added), added));
            }
            return merged(new Positions(acknowledged, Math.min(first, backfill), Math.max(liveEdge, last), catchupTotal, catchupDone + added));
        }
        if (!catchingUp()) return new Positions(Math.max(acknowledged, last), 0, 0, catchupTotal, catchupDone);
        if (first <= acknowledged + 1) { // sent from acknowledged on (an agent of protocol 1 resuming): the range below grows
            return merged(new Positions(Math.max(acknowledged, last), backfill, Math.max(liveEdge, last), catchupTotal, catchupDone));
        }
        return new Positions(acknowledged, backfill, Math.max(liveEdge, last), catchupTotal, catchupDone);
    }

    /** The range merged into {@code acknowledged} once the backfill reaches it; the catch-up is then complete. */
    private static Positions merged(Positions p) {
        if (p.backfill > p.acknowledged + 1) return p;
        return new Positions(Math.max(p.acknowledged, p.liveEdge), 0, 0, p.catchupTotal, p.catchupTotal);
    }
}
