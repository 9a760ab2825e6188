package trailhound.web;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import trailhound.ingest.IngestException;

/**
 * Ingests that run inside a request (a snapshot or telemetry upload, the command line's ingest handed to the
 * server) as the server's stop sees them. {@link #close} asks each to stop ({@code Ingestor.stopWhen}) and waits
 * for them (at most {@link #STOP_WAIT}) before the web server and the data folder close: stopping the web server
 * first interrupts the request's thread, which closes the index's files under Lucene, and the ingest's end could
 * no longer be recorded. A stopped ingest fails with an {@link IngestException} whose {@code stopped()} is true;
 * nothing of it is kept. Thread-safe.
 */
public final class RequestIngests {
    /** How long a stop waits for the ingests under way: one stops within a few thousand events. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** An ingest given the question to ask while it reads: true means stop. */
    @FunctionalInterface
    public interface Ingest<T> {
        T run(BooleanSupplier stop) throws IOException;
    }

    private volatile boolean stopping;
    private int running;
    private int stopped;

    /** Runs {@code ingest} on the calling thread; one begun during the stop is stopped at once. */
    public <T> T run(Ingest<T> ingest) throws IOException {
        synchronized (this) {
            running++;
        }
        try {
            return ingest.run(() -> stopping);
        } catch (IngestException e) {
            if (e.stopped()) {
                synchronized (this) {
                    stopped++;
                }
            }
            throw e;
        } finally {
            synchronized (this) {
                running--;
                notifyAll();
            }
        }
    }

    /**
     * Asks the ingests under way to stop and waits for them; says on stderr what it waits for and what it stopped.
     * Later calls do nothing.
     */
    public void close() {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        boolean said = false;
        synchronized (this) {
            if (stopping) return; // closed already
            stopping = true;
            try {
                while (running > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        System.err.println("trailhound: " + running + (running == 1 ? " ingest" : " ingests") + " did not stop within "
                                + STOP_WAIT.toSeconds() + " s; stopping anyway");
                        break;
                    }
                    if (!said) {
                        System.err.println("trailhound: waiting for " + (running == 1 ? "an ingest" : running + " ingests") + " under way"
                                + " (an upload, or the command line's ingest) to stop: a few thousand events at most");
                        said = true;
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stopped > 0) {
                System.err.println("trailhound: stopped " + (stopped == 1 ? "an ingest" : stopped + " ingests") + " under way; nothing of "
                        + (stopped == 1 ? "it" : "them") + " is kept: upload or ingest " + (stopped == 1 ? "it" : "them") + " again");
            }
        }
    }
}
