package trailhound.index;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one background thread that refreshes every open index with unsearched writes, about twice a
 * second while someone searches it, so live events become searchable without anyone calling refresh. A single daemon thread
 * for the whole JVM (like ForkJoinPool.commonPool) rather than one per index: a server may hold
 * hundreds of open indexes. It holds no index state, only scheduled tasks, cancelled on close.
 */
final class Refresher {
    static final long PERIOD_MS = 500;

    private static final class Holder {
        static final ScheduledExecutorService SCHEDULER = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread t = new Thread(runnable, "trailhound-index-refresh");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }

    private Refresher() {}

    static ScheduledFuture<?> schedule(Runnable refresh) {
        return Holder.SCHEDULER.scheduleWithFixedDelay(refresh, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }
}
