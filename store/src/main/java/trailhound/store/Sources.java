package trailhound.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sources of truth (tables {@code sources}, {@code source_endpoints}): every input as received,
 * its SHA-256 and size, its state, and the events it added per endpoint. Thread-safe.
 */
public final class Sources {
    private static final String COLUMNS = "id, kind, original_name, sha256, size, path, format, endpoint_override, state, reason,"
            + " ingested_by, ingested_at, time_zone";

    private final Database db;

    Sources(Database db) {
        this.db = db;
    }

    /** The source with these bytes, if any. */
    public Optional<SourceInfo> bySha256(String sha256) {
        return first(" WHERE s.sha256 = ?", sha256);
    }

    /** True when some source has exactly this many bytes: only then can a file of this size be a known one. */
    public boolean anyOfSize(long size) {
        return !query(" WHERE s.size = ?", List.of(size)).isEmpty();
    }

    public Optional<SourceInfo> get(long id) {
        return first(" WHERE s.id = ?", id);
    }

    /** Every source, oldest first; only those that fed {@code endpoint} when it is not null. */
    public List<SourceInfo> list(String endpoint) {
        return endpoint == null ? query("", List.of())
                : query(" WHERE s.id IN (SELECT source_id FROM source_endpoints WHERE endpoint = ?)", List.of(endpoint));
    }

    /** Records a new source in state {@code ingesting} and returns its id. */
    public long begin(String kind, String originalName, String sha256, long size, String endpointOverride, String ingestedBy) {
        return db.write("record source " + originalName, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO sources(kind, original_name, sha256, size, endpoint_override, state, ingested_by, ingested_at)
                    VALUES (?, ?, ?, ?, ?, 'ingesting', ?, ?) RETURNING id""")) {
                Object[] args = {kind, originalName, sha256, size, endpointOverride, ingestedBy, System.currentTimeMillis()};
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Records the hash, size and kept copy of a source that was not kept before (an upgraded import). */
    public void adopt(long id, String sha256, long size, String path) {
        db.write("update source " + id, c -> Catalogue.update(c,
                "UPDATE sources SET sha256 = ?, size = ?, path = ?, reason = NULL WHERE id = ?", sha256, size, path, id));
    }

    /** Sets where the kept copy is (relative to the data folder). */
    public void setPath(long id, String path) {
        db.write("update source " + id, c -> Catalogue.update(c, "UPDATE sources SET path = ? WHERE id = ?", path, id));
    }

    /**
     * Marks the source complete with what it fed, and records those endpoints with their operating
     * system ({@code os} of each endpoint's name; may give null), in one transaction.
     */
    public void complete(long id, String format, Map<String, SourceInfo.SourceEndpoint> fed, java.util.function.Function<String, String> os) {
        db.write("complete source " + id, c -> {
            Catalogue.update(c, "DELETE FROM source_endpoints WHERE source_id = ?", id);
            for (SourceInfo.SourceEndpoint e : fed.values()) {
                Catalogue.upsertEndpoint(c, e.endpoint(), os.apply(e.endpoint()), null, null);
                Catalogue.update(c, "INSERT INTO source_endpoints(source_id, endpoint, events, rejected) VALUES (?, ?, ?, ?)",
                        id, e.endpoint(), e.events(), e.rejected());
            }
            return Catalogue.update(c, "UPDATE sources SET state = 'complete', reason = NULL, format = ?, completed_at = ?"
                    + " WHERE id = ?", format, System.currentTimeMillis(), id);
        });
    }

    /** Records the zone the source's times without one are read in (null: UTC), as given at ingest. */
    public void setTimeZone(long id, String timeZone) {
        db.write("update source " + id, c -> Catalogue.update(c, "UPDATE sources SET time_zone = ? WHERE id = ?", timeZone, id));
    }

    /** Records the hash of a source whose file was not kept (a failed ingest), so the same file again retries it. */
    public void setSha256(long id, String sha256) {
        db.write("update source " + id, c -> Catalogue.update(c,
                "UPDATE sources SET sha256 = ? WHERE id = ? AND sha256 IS NULL", sha256, id));
    }

    /** Marks the source failed, with the reason. */
    public void fail(long id, String reason) {
        db.write("mark source " + id + " failed", c -> Catalogue.update(c,
                "UPDATE sources SET state = 'failed', reason = ? WHERE id = ?", reason, id));
    }

    /** The reason of a source whose ingest was killed before it had received its file. */
    public static final String UNRECEIVED = "interrupted before its file was received; ingest the file again";

    /**
     * A source failed {@link #UNRECEIVED} that may have been this file (same kind, name and size; its
     * bytes were never hashed): ingesting the file again takes its id.
     */
    public Optional<SourceInfo> unreceived(String kind, String originalName, long size) {
        return query(" WHERE s.state = 'failed' AND s.sha256 IS NULL AND s.reason = ? AND s.kind = ? AND s.original_name = ?"
                + " AND s.size = ?", List.of(UNRECEIVED, kind, originalName, size)).stream().findFirst();
    }

    /**
     * Marks failed every source still {@code ingesting} with no hash, other than {@code running}: an
     * ingest that was killed before it had received (hashed and kept) its file. Nothing of such a
     * source counts; {@code sources remove} removes whatever of it an index holds.
     */
    public void failUnreceived(java.util.Collection<Long> running) {
        db.write("mark interrupted sources failed", c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sources WHERE state = 'ingesting' AND sha256 IS NULL");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
            for (long id : ids) {
                if (!running.contains(id)) {
                    Catalogue.update(c, "UPDATE sources SET state = 'failed', reason = ? WHERE id = ?", UNRECEIVED, id);
                }
            }
            return ids.size();
        });
    }

    /** Sets the source back to {@code ingesting} (a new attempt), with the endpoint named this time. */
    public void restart(long id, String endpointOverride, String ingestedBy) {
        db.write("restart source " + id, c -> Catalogue.update(c, "UPDATE sources SET state = 'ingesting', reason = NULL,"
                + " endpoint_override = ?, ingested_by = ?, ingested_at = ? WHERE id = ?",
                endpointOverride, ingestedBy, System.currentTimeMillis(), id));
    }

    /** Sets the events a source added first to an endpoint (after a re-index counted them again). */
    public void setEvents(long id, String endpoint, long events) {
        db.write("update source " + id, c -> Catalogue.update(c, """
                INSERT INTO source_endpoints(source_id, endpoint, events) VALUES (?, ?, ?)
                ON CONFLICT(source_id, endpoint) DO UPDATE SET events = excluded.events""", id, endpoint, events));
    }

    /** Removes the source's row (and its snapshot rows); its events must be removed from the indexes first. */
    public void delete(long id) {
        db.write("delete source " + id, c -> {
            Catalogue.update(c, "DELETE FROM snapshots WHERE source_id = ?", id);
            return Catalogue.update(c, "DELETE FROM sources WHERE id = ?", id);
        });
    }

    private Optional<SourceInfo> first(String where, Object arg) {
        return query(where, List.of(arg)).stream().findFirst();
    }

    private List<SourceInfo> query(String where, List<Object> args) {
        return db.read("read sources", c -> {
            Map<Long, List<SourceInfo.SourceEndpoint>> fed = fed(c);
            List<SourceInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sources s" + where + " ORDER BY s.id")) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        out.add(new SourceInfo(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                                rs.getString(11), rs.getLong(12), fed.getOrDefault(id, List.of()), rs.getString(13)));
                    }
                }
            }
            return out;
        });
    }

    private static Map<Long, List<SourceInfo.SourceEndpoint>> fed(Connection c) throws SQLException {
        Map<Long, List<SourceInfo.SourceEndpoint>> fed = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT source_id, endpoint, events, rejected FROM source_endpoints ORDER BY source_id, endpoint");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                fed.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new SourceInfo.SourceEndpoint(rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return fed;
    }
}
