package trailhound.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import trailhound.index.HuntCursor;
import trailhound.index.HuntHit;
import trailhound.opensearch.node.OpenSearchNode;
import trailhound.opensearch.node.OpenSearchNodeExtension;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;

/** Small hand-made cases on the shared node: ties in the hunt order, duplicates, deletes, strictness. */
@ExtendWith(OpenSearchNodeExtension.class)
class OpenSearchEventsTest {
    private static Event event(String endpoint, String uid, long ts) {
        return Event.builder().set(Field.ENDPOINT, endpoint).set(Field.EVENT_UID, uid).ts(ts)
                .set(Field.TYPE, "process").set(Field.OPERATION, "start").set(Field.PROCESS_KEY, uid).build();
    }

    @Test
    void hunt_tiesOrderedByUidThenEndpoint_countBeforeIsThePosition(OpenSearchNode node) throws IOException {
        try (OpenSearchEvents events = OpenSearchEvents.open(OpenSearchConnection.of(node.url()), "ties", 2)) {
            try {
                events.addAll("b", List.of(event("b", "u1", 100), event("b", "u2", 200), event("b", "u3", 200)));
                events.addAll("a", List.of(event("a", "u2", 200), event("a", "u0", 300), event("a", "u9", 50)));
                events.refresh();
                Query all = QueryLanguage.parse("");
                List<HuntHit> hits = events.hunt(null, all, 10, null);
                List<String> order = hits.stream().map(h -> h.endpoint() + "/" + h.event().uid()).toList();
                assertEquals(List.of("a/u0", "a/u2", "b/u2", "b/u3", "b/u1", "a/u9"), order);
                List<String> both = List.of("a", "b");
                assertEquals(hits.size(), events.hunt(both, all, 10, null).size());
                for (int i = 0; i < hits.size(); i++) {
                    HuntHit h = hits.get(i);
                    HuntCursor at = new HuntCursor(h.event().ts(), h.event().uid(), h.endpoint());
                    assertEquals(i, events.countBefore(null, all, at), "position of " + order.get(i));
                    assertEquals(i, events.countBefore(both, all, at), "position of " + order.get(i) + " among a, b");
                    assertEquals(i, events.countBefore(both, QueryLanguage.parse("type:process"), at), "with a query");
                    List<String> after = events.hunt(null, all, 10, at).stream().map(x -> x.endpoint() + "/" + x.event().uid()).toList();
                    assertEquals(order.subList(i + 1, order.size()), after, "after " + order.get(i));
                }
                assertEquals(0, events.addAll("a", List.of(event("a", "u2", 999))), "a duplicate uid is not added");
                boolean[] added = events.addEach("a", List.of(event("a", "u7", 70), event("a", "u0", 999), event("a", "u8", 80)));
                assertEquals("[true, false, true]", java.util.Arrays.toString(added), "one outcome per event, in order");
                events.refresh();
                assertEquals(300, events.newestFirst("a", QueryLanguage.parse("event_uid:u0"), 1, null).getFirst().ts(),
                        "the first to add an event keeps it");
                events.deleteWhere("a", QueryTranslator.translate(QueryLanguage.parse("event_uid:u7 OR event_uid:u8")));
                assertEquals(1, events.deleteWhere("b", QueryTranslator.translate(QueryLanguage.parse("event_uid:u3"))));
                assertEquals(2, events.count(List.of("b"), all));
            } finally {
                events.deleteAll();
            }
        }
    }

    @Test
    void strictMapping_refusesAnUnknownField(OpenSearchNode node) throws IOException {
        try (OpenSearchEvents events = OpenSearchEvents.open(OpenSearchConnection.of(node.url()), "strict", 1)) {
            try {
                IOException refused = assertThrows(IOException.class, () -> events.send("PUT", "/strict/_doc/x?routing=a",
                        java.util.Map.of("surprise_field", "x")));
                assertTrue(refused.getMessage().contains("strict_dynamic_mapping_exception"), refused.getMessage());
            } finally {
                events.deleteAll();
            }
        }
    }

    @Test
    void translate_unknownLuceneQuery_refusedWithItsType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueryTranslator.translate(new org.apache.lucene.search.FuzzyQuery(new org.apache.lucene.index.Term("user", "x"))));
        assertTrue(e.getMessage().contains("FuzzyQuery"), e.getMessage());
    }
}
