package trailhound.index;

import java.util.List;

/**
 * Exact counts of matching events over time: the window {@code [from, to)} (UTC ms) cut into
 * buckets of {@code bucketMillis}, each aligned to a UTC multiple of its size, in time order, empty
 * ones included. The first and last bucket may reach outside the window; only events inside it are
 * counted, so the counts add up to {@code total}, the number of matching events in the window.
 *
 * <p>With nothing matched and an open side asked for, {@code from}/{@code to} on that side is null,
 * {@code bucketMillis} 0 and there are no buckets.
 */
public record Histogram(Long from, Long to, long bucketMillis, List<Bucket> buckets, long total) {
    /** The most buckets {@link #bucketMillis(long, long)} picks a size for. */
    public static final int MAX_BUCKETS = 120;

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    /** Bucket sizes, smallest first; past the last, doubles of it (60 d, 120 d, ...). */
    static final long[] LADDER = {SECOND, 5 * SECOND, 10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 10 * MINUTE,
            30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY, 30 * DAY};

    /** One bucket: {@code [start, end)} in UTC ms and the matching events in it (and in the window). */
    public record Bucket(long start, long end, long count) {}

    public Histogram {
        buckets = List.copyOf(buckets);
    }

    /**
     * The smallest size of {@link #LADDER} (or double of its last) whose aligned buckets cover
     * {@code [from, to)} in at most {@value #MAX_BUCKETS}.
     *
     * @throws IllegalArgumentException when {@code from >= to}
     */
    public static long bucketMillis(long from, long to) {
        if (from >= to) throw new IllegalArgumentException("from must be before to, was [" + from + ", " + to + ")");
        for (long size : LADDER) {
            if (bucketCount(from, to, size) <= MAX_BUCKETS) return size;
        }
        long size = LADDER[LADDER.length - 1];
        while (bucketCount(from, to, size) > MAX_BUCKETS) size *= 2; // stops long before overflow: 2^63 ms / 120
        return size;
    }

    /** How many buckets of {@code size} aligned to its multiples cover {@code [from, to)}. */
    static long bucketCount(long from, long to, long size) {
        return Math.floorDiv(to - 1, size) - Math.floorDiv(from, size) + 1;
    }

    /** The start of the aligned bucket of {@code size} holding {@code t}. */
    static long alignDown(long t, long size) {
        return Math.floorDiv(t, size) * size;
    }
}
