package trailhound.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server.db's one way to write: what fails says why, and many writers at once all get their turn. */
class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatEndedItsTransactionReportsItsOwnFailureNotTheRollbacks() {
        Database db = new Database(dir.resolve("server.db"));
        StoreException e = assertThrows(StoreException.class, () -> db.write("test a failure", c -> {
            c.setAutoCommit(true); // the transaction is gone, as after SQLite gave up on a lock
            throw new SQLException("the real cause");
        }));
        assertTrue(e.getMessage().contains("cannot test a failure: the real cause"), e.getMessage());
    }

    /** 200 agents enrolling at once waited past SQLite's 10 s busy timeout in bench --live; here 100 writers. */
    @Test
    void manyWritersAtOnceAllWrite() throws Exception {
        Database db = new Database(dir.resolve("server.db"));
        db.write("create", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (n INTEGER)");
            }
            return null;
        });
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                writes.add(pool.submit(() -> db.write("insert " + n, c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("INSERT INTO t VALUES (" + n + ")");
                    }
                    return null;
                })));
            }
            for (Future<?> w : writes) w.get();
        } finally {
            pool.shutdownNow();
        }
        long rows = db.read("count", c -> {
            try (Statement s = c.createStatement(); var r = s.executeQuery("SELECT count(*), sum(n) FROM t")) {
                r.next();
                assertEquals(4950, r.getLong(2));
                return r.getLong(1);
            }
        });
        assertEquals(100, rows);
    }
}
