package trailhound.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import trailhound.index.EventIndex;
import trailhound.index.IndexBackend;
import trailhound.opensearch.node.OpenSearchNode;
import trailhound.opensearch.node.OpenSearchNodeExtension;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Re-index on the opensearch backend: a new generation of an endpoint's events beside the current
 * one, unseen until published, swapped in for every query, the replaced one deleted; thrown away when
 * not published; and what a stopped server left behind deleted at the next start.
 */
@ExtendWith(OpenSearchNodeExtension.class)
class OpenSearchRebuildTest {
    private static final Query ALL = QueryLanguage.parse("");

    private static Event event(String endpoint, String uid, long ts) {
        return Event.builder().set(Field.ENDPOINT, endpoint).set(Field.EVENT_UID, uid).ts(ts)
                .set(Field.TYPE, "process").set(Field.OPERATION, "start").set(Field.PROCESS_KEY, "p-" + uid).build();
    }

    private static List<String> uids(EventIndex index) throws IOException {
        return index.search(ALL, 100, null).events().stream().map(Event::uid).sorted().toList();
    }

    private static void add(IndexBackend backend, String endpoint, String... uids) throws IOException {
        try (IndexBackend.Lease lease = backend.acquireOrCreate(endpoint)) {
            long ts = 1_000;
            for (String uid : uids) lease.index().add(event(endpoint, uid, ts++));
            lease.index().commit();
        }
    }

    @Test
    void rebuild_unseenUntilPublished_thenSwappedForEveryQuery_replacedEventsDeleted(OpenSearchNode node) throws IOException {
        OpenSearchBackend backend = OpenSearchBackend.open(OpenSearchConnection.of(node.url()), "rebuild-swap", 1);
        try {
            add(backend, "ws-a", "u1", "u2", "u3");
            add(backend, "ws-b", "v1", "v2");
            try (IndexBackend.Lease lease = backend.acquire("ws-a"); IndexBackend.Rebuild rebuild = backend.rebuild("ws-a")) {
                EventIndex current = lease.index();
                EventIndex next = rebuild.index();
                // the same uid again is new in the new generation; u2 and u3 are gone from it
                next.addAll(List.of(event("ws-a", "u1", 5), event("ws-a", "u4", 6), event("ws-a", "u5", 7), event("ws-a", "u6", 8)));
                next.commit();
                assertEquals(List.of("u1", "u4", "u5", "u6"), uids(next), "the rebuild sees its own events only");
                assertEquals(List.of("u1", "u2", "u3"), uids(current), "searches see the current generation only");
                assertEquals(Map.of("ws-a", 3L, "ws-b", 2L), backend.countAll(ALL), "hunts too");
                assertEquals(3, current.stats().eventCount());
                assertEquals(1, next.processesMatching(ALL, 10).newest().stream().filter(m -> m.processKey().equals("p-u4")).count());

                rebuild.publish();
                assertEquals(List.of("u1", "u4", "u5", "u6"), uids(current), "the lease held before sees the new generation");
                assertEquals(Map.of("ws-a", 4L, "ws-b", 2L), backend.countAll(ALL));
                assertEquals(Map.of("ws-a", Set.of(1), "ws-b", Set.of(0)), backend.events().generations(), "the replaced events are deleted");
                current.add(event("ws-a", "u7", 9));
                current.commit();
                assertEquals(5, current.count(ALL), "events added after the swap go to the new generation");
            }
            // the generation is the endpoint's after a restart, and a second re-index replaces it in turn
            OpenSearchBackend again = OpenSearchBackend.open(OpenSearchConnection.of(node.url()), "rebuild-swap", 1);
            try (IndexBackend.Lease lease = again.acquire("ws-a"); IndexBackend.Rebuild rebuild = again.rebuild("ws-a")) {
                assertEquals(List.of("u1", "u4", "u5", "u6", "u7"), uids(lease.index()));
                rebuild.index().add(event("ws-a", "u9", 1));
                rebuild.publish();
                assertEquals(List.of("u9"), uids(lease.index()));
                assertEquals(Map.of("ws-a", Set.of(2), "ws-b", Set.of(0)), again.events().generations());
            } finally {
                again.close();
            }
        } finally {
            backend.deleteAll();
            backend.close();
        }
    }

    @Test
    void rebuild_notPublished_thrownAway_andAStoppedServersLeftoversDeletedAtStart(OpenSearchNode node) throws IOException {
        OpenSearchBackend backend = OpenSearchBackend.open(OpenSearchConnection.of(node.url()), "rebuild-drop", 1);
        try {
            add(backend, "ws-a", "u1", "u2");
            try (IndexBackend.Rebuild rebuild = backend.rebuild("ws-a")) {
                rebuild.index().addAll(List.of(event("ws-a", "x1", 1), event("ws-a", "x2", 2), event("ws-a", "x3", 3)));
                rebuild.index().commit();
                // closed without publish: a failed check, a cancel
            }
            try (IndexBackend.Lease lease = backend.acquire("ws-a")) {
                assertEquals(List.of("u1", "u2"), uids(lease.index()));
            }
            assertEquals(Map.of("ws-a", Set.of(0)), backend.events().generations());

            // the server stops while a re-index runs: its events stay in the cluster, unseen by no one after a start
            IndexBackend.Rebuild abandoned = backend.rebuild("ws-a");
            abandoned.index().addAll(List.of(event("ws-a", "y1", 1), event("ws-a", "y2", 2)));
            abandoned.index().commit();
            assertEquals(Map.of("ws-a", Set.of(0, 2)), backend.events().generations(), "a new generation above any used before");
            OpenSearchBackend restarted = OpenSearchBackend.open(OpenSearchConnection.of(node.url()), "rebuild-drop", 1);
            try (IndexBackend.Lease lease = restarted.acquire("ws-a")) {
                assertEquals(List.of("u1", "u2"), uids(lease.index()));
                assertEquals(Map.of("ws-a", Set.of(0)), restarted.events().generations(), "the abandoned generation is deleted");
            } finally {
                restarted.close();
            }
        } finally {
            backend.deleteAll();
            backend.close();
        }
    }
}
