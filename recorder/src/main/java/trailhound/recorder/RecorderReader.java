package trailhound.recorder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Reads a recorder database (a live recorder's file or a snapshot copy) as canonical
 * {@link Event}s.
 *
 * <p>{@link #open} validates the file and fails with a {@link RecorderException} saying what is
 * wrong: not SQLite, corrupt or truncated, not a recorder database, missing columns, or a newer
 * schema version. The file is opened read-only and never modified.
 *
 * <p>Not thread-safe; use one reader per thread. Close it when done.
 */
public final class RecorderReader implements AutoCloseable {
    private static final int MAX_REJECTED_IDS = 10;

    private final Path file;
    private final Connection connection;
    private final RecorderMeta meta;
    private final boolean hasStories;

    private RecorderReader(Path file, Connection connection, RecorderMeta meta, boolean hasStories) {
        this.file = file;
        this.connection = connection;
        this.meta = meta;
        this.hasStories = hasStories;
    }

    /**
     * Opens and validates a recorder database, read-only.
     *
     * @throws RecorderException if the file is missing, not SQLite, corrupt, not a recorder
     *     database, or written by a newer schema version
     */
    public static RecorderReader open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RecorderException(file, "does not exist or is not a file");
        }
        Connection c = null;
        try {
            c = Sqlite.open(file, true);
            Set<String> tables = tables(c);
            if (tables.isEmpty()) {
                throw new RecorderException(file, "is an empty SQLite database, not a recorder database (no tables)");
            }
            if (!tables.contains("meta")) {
                throw new RecorderException(file, "is a SQLite database but not a recorder database (it has no meta table; tables: "
                        + String.join(", ", tables) + ")");
            }
            RecorderMeta meta = readMeta(file, c);
            requireColumns(file, c, tables, "processes", RecorderSchema.PROCESS_COLUMNS);
            requireColumns(file, c, tables, "events", RecorderSchema.eventColumns());
            return new RecorderReader(file, c, meta, tables.contains("stories"));
        } catch (SQLException e) {
            Sqlite.closeQuietly(c, e);
            throw new RecorderException(file, Sqlite.describe(e), e);
        } catch (RuntimeException e) {
            Sqlite.closeQuietly(c, e);
            throw e;
        }
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private static RecorderMeta readMeta(Path file, Connection c) throws SQLException {
        Map<String, String> m = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such column")) {
                throw new RecorderException(file, "the meta table has no key/value columns; not a recorder database", e);
            }
            throw e;
        }
        String version = m.get("schema_version");
        if (version == null) {
            throw new RecorderException(file, "the meta table has no schema_version; not a recorder database");
        }
        int v;
        try {
            v = Integer.parseInt(version.trim());
        } catch (NumberFormatException e) {
            throw new RecorderException(file, "schema_version '" + version + "' in the meta table is not a number");
        }
        if (v > RecorderSchema.VERSION) {
            throw new RecorderException(file, "schema version " + v + " is newer than this Trailhound supports ("
                    + RecorderSchema.VERSION + "); upgrade Trailhound to read it");
        }
        if (v < 1) {
            throw new RecorderException(file, "schema version " + v + " is not valid (versions start at 1)");
        }
        String host = m.get("host");
        if (host == null || host.isBlank()) {
            throw new RecorderException(file, "the meta table has no host name; the endpoint is unknown");
        }
        long created;
        try {
            created = m.containsKey("created_ms") ? Long.parseLong(m.get("created_ms").trim()) : 0L;
        } catch (NumberFormatException e) {
            throw new RecorderException(file, "created_ms '" + m.get("created_ms") + "' in the meta table is not a number");
        }
        return new RecorderMeta(v, host, m.getOrDefault("os", "unknown"), m.get("os_version"),
                m.get("recorder_version"), m.get("ip"), m.get("recorder_id"), created);
    }

    private static void requireColumns(Path file, Connection c, Set<String> tables, String table, List<String> required)
            throws SQLException {
        if (!tables.contains(table)) {
            throw new RecorderException(file, "has no " + table + " table; not a complete recorder database");
        }
        Set<String> present = new LinkedHashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                present.add(rs.getString("name"));
            }
        }
        List<String> missing = required.stream().filter(col -> !present.contains(col)).toList();
        if (!missing.isEmpty()) {
            throw new RecorderException(file, "the " + table + " table is missing column(s) " + String.join(", ", missing)
                    + "; not a recorder database of schema version " + RecorderSchema.VERSION);
        }
    }

    public Path file() {
        return file;
    }

    public RecorderMeta meta() {
        return meta;
    }

    /** Number of rows in the events table (rejected rows included). */
    public long eventCount() {
        return queryLong("SELECT count(*) FROM events").orElse(0);
    }

    /**
     * When this copy was captured (meta {@code captured_ms}, UTC ms: the copy holds what the recorder had
     * committed then), as an agent's snapshot writes it; empty for a database that is no such copy or
     * whose value is not a number.
     */
    public OptionalLong capturedMs() {
        try (java.sql.PreparedStatement p = connection.prepareStatement("SELECT value FROM meta WHERE key = 'captured_ms'");
                ResultSet rs = p.executeQuery()) {
            return rs.next() ? OptionalLong.of(Long.parseLong(rs.getString(1).trim())) : OptionalLong.empty();
        } catch (SQLException | NumberFormatException | NullPointerException e) {
            return OptionalLong.empty();
        }
    }

    /** Earliest event time (UTC ms), empty when there are no events. */
    public OptionalLong firstTs() {
        return queryLong("SELECT min(ts) FROM events");
    }

    /** Latest event time (UTC ms), empty when there are no events. */
    public OptionalLong lastTs() {
        return queryLong("SELECT max(ts) FROM events");
    }

    /** The embedded stories (empty when the file has no stories table). */
    public List<RecorderStory> stories() {
        if (!hasStories) {
            return List.of();
        }
        List<RecorderStory> stories = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT story_id, title, description, process_keys FROM stories ORDER BY story_id")) {
            while (rs.next()) {
                String keys = rs.getString(4);
                stories.add(new RecorderStory(rs.getString(1), rs.getString(2), rs.getString(3),
                        keys == null || keys.isBlank() ? List.of() : Arrays.asList(keys.split(","))));
            }
        } catch (SQLException e) {
            throw new RecorderException(file, Sqlite.describe(e), e);
        }
        return stories;
    }

    /** Every process row, in key order. */
    public void readProcesses(Consumer<RecorderProcess> sink) {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + String.join(", ", RecorderSchema.PROCESS_COLUMNS)
                        + " FROM processes ORDER BY process_key")) {
            while (rs.next()) {
                sink.accept(process(rs));
            }
        } catch (SQLException e) {
            throw new RecorderException(file, Sqlite.describe(e), e);
        }
    }

    /** The process of the current row of a result set selecting {@link RecorderSchema#PROCESS_COLUMNS}. */
    static RecorderProcess process(ResultSet rs) throws SQLException {
        return new RecorderProcess(rs.getString(1), rs.getInt(2), integer(rs, 3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                longOrNull(rs, 15), longOrNull(rs, 16));
    }

    /** Reads every event, newest first; see {@link #readNewestFirst}. */
    public ReadReport read(String source, Consumer<Event> sink) {
        return readNewestFirst(source, Long.MAX_VALUE, sink);
    }

    /**
     * Streams the events with {@code id < beforeId} to the sink in descending id order: the recorder
     * appends, so the newest events come first and are searchable first while a big snapshot is
     * ingested. {@link ReadReport#lastId()} is then the lowest id seen: an interrupted read resumes
     * with it as {@code beforeId}. Otherwise as {@link #read(String, long, Consumer)}.
     */
    public ReadReport readNewestFirst(String source, long beforeId, Consumer<Event> sink) {
        return read(source, true, beforeId, sink);
    }

    /**
     * Streams the events with {@code id > afterId} in id order to the sink, each as a canonical
     * event: {@code endpoint} = the meta host, {@code event_uid} = {@link RecorderUids} (the same row in
     * two snapshots of one recorder gets the same uid), {@code source} = the given source label, and
     * the acting process's and its parent's fields copied onto the event. Rows without a time or a
     * type are counted as rejected and skipped.
     *
     * <p>The sink is called on the calling thread; rows are fetched ahead on a background thread.
     * An exception from the sink stops the read and propagates; the reader stays usable.
     *
     * @throws RecorderException if the file cannot be read (e.g. corrupt pages)
     */
    public ReadReport read(String source, long afterId, Consumer<Event> sink) {
        return read(source, false, afterId, sink);
    }

    private ReadReport read(String source, boolean newestFirst, long bound, Consumer<Event> sink) {
        Field[] detailFields = RecorderSchema.DETAIL_COLUMNS.stream().map(RecorderSchema.Column::field).toArray(Field[]::new);
        int width = RowFetcher.ROW_WIDTH;
        long read = 0;
        long rejected = 0;
        long lastId = newestFirst ? 0 : bound;
        List<Long> rejectedIds = new ArrayList<>();
        // One String instance per distinct type, operation and process key: the indexer memoises its
        // per-value work by instance, and these repeat on every event.
        Map<String, String> shared = new java.util.HashMap<>();
        String uidPrefix = RecorderUids.prefix(meta);
        try (ProcessRows processes = openProcessRows(); RowFetcher rows = new RowFetcher(connection, newestFirst, bound, meta.host())) {
            RowFetcher.Chunk chunk;
            do {
                chunk = rows.next();
                long[] ids = chunk.ids();
                String[] v = chunk.values();
                for (int r = 0; r < chunk.size(); r++) {
                    long id = ids[r];
                    lastId = id;
                    int base = r * width;
                    String ts = v[base];
                    String type = v[base + 1];
                    if (ts == null || type == null || type.isBlank() || !isLong(ts)) {
                        rejected++;
                        if (rejectedIds.size() < MAX_REJECTED_IDS) {
                            rejectedIds.add(id);
                        }
                        continue;
                    }
                    Event.Builder b = Event.builder()
                            .set(Field.ENDPOINT, meta.host())
                            .set(Field.EVENT_UID, uidPrefix + id)
                            .set(Field.SOURCE, source)
                            .set(Field.TS, ts)
                            .set(Field.TYPE, shared.computeIfAbsent(type, k -> k))
                            .set(Field.OPERATION, v[base + 2] == null ? null : shared.computeIfAbsent(v[base + 2], k -> k));
                    String processKey = v[base + 3];
                    if (processKey != null) {
                        processKey = shared.computeIfAbsent(processKey, k -> k);
                        b.set(Field.PROCESS_KEY, processKey);
                        ProcessFields proc = processes.get(processKey);
                        if (proc != null) {
                            proc.copyTo(b);
                        }
                    }
                    for (int i = 0; i < detailFields.length; i++) {
                        String d = v[base + 4 + i];
                        if (d != null) {
                            b.set(detailFields[i], d);
                        }
                    }
                    sink.accept(b.build());
                    read++;
                }
                if (chunk.failure() != null) {
                    throw new RecorderException(file, Sqlite.describe(chunk.failure()) + " (last event id read: " + lastId + ")",
                            chunk.failure());
                }
            } while (!chunk.last());
        }
        return new ReadReport(read, rejected, rejectedIds, lastId);
    }

    private static boolean isLong(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start || s.length() > 19) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    private ProcessRows openProcessRows() {
        try {
            return new ProcessRows(file);
        } catch (SQLException e) {
            throw new RecorderException(file, Sqlite.describe(e), e);
        }
    }

    private OptionalLong queryLong(String sql) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (rs.next()) {
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
            return OptionalLong.empty();
        } catch (SQLException e) {
            throw new RecorderException(file, Sqlite.describe(e), e);
        }
    }

    private static Integer integer(ResultSet rs, int col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new RecorderException(file, "cannot close: " + e.getMessage(), e);
        }
    }
}
