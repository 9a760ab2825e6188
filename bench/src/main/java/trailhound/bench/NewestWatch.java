package trailhound.bench;

import java.nio.file.Path;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.Query;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.query.IndexFields;
import trailhound.recorder.RecorderReader;
import trailhound.schema.Field;

/**
 * Measures how soon a snapshot's newest event answers a search once its ingest starts: a thread
 * searches the endpoint's index for an event at the snapshot's newest time every 20 ms, as an analyst
 * waiting for it would, and stops at the first hit (searching keeps the index refreshing, so it stops
 * as soon as it can: ingest speed is measured in the same run).
 */
final class NewestWatch implements AutoCloseable {
    private static final long POLL_MILLIS = 20;

    private final Thread thread;
    private final String snapshot;
    private final long snapshotEvents;
    private final long started = System.nanoTime();
    private volatile BenchReport.NewestSearchable result;
    private volatile boolean stop;

    private NewestWatch(DataDir data, Path file) throws Exception {
        String endpoint;
        long newestTs;
        try (RecorderReader reader = RecorderReader.open(file)) {
            endpoint = reader.meta().host();
            newestTs = reader.lastTs().orElseThrow();
            snapshotEvents = reader.eventCount();
        }
        snapshot = file.getFileName().toString();
        Query newest = LongPoint.newExactQuery(IndexFields.point(Field.TS), newestTs);
        thread = Thread.ofPlatform().name("bench-newest-watch").daemon().start(() -> watch(data, endpoint, newest));
    }

    /** Starts watching for the newest event of {@code file}; call just before its ingest starts. */
    static NewestWatch start(DataDir data, Path file) throws Exception {
        return new NewestWatch(data, file);
    }

    private void watch(DataDir data, String endpoint, Query newest) {
        while (!stop) {
            if (data.indexes().exists(endpoint)) {
                try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                    if (lease.index().count(newest) > 0) {
                        double seconds = (System.nanoTime() - started) / 1e9;
                        result = new BenchReport.NewestSearchable(snapshot, snapshotEvents, seconds, lease.index().count(null));
                        return;
                    }
                } catch (Exception e) {
                    // the index is being created or committed: look again
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The measurement; call after the ingest ended (then it is found within a poll), null if it never was. */
    BenchReport.NewestSearchable result() throws InterruptedException {
        thread.join(5_000);
        return result;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
