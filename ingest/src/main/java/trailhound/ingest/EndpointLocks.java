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

    /** Held until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Lets an ingest write the endpoint; waits while it is being rebuilt. */
    Held ingesting(String endpoint) {
        StampedLock lock = lock(endpoint);
        long stamp = lock.readLock();
        return () -> lock.unlockRead(stamp);
    }

    /** Makes the endpoint this thread's alone to rebuild; waits until no ingest writes it. */
    Held rebuilding(String endpoint) throws java.io.InterruptedIOException {
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
        return () -> lock.unlockWrite(held);
    }

    private StampedLock lock(String endpoint) {
        return locks.computeIfAbsent(endpoint, k -> new StampedLock());
    }
}
