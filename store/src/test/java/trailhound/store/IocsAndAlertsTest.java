package trailhound.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.store.Alerts.Alert;
import trailhound.store.Iocs.Ioc;

class IocsAndAlertsTest {
    @TempDir
    Path dir;

    @Test
    void iocs_insertListAlertSwitch() {
        Store store = Store.open(dir.resolve("server.db"));
        long a = store.iocs().insert(new Ioc(0, "svcmon", "ana", 1_000, "api", false, "{\"operator\":\"OR\",\"items\":[]}"));
        long b = store.iocs().insert(new Ioc(0, "c2", "bob", 2_000, "stix", true, "{}"));
        assertEquals(List.of(b, a), store.iocs().list().stream().map(Ioc::id).toList());
        assertEquals(List.of(b), store.iocs().alerting().stream().map(Ioc::id).toList());
        assertTrue(store.iocs().setAlert(a, true));
        assertEquals(List.of(a, b), store.iocs().alerting().stream().map(Ioc::id).toList());
        assertFalse(store.iocs().setAlert(99, true));
        assertEquals("ana", store.iocs().find(a).orElseThrow().author());
    }

    @Test
    void raise_eventAlreadyNamedByTheRule_notRaisedAgain() {
        Store store = Store.open(dir.resolve("server.db"));
        Alert first = store.alerts().raise("WS-1", "ioc", 7, "c2", List.of("u1", "u2", "u1"), 10).orElseThrow().alert();
        assertEquals(2, first.events());
        assertEquals(List.of("u1", "u2"), store.alerts().events(first.id()));
        assertTrue(store.alerts().raise("WS-1", "ioc", 7, "c2", List.of("u2", "u1"), 20).isEmpty(), "nothing new");
        // another rule, or another endpoint, names the same event again
        assertTrue(store.alerts().raise("WS-1", "policy", 7, "p", List.of("u1"), 40).orElseThrow().created());
        assertTrue(store.alerts().raise("WS-2", "ioc", 7, "c2", List.of("u1"), 40).orElseThrow().created());
        assertTrue(store.alerts().setState(first.id(), "acknowledged", "ana", 50));
        Alert changed = store.alerts().find(first.id()).orElseThrow();
        assertEquals("acknowledged", changed.state());
        assertEquals("ana", changed.updatedBy());
        assertEquals(3, store.alerts().list().size());
    }

    @Test
    void raise_ruleHasAnOpenAlert_newEventsGatheredInIt_untilClosed() {
        Store store = Store.open(dir.resolve("server.db"));
        Alert first = store.alerts().raise("WS-1", "ioc", 7, "c2", List.of("u1"), 10).orElseThrow().alert();
        Alerts.Raised again = store.alerts().raise("WS-1", "ioc", 7, "c2", List.of("u1", "u2", "u3"), 30).orElseThrow();
        assertFalse(again.created(), "the open alert gathers them");
        assertEquals(2, again.added());
        assertEquals(first.id(), again.alert().id());
        assertEquals(3, again.alert().events());
        assertEquals(30, again.alert().lastSeen());
        assertEquals(10, again.alert().createdAt());
        assertEquals(List.of("u1", "u2", "u3"), store.alerts().events(first.id()));

        store.alerts().setState(first.id(), "acknowledged", "ana", 40);
        Alert other = store.alerts().raise("WS-2", "ioc", 8, "dumper", List.of("v1"), 45).orElseThrow().alert();
        assertEquals(first.id(), store.alerts().raise("WS-1", "ioc", 7, "c2", List.of("u4"), 50).orElseThrow().alert().id(),
                "acknowledged is still open");
        assertEquals(List.of(first.id(), other.id()), store.alerts().list().stream().map(Alert::id).toList(),
                "the alert that last named an event first, however old");

        store.alerts().setState(first.id(), "closed", "ana", 60);
        Alerts.Raised after = store.alerts().raise("WS-1", "ioc", 7, "c2", List.of("u4", "u5"), 70).orElseThrow();
        assertTrue(after.created(), "a closed alert is followed by a new one");
        assertEquals(List.of("u5"), store.alerts().events(after.alert().id()));
        assertEquals(4, store.alerts().find(first.id()).orElseThrow().events(), "the closed one keeps what it named");

        // a policy known by name only (id 0): each name has its own alert
        long gone = store.alerts().raise("WS-1", "policy", 0, "Old", List.of("p1"), 80).orElseThrow().alert().id();
        assertTrue(store.alerts().raise("WS-1", "policy", 0, "Older", List.of("p2"), 80).orElseThrow().created());
        assertEquals(gone, store.alerts().raise("WS-1", "policy", 0, "Old", List.of("p3"), 90).orElseThrow().alert().id());
    }
}
