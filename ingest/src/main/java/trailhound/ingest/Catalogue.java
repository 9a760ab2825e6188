package trailhound.ingest;

import java.util.List;
import java.util.Optional;

/**
 * What the data folder knows of endpoints and snapshots, kept in {@code server.db}.
 * Thread-safe.
 *
 * <p>API skeleton: bodies are filled in by the ingest implementation.
 */
public final class Catalogue {

    /** Every endpoint, sorted by name. */
    public List<EndpointInfo> endpoints() {
        throw new UnsupportedOperationException("todo");
    }

    public Optional<EndpointInfo> endpoint(String name) {
        throw new UnsupportedOperationException("todo");
    }

    /** The endpoint's snapshots, newest first. */
    public List<SnapshotInfo> snapshots(String endpoint) {
        throw new UnsupportedOperationException("todo");
    }

    public Optional<SnapshotInfo> snapshot(String endpoint, String snapshotId) {
        throw new UnsupportedOperationException("todo");
    }
}
