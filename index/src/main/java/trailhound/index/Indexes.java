package trailhound.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The per-endpoint indexes under {@code <data>/endpoints/<endpoint>/index/}, opened on demand and
 * kept in a bounded cache (least recently used closed on eviction, never while leased).
 *
 * <pre>{@code
 * try (Indexes.Lease lease = indexes.acquire("ws-01")) {
 *     long n = lease.index().count(query);
 * }
 * }</pre>
 *
 * <p>API skeleton: bodies are filled in by the index implementation.
 */
public final class Indexes implements Closeable {

    /** @param endpointsDir the {@code endpoints/} folder; @param maxOpen cap on open indexes */
    public Indexes(Path endpointsDir, int maxOpen) {
        throw new UnsupportedOperationException("todo");
    }

    /** Names of the endpoints that have an index, sorted. */
    public List<String> endpoints() throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    public boolean exists(String endpoint) {
        throw new UnsupportedOperationException("todo");
    }

    /** Leases the endpoint's index, opening it if needed; fails with UnknownEndpointException if absent. */
    public Lease acquire(String endpoint) throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** Leases the endpoint's index, creating it if absent (for ingest). */
    public Lease acquireOrCreate(String endpoint) throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** A use of an open index; close it to release. */
    public interface Lease extends AutoCloseable {
        EndpointIndex index();

        @Override
        void close();
    }
}
