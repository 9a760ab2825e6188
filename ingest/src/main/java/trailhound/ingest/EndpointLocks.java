package trailhound.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;

/*
 * An ingest that wrote into an endpoint while it was rebuilt would write into the generation the
 * rebuild is about to replace, and its events would vanish with it. So ingests share an endpoint's
 * lock and a rebuild has it alone. A StampedLock, because an ingest takes an endpoint on one of its
 * worker threads and lets it go on another. A rebuild asks without queueing (tryWriteLock in a loop):
 * a queued writer would hold up new readers, and a telemetry ingest that holds one endpoint and reaches
 * another could then wait on a rebuild that waits on another ingest. Since a rebuild never waits
 * while holding anything and ingests never exclude each other, nothing can wait in a circle.
 */

/** Who writes an endpoint's index: ingests together, or one rebuild (re-index, rename, merge, purge) alone; per data folder. */
final class EndpointLocks {
    private static final long POLL_MILLIS = 20;

    private final Map<String, StampedLock> locks = new ConcurrentHashMap<>();
    /** What rebuilds an endpoint now ("re-index", "rename", ...), to tell an ingest that waits for it. */
    private final Map<String, String> rebuilds = new ConcurrentHashMap<>();

    /** Held until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Lets an ingest write the endpoint; waits while it is being rebuilt, first telling {@code onWait}
     * what it waits for (e.g. "waiting for the re-index of WS-01 to end").
     */
    Held ingesting(String endpoint, java.util.function.Consumer<String> onWait) {
        StampedLock lock = lock(endpoint);
        long stamp = lock.tryReadLock();
        if (stamp == 0) {
            onWait.accept("waiting for the " + rebuilds.getOrDefault(endpoint, "rebuild") + " of " + endpoint + " to end");
            stamp = lock.readLock();
        }
        long held = stamp;
        return () -> lock.unlockRead(held);
    }

    /** Makes the endpoint this thread's alone to rebuild ({@code what}: "re-index", "rename", ...); waits until no ingest writes it. */
    Held rebuilding(String endpoint, String what) throws java.io.InterruptedIOException {
        StampedLock lock = lock(endpoint);
        long stamp;
        while ((stamp = lock.tryWriteLock()) == 0) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for ingests into " + endpoint + " to end");
            }
        }
        long held = stamp;
        rebuilds.put(endpoint, what);
        return () -> {
            rebuilds.remove(endpoint);
            lock.unlockWrite(held);
        };
    }

    private StampedLock lock(String endpoint) {
        return locks.computeIfAbsent(endpoint, k -> new StampedLock());
    }
}
