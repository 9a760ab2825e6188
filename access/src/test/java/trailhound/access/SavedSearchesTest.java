package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.UnknownEndpointException;
import trailhound.ingest.DataDir;
import trailhound.store.AuditTrail;

class SavedSearchesTest {
    private static final String GOOD = "correct horse battery";
    private static final Caller CLI = Caller.commandLine();

    @TempDir Path dir;
    private DataDir data;
    private Access access;

    @BeforeEach
    void open() throws Exception {
        data = DataDir.open(dir);
        access = Access.over(data, Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        data.catalogue().upsertEndpoint("WS-FIN-01", "windows", "ws-fin-01.corp", "10.1.0.5");
        data.catalogue().upsertEndpoint("WS-HR-01", "windows", "ws-hr-01.corp", "10.2.0.5");
        access.groups().create(CLI, "finance", null, List.of("WS-FIN-01"));
        access.groups().create(CLI, "hr", null, List.of("WS-HR-01"));
        access.accounts().create(CLI, "ana", Role.ANALYST, List.of("finance"), GOOD, false);
        access.accounts().create(CLI, "hal", Role.READ_ONLY, List.of("hr"), GOOD, false);
        access.accounts().create(CLI, "fay", Role.READ_ONLY, List.of("finance"), GOOD, false);
        access.accounts().create(CLI, "root2", Role.ADMINISTRATOR, List.of(), GOOD, false);
    }

    @AfterEach
    void close() throws Exception {
        data.close();
    }

    private SavedSearches as(String user) {
        return access.scope(access.accounts().caller(user, "web", "127.0.0.1").orElseThrow()).savedSearches();
    }

    private static SavedSearches.Draft draft(String name, String endpoint, boolean shared) {
        return new SavedSearches.Draft(name, "type:dns", endpoint, null, null, "24h", shared);
    }

    private static List<String> names(SavedSearches s) {
        return s.list().stream().map(SavedSearches.Saved::name).toList();
    }

    @Test
    void create_ownAndSharedAreListed_privateOnesOfOthersAreUnknown() {
        long mine = as("ana").create(draft("mine", "WS-FIN-01", false)).id();
        long shared = as("ana").create(draft("shared", "WS-FIN-01", true)).id();
        long hunt = as("ana").create(draft("hunt everywhere", null, true)).id();
        assertEquals(List.of("hunt everywhere", "mine", "shared"), names(as("ana")));
        assertEquals(List.of("hunt everywhere", "shared"), names(as("fay")));
        assertEquals(shared, as("fay").find(shared).id());
        AccessException e = assertThrows(AccessException.class, () -> as("fay").find(mine));
        assertTrue(e.isUnknown());
        assertEquals(List.of("hunt everywhere", "mine", "shared"), names(as("root2")), "administrators see every one");
        assertTrue(as("root2").find(hunt).changeable());
        assertFalse(as("fay").find(hunt).changeable());
    }

    @Test
    void aSharedSearchOfAnEndpointOutsideOnesGroups_isExactlyLikeOneThatDoesNotExist() {
        long shared = as("ana").create(draft("fin dns", "WS-FIN-01", true)).id();
        assertEquals(List.of(), names(as("hal")));
        AccessException seen = assertThrows(AccessException.class, () -> as("hal").find(shared));
        AccessException never = assertThrows(AccessException.class, () -> as("hal").find(987_654));
        assertTrue(seen.isUnknown());
        assertEquals(never.getMessage().replace("987654", "ID"), seen.getMessage().replace(String.valueOf(shared), "ID"));
        assertThrows(AccessException.class, () -> as("hal").delete(shared));
        assertThrows(AccessException.class, () -> as("hal").rename(shared, "x"));
        assertEquals(1, as("ana").list().size(), "nothing changed");
    }

    @Test
    void create_forAnEndpointOutsideOnesGroups_isAnUnknownEndpoint() {
        assertThrows(UnknownEndpointException.class, () -> as("ana").create(draft("x", "WS-HR-01", false)));
        assertThrows(UnknownEndpointException.class, () -> as("ana").create(draft("x", "no-such-endpoint", false)));
        assertEquals(List.of(), names(as("ana")));
    }

    @Test
    void renameAndDelete_onlyByTheOwnerOrAnAdministrator_andAudited() {
        long id = as("ana").create(draft("dns", "WS-FIN-01", true)).id();
        assertThrows(AccessDeniedException.class, () -> as("fay").rename(id, "mine now"));
        assertThrows(AccessDeniedException.class, () -> as("fay").delete(id));
        assertEquals("dns renamed", as("ana").rename(id, "dns renamed").name());
        assertEquals("by admin", as("root2").rename(id, "by admin").name());
        as("root2").delete(id);
        assertThrows(AccessException.class, () -> as("ana").find(id));
        List<String> actions = access.audit().list(AuditTrail.Filter.ALL, 0, 100).stream()
                .map(e -> e.event().actor() + " " + e.event().action() + " " + e.event().outcome()).toList();
        assertTrue(actions.containsAll(List.of("ana saved-search.create ok", "fay access.denied denied", "ana saved-search.rename ok",
                "root2 saved-search.rename ok", "root2 saved-search.delete ok")), actions.toString());
    }

    @Test
    void names_areBoundedAndUniquePerOwner_withMessagesSayingWhat() {
        as("ana").create(draft("Daily", null, false));
        AccessException dup = assertThrows(AccessException.class, () -> as("ana").create(draft("daily", null, false)));
        assertTrue(dup.getMessage().contains("you have a saved search named 'daily' already"), dup.getMessage());
        as("fay").create(draft("daily", null, false)); // another user's list
        assertThrows(AccessException.class, () -> as("ana").create(draft("   ", null, false)));
        assertThrows(AccessException.class, () -> as("ana").create(draft("x".repeat(SavedSearches.MAX_NAME + 1), null, false)));
        as("ana").create(draft("y".repeat(SavedSearches.MAX_NAME), null, false));
        assertThrows(AccessException.class, () -> as("ana").create(draft("two\nlines", null, false)));
        assertThrows(AccessException.class, () -> as("ana").create(draft("rtl\u202eevil", null, false)));
        long other = as("ana").create(draft("other", null, false)).id();
        AccessException taken = assertThrows(AccessException.class, () -> as("ana").rename(other, "DAILY"));
        assertTrue(taken.getMessage().contains("another saved search named 'DAILY'"), taken.getMessage());
    }

    @Test
    void create_refusesABadWindow() {
        assertThrows(AccessException.class, () -> as("ana").create(new SavedSearches.Draft("a", "", null, null, null, "2h", false)));
        assertThrows(AccessException.class, () -> as("ana").create(new SavedSearches.Draft("a", "", null, 5L, null, "24h", false)));
        assertThrows(AccessException.class, () -> as("ana").create(new SavedSearches.Draft("a", "", null, 5L, 5L, null, false)));
        SavedSearches.Saved s = as("ana").create(new SavedSearches.Draft("a", "", null, 5L, 9L, null, false));
        assertEquals(5L, s.from());
        assertEquals(9L, s.to());
        assertEquals(null, s.range());
    }

    @Test
    void aSearchOfAPurgedEndpoint_isGoneForItsOwner_andAnAdministratorMayDeleteIt() {
        long id = as("ana").create(draft("fin", "WS-FIN-01", false)).id();
        data.store().catalogue().purgeEndpoint("WS-FIN-01");
        assertEquals(List.of(), names(as("ana")));
        assertEquals("WS-FIN-01", as("root2").find(id).endpoint());
        as("root2").delete(id);
        assertEquals(List.of(), names(as("root2")));
    }

    @Test
    void aRenamedEndpoint_isFollowed() {
        long id = as("ana").create(draft("fin", "WS-FIN-01", false)).id();
        data.store().catalogue().moveEndpoint("WS-FIN-01", "WS-FIN-02", false);
        access.groups().addEndpoint(CLI, "finance", "WS-FIN-02");
        assertEquals("WS-FIN-02", as("ana").find(id).endpoint());
    }
}
