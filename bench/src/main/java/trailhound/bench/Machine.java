package trailhound.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/** The machine a result was measured on: cores, physical memory, max heap, JDK and OS. */
record Machine(int cores, long memoryBytes, long maxHeapBytes, String jdk, String os) {

    static Machine current() {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return new Machine(Runtime.getRuntime().availableProcessors(), memory, Runtime.getRuntime().maxMemory(),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    /**
     * CPU time of the whole process so far (every thread, native code included), in nanoseconds;
     * -1 when the JVM cannot tell.
     */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /** The CPU time per event a throughput target leaves when every core works on it. */
    double budgetMicrosPerEvent(double eventsPerSecond) {
        return cores * 1e6 / eventsPerSecond;
    }

    String describe() {
        return String.format("%d cores, %.1f GB RAM, max heap %.1f GB, %s, %s",
                cores, memoryBytes / 1e9, maxHeapBytes / 1e9, jdk, os);
    }
}
