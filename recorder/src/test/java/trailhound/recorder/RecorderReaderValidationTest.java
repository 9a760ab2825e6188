package trailhound.recorder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Field;

class RecorderReaderValidationTest {
    @TempDir
    Path dir;

    private Path writeDb(String name, int events) {
        Path db = dir.resolve(name);
        try (RecorderWriter w = RecorderWriter.create(db, RecorderMeta.of("h", "linux", "6.1", "1", "10.0.0.1", "r", 1L))) {
            w.addProcess(new RecorderProcess("p", 1, null, null, "/sbin/init", "init", "/sbin/init", "root", "/",
                    null, null, null, null, null, 0L, null));
            RecorderWriter.Row row = w.row();
            for (int i = 0; i < events; i++) {
                w.addEvent(row.clear().ts(i).type("file").operation("create").processKey("p")
                        .set(Field.FILE_PATH, "/var/log/some/long/path/to/make/pages/" + i + ".log"));
            }
        }
        return db;
    }

    private static void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    private RecorderException openFails(Path db) {
        return assertThrows(RecorderException.class, () -> RecorderReader.open(db).close());
    }

    @Test
    void open_randomBytes_saysNotADatabase() throws Exception {
        Path f = dir.resolve("random.db");
        byte[] bytes = new byte[8192];
        new Random(42).nextBytes(bytes);
        Files.write(f, bytes);
        RecorderException e = openFails(f);
        assertEquals(f, e.path());
        assertTrue(e.getMessage().contains("file is not a database"), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void open_truncatedDatabase_saysCorruptOrTruncated() throws Exception {
        Path db = writeDb("full.db", 20_000);
        byte[] bytes = Files.readAllBytes(db);
        Path cut = dir.resolve("cut.db");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        RecorderException e = assertThrows(RecorderException.class, () -> {
            try (RecorderReader r = RecorderReader.open(cut)) {
                r.read("s", ev -> {});
            }
        });
        assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
        assertEquals(cut, e.path());
    }

    @Test
    void open_emptySqliteDatabase_saysNoTables() throws Exception {
        Path db = dir.resolve("empty.db");
        sql(db, "PRAGMA user_version = 1");
        RecorderException e = openFails(db);
        assertTrue(e.reason().contains("empty SQLite database"), e.getMessage());
    }

    @Test
    void open_otherSqliteDatabase_saysNotARecorderDatabase() throws Exception {
        Path db = dir.resolve("other.db");
        sql(db, "CREATE TABLE customers (id INTEGER)");
        RecorderException e = openFails(db);
        assertTrue(e.reason().contains("not a recorder database (it has no meta table; tables: customers)"), e.getMessage());
    }

    @Test
    void open_newerSchemaVersion_saysUpgrade() throws Exception {
        Path db = writeDb("v99.db", 1);
        sql(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        RecorderException e = openFails(db);
        assertEquals("schema version 99 is newer than this Trailhound supports (1); upgrade Trailhound to read it", e.reason());
    }

    @Test
    void open_missingColumn_namesTheColumn() throws Exception {
        Path db = writeDb("nocol.db", 1);
        sql(db, "DROP INDEX events_ts", "ALTER TABLE events DROP COLUMN remote_port");
        RecorderException e = openFails(db);
        assertTrue(e.reason().contains("events table is missing column(s) remote_port"), e.getMessage());
    }

    @Test
    void open_missingFile_saysSo() {
        RecorderException e = openFails(dir.resolve("nope.db"));
        assertTrue(e.reason().contains("does not exist"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("nope.db")));
    }

    @Test
    void open_andRead_doNotModifyTheFile() throws Exception {
        Path db = writeDb("ro.db", 5_000);
        byte[] before = sha256(db);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        try (RecorderReader r = RecorderReader.open(db)) {
            r.meta();
            r.eventCount();
            r.stories();
            assertEquals(5_000, r.read("s", e -> {}).eventsRead());
        }
        assertArrayEquals(before, sha256(db));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no journal or wal files left next to the snapshot");
        }
    }

    @Test
    void create_existingFile_refuses() throws Exception {
        Path db = writeDb("exists.db", 1);
        RecorderException e = assertThrows(RecorderException.class,
                () -> RecorderWriter.create(db, RecorderMeta.of("h", "linux", null, null, null, null, 0L)));
        assertTrue(e.reason().contains("already exists"), e.getMessage());
    }

    private static byte[] sha256(Path f) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
    }
}
