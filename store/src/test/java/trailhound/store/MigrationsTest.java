package trailhound.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    @TempDir
    Path data;

    /** The exact statements the catalogue and the web users ran before server.db had versions. */
    private void writeUnversionedServerDb(Path snapshotFile) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA journal_mode=WAL");
            s.executeUpdate("""
                CREATE TABLE IF NOT EXISTS endpoints (
                  name TEXT PRIMARY KEY, os TEXT, hostname TEXT, ip TEXT, first_seen INTEGER NOT NULL)""");
            s.executeUpdate("""
                CREATE TABLE IF NOT EXISTS snapshots (
                  endpoint TEXT NOT NULL REFERENCES endpoints(name), id TEXT NOT NULL, file TEXT NOT NULL,
                  taken_at INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL,
                  event_count INTEGER NOT NULL, ingested_at INTEGER NOT NULL, PRIMARY KEY (endpoint, id))""");
            s.executeUpdate("""
                CREATE TABLE IF NOT EXISTS imports (
                  file TEXT NOT NULL, format TEXT NOT NULL, events INTEGER NOT NULL, ingested_at INTEGER NOT NULL)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS web_users (
                      name TEXT PRIMARY KEY,
                      role TEXT NOT NULL,
                      password_hash TEXT NOT NULL,
                      created_at INTEGER NOT NULL)""");
            s.executeUpdate("INSERT INTO endpoints VALUES ('WS-FIN-01', 'windows', 'WS-FIN-01', '10.1.2.3', 1000)");
            s.executeUpdate("INSERT INTO endpoints VALUES ('web01', 'linux', 'web01', NULL, 2000)");
            s.executeUpdate("INSERT INTO snapshots VALUES ('WS-FIN-01', 'WS-FIN-01_2026_11_20T08.00.00.000Z', '"
                    + snapshotFile + "', 5, 1, 5, 600000, 3000)");
            s.executeUpdate("INSERT INTO snapshots VALUES ('WS-FIN-01', 'WS-FIN-01_2026_11_21T08.00.00.000Z', '"
                    + data.resolve("gone.db") + "', 6, 1, 6, 10, 3500)");
            s.executeUpdate("INSERT INTO imports VALUES ('/cases/audit.log', 'LINUX_AUDIT', 71, 4000)");
            s.executeUpdate("INSERT INTO web_users VALUES ('admin', 'administrator', '$argon2id$v=19$m=19456,t=2,p=1$x$y', 5000)");
        }
    }

    @Test
    void open_unversionedServerDb_upgradesWithEveryEndpointSnapshotAndUser() throws Exception {
        Path snapshot = Files.createDirectories(data.resolve("endpoints/WS-FIN-01/snapshots"))
                .resolve("WS-FIN-01_2026_11_20T08.00.00.000Z.db");
        Files.writeString(snapshot, "abc");
        writeUnversionedServerDb(snapshot);

        Store store = Store.open(data.resolve("server.db"));

        assertEquals(0, store.versionFound());
        assertEquals(List.of("WS-FIN-01", "web01"), store.catalogue().endpoints().stream().map(EndpointInfo::name).toList());
        assertEquals("10.1.2.3", store.catalogue().endpoint("WS-FIN-01").orElseThrow().ip());
        assertEquals(2, store.catalogue().snapshots("WS-FIN-01").size());
        assertEquals(600000, store.catalogue().snapshot("WS-FIN-01", "WS-FIN-01_2026_11_20T08.00.00.000Z").orElseThrow().eventCount());
        UserAccounts.Account admin = store.users().find("admin").orElseThrow();
        assertEquals("administrator", admin.role());
        assertEquals("$argon2id$v=19$m=19456,t=2,p=1$x$y", admin.passwordHash());

        List<SourceInfo> sources = store.sources().list(null);
        assertEquals(3, sources.size());
        SourceInfo kept = sources.get(0);
        assertEquals("snapshot", kept.kind());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", kept.sha256()); // SHA-256("abc")
        assertEquals(3, kept.size());
        assertEquals("endpoints/WS-FIN-01/snapshots/WS-FIN-01_2026_11_20T08.00.00.000Z.db", kept.path());
        assertEquals(SourceInfo.COMPLETE, kept.state());
        assertEquals(List.of(new SourceInfo.SourceEndpoint("WS-FIN-01", 600000, 0)), kept.endpoints());
        assertEquals(SourceInfo.FAILED, sources.get(1).state());
        assertTrue(sources.get(1).reason().contains("missing"), sources.get(1).reason());
        SourceInfo imported = sources.get(2);
        assertEquals("telemetry", imported.kind());
        assertEquals("/cases/audit.log", imported.originalName());
        assertNull(imported.sha256());
        assertNull(imported.path());
        assertTrue(imported.reason().contains("ingest the file again"), imported.reason());
        assertEquals(kept.id(), store.sources().bySha256(kept.sha256()).orElseThrow().id());

        Store again = Store.open(data.resolve("server.db"));
        assertEquals(Store.schemaVersion(), again.versionFound());
        assertEquals(3, again.sources().list(null).size());
    }

    @Test
    void open_newerServerDb_refusedNamingBothVersions() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = 99");
        }
        StoreException e = assertThrows(StoreException.class, () -> Store.open(data.resolve("server.db")));
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
        assertTrue(e.getMessage().contains("up to " + Store.schemaVersion()), e.getMessage());
    }

    @Test
    void sources_lifecycle_beginCompleteFailDelete() {
        Store store = Store.open(data.resolve("server.db"));
        long id = store.sources().begin("telemetry", "sysmon.json", "00ff", 10, null, "cli:alice");
        SourceInfo begun = store.sources().get(id).orElseThrow();
        assertEquals(SourceInfo.INGESTING, begun.state());
        assertEquals("cli:alice", begun.ingestedBy());
        assertEquals("s" + id, begun.label());

        store.sources().complete(id, "Windows event JSON lines", java.util.Map.of("ws-1",
                new SourceInfo.SourceEndpoint("ws-1", 7, 1)), endpoint -> "windows");
        SourceInfo done = store.sources().get(id).orElseThrow();
        assertEquals(SourceInfo.COMPLETE, done.state());
        assertEquals(7, done.events());
        assertEquals("windows", store.catalogue().endpoint("ws-1").orElseThrow().os());
        assertEquals(List.of(id), store.sources().list("ws-1").stream().map(SourceInfo::id).toList());
        assertEquals(List.of(), store.sources().list("other"));

        store.sources().fail(id, "disk full");
        assertEquals("disk full", store.sources().get(id).orElseThrow().reason());
        store.sources().delete(id);
        assertTrue(store.sources().get(id).isEmpty());
    }

    /** Review finding: after `sources remove` of the newest source the next ingest got its id, so a label named two files. */
    @Test
    void sources_removedIdIsNeverGivenAgain() {
        Store store = Store.open(data.resolve("server.db"));
        long first = store.sources().begin("telemetry", "a.json", "aa", 10, null, "cli:alice");
        long second = store.sources().begin("telemetry", "b.json", "bb", 10, null, "cli:alice");
        store.sources().delete(second);
        long third = store.sources().begin("telemetry", "c.json", "cc", 10, null, "cli:alice");
        assertEquals(first + 2, third, "s" + second + " stays the removed file's label");
    }
}
