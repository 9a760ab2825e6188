package trailhound.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one side answered: the hit count and, for distributions, the count per type (for histograms,
 * per non-empty bucket, by its start in epoch ms). Two answers
 * agree when both are equal; the benchmark fails when any pair does not.
 */
record Answer(long hits, Map<String, Long> perType) {

    static Answer of(long hits) {
        return new Answer(hits, Map.of());
    }

    static Answer distribution(long total, Map<String, Long> perType) {
        return new Answer(total, new TreeMap<>(perType));
    }

    /** A histogram's answer: its total and the count of each non-empty bucket, by its start. */
    static Answer histogram(trailhound.index.Histogram h) {
        Map<String, Long> perBucket = new TreeMap<>();
        for (trailhound.index.Histogram.Bucket b : h.buckets()) if (b.count() > 0) perBucket.put(Long.toString(b.start()), b.count());
        return new Answer(h.total(), perBucket);
    }
}
