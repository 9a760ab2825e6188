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
        Alert first = store.alerts().raise("WS-1", "ioc", 7, "c2", List.of("u1", "u2", "u1"), 10).orElseThrow();
        assertEquals(2, first.events());
        assertEquals(List.of("u1", "u2"), store.alerts().events(first.id()));
        assertTrue(store.alerts().raise("WS-1", "ioc", 7, "c2", List.of("u2", "u1"), 20).isEmpty(), "nothing new");
        Alert second = store.alerts().raise("WS-1", "ioc", 7, "c2", List.of("u2", "u3"), 30).orElseThrow();
        assertEquals(List.of("u3"), store.alerts().events(second.id()));
        // another rule, or another endpoint, names the same event again
        assertTrue(store.alerts().raise("WS-1", "policy", 7, "p", List.of("u1"), 40).isPresent());
        assertTrue(store.alerts().raise("WS-2", "ioc", 7, "c2", List.of("u1"), 40).isPresent());
        assertTrue(store.alerts().setState(first.id(), "acknowledged", "ana", 50));
        Alert changed = store.alerts().find(first.id()).orElseThrow();
        assertEquals("acknowledged", changed.state());
        assertEquals("ana", changed.updatedBy());
        assertEquals(4, store.alerts().list().size());
    }
}
