package trailhound.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The one connection factory for server.db. A connection per unit of work: SQLite serialises
 * writers itself, the file is small, and short connections let a CLI process and the server share
 * the file (WAL, a 10 s busy timeout). Writes run in IMMEDIATE transactions, so two writers never
 * both read and then fail to upgrade their lock.
 */
final class Database {
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Path file;
    private final String url;
    private final SQLiteConfig config = new SQLiteConfig();

    Database(Path file) {
        this.file = file;
        this.url = "jdbc:sqlite:" + file;
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }

    Path file() {
        return file;
    }

    Connection connect() throws SQLException {
        return config.createConnection(url);
    }

    /** Runs read-only work on a fresh connection. */
    <T> T read(String what, Work<T> work) {
        try (Connection c = connect()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs work in one transaction: all of it is written or none. Writers of this JVM take turns in
     * order (a fair lock per file) before SQLite's own lock: 200 agents enrolling at once left it to
     * SQLite's busy handler, which sleeps and retries, and some waited past the 10 s busy timeout
     * (bench --live). Other processes (the CLI) still meet the busy timeout.
     */
    <T> T write(String what, Work<T> work) {
        ReentrantLock turn = WRITERS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock(true));
        turn.lock();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException notRolledBack) {
                    // no transaction left to roll back (the failure ended it): say the failure, not this
                    e.addSuppressed(notRolledBack);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            turn.unlock();
        }
    }

    private static final ConcurrentHashMap<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();

    StoreException failure(String what, SQLException e) {
        return new StoreException(file + ": cannot " + what + ": " + e.getMessage(), e);
    }
}
