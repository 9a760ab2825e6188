package trailhound.ingest;

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
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * Why not the recorder format: a recorder database numbers its own rows and derives uids from them,
 * but a live event arrives with its uid already made (a recorder row's, a Sysmon record's), and that
 * uid is what makes a later snapshot of the same recorder add nothing. So the journal keeps each event
 * as received, its canonical fields as JSON, keyed by uid. WAL with synchronous=FULL: a commit is on
 * disk (fsync'd) before it returns, which is when a batch may be acknowledged.
 */

/**
 * An endpoint's live journal, {@code endpoints/<endpoint>/journal.db}: every live event received, a
 * source of truth like snapshots (a re-index rebuilds from it). Tables: {@code events(seq, uid UNIQUE,
 * ts, fields JSON)}, {@code positions(agent_id, acknowledged)} (the highest agent position held) and
 * {@code indexed(seq)} (how far the index is known to hold the journal durably).
 *
 * <p>Thread-safe (synchronised); one instance per file in a process.
 */
final class LiveJournal implements AutoCloseable {
    static final String FILE = "journal.db";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

    /** What appending a batch did: the positions held now, and the events that were new (to index). */
    record Appended(Positions positions, List<Event> added, long lastSeq) {
        long acknowledged() {
            return positions.acknowledged();
        }
    }

    private final Path file;
    private final Connection connection;

    private LiveJournal(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    static LiveJournal open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        try {
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE,"
                        + " ts INTEGER NOT NULL, fields TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS positions (agent_id TEXT PRIMARY KEY, acknowledged INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS indexed (seq INTEGER NOT NULL)");
                // protocol 2's catch-up, newest first: a range backfill..live_edge held above acknowledged (0: none),
                // and its progress (events waiting when it began, events received of them)
                for (String column : List.of("backfill", "live_edge", "catchup_total", "catchup_done")) {
                    if (!hasColumn(c, "positions", column)) {
                        s.execute("ALTER TABLE positions ADD COLUMN " + column + " INTEGER NOT NULL DEFAULT 0");
                    }
                }
            }
            c.setAutoCommit(false);
            return new LiveJournal(file, c);
        } catch (SQLException e) {
            throw new IOException(file + ": cannot open the live journal: " + e.getMessage(), e);
        }
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) if (rs.getString("name").equals(column)) return true;
            return false;
        }
    }

    Path file() {
        return file;
    }

    /** The highest position of {@code agentId} held, 0 when none. */
    synchronized long acknowledged(String agentId) throws IOException {
        return positions(agentId).acknowledged();
    }

    /** The agent's positions held (all 0 when none). */
    synchronized Positions positions(String agentId) throws IOException {
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT acknowledged, backfill, live_edge, catchup_total, catchup_done FROM positions WHERE agent_id = ?")) {
            p.setString(1, agentId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? new Positions(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))
                        : new Positions(0, 0, 0, 0, 0);
            } finally {
                connection.commit();
            }
        } catch (SQLException e) {
            throw failure("read the acknowledged position", e);
        }
    }

    /** The positions of the agent that wrote last (an endpoint has one bound agent), all 0 when none. */
    synchronized Positions latestPositions() throws IOException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT acknowledged, backfill, live_edge, catchup_total, catchup_done FROM positions ORDER BY rowid DESC LIMIT 1")) {
            Positions p = rs.next() ? new Positions(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))
                    : new Positions(0, 0, 0, 0, 0);
            connection.commit();
            return p;
        } catch (SQLException e) {
            throw failure("read the positions", e);
        }
    }

    /**
     * Adds events outside any batch (an agent's priority events): each whose uid the journal does not
     * hold yet, positions untouched, so the batch that brings them again later adds nothing; one
     * durable transaction. The positions in the answer are those of the agent that wrote last.
     */
    synchronized Appended insert(List<Event> events) throws IOException {
        try {
            List<Event> added = new ArrayList<>();
            long lastSeq = 0;
            try (PreparedStatement p = connection.prepareStatement("INSERT OR IGNORE INTO events(uid, ts, fields) VALUES (?, ?, ?)")) {
                for (Event e : events) {
                    p.setString(1, e.uid());
                    p.setLong(2, e.ts());
                    p.setString(3, JSON.writeValueAsString(e.toMap()));
                    if (p.executeUpdate() == 1) added.add(e);
                }
            }
            if (!added.isEmpty()) {
                try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
                    lastSeq = rs.getLong(1);
                }
            }
            connection.commit();
            return new Appended(new Positions(0, 0, 0, 0, 0), added, lastSeq);
        } catch (SQLException e) {
            rollback(e);
            throw failure("add priority events", e);
        }
    }

    /**
     * Appends the events of the agent's batch {@code first..last} and records the positions it makes
     * held, in one durable transaction (see {@link Positions#after}). A batch wholly held already adds
     * nothing; an event whose uid the journal holds already is not added again.
     */
    synchronized Appended append(String agentId, long first, long last, boolean backfill, long catchupEvents, List<Event> events)
            throws IOException {
        try {
            Positions before = positions(agentId);
            if (before.holds(first, last, backfill)) return new Appended(before, List.of(), 0);
            // a catch-up batch without events when no catch-up is open: nothing to hold. An agent older than session 19
            // sent one, its positions above the live edge, after a full last batch had closed the range; taking it
            // acknowledged a position never received, and the agent dropped that event from its store unsent
            if (backfill && events.isEmpty() && !before.catchingUp()) return new Appended(before, List.of(), 0);
            List<Event> added = new ArrayList<>();
            long lastSeq = 0;
            try (PreparedStatement p = connection.prepareStatement("INSERT OR IGNORE INTO events(uid, ts, fields) VALUES (?, ?, ?)")) {
                for (Event e : events) {
                    p.setString(1, e.uid());
                    p.setLong(2, e.ts());
                    p.setString(3, JSON.writeValueAsString(e.toMap()));
                    if (p.executeUpdate() == 1) added.add(e);
                }
            }
            if (!added.isEmpty()) {
                try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
                    lastSeq = rs.getLong(1);
                }
            }
            Positions after = before.after(first, last, backfill, catchupEvents, added.size());
            try (PreparedStatement p = connection.prepareStatement("INSERT INTO positions(agent_id, acknowledged, backfill, live_edge,"
                    + " catchup_total, catchup_done) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(agent_id) DO UPDATE SET"
                    + " acknowledged = excluded.acknowledged, backfill = excluded.backfill, live_edge = excluded.live_edge,"
                    + " catchup_total = excluded.catchup_total, catchup_done = excluded.catchup_done")) {
                p.setString(1, agentId);
                p.setLong(2, after.acknowledged());
                p.setLong(3, after.backfill());
                p.setLong(4, after.liveEdge());
                p.setLong(5, after.catchupTotal());
                p.setLong(6, after.catchupDone());
                p.executeUpdate();
            }
            connection.commit();
            return new Appended(after, added, lastSeq);
        } catch (SQLException e) {
            rollback(e);
            throw failure("append a batch", e);
        }
    }

    /** How far the index holds the journal durably (a seq; 0: nothing known). */
    synchronized long indexedThrough() throws IOException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT max(seq) FROM indexed")) {
            long v = rs.next() ? rs.getLong(1) : 0;
            connection.commit();
            return v;
        } catch (SQLException e) {
            throw failure("read the indexed position", e);
        }
    }

    /** Notes that the index holds (committed) every journal event up to {@code seq}. */
    synchronized void indexedThrough(long seq) throws IOException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("DELETE FROM indexed");
            s.executeUpdate("INSERT INTO indexed(seq) VALUES (" + seq + ")");
            connection.commit();
        } catch (SQLException e) {
            rollback(e);
            throw failure("record the indexed position", e);
        }
    }

    /** The number of events held. */
    synchronized long count() throws IOException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            long n = rs.getLong(1);
            connection.commit();
            return n;
        } catch (SQLException e) {
            throw failure("count events", e);
        }
    }

    /**
     * Reads the events after {@code afterSeq}, oldest first, labelled with the endpoint and source
     * {@code live}; returns the last seq read.
     */
    synchronized long read(long afterSeq, String endpoint, Consumer<Event> sink) throws IOException {
        return read(afterSeq, Long.MAX_VALUE, endpoint, sink);
    }

    /** As {@link #read(long, String, Consumer)}, at most {@code limit} events. */
    synchronized long read(long afterSeq, long limit, String endpoint, Consumer<Event> sink) throws IOException {
        long last = afterSeq;
        try (PreparedStatement p = connection.prepareStatement("SELECT seq, fields FROM events WHERE seq > ? ORDER BY seq LIMIT ?")) {
            p.setLong(1, afterSeq);
            p.setLong(2, limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    Map<String, String> fields = JSON.readValue(rs.getString(2), FIELDS);
                    Event.Builder b = Event.builder();
                    fields.forEach((k, v) -> Field.byName(k).ifPresent(f -> b.set(f, v)));
                    sink.accept(b.set(Field.ENDPOINT, endpoint).set(Field.SOURCE, LiveIngest.SOURCE).build());
                }
            }
            connection.commit();
            return last;
        } catch (SQLException e) {
            throw failure("read events", e);
        }
    }

    private void rollback(SQLException cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private IOException failure(String what, SQLException e) {
        return new IOException(file + ": cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
