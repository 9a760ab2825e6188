package trailhound.bench;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * Median and 95th percentile of repeated runs, in milliseconds.
 *
 * <p>{@link #measure} warms the task up ({@code warmups} runs, then more until {@code warmupNanos} of them or
 * {@link #MAX_WARMUPS}: a few runs leave a rarely run path interpreted or C1-compiled, and a server that has
 * answered analysts for a while runs it compiled; the process view of a busy process took 10.7 ms after 3
 * warm-ups and about 1.2 ms after 200), then times it at least {@code minRuns} and at most
 * {@code maxRuns} times, stopping early (after {@code minRuns}) once {@code budgetNanos} of timed
 * runs have passed: the SQLite side of a 10M-event run would otherwise take an hour for the
 * full-scan queries.
 */
record Latency(double medianMs, double p95Ms, int runs, double totalMs) {

    /** Without the runs' total time (figures built by hand). */
    Latency(double medianMs, double p95Ms, int runs) {
        this(medianMs, p95Ms, runs, 0);
    }

    /** The task's last answer and its timings. */
    record Measured<T>(T answer, Latency latency) {}

    /** The most warm-up runs, whatever the warm-up time left. */
    static final int MAX_WARMUPS = 1_000;

    static <T> Measured<T> measure(int warmups, int minRuns, int maxRuns, long budgetNanos, Callable<T> task) throws Exception {
        return measure(warmups, 0, minRuns, maxRuns, budgetNanos, task);
    }

    static <T> Measured<T> measure(int warmups, long warmupNanos, int minRuns, int maxRuns, long budgetNanos, Callable<T> task)
            throws Exception {
        T answer = null;
        long warming = System.nanoTime();
        for (int i = 0; i < warmups || i < MAX_WARMUPS && System.nanoTime() - warming < warmupNanos; i++) answer = task.call();
        long[] nanos = new long[maxRuns];
        long spent = 0;
        int runs = 0;
        while (runs < maxRuns && (runs < minRuns || spent < budgetNanos)) {
            long start = System.nanoTime();
            answer = task.call();
            nanos[runs] = System.nanoTime() - start;
            spent += nanos[runs];
            runs++;
        }
        return new Measured<>(answer, of(Arrays.copyOf(nanos, runs)));
    }

    /** Nearest-rank percentiles over the run times. */
    static Latency of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latency(rank(sorted, 50) / 1e6, rank(sorted, 95) / 1e6, sorted.length, Arrays.stream(sorted).sum() / 1e6);
    }

    private static long rank(long[] sorted, int percentile) {
        int i = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
