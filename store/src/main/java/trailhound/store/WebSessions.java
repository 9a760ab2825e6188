package trailhound.store;

import java.util.List;
import java.util.Optional;

/**
 * Signed-in browsers (table {@code web_sessions}), kept so that a server restart signs nobody out.
 * Keyed by the SHA-256 of the session id; making ids, hashing them and the time limits are module
 * access's job. Times in epoch ms. Thread-safe.
 */
public final class WebSessions {
    /** A session: {@code idSha256} the hex SHA-256 of the cookie's id. */
    public record Session(String idSha256, String user, String csrfToken, String credentialStamp, long startedAt, long lastSeenAt) {}

    private static final String COLUMNS = "id_sha256, user_name, csrf_token, credential_stamp, started_at, last_seen_at";

    private final Database db;

    WebSessions(Database db) {
        this.db = db;
    }

    public void insert(Session s) {
        db.write("open web session", c -> Sql.update(c, "INSERT INTO web_sessions(" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", s.idSha256(),
                s.user(), s.csrfToken(), s.credentialStamp(), s.startedAt(), s.lastSeenAt()));
    }

    public Optional<Session> find(String idSha256) {
        return db.read("read web session", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM web_sessions WHERE id_sha256 = ?",
                WebSessions::session, idSha256).stream().findFirst());
    }

    /** The user's sessions, oldest first. */
    public List<Session> ofUser(String user) {
        return db.read("read web sessions", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM web_sessions WHERE user_name = ?"
                + " ORDER BY started_at", WebSessions::session, user));
    }

    public void touch(String idSha256, long at) {
        db.write("touch web session", c -> Sql.update(c, "UPDATE web_sessions SET last_seen_at = ? WHERE id_sha256 = ?", at, idSha256));
    }

    public void delete(String idSha256) {
        db.write("end web session", c -> Sql.update(c, "DELETE FROM web_sessions WHERE id_sha256 = ?", idSha256));
    }

    /** Removes the sessions last used before {@code idleBefore} or started before {@code startedBefore}; returns how many. */
    public int purge(long idleBefore, long startedBefore) {
        return db.write("purge web sessions", c -> Sql.update(c, "DELETE FROM web_sessions WHERE last_seen_at < ? OR started_at < ?",
                idleBefore, startedBefore));
    }

    private static Session session(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6));
    }
}
