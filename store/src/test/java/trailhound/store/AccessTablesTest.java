package trailhound.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTablesTest {
    @TempDir Path dir;

    private AuditTrail.Event event(String action) {
        return new AuditTrail.Event(1_700_000_000_000L, "ana", "web", action, "WS-1", "127.0.0.1", "ok", "q=user:x");
    }

    @Test
    void anUntouchedTrailVerifies() {
        Store store = Store.open(dir.resolve("server.db"));
        for (int i = 0; i < 5; i++) store.audit().append(event("search"));
        assertEquals(5, store.audit().count());
        assertTrue(store.audit().verify().isEmpty());
        List<AuditTrail.Entry> newest = store.audit().list(AuditTrail.Filter.ALL, 0, 2);
        assertEquals(List.of(5L, 4L), newest.stream().map(AuditTrail.Entry::seq).toList());
        assertEquals(newest.get(1).hash(), newest.get(0).prevHash());
    }

    @Test
    void theMembershipGenerationMovesWithEverythingMembersDependOn_andOnlyThen() {
        Store store = Store.open(dir.resolve("server.db"));
        ComputerGroups groups = store.groups();
        long g = groups.membershipGeneration();
        store.catalogue().upsertEndpoint("ws-1", "windows", "ws-1", "10.0.0.1");
        assertTrue(groups.membershipGeneration() > g, "a new endpoint");
        g = groups.membershipGeneration();
        store.catalogue().upsertEndpoint("ws-1", "windows", "ws-1", "10.0.0.1");
        store.catalogue().upsertEndpoint("ws-1", null, null, null);
        assertEquals(g, groups.membershipGeneration(), "an ingest that changes nothing about the endpoint");
        store.catalogue().upsertEndpoint("ws-1", null, null, "10.0.0.2");
        assertTrue(groups.membershipGeneration() > g, "a new address");
        g = groups.membershipGeneration();
        store.catalogue().changeTags("ws-1", List.of("vip"), List.of());
        assertTrue(groups.membershipGeneration() > g, "a tag");
        g = groups.membershipGeneration();
        groups.create("finance", "tags:finance", List.of("ws-2"));
        assertTrue(groups.membershipGeneration() > g, "a group");
        g = groups.membershipGeneration();
        store.catalogue().moveEndpoint("ws-1", "ws-3", false);
        assertTrue(groups.membershipGeneration() > g, "a rename");
    }

    /** Second try-out: a trigger un-revoking tokens made "tokens revoke" a lie, and nothing noticed. */
    @Test
    void triggersNoMigrationMade_areNamedAndDropped() throws SQLException {
        Store store = Store.open(dir.resolve("server.db"));
        assertEquals(List.of(), store.foreignTriggers(), "every trigger the migrations make is known");
        sql("CREATE TRIGGER keep_tokens AFTER UPDATE OF revoked_at ON api_tokens BEGIN UPDATE api_tokens SET revoked_at = NULL"
                + " WHERE id = NEW.id; END");
        assertEquals(List.of("keep_tokens on api_tokens"), store.foreignTriggers());
        assertEquals(List.of("keep_tokens on api_tokens"), store.dropForeignTriggers());
        assertEquals(List.of(), store.foreignTriggers());
        // third try-out: one of Trailhound's own names with another body un-revoked tokens unnoticed
        sql("DROP TRIGGER endpoints_members_insert", "CREATE TRIGGER endpoints_members_insert AFTER INSERT ON endpoints BEGIN"
                + " UPDATE membership_generation SET n = n + 1; UPDATE api_tokens SET revoked_at = NULL; END");
        assertEquals(List.of("endpoints_members_insert on endpoints (changed)"), store.foreignTriggers());
        store.dropForeignTriggers();
        assertEquals(List.of(), store.foreignTriggers(), "made again as the migration made it");
        long before = store.groups().membershipGeneration();
        store.catalogue().upsertEndpoint("ws-new", "windows", null, null);
        assertTrue(store.groups().membershipGeneration() > before, "and it still counts");
    }

    @Test
    void theTrailRefusesUpdatesAndDeletes() {
        Store store = Store.open(dir.resolve("server.db"));
        store.audit().append(event("search"));
        SQLException e = assertThrows(SQLException.class, () -> sql("UPDATE audit SET actor = 'eve'"));
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        assertThrows(SQLException.class, () -> sql("DELETE FROM audit"));
    }

    @Test
    void anEditedEntryIsNamed() throws SQLException {
        Store store = Store.open(dir.resolve("server.db"));
        for (int i = 0; i < 4; i++) store.audit().append(event("search"));
        sql("DROP TRIGGER audit_no_update", "UPDATE audit SET detail = 'q=nothing' WHERE seq = 3");
        AuditTrail.Break b = store.audit().verify().orElseThrow();
        assertEquals(3, b.seq());
        assertTrue(b.reason().contains("changed"), b.reason());
    }

    @Test
    void aRemovedEntryIsNamedEvenAtTheEndAndAfterLaterAppends() throws SQLException {
        Store store = Store.open(dir.resolve("server.db"));
        for (int i = 0; i < 4; i++) store.audit().append(event("search"));
        sql("DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE seq = 4");
        assertEquals(4, store.audit().verify().orElseThrow().seq());
        store.audit().append(event("export")); // chained to entry 3, but seq 5: the gap stays visible
        AuditTrail.Break b = store.audit().verify().orElseThrow();
        assertEquals(4, b.seq());
        assertTrue(b.reason().contains("gone"), b.reason());

        sql("DELETE FROM audit WHERE seq = 2");
        assertEquals(2, store.audit().verify().orElseThrow().seq());
    }

    @Test
    void groupsGrantsAndTagsFollowRenamesAndPurges() {
        Store store = Store.open(dir.resolve("server.db"));
        store.catalogue().upsertEndpoint("ws-1", "windows", "ws-1", "10.0.0.1");
        store.groups().create("finance", "tags:finance", List.of("ws-1"));
        store.users().insert("ana", "analyst", "hash", false);
        store.users().grant("ana", "finance");
        store.catalogue().changeTags("ws-1", List.of("finance", "vip"), List.of());
        assertEquals(List.of("finance"), store.users().find("ana").orElseThrow().groups());
        assertEquals(ComputerGroups.ALL_ENDPOINTS, store.groups().list().getFirst().name());
        assertFalse(store.groups().delete(ComputerGroups.ALL_ENDPOINTS));

        store.catalogue().moveEndpoint("ws-1", "ws-01", false);
        assertEquals(List.of("ws-01"), store.groups().find("finance").orElseThrow().endpoints());
        assertEquals(Set.of("finance", "vip"), store.catalogue().tags().get("ws-01"));

        store.catalogue().purgeEndpoint("ws-01");
        assertEquals(List.of(), store.groups().find("finance").orElseThrow().endpoints());
        assertTrue(store.catalogue().tags().isEmpty());

        assertTrue(store.groups().delete("finance"));
        assertEquals(List.of(), store.users().find("ana").orElseThrow().groups());
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db")); Statement s = c.createStatement()) {
            for (String q : statements) s.executeUpdate(q);
        }
    }
}
