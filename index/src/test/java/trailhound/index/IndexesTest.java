package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.index.TestEvents.T0;
import static trailhound.index.TestEvents.event;
import static trailhound.index.TestEvents.term;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Field;

class IndexesTest {
    @TempDir
    Path endpoints;

    private static void fill(Indexes indexes, String endpoint, int events) throws IOException {
        try (IndexBackend.Lease lease = indexes.acquireOrCreate(endpoint)) {
            for (int i = 0; i < events; i++) {
                lease.index().add(event(endpoint + "-" + i, T0 + i * 10L + endpoint.hashCode() % 7, "file", "create", "p")
                        .set(Field.ENDPOINT, endpoint).build());
            }
            lease.index().commit();
        }
    }

    @Test
    void acquireOrCreate_newEndpoint_listedWithGenerationLayout() throws IOException {
        try (Indexes indexes = new Indexes(endpoints, 4)) {
            fill(indexes, "ws-02", 3);
            fill(indexes, "ws-01", 2);
            Files.createDirectories(endpoints.resolve("no-index-yet"));
            assertEquals(List.of("ws-01", "ws-02"), indexes.endpoints());
            assertTrue(indexes.exists("ws-01"));
            assertFalse(indexes.exists("no-index-yet"));
            assertEquals("1", Files.readString(endpoints.resolve("ws-01/index/CURRENT")));
            assertTrue(Files.isDirectory(endpoints.resolve("ws-01/index/1/events")));
        }
    }

    @Test
    void suggest_acrossEndpoints_sumsCounts_boundedWithTheOpenOnesFirst() throws IOException {
        try (Indexes indexes = new Indexes(endpoints, 4)) {
            for (String[] ep : new String[][] {{"ws-a", "3"}, {"ws-b", "2"}, {"ws-c", "4"}}) {
                try (IndexBackend.Lease lease = indexes.acquireOrCreate(ep[0])) {
                    for (int i = 0; i < Integer.parseInt(ep[1]); i++) {
                        lease.index().add(event(ep[0] + "-" + i, T0 + i, "process", "start", "p" + i).set(Field.ENDPOINT, ep[0])
                                .set(Field.USER, i == 0 ? "CORP\\" + ep[0] : "CORP\\shared").build());
                    }
                    lease.index().commit();
                }
            }
        }
        try (Indexes indexes = new Indexes(endpoints, 4)) {
            HuntSuggestions all = indexes.suggest(List.of("ws-c", "ws-a", "ws-b", "ghost"), List.of(Field.USER), "corp\\", 10, 10);
            assertEquals(3, all.searched());
            assertEquals(3, all.endpoints(), "ghost has no index");
            assertEquals(List.of(new TermCount("corp\\shared", 2 + 1 + 3), new TermCount("corp\\ws-a", 1), new TermCount("corp\\ws-b", 1),
                    new TermCount("corp\\ws-c", 1)), all.values());
            assertEquals(List.of(new TermCount("corp\\shared", 2 + 1 + 3)), indexes.suggest(List.of("ws-a", "ws-b", "ws-c"),
                    List.of(Field.USER), "corp\\sh", 10, 10).values());
        }
        try (Indexes indexes = new Indexes(endpoints, 4)) {
            indexes.acquire("ws-c").close(); // open now: consulted before the cold ones
            HuntSuggestions one = indexes.suggest(List.of("ws-a", "ws-b", "ws-c"), List.of(Field.USER), "", 10, 1);
            assertEquals(1, one.searched());
            assertEquals(3, one.endpoints());
            assertEquals(List.of(new TermCount("corp\\shared", 3), new TermCount("corp\\ws-c", 1)), one.values());
            assertThrows(IllegalArgumentException.class, () -> indexes.suggest(List.of("ws-a"), List.of(Field.USER), "", 10, 0));
        }
    }

    @Test
    void acquire_unknownEndpoint_throws() throws IOException {
        try (Indexes indexes = new Indexes(endpoints, 4)) {
            UnknownEndpointException e = assertThrows(UnknownEndpointException.class, () -> indexes.acquire("ghost"));
            assertTrue(e.getMessage().contains("ghost"));
            assertFalse(Files.exists(endpoints.resolve("ghost")));
        }
    }

    @Test
    void acquireOrCreate_namesThatCannotBeFolders_getSafeFoldersInsideAndKeepTheirNames() throws IOException {
        List<String> odd = List.of("../etc", "a/b", "a\\b", "..", " ", "tab\there", "c:", "x".repeat(200));
        try (Indexes indexes = new Indexes(endpoints, 4)) {
            for (String name : odd) {
                try (IndexBackend.Lease lease = indexes.acquireOrCreate(name)) {
                    java.nio.file.Path dir = ((EndpointIndex) lease.index()).dir();
                    assertTrue(dir.normalize().startsWith(endpoints), name + " -> " + dir);
                }
                assertTrue(Indexes.folderName(name).matches("[A-Za-z0-9._-]*~[0-9a-f]{16}"), Indexes.folderName(name));
            }
            assertEquals(new java.util.TreeSet<>(odd), new java.util.TreeSet<>(indexes.endpoints()), "listed by their real names");
            assertEquals("WS-01", Indexes.folderName("WS-01"), "a plain name is its own folder");
            assertThrows(IllegalArgumentException.class, () -> indexes.acquireOrCreate(""));
        }
    }

    @Test
    void acquire_beyondCap_evictsAndClosesThenReopens() throws IOException {
        try (Indexes indexes = new Indexes(endpoints, 1)) {
            fill(indexes, "a", 2);
            EndpointIndex first;
            try (IndexBackend.Lease lease = indexes.acquire("a")) {
                first = (EndpointIndex) lease.index();
            }
            fill(indexes, "b", 3);
            assertEquals(1, indexes.openCount());
            assertTrue(first.isClosed(), "evicted index is closed");
            try (IndexBackend.Lease lease = indexes.acquire("a")) {
                assertNotSame(first, lease.index());
                assertEquals(2, lease.index().count(null));
            }
        }
    }

    @Test
    void acquire_evictedWhileLeased_staysOpenUntilReleased() throws IOException {
        try (Indexes indexes = new Indexes(endpoints, 1)) {
            fill(indexes, "a", 2);
            IndexBackend.Lease held = indexes.acquire("a");
            fill(indexes, "b", 1); // evicts "a" from the cache while leased
            assertFalse(((EndpointIndex) held.index()).isClosed());
            assertEquals(2, held.index().count(null));
            try (IndexBackend.Lease again = indexes.acquire("a")) {
                assertEquals(held.index(), again.index(), "taken back, not opened twice");
                again.index().add(event("a-new", T0, "file", "create", "p").build());
            }
            EndpointIndex index = (EndpointIndex) held.index();
            held.close();
            fill(indexes, "b", 1);
            assertTrue(index.isClosed());
            try (IndexBackend.Lease lease = indexes.acquire("a")) {
                assertEquals(3, lease.index().count(null), "the write made while leased was committed on close");
            }
        }
    }

    @Test
    void huntAcrossEndpoints_countsAndNewestHitsWithinCap() throws IOException {
        try (Indexes indexes = new Indexes(endpoints, 2)) {
            for (int e = 0; e < 6; e++) fill(indexes, "ws-" + e, 5 + e);
            Map<String, Long> counts = indexes.countAll(null);
            assertEquals(6, counts.size());
            assertEquals(10L, counts.get("ws-5"));
            assertEquals(Map.of("ws-3", 1L), indexes.countAll(term(Field.EVENT_UID, "ws-3-4")));

            List<HuntHit> hits = indexes.searchAll(null, 7);
            assertEquals(7, hits.size());
            assertTrue(indexes.openCount() <= 2);
            // the reference: every event of every endpoint, sorted the same way
            List<HuntHit> all = new java.util.ArrayList<>();
            for (String ep : indexes.endpoints()) {
                try (IndexBackend.Lease lease = indexes.acquire(ep)) {
                    lease.index().search(null, 1000, null).events().forEach(ev -> all.add(new HuntHit(ep, ev)));
                }
            }
            all.sort(Hunt.NEWEST_FIRST);
            assertEquals(all.subList(0, 7), hits);
        }
    }

    @Test
    void hunt_namedEndpointsPagedThrough_equalsTheirEventsInOrderWithTiesAcrossEndpoints() throws IOException {
        try (Indexes indexes = new Indexes(endpoints, 2)) {
            for (String ep : List.of("a", "b", "c", "d")) {
                try (IndexBackend.Lease lease = indexes.acquireOrCreate(ep)) {
                    // the same uids and times on every endpoint, and pairs of events sharing a time: ties everywhere
                    for (int i = 0; i < 9; i++) lease.index().add(event("u-" + i, T0 + (i / 2) * 10L, "file", "create", "p").build());
                    lease.index().commit();
                }
            }
            List<String> named = List.of("a", "c", "d", "not-indexed");
            List<HuntHit> paged = new java.util.ArrayList<>();
            HuntCursor after = null;
            int pages = 0;
            do {
                HuntResult page = indexes.hunt(null, 4, named, after == null ? null : HuntCursor.parse(after.toString()));
                assertEquals(Map.of("a", 9L, "c", 9L, "d", 9L), page.counts(), "every page has the counts; b is not named");
                assertTrue(page.hits().size() <= 4);
                paged.addAll(page.hits());
                after = page.next();
                pages++;
            } while (after != null && pages < 20);
            assertEquals(7, pages, "27 hits, 4 a page");
            List<HuntHit> all = new java.util.ArrayList<>();
            for (String ep : List.of("a", "c", "d")) {
                try (IndexBackend.Lease lease = indexes.acquire(ep)) {
                    lease.index().search(null, 1000, null).events().forEach(ev -> all.add(new HuntHit(ep, ev)));
                }
            }
            all.sort(Hunt.NEWEST_FIRST);
            assertEquals(all, paged);
            assertTrue(indexes.openCount() <= 2);
        }
    }

    @Test
    void huntCursor_oddEndpointNames_roundTrip() {
        for (String ep : List.of("a:b", "we#ird?na%me 1/2", ":", "x")) {
            HuntCursor c = new HuntCursor(-5, "uid:with:colons", ep);
            assertEquals(c, HuntCursor.parse(c.toString()));
        }
        assertThrows(IllegalArgumentException.class, () -> HuntCursor.parse("12:x"));
        assertThrows(IllegalArgumentException.class, () -> HuntCursor.parse("nan:a:b"));
    }
}
