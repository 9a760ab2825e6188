package trailhound.recorder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/*
 * Fetches events rows on a background thread, in chunks, so that SQLite and JDBC (a JNI call per
 * column) run on one core while the caller builds events and feeds its sink on the other. Reading
 * a recorder file is mostly this fetching, and the sink (indexing) is usually heavier still.
 *
 * Each row is stored as ROW_WIDTH strings: ts, type, operation, process_key, then the detail
 * columns in RecorderSchema order, NULL as null. Only non-NULL detail columns are fetched: the
 * query also returns a bit mask of them, computed inside SQLite.
 *
 * The connection belongs to the fetch thread until close() has joined it.
 */
final class RowFetcher implements AutoCloseable {
    static final int ROW_WIDTH = 4 + RecorderSchema.DETAIL_COLUMNS.size();
    private static final int CHUNK_ROWS = 2_048;

    /** Up to CHUNK_ROWS rows; {@code failure} set on the last chunk when the read failed. */
    record Chunk(long[] ids, String[] values, int size, SQLException failure, boolean last) {}

    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(8);
    private final Thread thread;
    private volatile boolean cancelled;
    private boolean done;

    /**
     * Rows with {@code id > bound} in id order, or with {@code newestFirst} the rows with
     * {@code id < bound} in descending id order (the recorder appends, so newest first).
     */
    RowFetcher(Connection connection, boolean newestFirst, long bound, String name) {
        this.thread = new Thread(() -> fetch(connection, newestFirst, bound), "recorder-read " + name);
        thread.setDaemon(true);
        thread.start();
    }

    static String sql(boolean newestFirst) {
        List<String> columns = RecorderSchema.eventColumns();
        StringBuilder mask = new StringBuilder();
        for (int i = 0; i < RecorderSchema.DETAIL_COLUMNS.size(); i++) {
            mask.append(i == 0 ? "" : " | ").append("((").append(RecorderSchema.DETAIL_COLUMNS.get(i).name())
                    .append(" IS NOT NULL) << ").append(i).append(')');
        }
        return "SELECT " + String.join(", ", columns) + ", " + mask + " FROM events"
                + (newestFirst ? " WHERE id < ? ORDER BY id DESC" : " WHERE id > ? ORDER BY id");
    }

    private void fetch(Connection connection, boolean newestFirst, long bound) {
        int maskColumn = RecorderSchema.eventColumns().size() + 1;
        long[] ids = new long[CHUNK_ROWS];
        String[] values = new String[CHUNK_ROWS * ROW_WIDTH];
        int n = 0;
        try (PreparedStatement p = connection.prepareStatement(sql(newestFirst))) {
            p.setLong(1, bound);
            try (ResultSet rs = p.executeQuery()) {
                while (!cancelled && rs.next()) {
                    ids[n] = rs.getLong(1);
                    int base = n * ROW_WIDTH;
                    for (int c = 0; c < 4; c++) {
                        values[base + c] = rs.getString(2 + c);
                    }
                    for (int present = rs.getInt(maskColumn); present != 0; present &= present - 1) {
                        int i = Integer.numberOfTrailingZeros(present);
                        values[base + 4 + i] = rs.getString(6 + i);
                    }
                    if (++n == CHUNK_ROWS) {
                        put(new Chunk(ids, values, n, null, false));
                        ids = new long[CHUNK_ROWS];
                        values = new String[CHUNK_ROWS * ROW_WIDTH];
                        n = 0;
                    }
                }
            }
            put(new Chunk(ids, values, n, null, true));
        } catch (SQLException e) {
            put(new Chunk(ids, values, n, e, true));
        }
    }

    private void put(Chunk chunk) {
        try {
            while (!cancelled && !queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                // The consumer is busy (a slow sink); keep waiting unless it gave up.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next chunk; {@code last()} marks the end. */
    Chunk next() {
        if (done) {
            throw new IllegalStateException("no more chunks");
        }
        try {
            Chunk c = queue.take();
            done = c.last();
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled = true;
            throw new IllegalStateException("interrupted while reading events", e);
        }
    }

    /** Stops fetching (if still running) and waits for the fetch thread to release the connection. */
    @Override
    public void close() {
        cancelled = true;
        queue.clear();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
