package trailhound.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Where the data folder's events are indexed (table {@code index_backend}, one row): set when
 * {@code serve --index opensearch} starts, so that every command on the folder (search, ingest,
 * re-index...) reads and writes the same events. No row: the folder's local indexes. The password
 * is never stored, only the file it is read from. Thread-safe.
 */
public final class IndexBackendSetting {
    /**
     * {@code kind} is {@code local} or {@code opensearch}; for opensearch, the cluster's URL and, each
     * possibly null, the user, the password file and the CA file (absolute paths).
     */
    public record Backend(String kind, String url, String user, String passwordFile, String ca) {
        public static final Backend LOCAL = new Backend("local", null, null, null, null);
    }

    private final Database db;

    IndexBackendSetting(Database db) {
        this.db = db;
    }

    /** The backend recorded; empty when none was (the local indexes). */
    public Optional<Backend> get() {
        return db.read("read the index backend", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, url, user, password_file, ca FROM index_backend");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Backend(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5))) : Optional.<Backend>empty();
            }
        });
    }

    /** Records the backend, replacing the one recorded before. */
    public void set(Backend backend) {
        db.write("record the index backend", c -> {
            Catalogue.update(c, "DELETE FROM index_backend");
            return Catalogue.update(c, "INSERT INTO index_backend(kind, url, user, password_file, ca) VALUES (?, ?, ?, ?, ?)",
                    backend.kind(), backend.url(), backend.user(), backend.passwordFile(), backend.ca());
        });
    }
}
