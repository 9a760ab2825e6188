package trailhound.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import trailhound.index.Indexes;

/**
 * A Trailhound data folder ({@code --data DIR}): {@code server.db} (the catalogue), per-endpoint
 * folders with snapshots and indexes, evidence and exports. See DESIGN.md "Data directory".
 *
 * <p>Thread-safe. One instance per process and folder; close it to close every open index.
 *
 * <p>API skeleton: bodies are filled in by the ingest implementation.
 */
public final class DataDir implements Closeable {

    /** Opens the folder, creating its layout and catalogue when absent. */
    public static DataDir open(Path root) throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    public Path root() {
        throw new UnsupportedOperationException("todo");
    }

    /** {@code server.db}: a SQLite file other modules may add their own tables to (users, evidence...). */
    public Path serverDb() {
        throw new UnsupportedOperationException("todo");
    }

    public Indexes indexes() {
        throw new UnsupportedOperationException("todo");
    }

    public Catalogue catalogue() {
        throw new UnsupportedOperationException("todo");
    }

    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("todo");
    }
}
