package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

class LocalStoreTest {
    @TempDir Path state;

    private static List<Event> events(int from, int to) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(Event.builder().set(Field.EVENT_UID, "e-" + i).ts(1_700_000_000_000L + i * 1000L).set(Field.TYPE, "process").build());
        }
        return out;
    }

    @Test
    void append_beyondTheCap_dropsTheOldestAndSaysSoInAGapEvent() throws Exception {
        try (LocalStore store = LocalStore.open(state, 10)) {
            store.append(events(1, 25), 25);
            assertEquals(10, store.count());
            List<LocalStore.Stored> left = store.after(0, 100);
            LocalStore.Stored gap = left.getLast();
            assertEquals("agent", gap.fields().get("type"));
            assertEquals("gap", gap.fields().get("operation"));
            assertEquals("16", gap.fields().get("event_id"), "16 dropped: 25 events and the gap in 10 places");
            assertTrue(gap.fields().get("command_line").contains("from 2023-11-14T22:13:21.000Z"), gap.fields().toString());
            assertEquals("e-17", left.getFirst().fields().get("event_uid"), "the newest kept");
            assertEquals("25", store.meta("replay_taken"));
        }
    }

    @Test
    void acknowledge_removesWhatTheServerHolds_andPositionsAreNeverReused() throws Exception {
        try (LocalStore store = LocalStore.open(state, 100)) {
            store.append(events(1, 5), -1);
            store.acknowledge(3);
            assertEquals(List.of(4L, 5L), store.after(0, 10).stream().map(LocalStore.Stored::seq).toList());
        }
        try (LocalStore again = LocalStore.open(state, 100)) { // a restarted agent
            again.acknowledge(5);
            again.append(events(6, 6), -1);
            assertEquals(List.of(6L), again.after(0, 10).stream().map(LocalStore.Stored::seq).toList());
        }
    }

    @Test
    void before_givesTheNewestBelowAPosition_oldestFirst_andARangeLeavesWhenHeld() throws Exception {
        try (LocalStore store = LocalStore.open(state, 100)) {
            store.append(events(1, 10), -1);
            assertEquals(10, store.newest());
            assertEquals(List.of(8L, 9L, 10L), store.before(11, 0, 3).stream().map(LocalStore.Stored::seq).toList());
            assertEquals(List.of(3L, 4L), store.before(5, 2, 3).stream().map(LocalStore.Stored::seq).toList(), "none at or below 2");
            store.acknowledge(6, 9); // the server holds a catch-up's range
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 10L), store.after(0, 100).stream().map(LocalStore.Stored::seq).toList());
        }
    }
}
