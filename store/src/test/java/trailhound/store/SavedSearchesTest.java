package trailhound.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedSearchesTest {
    @TempDir Path dir;

    private Store store() {
        Store store = Store.open(dir.resolve("server.db"));
        store.users().insert("ana", "analyst", "$argon2id$x", false);
        store.users().insert("bob", "analyst", "$argon2id$y", false);
        return store;
    }

    private static SavedSearches.SavedSearch search(String owner, String name, String endpoint, boolean shared) {
        return new SavedSearches.SavedSearch(0, owner, name, "type:dns AND dns_query:*evil*", endpoint, 1_000L, 2_000L, null, shared,
                5_000, 5_000);
    }

    @Test
    void insert_readsBackEveryPart() {
        SavedSearches saved = store().savedSearches();
        long id = saved.insert(search("ana", "DNS to evil", "WS-1", false)).orElseThrow();
        SavedSearches.SavedSearch back = saved.find(id).orElseThrow();
        assertEquals(new SavedSearches.SavedSearch(id, "ana", "DNS to evil", "type:dns AND dns_query:*evil*", "WS-1", 1_000L, 2_000L,
                null, false, 5_000, 5_000), back);
        long relative = saved.insert(new SavedSearches.SavedSearch(0, "ana", "all, last day", "", null, null, null, "24h", true, 6_000,
                6_000)).orElseThrow();
        SavedSearches.SavedSearch hunt = saved.find(relative).orElseThrow();
        assertEquals(null, hunt.endpoint());
        assertEquals(null, hunt.fromTs());
        assertEquals("24h", hunt.relativeRange());
        assertTrue(hunt.shared());
    }

    @Test
    void insert_sameNameOfTheSameOwner_isRefusedWhateverTheCase_anotherOwnerMayUseIt() {
        SavedSearches saved = store().savedSearches();
        assertTrue(saved.insert(search("ana", "Daily", "WS-1", false)).isPresent());
        assertEquals(Optional.empty(), saved.insert(search("ana", "daily", "WS-2", false)));
        assertTrue(saved.insert(search("bob", "Daily", "WS-1", false)).isPresent());
        assertEquals(2, saved.list().size());
    }

    @Test
    void ownAndShared_listsOnesOwnAndOthersSharedOnes_byName() {
        SavedSearches saved = store().savedSearches();
        saved.insert(search("ana", "b mine", "WS-1", false));
        saved.insert(search("bob", "a shared by bob", "WS-1", true));
        saved.insert(search("bob", "c private to bob", "WS-1", false));
        assertEquals(List.of("a shared by bob", "b mine"), saved.ownAndShared("ana").stream().map(SavedSearches.SavedSearch::name).toList());
        assertEquals(List.of("a shared by bob", "c private to bob"),
                saved.ownAndShared("bob").stream().map(SavedSearches.SavedSearch::name).toList());
    }

    @Test
    void rename_toAnotherOfTheOwnersNames_isADuplicate_andChangesNothing() {
        SavedSearches saved = store().savedSearches();
        long one = saved.insert(search("ana", "one", "WS-1", false)).orElseThrow();
        saved.insert(search("ana", "two", "WS-1", false));
        assertEquals(SavedSearches.Outcome.DUPLICATE_NAME, saved.rename(one, "TWO", 9_000));
        assertEquals("one", saved.find(one).orElseThrow().name());
        assertEquals(SavedSearches.Outcome.DONE, saved.rename(one, "One", 9_000), "its own name in another case");
        assertEquals("One", saved.find(one).orElseThrow().name());
        assertEquals(9_000, saved.find(one).orElseThrow().updatedAt());
        assertEquals(SavedSearches.Outcome.MISSING, saved.rename(4711, "x", 9_000));
    }

    @Test
    void delete_removesOnlyThatOne() {
        SavedSearches saved = store().savedSearches();
        long one = saved.insert(search("ana", "one", "WS-1", false)).orElseThrow();
        long two = saved.insert(search("ana", "two", "WS-1", false)).orElseThrow();
        assertTrue(saved.delete(one));
        assertFalse(saved.delete(one));
        assertEquals(List.of(two), saved.list().stream().map(SavedSearches.SavedSearch::id).toList());
    }

    @Test
    void ids_areNeverReused_soAnOldLinkNeverOpensAnotherSearch() {
        SavedSearches saved = store().savedSearches();
        long one = saved.insert(search("ana", "one", "WS-1", false)).orElseThrow();
        saved.delete(one);
        long next = saved.insert(search("ana", "one", "WS-1", false)).orElseThrow();
        assertTrue(next > one);
    }

    @Test
    void aUsersSearches_goWithTheUser_andAnUnknownOwnerIsRefused() throws Exception {
        Store store = store();
        store.savedSearches().insert(search("bob", "one", "WS-1", true));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file()); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA foreign_keys = ON");
            s.executeUpdate("DELETE FROM web_users WHERE name = 'bob'");
        }
        assertEquals(List.of(), store.savedSearches().list());
        assertThrows(StoreException.class, () -> store.savedSearches().insert(search("nobody", "x", null, false)));
    }
}
