package trailhound.recorder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import trailhound.schema.Field;

/**
 * Creates a new recorder database and bulk-loads it: processes, events and stories go in through
 * prepared statements in large transactions; {@link #close()} builds the indexes and statistics.
 *
 * <p>Not thread-safe: one thread writes. Event ids are assigned in call order from 1, the way a
 * recorder's sequence would number them. Each process is added once, with its final values (add it
 * when it ends, or at the end for processes still running). A file left by a failed write is
 * incomplete: delete it.
 */
public final class RecorderWriter implements AutoCloseable {
    private static final int BATCH = 2_000;
    private static final int ROWS_PER_TRANSACTION = 500_000;

    private final Path file;
    private final Connection connection;
    /* Two event statements, double-buffered: while a background thread runs one's batch in SQLite,
     * the caller fills the other, so generating and inserting overlap on two cores. Batches still
     * run one at a time, in order, so ids go into the table ascending. */
    private final PreparedStatement[] insertEvent = new PreparedStatement[2];
    private final ExecutorService inserter;
    private Future<?> inflight;
    private int current;
    private final PreparedStatement insertProcess;
    private final PreparedStatement insertStory;
    private final int[] detailSlots;
    private long nextId = 1;
    private int pendingEvents;
    private int pendingProcesses;
    private int rowsInTransaction;
    private boolean closed;

    private RecorderWriter(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        String insert = RecorderSchema.insert("events", RecorderSchema.eventColumns());
        this.insertEvent[0] = connection.prepareStatement(insert);
        this.insertEvent[1] = connection.prepareStatement(insert);
        this.inserter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "recorder-insert " + file.getFileName());
            t.setDaemon(true);
            return t;
        });
        this.insertProcess = connection.prepareStatement(RecorderSchema.insert("processes", RecorderSchema.PROCESS_COLUMNS));
        this.insertStory = connection.prepareStatement(
                RecorderSchema.insert("stories", List.of("story_id", "title", "description", "process_keys")));
        this.detailSlots = RecorderSchema.DETAIL_COLUMNS.stream().mapToInt(c -> c.field().ordinal()).toArray();
    }

    /**
     * Creates the database file with the schema and the given meta.
     *
     * @throws RecorderException if the file already exists or cannot be created
     */
    public static RecorderWriter create(Path file, RecorderMeta meta) {
        if (Files.exists(file)) {
            throw new RecorderException(file, "already exists; a recorder database is only created new (delete it or choose another name)");
        }
        Connection c = null;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            c = Sqlite.open(file, false);
            try (Statement s = c.createStatement()) {
                // Generating: no rollback journal and no fsync. A crash leaves a broken file, which
                // the caller deletes; the speed matters more (10M events in a couple of minutes).
                s.execute("PRAGMA journal_mode=OFF");
                s.execute("PRAGMA synchronous=OFF");
                s.execute("PRAGMA locking_mode=EXCLUSIVE");
                s.execute("PRAGMA cache_size=-262144");
                s.execute("PRAGMA temp_store=FILE");
                s.execute("PRAGMA threads=2");
                s.execute(RecorderSchema.CREATE_META);
                s.execute(RecorderSchema.CREATE_PROCESSES);
                s.execute(RecorderSchema.createEvents());
                s.execute(RecorderSchema.CREATE_STORIES);
            }
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)")) {
                putMeta(p, "schema_version", Integer.toString(meta.schemaVersion()));
                putMeta(p, "host", meta.host());
                putMeta(p, "os", meta.os());
                putMeta(p, "os_version", meta.osVersion());
                putMeta(p, "recorder_version", meta.recorderVersion());
                putMeta(p, "ip", meta.ip());
                putMeta(p, "recorder_id", meta.recorderId());
                putMeta(p, "created_ms", Long.toString(meta.createdMs()));
                p.executeBatch();
            }
            return new RecorderWriter(file, c);
        } catch (Exception e) {
            Sqlite.closeQuietly(c, e);
            throw e instanceof RecorderException re ? re
                    : new RecorderException(file, "cannot create the recorder database: " + e.getMessage(), e);
        }
    }

    private static void putMeta(PreparedStatement p, String key, String value) throws SQLException {
        if (value != null) {
            p.setString(1, key);
            p.setString(2, value);
            p.addBatch();
        }
    }

    /** A reusable, empty event row; fill it and pass it to {@link #addEvent}. */
    public Row row() {
        return new Row();
    }

    /** Appends an event and returns its id. The row may be cleared and reused afterwards. */
    public long addEvent(Row row) {
        ensureOpen();
        long id = nextId++;
        try {
            PreparedStatement p = insertEvent[current];
            p.setLong(1, id);
            p.setLong(2, row.ts);
            p.setString(3, row.type);
            p.setString(4, row.operation);
            p.setString(5, row.processKey);
            for (int i = 0; i < detailSlots.length; i++) {
                Object v = row.details[detailSlots[i]];
                int col = 6 + i;
                if (v == null) {
                    p.setNull(col, Types.NULL);
                } else if (v instanceof Long n) {
                    p.setLong(col, n);
                } else {
                    p.setString(col, (String) v);
                }
            }
            p.addBatch();
            if (++pendingEvents == BATCH) {
                flushEvents();
            }
            countRow();
            return id;
        } catch (SQLException e) {
            throw new RecorderException(file, "cannot write event " + id + ": " + e.getMessage(), e);
        }
    }

    public void addProcess(RecorderProcess p) {
        ensureOpen();
        try {
            PreparedStatement s = insertProcess;
            s.setString(1, p.processKey());
            s.setInt(2, p.pid());
            setInteger(s, 3, p.ppid() == null ? null : p.ppid().longValue());
            s.setString(4, p.parentKey());
            s.setString(5, p.path());
            s.setString(6, p.name());
            s.setString(7, p.commandLine());
            s.setString(8, p.user());
            s.setString(9, p.cwd());
            s.setString(10, p.hashMd5());
            s.setString(11, p.hashSha1());
            s.setString(12, p.hashSha256());
            s.setString(13, p.signature());
            s.setString(14, p.signatureStatus());
            setInteger(s, 15, p.startTs());
            setInteger(s, 16, p.endTs());
            s.addBatch();
            if (++pendingProcesses == BATCH) {
                flushProcesses();
            }
            countRow();
        } catch (SQLException e) {
            throw new RecorderException(file, "cannot write process " + p.processKey() + ": " + e.getMessage(), e);
        }
    }

    public void addStory(RecorderStory story) {
        ensureOpen();
        try {
            insertStory.setString(1, story.storyId());
            insertStory.setString(2, story.title());
            insertStory.setString(3, story.description());
            insertStory.setString(4, String.join(",", story.processKeys()));
            awaitInflight();
            insertStory.executeUpdate();
        } catch (SQLException e) {
            throw new RecorderException(file, "cannot write story " + story.storyId() + ": " + e.getMessage(), e);
        }
    }

    /** Events written so far. */
    public long eventCount() {
        return nextId - 1;
    }

    /** Commits, builds the indexes, runs ANALYZE and closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushEvents();
            flushProcesses();
            awaitInflight();
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement s = connection.createStatement()) {
                for (String sql : RecorderSchema.CREATE_INDEXES) {
                    s.execute(sql);
                }
                // Sampled statistics: a full ANALYZE reads every index again, which on 10M events
                // costs as much as building them; the planner needs only the rough shape.
                s.execute("PRAGMA analysis_limit=2000");
                s.execute("ANALYZE");
            }
        } catch (SQLException e) {
            inserter.shutdownNow();
            RecorderException failure = new RecorderException(file, "cannot finish the recorder database: " + e.getMessage(), e);
            Sqlite.closeQuietly(connection, failure);
            throw failure;
        }
        inserter.shutdown();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new RecorderException(file, "cannot close the recorder database: " + e.getMessage(), e);
        }
    }

    private void countRow() throws SQLException {
        if (++rowsInTransaction >= ROWS_PER_TRANSACTION) {
            flushEvents();
            flushProcesses();
            awaitInflight();
            connection.commit();
            rowsInTransaction = 0;
        }
    }


    /** Hands the filled batch to the background thread and switches to the other statement. */
    private void flushEvents() throws SQLException {
        if (pendingEvents > 0) {
            awaitInflight();
            PreparedStatement batch = insertEvent[current];
            inflight = inserter.submit(() -> {
                batch.executeBatch();
                return null;
            });
            current ^= 1;
            pendingEvents = 0;
        }
    }

    /** Waits for the batch in flight, rethrowing its failure. */
    private void awaitInflight() throws SQLException {
        if (inflight == null) {
            return;
        }
        try {
            inflight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while writing events", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException s ? s : new SQLException(e.getCause());
        } finally {
            inflight = null;
        }
    }

    private void flushProcesses() throws SQLException {
        if (pendingProcesses > 0) {
            awaitInflight();
            insertProcess.executeBatch();
            pendingProcesses = 0;
        }
    }

    private static void setInteger(PreparedStatement s, int col, Long v) throws SQLException {
        if (v == null) {
            s.setNull(col, Types.INTEGER);
        } else {
            s.setLong(col, v);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer for " + file + " is closed");
        }
    }

    /**
     * One event to write: time, type, operation, acting process and detail values keyed by their
     * canonical field (only the fields that are events columns are written; see the format doc).
     * Not thread-safe; reuse it after {@link #clear()}.
     */
    public static final class Row {
        private final Object[] details = new Object[Field.count()];
        private long ts;
        private String type;
        private String operation;
        private String processKey;

        private Row() {}

        public Row clear() {
            java.util.Arrays.fill(details, null);
            type = null;
            operation = null;
            processKey = null;
            ts = 0;
            return this;
        }

        public Row ts(long epochMillis) {
            this.ts = epochMillis;
            return this;
        }

        public Row type(String type) {
            this.type = type;
            return this;
        }

        public Row operation(String operation) {
            this.operation = operation;
            return this;
        }

        public Row processKey(String processKey) {
            this.processKey = processKey;
            return this;
        }

        /** A text detail, e.g. {@code set(Field.FILE_PATH, "C:\\x.txt")}; {@code null} leaves it empty. */
        public Row set(Field field, String value) {
            details[field.ordinal()] = value;
            return this;
        }

        /** A number detail (ports). */
        public Row set(Field field, long value) {
            details[field.ordinal()] = value;
            return this;
        }
    }
}
