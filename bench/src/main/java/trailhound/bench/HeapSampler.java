package trailhound.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Samples used heap every 10 ms on a daemon thread and keeps the peak. "Used" includes garbage not
 * yet collected, so the peak is an upper bound on what the work needed; GC logs give the floor.
 */
final class HeapSampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile long peak;
    private volatile boolean stopped;

    HeapSampler() {
        peak = used();
        thread = Thread.ofPlatform().daemon().name("heap-sampler").start(this::sample);
    }

    private long used() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    private void sample() {
        while (!stopped) {
            long u = used();
            if (u > peak) peak = u;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Peak used heap in bytes so far. */
    long peakBytes() {
        long u = used();
        return Math.max(peak, u);
    }

    static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
