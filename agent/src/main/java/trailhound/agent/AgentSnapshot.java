package trailhound.agent;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.sqlite.SQLiteConfig;
import trailhound.recorder.RecorderException;
import trailhound.recorder.RecorderReader;

/*
 * Why VACUUM INTO: it reads the source in one read transaction, so the copy is the database as it was
 * at one commit, and in WAL mode a reader never blocks the writer: the agent goes on recording while
 * it runs (SQLite's online backup API would restart its copy each time the agent commits, which it does
 * every poll). It also writes the copy compactly, without the pages retention freed. The copy's header
 * says WAL, as the source's does; it is switched to a rollback journal, so a reader that opens it
 * read-only (RecorderReader, the server's ingest) needs no -wal or -shm file beside it.
 *
 * The copy is then the recorder's alone: the agent's own tables (the send queue, what the Linux recorder
 * remembers) and meta keys are dropped from it, and when the queue held events (an endpoint that could
 * not send for a while: up to a million of them) the copy is compacted again, so what is uploaded or
 * carried off is the record, not the agent's working state twice over.
 */

/**
 * A consistent copy of an agent's recorder database (its {@code store.db}) taken while the agent runs:
 * the copy a live capture uploads, and what {@code trailhound agent snapshot} writes for copying an
 * endpoint's record off by hand.
 *
 * <pre>{@code
 * AgentSnapshot.Captured c = AgentSnapshot.capture(Path.of("/var/lib/trailhound-agent"), Path.of("/tmp"));
 * // c.file() = /tmp/web-01_2026_12_01T15.04.05.123Z.db
 * }</pre>
 *
 * <p>Thread-safe (no state); several captures may run at once, each to its own file.
 */
public final class AgentSnapshot {
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy_MM_dd'T'HH.mm.ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * A snapshot written: where, its size in bytes, when it was captured (UTC ms: the copy holds every
     * event the agent had committed then), the endpoint's host name and the recorder rows it holds.
     */
    public record Captured(Path file, long size, long capturedAt, String host, long events) {}

    private AgentSnapshot() {}

    /**
     * Copies the recorder database of the agent whose state folder is {@code state} to {@code out}: a
     * file to create, or an existing folder to create {@code <host>_YYYY_MM_DDTHH.MM.SS.mmmZ.db} in
     * (capture time, UTC). The agent may be running; nothing of its folder is changed. The copy is
     * owner-readable only (it holds the endpoint's history) and is checked by opening it as a
     * recorder database before it is given its name.
     *
     * @throws IOException when the folder holds no agent database, {@code out} exists already or cannot
     *     be written (full disk: nothing is left behind), or the copy does not read as a recorder database
     */
    public static Captured capture(Path state, Path out) throws IOException {
        Path db = state.resolve(LocalStore.FILE);
        if (!Files.isRegularFile(db)) {
            throw new IOException(state + " holds no agent database (" + LocalStore.FILE + "): give the agent's --state folder");
        }
        Path dir = Files.isDirectory(out) ? out : out.toAbsolutePath().getParent();
        if (!Files.isDirectory(out) && Files.exists(out)) throw new FileAlreadyExistsException(out + " exists already: choose another name");
        // third try-out: a missing folder gave SQLite's [SQLITE_CANTOPEN] "unable to open database file"
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + out + ": the folder " + (dir == null ? out : dir) + (dir != null && Files.exists(dir)
                    ? " is not a folder" : " does not exist") + "; create it first, or give --out an existing folder or a file in one");
        }
        requireWritable(dir, out);
        Path part = dir.resolve(".snapshot-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".part");
        long capturedAt;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(30_000); // the agent's checkpoint may hold the lock a moment
            try (Connection c = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
                requireRecorder(c, db);
                capturedAt = System.currentTimeMillis();
                try (PreparedStatement p = c.prepareStatement("VACUUM INTO ?")) {
                    p.setString(1, part.toString());
                    p.executeUpdate();
                }
            }
            restrict(part);
            recorderOnly(part, capturedAt);
            String host;
            long events;
            try (RecorderReader reader = RecorderReader.open(part)) {
                host = reader.meta().host();
                events = reader.eventCount();
            }
            Path target = Files.isDirectory(out) ? out.resolve(safe(host) + "_" + NAME_TIME.format(Instant.ofEpochMilli(capturedAt)) + ".db") : out;
            move(part, target);
            return new Captured(target, Files.size(target), capturedAt, host, events);
        } catch (SQLException e) {
            throw new IOException("cannot copy " + db + " to " + dir + ": " + e.getMessage(), e);
        } catch (RecorderException e) {
            throw new IOException("the copy of " + db + " is not a readable recorder database: " + e.reason(), e);
        } finally {
            Files.deleteIfExists(part);
            Files.deleteIfExists(part.resolveSibling(part.getFileName() + "-journal"));
        }
    }

    /**
     * Creates and deletes a file in {@code dir}: permission bits alone do not tell (root may write
     * anywhere by them, yet /proc or a read-only mount take no new file), and SQLite would say only
     * SQLITE_CANTOPEN about its temporary name.
     */
    private static void requireWritable(Path dir, Path out) throws IOException {
        Path probe;
        try {
            probe = Files.createTempFile(dir, ".snapshot-probe-", ".tmp");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("cannot write " + out + ": the folder " + dir + " is not writable by " + System.getProperty("user.name")
                    + " (permission denied); give --out a folder this account may write, or run as its owner", e);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "its file system takes no new files"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
            throw new IOException("cannot write " + out + ": the folder " + dir + " takes no new file (" + why + ");"
                    + " give --out a folder on a writable disk, such as /tmp or the account's home folder", e);
        }
        Files.deleteIfExists(probe);
    }

    /** Recorder tables and meta keys, and what the format's readers may find useful: how much retention removed. */
    private static final java.util.List<String> KEEP_TABLES = java.util.List.of("meta", "processes", "events", "stories");
    private static final java.util.List<String> KEEP_META = java.util.List.of("schema_version", "host", "os", "os_version",
            "recorder_version", "ip", "recorder_id", "created_ms", "captured_ms", "recorder_dropped_total", "recorder_dropped_through_ts");

    /**
     * Leaves the copy a recorder database only, in rollback-journal mode, with its capture time (meta
     * {@code captured_ms}, from which the server names the snapshot it keeps).
     */
    private static void recorderOnly(Path part, long capturedAt) throws SQLException {
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + part); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=DELETE");
            long queued = 0;
            java.util.List<String> drop = new java.util.ArrayList<>();
            try (var rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
                while (rs.next()) if (!KEEP_TABLES.contains(rs.getString(1))) drop.add(rs.getString(1));
            }
            if (drop.contains("queue")) {
                try (var rs = s.executeQuery("SELECT count(*) FROM queue")) {
                    queued = rs.getLong(1);
                }
            }
            for (String table : drop) s.execute("DROP TABLE \"" + table.replace("\"", "\"\"") + "\"");
            try (PreparedStatement p = c.prepareStatement("DELETE FROM meta WHERE key NOT IN ("
                    + String.join(", ", java.util.Collections.nCopies(KEEP_META.size(), "?")) + ")")) {
                for (int i = 0; i < KEEP_META.size(); i++) p.setString(i + 1, KEEP_META.get(i));
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES ('captured_ms', ?)")) {
                p.setString(1, Long.toString(capturedAt));
                p.executeUpdate();
            }
            boolean sequence;
            try (var rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")) {
                sequence = rs.getInt(1) > 0;
            }
            if (sequence) s.executeUpdate("DELETE FROM sqlite_sequence"); // the queue's numbering
            if (queued > 0) s.execute("VACUUM");
        }
    }

    private static void requireRecorder(Connection c, Path db) throws SQLException, IOException {
        try (Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'processes', 'events')")) {
            if (rs.getInt(1) < 3) {
                throw new IOException(db + " has no recorder tables yet (an agent older than the recorder database wrote it):"
                        + " start this agent version once, then copy it");
            }
        }
    }

    /** A host name as a file name: letters, digits, dot, dash and underscore; anything else becomes '-'. */
    static String safe(String host) {
        String s = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return s.isEmpty() || s.startsWith(".") ? "endpoint" + s : s;
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file takes its folder's ACL
        }
    }

    private static void move(Path from, Path to) throws IOException {
        if (Files.exists(to)) throw new FileAlreadyExistsException(to + " exists already: choose another name");
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
