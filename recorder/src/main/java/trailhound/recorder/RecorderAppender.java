package trailhound.recorder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * RecorderWriter bulk-loads a new file with its journal off; a recorder that runs for months appends a
 * few events a second to a file that readers (a snapshot copy, the agent's stream) read meanwhile. So
 * this one works on the caller's connection, inside the caller's transaction: the agent commits the
 * recorder's rows, its send queue and its own state together, and a kill leaves all or none of them.
 *
 * Row ids come from SQLite (INTEGER PRIMARY KEY: one more than the largest id present). Retention only
 * ever deletes the oldest rows and always leaves the newest, so an id is never given twice and the uid
 * RecorderUids derives from it names one event for the recorder's whole life.
 */

/**
 * Appends events to a recorder database that stays open and is read while it grows (an endpoint
 * agent's own database), on the caller's {@link Connection} and inside the caller's transaction: the
 * caller commits. The file it writes is a recorder database of {@link #SCHEMA_VERSION} as
 * docs/recorder-format.md describes, which {@link RecorderReader} reads and a snapshot copies.
 *
 * <p>Each event becomes an {@code events} row; its acting process's fields (pid, path, command line,
 * user, hashes...) go into the {@code processes} row of its {@code process_key}, the newest values
 * winning (a process that runs {@code execve} shows its last program), {@code start_ts} from its first
 * {@code process/start} and {@code end_ts} from its {@code process/end}. Fields the format has no
 * column for ({@code hash_status}, {@code event_id}, a file event's pid) are not kept.
 *
 * <p>Not thread-safe: one per connection, used by the thread that owns the connection.
 */
public final class RecorderAppender {
    /** The layout version written. */
    public static final int SCHEMA_VERSION = RecorderSchema.VERSION;

    /** What {@link #dropOldest} removed: how many rows, and the time of the oldest and newest of them (UTC ms). */
    public record Dropped(long events, long firstTs, long lastTs) {}

    private final Connection c;
    private final String uidPrefix;
    private final PreparedStatement insertEvent;
    private final PreparedStatement upsertProcess;
    private final Field[] detailFields;
    private final boolean[] detailInteger;

    private RecorderAppender(Connection c, String uidPrefix) throws SQLException {
        this.c = c;
        this.uidPrefix = uidPrefix;
        List<String> columns = RecorderSchema.eventColumns().subList(1, RecorderSchema.eventColumns().size()); // id from SQLite
        this.insertEvent = c.prepareStatement(RecorderSchema.insert("events", columns), Statement.RETURN_GENERATED_KEYS);
        StringBuilder update = new StringBuilder();
        for (String col : RecorderSchema.PROCESS_COLUMNS.subList(1, RecorderSchema.PROCESS_COLUMNS.size())) {
            if (!update.isEmpty()) update.append(", ");
            // the first start stays; everything else takes the newest value given
            update.append(col).append(col.equals("start_ts") ? " = coalesce(start_ts, excluded.start_ts)"
                    : " = coalesce(excluded." + col + ", " + col + ")");
        }
        this.upsertProcess = c.prepareStatement(RecorderSchema.insert("processes", RecorderSchema.PROCESS_COLUMNS)
                + " ON CONFLICT(process_key) DO UPDATE SET " + update);
        this.detailFields = RecorderSchema.DETAIL_COLUMNS.stream().map(RecorderSchema.Column::field).toArray(Field[]::new);
        this.detailInteger = new boolean[detailFields.length];
        for (int i = 0; i < detailFields.length; i++) detailInteger[i] = RecorderSchema.DETAIL_COLUMNS.get(i).integer();
    }

    /**
     * Makes {@code c}'s database a recorder database, if it is not one yet: the tables and indexes of
     * the format (tables of other names are left alone) and the meta keys of {@code meta} that are not
     * set yet (the first values stay: {@code recorder_id} and {@code created_ms} name the recorder for
     * good). Then an appender on it. The caller commits.
     *
     * @throws SQLException when the tables cannot be made, or a table of the format's name is of another shape
     */
    public static RecorderAppender on(Connection c, RecorderMeta meta) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(ifNotExists(RecorderSchema.CREATE_META));
            s.execute(ifNotExists(RecorderSchema.CREATE_PROCESSES));
            s.execute(ifNotExists(RecorderSchema.createEvents()));
            for (String index : RecorderSchema.CREATE_INDEXES) {
                s.execute(index.replaceFirst("^CREATE INDEX ", "CREATE INDEX IF NOT EXISTS "));
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)")) {
            putMeta(p, "schema_version", Integer.toString(meta.schemaVersion()));
            putMeta(p, "host", meta.host());
            putMeta(p, "os", meta.os());
            putMeta(p, "os_version", meta.osVersion());
            putMeta(p, "recorder_version", meta.recorderVersion());
            putMeta(p, "ip", meta.ip());
            putMeta(p, "recorder_id", meta.recorderId());
            putMeta(p, "created_ms", Long.toString(meta.createdMs()));
        }
        return new RecorderAppender(c, RecorderUids.prefix(readMeta(c)));
    }

    private static String ifNotExists(String ddl) {
        return ddl.replaceFirst("^\\s*CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ");
    }

    private static void putMeta(PreparedStatement p, String key, String value) throws SQLException {
        if (value == null) return;
        p.setString(1, key);
        p.setString(2, value);
        p.executeUpdate();
    }

    /** The meta as kept in the file (the first values given, not necessarily the last {@link #on} call's). */
    public static RecorderMeta readMeta(Connection c) throws SQLException {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) m.put(rs.getString(1), rs.getString(2));
        }
        return new RecorderMeta(Integer.parseInt(m.getOrDefault("schema_version", "1")), m.get("host"), m.getOrDefault("os", "unknown"),
                m.get("os_version"), m.get("recorder_version"), m.get("ip"), m.get("recorder_id"),
                Long.parseLong(m.getOrDefault("created_ms", "0")));
    }

    /** The {@code event_uid} the row of id {@code id} has, in this database and in every copy of it. */
    public String uid(long id) {
        return uidPrefix + id;
    }

    /**
     * Appends the event (its {@code event_uid}, {@code endpoint} and {@code source} are not kept: the
     * row's uid is {@link #uid}) and updates its process's row; returns the row id.
     *
     * @throws IllegalArgumentException when the event has no time or type (readers would reject the row)
     */
    public long append(Event e) throws SQLException {
        if (e.get(Field.TS) == null || e.type() == null) {
            throw new IllegalArgumentException("a recorder row needs a time and a type: " + e);
        }
        String key = e.get(Field.PROCESS_KEY);
        if (key != null && e.get(Field.PID) != null) process(e, key);
        PreparedStatement p = insertEvent;
        p.setLong(1, e.ts());
        p.setString(2, e.type());
        p.setString(3, e.operation());
        p.setString(4, key);
        for (int i = 0; i < detailFields.length; i++) {
            String v = e.get(detailFields[i]);
            int col = 5 + i;
            if (v == null) {
                p.setNull(col, Types.NULL);
            } else if (detailInteger[i] && isLong(v)) {
                p.setLong(col, Long.parseLong(v));
            } else {
                p.setString(col, v);
            }
        }
        p.executeUpdate();
        try (ResultSet keys = p.getGeneratedKeys()) {
            if (!keys.next()) throw new SQLException("SQLite gave no id for the new events row");
            return keys.getLong(1);
        }
    }

    private void process(Event e, String key) throws SQLException {
        PreparedStatement s = upsertProcess;
        s.setString(1, key);
        s.setLong(2, Long.parseLong(e.get(Field.PID)));
        setNumber(s, 3, e.get(Field.PPID));
        s.setString(4, e.get(Field.PARENT_KEY));
        s.setString(5, e.get(Field.PROCESS_PATH));
        s.setString(6, e.get(Field.PROCESS_NAME));
        s.setString(7, e.get(Field.COMMAND_LINE));
        s.setString(8, e.get(Field.USER));
        s.setString(9, e.get(Field.CWD));
        s.setString(10, e.get(Field.HASH_MD5));
        s.setString(11, e.get(Field.HASH_SHA1));
        s.setString(12, e.get(Field.HASH_SHA256));
        s.setString(13, e.get(Field.SIGNATURE));
        s.setString(14, e.get(Field.SIGNATURE_STATUS));
        boolean process = "process".equals(e.type());
        setNumber(s, 15, process && "start".equals(e.operation()) ? e.get(Field.TS) : null);
        setNumber(s, 16, process && "end".equals(e.operation()) ? e.get(Field.TS) : null);
        s.executeUpdate();
    }

    /**
     * Keeps at most {@code maxEvents} rows and, when {@code maxBytes} is above 0, about {@code maxBytes}
     * of the file's used pages (free pages left out): the oldest rows go first, never the newest, and
     * processes that ended before the oldest row left go with them. {@code otherRows}: rows of other
     * tables in the same file (the agent's send queue); the recorder's part of the used bytes is taken
     * as its share of all rows, so a file grown by the other tables does not make the recorder drop its
     * history again and again. The caller records the drop (an event saying so), so it is never silent.
     *
     * @return what was removed, {@code null} when nothing was
     */
    public Dropped dropOldest(long maxEvents, long maxBytes, long otherRows) throws SQLException {
        long min;
        long max;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(id), max(id) FROM events")) {
            min = rs.getLong(1);
            max = rs.getLong(2);
        }
        if (max == 0) return null;
        long count = max - min + 1; // ids are contiguous: only the oldest are ever deleted
        long drop = Math.max(0, count - maxEvents);
        if (maxBytes > 0) {
            long used = pragma("page_count") - pragma("freelist_count");
            long bytes = (long) (used * pragma("page_size") * (count / (double) (count + Math.max(0, otherRows))));
            if (bytes > maxBytes) {
                // rows are of about one size: drop that share of them, and a tenth more so this is not run at every append
                drop = Math.max(drop, (long) Math.ceil(count * ((bytes - maxBytes) / (double) bytes + 0.1)));
            }
        }
        drop = Math.min(drop, count - 1);
        if (drop <= 0) return null;
        long through = min + drop - 1;
        Dropped dropped;
        try (PreparedStatement p = c.prepareStatement("SELECT count(*), min(ts), max(ts) FROM events WHERE id <= ?")) {
            p.setLong(1, through);
            try (ResultSet rs = p.executeQuery()) {
                dropped = new Dropped(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM events WHERE id <= ?")) {
            p.setLong(1, through);
            p.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM processes WHERE end_ts IS NOT NULL AND end_ts < (SELECT min(ts) FROM events)");
        }
        return dropped;
    }

    private long pragma(String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.getLong(1);
        }
    }

    private static void setNumber(PreparedStatement s, int col, String v) throws SQLException {
        if (v == null || !isLong(v)) {
            s.setNull(col, Types.INTEGER);
        } else {
            s.setLong(col, Long.parseLong(v));
        }
    }

    private static boolean isLong(String s) {
        if (s.isEmpty() || s.length() > 19) return false;
        for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return s.length() > (s.charAt(0) == '-' ? 1 : 0);
    }
}
