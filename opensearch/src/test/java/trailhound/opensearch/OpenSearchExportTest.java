package trailhound.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import trailhound.index.EventIndex;
import trailhound.index.EventSort;
import trailhound.index.IndexBackend;
import trailhound.opensearch.node.OpenSearchNode;
import trailhound.opensearch.node.OpenSearchNodeExtension;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;

/** An export on the opensearch backend reads one point in time: what is added while it runs is not in it. */
@ExtendWith(OpenSearchNodeExtension.class)
class OpenSearchExportTest {
    private static Event event(String uid, long ts) {
        return Event.builder().set(Field.ENDPOINT, "ws-x").set(Field.EVENT_UID, uid).ts(ts)
                .set(Field.TYPE, "file").set(Field.OPERATION, "create").set(Field.FILE_PATH, "/tmp/" + uid).build();
    }

    @Test
    void export_eventsAddedWhileItRuns_notInIt_pagesUnshifted(OpenSearchNode node) throws IOException {
        OpenSearchBackend backend = OpenSearchBackend.open(OpenSearchConnection.of(node.url()), "export-pit", 1);
        try (IndexBackend.Lease lease = backend.acquireOrCreate("ws-x")) {
            EventIndex index = lease.index();
            List<Event> first = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) first.add(event(String.format("e%05d", i), 10_000 + i));
            index.addAll(first);
            index.commit();
            List<String> exported = new ArrayList<>();
            long handed = index.export(QueryLanguage.parse("type:file"), EventSort.NEWEST_FIRST, 10_000, e -> {
                exported.add(e.uid());
                if (exported.size() == 1) { // newer events, and older ones that would shift the later pages
                    index.addAll(List.of(event("new-1", 99_999), event("old-1", 1), event("old-2", 2)));
                    index.refresh();
                }
            });
            assertEquals(2_500, handed);
            assertEquals(2_500, exported.size());
            assertEquals("e02499", exported.getFirst());
            assertEquals("e00000", exported.getLast());
            assertEquals(2_503, index.count(null), "added meanwhile, and in the next export");
        } finally {
            backend.deleteAll();
            backend.close();
        }
    }
}
