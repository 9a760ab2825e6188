package trailhound.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sqlite.SQLiteConfig;
import trailhound.protocol.Protocol;
import trailhound.recorder.RecorderAppender;
import trailhound.recorder.RecorderMeta;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * One file, two views of the events. The recorder's tables (meta, processes, events: the recorder format)
 * are the endpoint's record, kept after the server has the events, up to the recorder's own limits; a
 * snapshot is a copy of this file. The queue (seq, fields: the event as Protocol#encodeEvent gives it, a blob of UTF-8
 * JSON; text in rows of agents before it) is what waits for the server. They
 * stay separate tables, written in one transaction:
 * - the stream's positions, acknowledgements and catch-up ranges are proven on the queue's seq
 *   (LiveStreamTest); they stay as they were;
 * - the queue carries what the format has no column for (hash_status, a gap's sentence, the process's
 *   fields as they were at that event) and what is not the recorder's own: replayed events keep the
 *   file's uids;
 * - the two have different limits: the queue drops only what the server never got, the recorder keeps
 *   history.
 * A recorded event's queue entry carries the uid of its recorder row (RecorderUids: r<recorder>-<id>), and
 * both commit together, so what streamed and what a later snapshot holds agree after any kill.
 */

/**
 * The agent's database, {@code <state>/store.db} (SQLite, WAL): the endpoint's recorder database and
 * the queue of events waiting for the server's acknowledgement.
 *
 * <p>The queue: each event at a position ({@code seq}, ascending from 1, never reused); acknowledged
 * events leave it. When more than {@code cap} events wait, the oldest go first and a gap event takes
 * their place, never silently: type {@code agent}, operation {@code gap}, {@code event_id} the number
 * dropped, and in {@code command_line} (the model has no free-text field yet) a sentence saying what
 * was dropped, from when to when.
 *
 * <p>The recorder: events recorded on this machine ({@link #record}) are also rows of the recorder
 * tables, kept after acknowledgement up to {@link RecorderLimits}; beyond them the oldest rows go, and
 * a gap row (and its queued event) says so. Replayed events ({@link #append}) are queued only.
 *
 * <p>It also keeps the replay's progress (source events taken, the time shift), written in the same
 * transaction as the events, so a killed agent neither loses nor repeats any. Not thread-safe beyond
 * its synchronised methods; one agent process per state folder.
 */
final class LocalStore implements AutoCloseable {
    static final String FILE = "store.db";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

    /**
     * An event waiting to be sent, at position {@code seq}, as it is kept and sent: the JSON object of its
     * wire map ({@link Protocol#encodeEvent}), so a batch is written around it without reading it.
     */
    record Stored(long seq, byte[] json) {
        /** The event's fields by canonical name (parsed from the JSON). */
        Map<String, String> fields() {
            try {
                return JSON.readValue(json, FIELDS);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("a stored event is not JSON: " + e.getMessage(), e);
            }
        }
    }

    /**
     * How much history the recorder tables keep: at most {@code maxEvents} rows and, when above 0,
     * about {@code maxBytes} of the file's used pages, the recorder's share of them (its part of all rows:
     * a queue that grows while the server is away does not eat the history).
     */
    record RecorderLimits(long maxEvents, long maxBytes) {
        static final RecorderLimits DEFAULT = new RecorderLimits(5_000_000, 2L << 30);

        RecorderLimits {
            if (maxEvents < 2) throw new IllegalArgumentException("the recorder must keep at least 2 events, not " + maxEvents);
        }
    }

    private final Path file;
    private final Connection c;
    private final long cap;
    private final String storeId;
    private final RecorderAppender recorder;
    private final RecorderLimits limits;

    private LocalStore(Path file, Connection c, long cap, String storeId, RecorderAppender recorder, RecorderLimits limits) {
        this.file = file;
        this.c = c;
        this.cap = cap;
        this.storeId = storeId;
        this.recorder = recorder;
        this.limits = limits;
    }

    /** The store of a state folder, its recorder named after this machine, with the default limits. */
    static LocalStore open(Path folder, long cap) throws IOException {
        return open(folder, cap, Agent.hostname(), RecorderLimits.DEFAULT);
    }

    /**
     * Opens (or makes) the store in {@code folder}. {@code host} is the endpoint name the recorder's meta
     * gives when the database is new (an existing one keeps its own: its rows' uids derive from it).
     * An older agent's store (a queue table named {@code events}) becomes this layout in place.
     */
    static LocalStore open(Path folder, long cap, String host, RecorderLimits limits) throws IOException {
        if (cap < 2) throw new IllegalArgumentException("the store cap must be at least 2 events, was " + cap);
        AgentState.preparePrivate(folder);
        Path file = folder.resolve(FILE);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // survives a killed process; the server holds the truth once acknowledged
        config.setBusyTimeout(5_000);
        try {
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (columns(c, "events").contains("seq")) s.execute("ALTER TABLE events RENAME TO queue"); // a store of before the recorder
                s.execute("CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, fields TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            }
            String id = meta(c, "store_id");
            if (id == null) {
                id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
                putMeta(c, "store_id", id);
            }
            // recorder_id: the one an earlier agent's Linux recorder kept under the same key, else a new one
            String recorderId = meta(c, "recorder_id") != null ? meta(c, "recorder_id")
                    : UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            RecorderAppender recorder = RecorderAppender.on(c, RecorderMeta.of(host, os(), System.getProperty("os.version"),
                    "trailhound-agent " + Agent.VERSION, null, recorderId, System.currentTimeMillis()));
            c.commit();
            return new LocalStore(file, c, cap, id, recorder, limits);
        } catch (SQLException e) {
            throw new IOException(file + ": cannot open the agent's store: " + e.getMessage(), e);
        }
    }

    /**
     * Adds events and records {@code replayTaken} (source events consumed so far, or -1 to leave it)
     * in one transaction; drops the oldest beyond the cap, with a gap event.
     */
    synchronized void append(List<Event> events, long replayTaken) throws IOException {
        try {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO queue(fields) VALUES (?)")) {
                for (Event e : events) queue(p, e);
            }
            if (replayTaken >= 0) putMeta(c, "replay_taken", Long.toString(replayTaken));
            enforceCap();
            c.commit();
        } catch (SQLException e) {
            rollback(e);
            throw new IOException(file + ": cannot store events: " + e.getMessage(), e);
        }
    }

    /** Work on the store's connection inside its transaction: the recorder keeps its own tables there. */
    interface InTransaction<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /**
     * Records events of this machine and runs {@code alsoDo} in one transaction, so what the recorder
     * remembers having emitted (live processes, sockets, counters) is never ahead of or behind its events:
     * each event becomes a recorder row and is queued with that row's uid (whatever uid it had); then the
     * recorder's limits and the queue's cap are applied, each drop with a gap event.
     */
    synchronized void record(List<Event> events, InTransaction<?> alsoDo) throws IOException {
        try {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO queue(fields) VALUES (?)")) {
                for (Event e : events) {
                    queue(p, recorded(e));
                }
                RecorderAppender.Dropped dropped = recorder.dropOldest(limits.maxEvents() - 1, limits.maxBytes(), count(c));
                if (dropped != null) queue(p, recorded(recorderGap(dropped)));
            }
            alsoDo.run(c);
            enforceCap();
            c.commit();
        } catch (SQLException | IOException e) {
            rollback(e instanceof SQLException sql ? sql : new SQLException(e));
            throw new IOException(file + ": cannot store events: " + e.getMessage(), e);
        }
    }

    /** The event as its recorder row: appended, with the row's uid. */
    private Event recorded(Event e) throws SQLException {
        long id = recorder.append(e);
        return e.toBuilder().set(Field.EVENT_UID, recorder.uid(id)).build();
    }

    private static void queue(PreparedStatement p, Event e) throws SQLException, IOException {
        p.setBytes(1, Protocol.encodeEvent(Protocol.toWire(e))); // a blob of UTF-8 JSON (rows of agents before: text)
        p.executeUpdate();
    }

    /** The recorder's own drop, as an event (uid given by {@link #recorded}): a row of type agent/gap, and in the queue the sentence too. */
    private Event recorderGap(RecorderAppender.Dropped d) throws SQLException {
        long total = Long.parseLong(meta(c, "recorder_dropped_total") == null ? "0" : meta(c, "recorder_dropped_total")) + d.events();
        putMeta(c, "recorder_dropped_total", Long.toString(total));
        putMeta(c, "recorder_dropped_through_ts", Long.toString(d.lastTs()));
        String what = String.format("the recorder's limits (%,d events%s) were reached: its %,d oldest events were removed, from %s to %s",
                limits.maxEvents(), limits.maxBytes() > 0 ? String.format(", %,d bytes", limits.maxBytes()) : "", d.events(),
                Event.formatTime(d.firstTs()), Event.formatTime(d.lastTs()));
        return Event.builder().set(Field.EVENT_UID, "recorder-gap").ts(System.currentTimeMillis()).set(Field.TYPE, "agent").set(Field.OPERATION, "gap")
                .set(Field.EVENT_ID, Long.toString(d.events())).set(Field.COMMAND_LINE, what).build();
    }

    /** Runs {@code work} in a transaction of its own (reading or setting up the recorder's tables). */
    synchronized <T> T inTransaction(InTransaction<T> work) throws IOException {
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | IOException e) {
            rollback(e instanceof SQLException sql ? sql : new SQLException(e));
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private void enforceCap() throws SQLException, IOException {
        long count = count(c);
        if (count <= cap) return;
        long drop = count - cap + 1; // one slot for the gap event
        long firstTs = Long.MAX_VALUE;
        long lastTs = Long.MIN_VALUE;
        long lastSeq = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT seq, fields FROM queue ORDER BY seq LIMIT ?")) {
            p.setLong(1, drop);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    lastSeq = rs.getLong(1);
                    String ts = JSON.readValue(rs.getBytes(2), FIELDS).get("ts");
                    if (ts != null) {
                        firstTs = Math.min(firstTs, Long.parseLong(ts));
                        lastTs = Math.max(lastTs, Long.parseLong(ts));
                    }
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM queue WHERE seq <= ?")) {
            p.setLong(1, lastSeq);
            p.executeUpdate();
        }
        long now = System.currentTimeMillis();
        String what = String.format("the agent's store was full (%,d events): %,d unsent events were dropped", cap, drop)
                + (firstTs <= lastTs ? ", from " + Event.formatTime(firstTs) + " to " + Event.formatTime(lastTs) : "");
        long dropped = Long.parseLong(meta(c, "dropped_total") == null ? "0" : meta(c, "dropped_total")) + drop;
        putMeta(c, "dropped_total", Long.toString(dropped));
        Event gap = Event.builder().set(Field.EVENT_UID, "g" + storeId + "-" + dropped).ts(now).set(Field.TYPE, "agent")
                .set(Field.OPERATION, "gap").set(Field.EVENT_ID, Long.toString(drop)).set(Field.COMMAND_LINE, what).build();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO queue(fields) VALUES (?)")) {
            p.setBytes(1, Protocol.encodeEvent(Protocol.toWire(gap)));
            p.executeUpdate();
        }
    }

    /** Up to {@code max} waiting events after position {@code afterSeq}, oldest first. */
    synchronized List<Stored> after(long afterSeq, int max) throws IOException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT seq, fields FROM queue WHERE seq > ? ORDER BY seq LIMIT ?")) {
            p.setLong(1, afterSeq);
            p.setInt(2, max);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new Stored(rs.getLong(1), rs.getBytes(2))); // a text row's UTF-8 bytes too
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            throw new IOException(file + ": cannot read events: " + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code max} waiting events below position {@code beforeSeq} and above {@code aboveSeq}, the
     * newest of them, returned oldest first: a catch-up batch.
     */
    synchronized List<Stored> before(long beforeSeq, long aboveSeq, int max) throws IOException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT seq, fields FROM queue WHERE seq < ? AND seq > ? ORDER BY seq DESC LIMIT ?")) {
            p.setLong(1, beforeSeq);
            p.setLong(2, aboveSeq);
            p.setInt(3, max);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new Stored(rs.getLong(1), rs.getBytes(2))); // a text row's UTF-8 bytes too
            }
            c.commit();
            return out.reversed();
        } catch (SQLException e) {
            throw new IOException(file + ": cannot read events: " + e.getMessage(), e);
        }
    }

    /** The newest waiting position, 0 when none waits. */
    synchronized long newest() throws IOException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM queue")) {
            long n = rs.getLong(1);
            c.commit();
            return n;
        } catch (SQLException e) {
            throw new IOException(file + ": cannot read the newest position: " + e.getMessage(), e);
        }
    }

    /** The server holds positions {@code from..to} (a catch-up's range): they leave the store. */
    synchronized void acknowledge(long from, long to) throws IOException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM queue WHERE seq >= ? AND seq <= ?")) {
            p.setLong(1, from);
            p.setLong(2, to);
            p.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            rollback(e);
            throw new IOException(file + ": cannot drop acknowledged events: " + e.getMessage(), e);
        }
    }

    /** The server holds every position up to {@code seq}: they leave the store. */
    synchronized void acknowledge(long seq) throws IOException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM queue WHERE seq <= ?")) {
            p.setLong(1, seq);
            p.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            rollback(e);
            throw new IOException(file + ": cannot drop acknowledged events: " + e.getMessage(), e);
        }
    }

    /** Rows in the recorder's events table (what a snapshot copy holds). */
    synchronized long recorderEvents() throws IOException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            long n = rs.getLong(1);
            c.commit();
            return n;
        } catch (SQLException e) {
            throw new IOException(file + ": cannot count recorder events: " + e.getMessage(), e);
        }
    }

    synchronized long count() throws IOException {
        try {
            long n = count(c);
            c.commit();
            return n;
        } catch (SQLException e) {
            throw new IOException(file + ": cannot count events: " + e.getMessage(), e);
        }
    }

    long bytes() {
        try {
            return Files.size(file) + (Files.exists(file.resolveSibling(FILE + "-wal")) ? Files.size(file.resolveSibling(FILE + "-wal")) : 0);
        } catch (IOException e) {
            return 0;
        }
    }

    Path file() {
        return file;
    }

    /** A value kept with the store (replay progress), or null. */
    synchronized String meta(String key) throws IOException {
        try {
            String v = meta(c, key);
            c.commit();
            return v;
        } catch (SQLException e) {
            throw new IOException(file + ": cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    synchronized void putMeta(String key, String value) throws IOException {
        try {
            putMeta(c, key, value);
            c.commit();
        } catch (SQLException e) {
            rollback(e);
            throw new IOException(file + ": cannot write " + key + ": " + e.getMessage(), e);
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM queue")) {
            return rs.getLong(1);
        }
    }

    private static java.util.Set<String> columns(Connection c, String table) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) out.add(rs.getString("name"));
        }
        return out;
    }

    /** The recorder meta's {@code os}: windows, linux or macos, as the format names them. */
    static String os() {
        String name = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return name.startsWith("windows") ? "windows" : name.startsWith("mac") ? "macos" : name.startsWith("linux") ? "linux" : "unknown";
    }

    private static String meta(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void putMeta(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    private void rollback(SQLException cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            c.close();
        } catch (SQLException e) {
            throw new IOException(file + ": cannot close: " + e.getMessage(), e);
        }
    }
}
