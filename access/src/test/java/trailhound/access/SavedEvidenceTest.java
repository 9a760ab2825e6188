package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.EventSort;
import trailhound.index.IndexBackend;
import trailhound.index.UnknownEndpointException;
import trailhound.ingest.DataDir;
import trailhound.ingest.EndpointAdmin;
import trailhound.ingest.Ingestor;
import trailhound.ingest.Reindexer;
import trailhound.query.QueryLanguage;
import trailhound.samples.SampleGenerator;
import trailhound.schema.Event;
import trailhound.store.AuditTrail;
import trailhound.store.EvidenceItems;
import trailhound.store.EvidenceItems.Item;
import trailhound.store.EvidenceItems.Kind;

/** Saved evidence over a real data folder: a generated endpoint ingested, then re-indexed and purged under the items. */
class SavedEvidenceTest {
    private static final String GOOD = "correct horse battery";
    private static final Caller CLI = Caller.commandLine();

    @TempDir Path dir;
    private DataDir data;
    private Access access;
    private String endpoint;

    @BeforeEach
    void open() throws Exception {
        data = DataDir.open(dir.resolve("data"));
        access = Access.over(data, Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        Path sample = SampleGenerator.generate(dir.resolve("sample"), 1, 2_000, 7, n -> {}).getFirst();
        endpoint = new Ingestor(data, 1).ingest(sample, null).endpoints().keySet().iterator().next();
        data.catalogue().upsertEndpoint("WS-HR-01", "windows", "ws-hr-01.corp", "10.2.0.5");
        access.groups().create(CLI, "mine", null, List.of(endpoint));
        access.groups().create(CLI, "hr", null, List.of("WS-HR-01"));
        access.accounts().create(CLI, "ana", Role.ANALYST, List.of("mine"), GOOD, false);
        access.accounts().create(CLI, "bob", Role.ANALYST, List.of("mine"), GOOD, false);
        access.accounts().create(CLI, "hal", Role.ANALYST, List.of("hr"), GOOD, false);
        access.accounts().create(CLI, "ro", Role.READ_ONLY, List.of("mine"), GOOD, false);
        access.accounts().create(CLI, "root2", Role.ADMINISTRATOR, List.of(), GOOD, false);
    }

    @AfterEach
    void close() throws Exception {
        data.close();
    }

    private SavedEvidence as(String user) {
        return access.scope(access.accounts().caller(user, "web", "127.0.0.1").orElseThrow()).savedEvidence();
    }

    private List<Event> events(String query, int max) throws Exception {
        List<Event> out = new ArrayList<>();
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            lease.index().export(QueryLanguage.parse(query), EventSort.NEWEST_FIRST, max, out::add);
        }
        return out;
    }

    @Test
    void saveEvents_keepsEveryFieldOfEachEvent_throughReindexAndPurge() throws Exception {
        List<Event> chosen = events("type:network OR type:file", 3);
        Item item = as("ana").saveEvents(endpoint, chosen.stream().map(Event::uid).toList(), "beacon to C2", List.of("c2", " C2 ", "case-7"));
        assertEquals(Kind.EVENT, item.kind());
        assertEquals(endpoint, item.endpoint());
        assertEquals("ana", item.createdBy());
        assertEquals(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli(), item.createdAt());
        assertEquals(List.of("c2", "case-7"), item.tags(), "tags trimmed, each once whatever its case");
        assertEquals(3, item.eventCount());
        List<Map<String, String>> expected = chosen.stream().map(Event::toMap).toList();
        assertEquals(expected, as("ana").events(item.id()), "every field of every event, in the order chosen");

        new Reindexer(data, 1).reindex(endpoint, (e, n) -> {});
        assertEquals(expected, as("bob").events(item.id()), "a re-index changes nothing saved");
        new EndpointAdmin(data).purge(endpoint);
        assertFalse(data.indexes().exists(endpoint));
        assertEquals(expected, as("root2").events(item.id()), "the purged endpoint's events are still in the item");
        assertEquals(Kind.EVENT, as("root2").kind(item.id()));
        assertEquals(endpoint, as("root2").endpoint(item.id()));
    }

    @Test
    void saveProcess_copiesItsHistoryByTime() throws Exception {
        Event start = events("type:process AND operation:start", 1).getFirst();
        String key = start.get(trailhound.schema.Field.PROCESS_KEY);
        List<Event> history = events("process_key:\"" + key + "\"", 100_000);
        Item item = as("ana").saveProcess(endpoint, key, null, List.of());
        assertEquals(Kind.PROCESS, item.kind());
        assertEquals(key, item.reference());
        assertEquals(history.size(), item.eventCount());
        List<Map<String, String>> saved = as("ana").events(item.id());
        assertEquals(history.stream().map(Event::uid).sorted().toList(), saved.stream().map(m -> m.get("event_uid")).sorted().toList());
        List<Long> times = saved.stream().map(m -> Long.parseLong(m.get("ts"))).toList();
        assertEquals(times.stream().sorted().toList(), times, "oldest first");
        assertTrue(item.title().contains(start.get(trailhound.schema.Field.PROCESS_NAME)), item.title());
    }

    @Test
    void saveSnapshot_keepsACopyOfItsFile_afterThePurge() throws Exception {
        var snapshot = data.catalogue().snapshots(endpoint).getFirst();
        byte[] original = Files.readAllBytes(snapshot.file());
        Item item = as("ana").saveSnapshot(endpoint, snapshot.id(), "before reimage", List.of("disk"));
        assertEquals(snapshot.id(), item.reference());
        assertTrue(snapshot.eventCount() > 0);
        assertEquals(snapshot.eventCount(), item.eventCount(), "the snapshot's events, as its title says, though kept in its file");
        new EndpointAdmin(data).purge(endpoint);
        assertFalse(Files.exists(snapshot.file()), "the purge removed the snapshot itself");
        assertTrue(java.util.Arrays.equals(original, Files.readAllBytes(as("root2").snapshotCopy(item.id()))));
        as("root2").remove(item.id());
        assertFalse(Files.exists(as("root2").snapshotCopy(item.id())));
    }

    @Test
    void anItemOutsideOnesGroups_isLikeOneThatDoesNotExist() throws Exception {
        Item item = as("ana").saveEvents(endpoint, List.of(events("*", 1).getFirst().uid()), null, List.of());
        assertTrue(as("hal").list(EvidenceItems.Filter.ALL).isEmpty());
        AccessException seen = assertThrows(AccessException.class, () -> as("hal").events(item.id()));
        AccessException never = assertThrows(AccessException.class, () -> as("hal").events(987_654));
        assertTrue(seen.isUnknown());
        assertEquals(never.getMessage().replace("evidence 987654 ", "evidence ID "),
                seen.getMessage().replace("evidence " + item.id() + " ", "evidence ID "));
        assertThrows(UnknownEndpointException.class, () -> as("hal").saveEvents(endpoint, List.of("x"), null, List.of()));
        assertEquals(1, as("ro").list(EvidenceItems.Filter.ALL).size(), "read-only users see the items of their endpoints");
    }

    @Test
    void savingNeedsAnAnalyst_removingTheOwnerOrAnAdministrator_andAllIsAudited() throws Exception {
        String uid = events("*", 1).getFirst().uid();
        assertThrows(AccessDeniedException.class, () -> as("ro").saveEvents(endpoint, List.of(uid), null, List.of()));
        Item item = as("ana").saveEvents(endpoint, List.of(uid), null, List.of());
        as("ana").describe(item.id(), "seen on two hosts", List.of("lateral"));
        assertEquals(List.of("lateral"), as("ana").find(item.id()).orElseThrow().tags());
        assertEquals("seen on two hosts", as("ana").find(item.id()).orElseThrow().note());
        // try-out: another analyst replaced the note and wiped the tags; what is not given stays
        assertThrows(AccessDeniedException.class, () -> as("bob").describe(item.id(), "bob was here", null));
        as("ana").describe(item.id(), "on three hosts", null);
        assertEquals(List.of("lateral"), as("ana").find(item.id()).orElseThrow().tags(), "a note alone keeps the tags");
        as("root2").describe(item.id(), null, List.of("lateral", "c2"));
        assertEquals("on three hosts", as("ana").find(item.id()).orElseThrow().note(), "tags alone keep the note");
        assertThrows(AccessDeniedException.class, () -> as("bob").remove(item.id()));
        assertTrue(as("ana").find(item.id()).isPresent());
        as("ana").remove(item.id());
        assertTrue(as("ana").find(item.id()).isEmpty());
        Item other = as("bob").saveEvents(endpoint, List.of(uid), null, List.of());
        as("root2").remove(other.id());
        List<String> actions = access.audit().list(AuditTrail.Filter.ALL, Long.MAX_VALUE, 100).stream()
                .map(e -> e.event().action() + " " + e.event().actor() + " " + e.event().outcome()).toList();
        for (String expected : List.of("evidence.save ana ok", "evidence.edit ana ok", "evidence.edit root2 ok", "access.denied bob denied", "evidence.remove ana ok",
                "evidence.remove root2 ok", "access.denied ro denied")) {
            assertTrue(actions.contains(expected), expected + " in " + actions);
        }
    }

    @Test
    void filters_byKindEndpointTagAndUser() throws Exception {
        List<Event> two = events("*", 2);
        Item a = as("ana").saveEvents(endpoint, List.of(two.get(0).uid()), null, List.of("x"));
        Item b = as("bob").saveEvents(endpoint, List.of(two.get(1).uid()), null, List.of("y"));
        String key = two.get(0).get(trailhound.schema.Field.PROCESS_KEY);
        Item p = as("bob").saveProcess(endpoint, key, null, List.of("x"));
        assertEquals(List.of(p.id(), b.id(), a.id()), ids(new EvidenceItems.Filter(null, null, null, null)));
        assertEquals(List.of(b.id(), a.id()), ids(new EvidenceItems.Filter(Kind.EVENT, null, null, null)));
        assertEquals(List.of(p.id(), a.id()), ids(new EvidenceItems.Filter(null, null, "X", null)), "tags match whatever the case");
        assertEquals(List.of(p.id(), b.id()), ids(new EvidenceItems.Filter(null, null, null, "bob")));
        assertEquals(List.of(), ids(new EvidenceItems.Filter(null, "WS-HR-01", null, null)));
    }

    @Test
    void saveEvents_refusesUidsTheEndpointDoesNotHave_namingThem() throws Exception {
        String uid = events("*", 1).getFirst().uid();
        AccessException e = assertThrows(AccessException.class,
                () -> as("ana").saveEvents(endpoint, List.of(uid, "no-such-uid"), null, List.of()));
        assertTrue(e.getMessage().contains("no-such-uid"), e.getMessage());
        assertTrue(as("ana").list(EvidenceItems.Filter.ALL).isEmpty(), "nothing saved");
    }

    private List<Long> ids(EvidenceItems.Filter f) {
        return as("root2").list(f).stream().map(Item::id).toList();
    }
}
