package trailhound.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Files fetched from endpoints as evidence (table {@code evidence_files}): who asked, when, from which
 * endpoint and path, and once verified its size and SHA-256. The file itself lives under the data
 * folder ({@code evidence/files/<id>}); who may list or download which is module access's job, this
 * only stores. Thread-safe.
 */
public final class EvidenceFiles {
    /** Where a file stands. */
    public enum State {
        TRANSFERRING, COMPLETE, FAILED, CANCELLED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State of(String label) {
            return valueOf(label.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * A file kept as evidence. {@code path} the agent's resolved path, {@code name} its last part;
     * {@code size} bytes and {@code sha256} hex, null until complete; {@code reason} why it failed;
     * times epoch ms. {@code pathBytes} the path's exact bytes when it is not UTF-8 ({@code path} and {@code name}
     * then show each byte that is not as {@code \xFF}), else null.
     */
    public record EvidenceFile(long id, String endpoint, String path, String name, Long size, String sha256, State state, String reason,
            String createdBy, long createdAt, Long completedAt, byte[] pathBytes) {
        public EvidenceFile(long id, String endpoint, String path, String name, Long size, String sha256, State state, String reason,
                String createdBy, long createdAt, Long completedAt) {
            this(id, endpoint, path, name, size, sha256, state, reason, createdBy, createdAt, completedAt, null);
        }

        /** The path's exact bytes: {@link #pathBytes} when set, else the UTF-8 of {@link #path}. */
        public byte[] exactPath() {
            return pathBytes != null ? pathBytes.clone() : path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static final String COLUMNS = "id, endpoint, path, name, size, sha256, state, reason, created_by, created_at, completed_at,"
            + " path_bytes";

    private final Database db;

    EvidenceFiles(Database db) {
        this.db = db;
    }

    /** A new file being transferred, with its saved-evidence item ({@link EvidenceItems}); answers their id. */
    public long begin(String endpoint, String path, String name, String createdBy, long at) {
        return begin(endpoint, path, null, name, createdBy, at);
    }

    /** A new file being transferred, {@code pathBytes} the exact bytes of a path that is not UTF-8 (else null); answers its id. */
    public long begin(String endpoint, String path, byte[] pathBytes, String name, String createdBy, long at) {
        return db.write("record evidence file", c -> {
            // the file's saved-evidence item gives it its id, so items of every kind share one numbering
            long id = EvidenceItems.insert(c, EvidenceItems.Kind.FILE, endpoint, name, path, "", 0, createdBy, at);
            Sql.update(c, "INSERT INTO evidence_files(id, endpoint, path, path_bytes, name, state, created_by, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, 'transferring', ?, ?)", id, endpoint, path, pathBytes, name, createdBy, at);
            return id;
        });
    }

    /** The transfer completed and was verified. */
    public void complete(long id, String path, long size, String sha256, long at) {
        complete(id, path, null, size, sha256, at);
    }

    /** The transfer completed and was verified; {@code pathBytes} as {@link #begin(String, String, byte[], String, String, long)}. */
    public void complete(long id, String path, byte[] pathBytes, long size, String sha256, long at) {
        complete(id, path, pathBytes, size, sha256, at, null);
    }

    /** As {@link #complete(long, String, byte[], long, String, long)}, {@code note} (or null) kept as the row's reason: what to know of the copy. */
    public void complete(long id, String path, byte[] pathBytes, long size, String sha256, long at, String note) {
        db.write("complete evidence file", c -> Sql.update(c, "UPDATE evidence_files SET state = 'complete', path = ?, path_bytes = ?,"
                + " size = ?, sha256 = ?, reason = ?, completed_at = ? WHERE id = ?", path, pathBytes, size, sha256, note, at, id));
    }

    /** The transfer failed, for {@code reason}. */
    public void fail(long id, String reason, long at) {
        db.write("fail evidence file", c -> Sql.update(c, "UPDATE evidence_files SET state = 'failed', reason = ?, completed_at = ?"
                + " WHERE id = ?", reason, at, id));
    }

    /** The transfer was cancelled by a user ({@code reason} says who). */
    public void cancelled(long id, String reason, long at) {
        db.write("cancel evidence file", c -> Sql.update(c, "UPDATE evidence_files SET state = 'cancelled', reason = ?, completed_at = ?"
                + " WHERE id = ?", reason, at, id));
    }

    /** Marks every transfer still running as failed (a server stopped in the middle of them); answers how many. */
    public int failUnfinished(String reason, long at) {
        return db.write("fail unfinished evidence files", c -> Sql.update(c, "UPDATE evidence_files SET state = 'failed', reason = ?,"
                + " completed_at = ? WHERE state = 'transferring'", reason, at));
    }

    /** Removes the row of a file no longer kept; answers whether there was one. */
    public boolean delete(long id) {
        return db.write("delete evidence file", c -> Sql.update(c, "DELETE FROM evidence_files WHERE id = ?", id)) > 0;
    }

    public Optional<EvidenceFile> find(long id) {
        return db.read("read evidence file", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM evidence_files WHERE id = ?", EvidenceFiles::row,
                id).stream().findFirst());
    }

    /** Every evidence file, newest first. */
    public List<EvidenceFile> list() {
        return db.read("read evidence files", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM evidence_files ORDER BY id DESC",
                EvidenceFiles::row));
    }

    private static EvidenceFile row(ResultSet rs) throws SQLException {
        return new EvidenceFile(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), Sql.nullableLong(rs, 5), rs.getString(6),
                State.of(rs.getString(7)), rs.getString(8), rs.getString(9), rs.getLong(10), Sql.nullableLong(rs, 11),
                rs.getBytes(12));
    }
}
