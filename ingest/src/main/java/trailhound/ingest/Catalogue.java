package trailhound.ingest;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the data folder knows of endpoints, snapshots and imported files, kept in {@code server.db}.
 *
 * <p>Thread-safe: each call opens its own short-lived connection (SQLite serialises writers; the
 * catalogue is small and rarely written, so pooling would buy nothing).
 */
public final class Catalogue {
    private final String url;

    Catalogue(Path serverDb) {
        this.url = "jdbc:sqlite:" + serverDb;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA journal_mode=WAL");
            s.executeUpdate("""
                CREATE TABLE IF NOT EXISTS endpoints (
                  name TEXT PRIMARY KEY, os TEXT, hostname TEXT, ip TEXT, first_seen INTEGER NOT NULL)""");
            s.executeUpdate("""
                CREATE TABLE IF NOT EXISTS snapshots (
                  endpoint TEXT NOT NULL REFERENCES endpoints(name), id TEXT NOT NULL, file TEXT NOT NULL,
                  taken_at INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL,
                  event_count INTEGER NOT NULL, ingested_at INTEGER NOT NULL, PRIMARY KEY (endpoint, id))""");
            s.executeUpdate("""
                CREATE TABLE IF NOT EXISTS imports (
                  file TEXT NOT NULL, format TEXT NOT NULL, events INTEGER NOT NULL, ingested_at INTEGER NOT NULL)""");
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("cannot open the catalogue " + serverDb + ": " + e.getMessage(), e));
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA busy_timeout=10000");
        }
        return c;
    }

    /** Every endpoint, sorted by name. */
    public List<EndpointInfo> endpoints() {
        return queryEndpoints("", null);
    }

    public Optional<EndpointInfo> endpoint(String name) {
        return queryEndpoints(" WHERE e.name = ?", name).stream().findFirst();
    }

    private List<EndpointInfo> queryEndpoints(String where, String arg) {
        String sql = "SELECT e.name, e.os, e.hostname, e.ip, (SELECT count(*) FROM snapshots s WHERE s.endpoint = e.name)"
                + " FROM endpoints e" + where + " ORDER BY e.name";
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) ps.setString(1, arg);
            List<EndpointInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EndpointInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The endpoint's snapshots, newest first. */
    public List<SnapshotInfo> snapshots(String endpoint) {
        return querySnapshots(endpoint, null);
    }

    public Optional<SnapshotInfo> snapshot(String endpoint, String snapshotId) {
        return querySnapshots(endpoint, snapshotId).stream().findFirst();
    }

    private List<SnapshotInfo> querySnapshots(String endpoint, String id) {
        String sql = "SELECT id, endpoint, file, taken_at, first_ts, last_ts, event_count FROM snapshots WHERE endpoint = ?"
                + (id == null ? "" : " AND id = ?") + " ORDER BY taken_at DESC, id DESC";
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, endpoint);
            if (id != null) ps.setString(2, id);
            List<SnapshotInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SnapshotInfo(rs.getString(1), rs.getString(2), Path.of(rs.getString(3)),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Records the endpoint, keeping known details when the new ones are null. */
    void upsertEndpoint(String name, String os, String hostname, String ip) {
        String sql = """
            INSERT INTO endpoints(name, os, hostname, ip, first_seen) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET os = coalesce(excluded.os, os),
              hostname = coalesce(excluded.hostname, hostname), ip = coalesce(excluded.ip, ip)""";
        update(sql, name, os, hostname, ip, System.currentTimeMillis());
    }

    void upsertSnapshot(SnapshotInfo s) {
        String sql = """
            INSERT INTO snapshots(endpoint, id, file, taken_at, first_ts, last_ts, event_count, ingested_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(endpoint, id) DO UPDATE SET file = excluded.file, first_ts = excluded.first_ts,
              last_ts = excluded.last_ts, event_count = excluded.event_count, ingested_at = excluded.ingested_at""";
        update(sql, s.endpoint(), s.id(), s.file().toString(), s.takenAt(), s.firstTs(), s.lastTs(), s.eventCount(),
                System.currentTimeMillis());
    }

    void recordImport(Path file, String format, long events) {
        update("INSERT INTO imports(file, format, events, ingested_at) VALUES (?, ?, ?, ?)",
                file.toString(), format, events, System.currentTimeMillis());
    }

    private void update(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private UncheckedIOException failure(SQLException e) {
        return new UncheckedIOException(new IOException("catalogue " + url.substring("jdbc:sqlite:".length()) + ": " + e.getMessage(), e));
    }
}
