package trailhound.index;

import java.util.List;
import java.util.Map;

/**
 * A hunt over many endpoints: exact counts per endpoint with at least one hit (sorted by endpoint),
 * the newest hits across all of them, newest first (one page), the cursor of the next page (null on
 * the last) and, per endpoint hunted, the sources being ingested into it now: their events so far are
 * searched and counted, as by that endpoint's own searches, so the result is partial; {@code start} is
 * the 0-based position of the page's first hit among all of them.
 */
public record HuntResult(Map<String, Long> counts, List<HuntHit> hits, HuntCursor next,
        Map<String, List<SourceProgress>> partial, long start) {

    /** One page with no further page and nothing being ingested. */
    public HuntResult(Map<String, Long> counts, List<HuntHit> hits) {
        this(counts, hits, null, Map.of(), 0);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
