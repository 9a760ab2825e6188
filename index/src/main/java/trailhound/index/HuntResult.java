package trailhound.index;

import java.util.List;
import java.util.Map;

/**
 * A hunt over every endpoint: exact counts per endpoint with at least one hit (sorted by endpoint)
 * and the newest hits across all of them, newest first.
 */
public record HuntResult(Map<String, Long> counts, List<HuntHit> hits) {
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
