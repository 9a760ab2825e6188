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

    String describe() {
        return String.format("%d cores, %.1f GB RAM, max heap %.1f GB, %s, %s",
                cores, memoryBytes / 1e9, maxHeapBytes / 1e9, jdk, os);
    }
}
