package trailhound.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Snapshot captures from live endpoints (table {@code snapshot_captures}), so that their list and ids
 * outlive a server restart: who asked, when, which endpoint, how far it went and how it ended. The
 * server writes a row when a capture begins and at each change of state, not at every chunk. Who may
 * see which is module access's job, this only stores. Thread-safe.
 */
public final class SnapshotCaptureLog {
    /**
     * One capture. {@code state} copying, transferring, checking, ingesting (running), done, failed,
     * cancelled or interrupted (the server stopped during it); bytes {@code received} of {@code size} (-1
     * until the agent's copy is made), cuts survived ({@code resumes}); the copy's {@code name} and
     * {@code capturedAt}; when done, the {@code snapshotId} kept and the {@code events} read and
     * {@code added}; {@code reason} why it failed or a warning; times epoch ms.
     */
    public record Capture(long id, String endpoint, String user, long startedAt, String state, long received, long size, int resumes,
            String name, Long capturedAt, String snapshotId, Long events, Long added, String reason, Long endedAt) {}

    /** The states of a capture that has not ended. */
    public static final List<String> RUNNING = List.of("copying", "transferring", "checking", "ingesting");

    private static final String COLUMNS = "id, endpoint, user_name, started_at, state, received, size, resumes, name, captured_at,"
            + " snapshot_id, events, added, reason, ended_at";

    private final Database db;

    SnapshotCaptureLog(Database db) {
        this.db = db;
    }

    /** A new capture, copying; answers its id (never reused). */
    public long begin(String endpoint, String user, long at) {
        return db.write("record snapshot capture", c -> Sql.list(c, "INSERT INTO snapshot_captures(endpoint, user_name, started_at, state,"
                + " received, size, resumes) VALUES (?, ?, ?, 'copying', 0, -1, 0) RETURNING id", rs -> rs.getLong(1), endpoint, user, at)
                .getFirst());
    }

    /** Writes {@code capture}'s state and figures over its row. */
    public void save(Capture k) {
        db.write("update snapshot capture", c -> Sql.update(c, "UPDATE snapshot_captures SET state = ?, received = ?, size = ?,"
                + " resumes = ?, name = ?, captured_at = ?, snapshot_id = ?, events = ?, added = ?, reason = ?, ended_at = ? WHERE id = ?",
                k.state(), k.received(), k.size(), k.resumes(), k.name(), k.capturedAt(), k.snapshotId(), k.events(), k.added(),
                k.reason(), k.endedAt(), k.id()));
    }

    /** Marks every capture still running as interrupted (the server stopped during it); answers how many. */
    public int interruptUnfinished(String reason, long at) {
        return db.write("interrupt unfinished snapshot captures", c -> Sql.update(c, "UPDATE snapshot_captures SET state = 'interrupted',"
                + " reason = ?, ended_at = ? WHERE state IN ('copying', 'transferring', 'checking', 'ingesting')", reason, at));
    }

    public Optional<Capture> find(long id) {
        return db.read("read snapshot capture", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM snapshot_captures WHERE id = ?",
                SnapshotCaptureLog::row, id).stream().findFirst());
    }

    /** The newest {@code limit} captures, newest first. */
    public List<Capture> newest(int limit) {
        return db.read("read snapshot captures", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM snapshot_captures ORDER BY id DESC LIMIT ?",
                SnapshotCaptureLog::row, limit));
    }

    private static Capture row(ResultSet rs) throws SQLException {
        return new Capture(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getLong(6), rs.getLong(7),
                rs.getInt(8), rs.getString(9), Sql.nullableLong(rs, 10), rs.getString(11), Sql.nullableLong(rs, 12), Sql.nullableLong(rs, 13),
                rs.getString(14), Sql.nullableLong(rs, 15));
    }
}
