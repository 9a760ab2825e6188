package trailhound.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.store.EvidenceItems.Item;
import trailhound.store.EvidenceItems.Kind;

class EvidenceItemsTest {
    @TempDir
    Path data;

    @Test
    void itemsOfEveryKind_shareOneNumbering_aFileItemHasItsFilesId() {
        Store store = Store.open(data.resolve("server.db"));
        long file = store.evidenceFiles().begin("WS-1", "/tmp/a.bin", "a.bin", "ana", 1_000);
        long events = store.evidenceItems().save(Kind.EVENT, "WS-1", "2 events", null, "n", List.of("x"), List.of("{\"a\":\"1\"}",
                "{\"b\":\"2\"}"), "ana", 2_000);
        long file2 = store.evidenceFiles().begin("WS-1", "/tmp/b.bin", "b.bin", "bo", 3_000);
        assertTrue(file < events && events < file2, file + " " + events + " " + file2);
        Item f = store.evidenceItems().find(file).orElseThrow();
        assertEquals(Kind.FILE, f.kind());
        assertEquals("a.bin", f.title());
        assertEquals("a.bin", store.evidenceFiles().find(file).orElseThrow().name());
        assertEquals(List.of("{\"a\":\"1\"}", "{\"b\":\"2\"}"), store.evidenceItems().events(events));
        assertEquals(List.of(file2, events, file), store.evidenceItems().list(EvidenceItems.Filter.ALL).stream().map(Item::id).toList());

        assertTrue(store.evidenceItems().remove(file));
        assertTrue(store.evidenceFiles().find(file).isEmpty(), "removing a file item removes its file row");
        assertTrue(store.evidenceItems().remove(events));
        assertEquals(List.of(), store.evidenceItems().events(events), "and an item's events go with it");
        assertFalse(store.evidenceItems().remove(events));
    }

    @Test
    void upgrading_adoptsTheEvidenceFilesKeptBefore_asFileItemsOfTheSameIds() throws Exception {
        Path db = data.resolve("server.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (Migrations.Migration m : Migrations.ALL) {
                if (m.version() <= 15) m.step().apply(c, data);
            }
            s.executeUpdate("PRAGMA user_version = 15");
            s.executeUpdate("INSERT INTO evidence_files(id, endpoint, path, name, state, created_by, created_at)"
                    + " VALUES (4, 'WS-1', '/x/y.exe', 'y.exe', 'complete', 'ana', 10), (9, 'WS-2', '/z', 'z', 'failed', 'bo', 20)");
        }
        Store store = Store.open(db);
        assertEquals(15, store.versionFound());
        List<Item> items = store.evidenceItems().list(EvidenceItems.Filter.ALL);
        assertEquals(List.of(9L, 4L), items.stream().map(Item::id).toList());
        assertEquals(List.of(Kind.FILE, Kind.FILE), items.stream().map(Item::kind).toList());
        assertEquals("ana", items.get(1).createdBy());
        long next = store.evidenceItems().save(Kind.EVENT, "WS-1", "e", null, null, List.of(), List.of("{}"), "ana", 30);
        assertTrue(next > 9, "new items are numbered after the adopted files: " + next);
    }
}
