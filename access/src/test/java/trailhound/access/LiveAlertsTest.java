package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.ingest.DataDir;
import trailhound.ingest.LiveIngest;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.Alerts.Alert;

/** Live batches, as agents stream them, raise the alerts of IOCs set to alert, once per event whatever is resent. */
class LiveAlertsTest {
    @TempDir Path dir;

    private static List<Event> batch(long first, int n) {
        List<Event> events = new ArrayList<>();
        for (long i = first; i < first + n; i++) {
            events.add(Event.builder().set(Field.EVENT_UID, "live-" + i).ts(1_764_000_000_000L + i).set(Field.TYPE, "network")
                    .set(Field.OPERATION, "connect").set(Field.PROCESS_NAME, "curl").set(Field.REMOTE_IP, i % 10 == 0 ? "91.240.118.172" : "10.0.0.7")
                    .build());
        }
        return events;
    }

    @Test
    void liveBatches_matchingEvents_raiseAlertsOnce() throws Exception {
        try (DataDir data = DataDir.open(dir.resolve("data")); LiveIngest live = new LiveIngest(data)) {
            Access access = Access.over(data, Clock.systemUTC());
            data.catalogue().upsertEndpoint("web-01", "linux", "web-01", null);
            Scope scope = access.scope(Caller.commandLine());
            var ioc = scope.intel().create("attacker", new IocTree.Item(IndicatorType.IP, IocTree.Condition.IS, "91.240.118.172"), "api", true);
            live.append("web-01", "a0000000000000001", 100, batch(1, 100));
            live.append("web-01", "a0000000000000001", 100, batch(1, 100)); // resent after a lost ack
            live.append("web-01", "a0000000000000001", 150, batch(101, 50));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (named(access, scope) < 15 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(15, named(access, scope), "every tenth of 150 events, each once");
            assertEquals(1, access.alerts().list(scope).size(), "one open alert gathers the batches' events: " + access.alerts().list(scope));
            for (Alert a : access.alerts().list(scope)) {
                assertEquals("web-01", a.endpoint());
                assertEquals(ioc.id(), a.ruleId());
                assertTrue(access.alerts().events(scope, a.id()).stream().allMatch(u -> Long.parseLong(u.substring(5)) % 10 == 0));
            }

            // closed, the next match raises a new alert; several change state at once, all or none
            long first = access.alerts().list(scope).getFirst().id();
            access.alerts().setStates(scope, List.of(first), "closed");
            live.append("web-01", "a0000000000000001", 160, batch(151, 10));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (access.alerts().list(scope).size() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            List<Alert> both = access.alerts().list(scope);
            assertEquals(2, both.size());
            Alert fresh = both.getFirst();
            assertEquals("new", fresh.state(), "newest activity first: the new alert");
            assertEquals(1, fresh.events(), "event 160 alone");
            assertEquals(List.of(fresh.id()), access.alerts().list(scope, "new", "ioc", ioc.id()).stream().map(Alert::id).toList());
            assertEquals(List.of(first), access.alerts().list(scope, "closed", null, null).stream().map(Alert::id).toList());
            assertTrue(access.alerts().list(scope, null, "policy", null).isEmpty());
            AccessException unknown = org.junit.jupiter.api.Assertions.assertThrows(AccessException.class,
                    () -> access.alerts().setStates(scope, List.of(fresh.id(), 99_999L), "acknowledged"));
            assertTrue(unknown.getMessage().contains("99999"), unknown.getMessage());
            assertEquals("new", access.alerts().find(scope, fresh.id()).orElseThrow().state(), "all or none");
            // at most one open alert per rule and endpoint (third try-out): reopening the closed one beside the fresh one is refused
            AccessException twoOpen = org.junit.jupiter.api.Assertions.assertThrows(AccessException.class,
                    () -> access.alerts().setStates(scope, List.of(fresh.id(), first), "acknowledged"));
            assertTrue(twoOpen.isConflict(), twoOpen.getMessage());
            assertEquals("new", access.alerts().find(scope, fresh.id()).orElseThrow().state(), "all or none");
            assertEquals("closed", access.alerts().find(scope, first).orElseThrow().state(), "all or none");
            List<Alert> changed = access.alerts().setStates(scope, List.of(fresh.id()), "acknowledged");
            assertTrue(changed.stream().allMatch(a -> a.state().equals("acknowledged")), changed.toString());

            scope.intel().setAlert(ioc.id(), false);
            assertTrue(!access.alerts().wanted(), "no IOC alerts: the indexers hand nothing over");
            int before = access.alerts().list(scope).size();
            live.append("web-01", "a0000000000000001", 200, batch(151, 50));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (indexed(data) < 200 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(200, indexed(data));
            assertEquals(before, access.alerts().list(scope).size(), "alerts off: nothing raised");
        }
    }

    private static long indexed(DataDir data) throws Exception {
        try (var lease = data.indexes().acquire("web-01")) {
            return lease.index().count(null);
        }
    }

    private static long named(Access access, Scope scope) {
        return access.alerts().list(scope).stream().mapToLong(Alert::events).sum();
    }
}
