package trailhound.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The endpoints a data folder knows and their snapshots (tables {@code endpoints}, {@code snapshots}). Thread-safe. */
public final class Catalogue {
    private final Database db;

    Catalogue(Database db) {
        this.db = db;
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
        return db.read("read endpoints", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (arg != null) ps.setString(1, arg);
                List<EndpointInfo> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new EndpointInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
                    }
                }
                return out;
            }
        });
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
        return db.read("read snapshots", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
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
            }
        });
    }

    /** Records the endpoint, keeping known details when the new ones are null. */
    public void upsertEndpoint(String name, String os, String hostname, String ip) {
        db.write("record endpoint " + name, c -> upsertEndpoint(c, name, os, hostname, ip));
    }

    static int upsertEndpoint(Connection c, String name, String os, String hostname, String ip) throws SQLException {
        return update(c, """
            INSERT INTO endpoints(name, os, hostname, ip, first_seen) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET os = coalesce(excluded.os, os),
              hostname = coalesce(excluded.hostname, hostname), ip = coalesce(excluded.ip, ip)""",
                name, os, hostname, ip, System.currentTimeMillis());
    }

    /** Records a snapshot kept from source {@code sourceId} (the endpoint must be recorded). */
    public void upsertSnapshot(SnapshotInfo s, long sourceId) {
        db.write("record snapshot " + s.id(), c -> update(c, """
            INSERT INTO snapshots(endpoint, id, file, taken_at, first_ts, last_ts, event_count, ingested_at, source_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(endpoint, id) DO UPDATE SET file = excluded.file, first_ts = excluded.first_ts,
              last_ts = excluded.last_ts, event_count = excluded.event_count, ingested_at = excluded.ingested_at,
              source_id = excluded.source_id""",
                s.endpoint(), s.id(), s.file().toString(), s.takenAt(), s.firstTs(), s.lastTs(), s.eventCount(),
                System.currentTimeMillis(), sourceId));
    }

    /** Names that were renamed or merged, and the endpoint each now belongs to. */
    public java.util.Map<String, String> aliases() {
        return db.read("read endpoint aliases", c -> {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT alias, endpoint FROM endpoint_aliases");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getString(2));
            }
            return out;
        });
    }

    /**
     * Gives endpoint {@code from} the name {@code to} (rename, when {@code to} is new) or moves it into
     * the existing endpoint {@code to} (merge): snapshots, what sources fed and named it move along,
     * and {@code from} becomes an alias, so events recorded under it (again) belong to {@code to}.
     * The index must be rebuilt afterwards.
     *
     * @throws StoreException when {@code from} is unknown, or {@code to} exists and {@code merge} is false
     */
    public void moveEndpoint(String from, String to, boolean merge) {
        db.write((merge ? "merge " : "rename ") + from, c -> {
            if (!exists(c, from)) throw new SQLException("unknown endpoint '" + from + "'");
            if (from.equals(to)) throw new SQLException("'" + from + "' is that endpoint already");
            boolean target = exists(c, to);
            if (target && !merge) throw new SQLException("an endpoint named '" + to + "' exists: merge into it instead");
            if (!target && merge) throw new SQLException("unknown endpoint '" + to + "' to merge into");
            if (!target) {
                update(c, "INSERT INTO endpoints(name, os, hostname, ip, first_seen) SELECT ?, os, hostname, ip, first_seen"
                        + " FROM endpoints WHERE name = ?", to, from);
            }
            update(c, "UPDATE snapshots SET endpoint = ? WHERE endpoint = ?", to, from);
            update(c, """
                INSERT INTO source_endpoints(source_id, endpoint, events, rejected)
                SELECT source_id, ?, events, rejected FROM source_endpoints WHERE endpoint = ? AND true
                ON CONFLICT(source_id, endpoint) DO UPDATE SET events = events + excluded.events,
                  rejected = rejected + excluded.rejected""", to, from);
            update(c, "DELETE FROM source_endpoints WHERE endpoint = ?", from);
            update(c, "UPDATE sources SET endpoint_override = ? WHERE endpoint_override = ?", to, from);
            update(c, "UPDATE endpoint_aliases SET endpoint = ? WHERE endpoint = ?", to, from);
            update(c, "INSERT INTO endpoint_aliases(alias, endpoint) VALUES (?, ?)"
                    + " ON CONFLICT(alias) DO UPDATE SET endpoint = excluded.endpoint", from, to);
            update(c, "DELETE FROM endpoint_aliases WHERE alias = ?", to); // the name is an endpoint again
            // tags and static group places follow the endpoint, so a rename neither hides it from nor shows it to anyone
            update(c, "INSERT INTO endpoint_tags(endpoint, tag) SELECT ?, tag FROM endpoint_tags WHERE endpoint = ? AND true"
                    + " ON CONFLICT DO NOTHING", to, from);
            update(c, "DELETE FROM endpoint_tags WHERE endpoint = ?", from);
            update(c, "INSERT INTO group_endpoints(group_name, endpoint) SELECT group_name, ? FROM group_endpoints"
                    + " WHERE endpoint = ? AND true ON CONFLICT DO NOTHING", to, from);
            update(c, "DELETE FROM group_endpoints WHERE endpoint = ?", from);
            return update(c, "DELETE FROM endpoints WHERE name = ?", from);
        });
    }

    /**
     * Removes the endpoint from the catalogue: its row, snapshots, aliases and what sources fed it.
     * Returns the ids of the sources that fed nothing else (to be removed with their files).
     */
    public List<Long> purgeEndpoint(String endpoint) {
        return db.write("purge " + endpoint, c -> {
            if (!exists(c, endpoint)) throw new SQLException("unknown endpoint '" + endpoint + "'");
            List<Long> only = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT s.id FROM sources s WHERE s.id IN (SELECT source_id FROM source_endpoints WHERE endpoint = ?)
                      AND NOT EXISTS (SELECT 1 FROM source_endpoints o WHERE o.source_id = s.id AND o.endpoint <> ?)""")) {
                ps.setString(1, endpoint);
                ps.setString(2, endpoint);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) only.add(rs.getLong(1));
                }
            }
            update(c, "DELETE FROM snapshots WHERE endpoint = ?", endpoint);
            update(c, "DELETE FROM source_endpoints WHERE endpoint = ?", endpoint);
            update(c, "DELETE FROM endpoint_aliases WHERE endpoint = ? OR alias = ?", endpoint, endpoint);
            update(c, "DELETE FROM endpoint_tags WHERE endpoint = ?", endpoint);
            update(c, "DELETE FROM group_endpoints WHERE endpoint = ?", endpoint);
            update(c, "DELETE FROM endpoints WHERE name = ?", endpoint);
            return only;
        });
    }

    /** Every endpoint's tags (endpoints without tags absent), tags sorted. */
    public java.util.Map<String, java.util.SortedSet<String>> tags() {
        return db.read("read endpoint tags", c -> {
            java.util.Map<String, java.util.SortedSet<String>> tags = new java.util.TreeMap<>();
            for (String[] row : Sql.list(c, "SELECT endpoint, tag FROM endpoint_tags", rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                tags.computeIfAbsent(row[0], e -> new java.util.TreeSet<>()).add(row[1]);
            }
            return tags;
        });
    }

    /** Adds and removes tags of an endpoint in one step (tags already there, or absent, are no error). */
    public void changeTags(String endpoint, java.util.Collection<String> add, java.util.Collection<String> remove) {
        db.write("tag " + endpoint, c -> {
            for (String t : add) Sql.update(c, "INSERT INTO endpoint_tags(endpoint, tag) VALUES (?, ?) ON CONFLICT DO NOTHING", endpoint, t);
            for (String t : remove) Sql.update(c, "DELETE FROM endpoint_tags WHERE endpoint = ? AND tag = ?", endpoint, t);
            return null;
        });
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM endpoints WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
        }
    }
}
