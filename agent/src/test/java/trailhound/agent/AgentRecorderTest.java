package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.recorder.RecorderReader;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * The agent's recorder database: recorded events are recorder rows, queued with their rows' uids (the
 * uids a snapshot of the file gives them), kept after acknowledgement, within the recorder's limits; and
 * {@link AgentSnapshot} copies it consistently while it is written.
 */
class AgentRecorderTest {
    private static final long T0 = 1_764_590_400_000L; // 2025-12-01T12:00:00Z

    @TempDir Path tmp;

    private static Event start(int i) {
        return Event.builder().set(Field.EVENT_UID, "provisional-" + i).ts(T0 + i * 1000L).set(Field.TYPE, "process")
                .set(Field.OPERATION, "start").set(Field.PROCESS_KEY, "l" + i).set(Field.PID, 100 + i).set(Field.PPID, 1)
                .set(Field.PROCESS_PATH, "/usr/bin/p" + i).set(Field.PROCESS_NAME, "p" + i).set(Field.COMMAND_LINE, "p" + i + " --x")
                .set(Field.USER, "root").build();
    }

    private static Event connect(int i) {
        return Event.builder().set(Field.EVENT_UID, "provisional-c" + i).ts(T0 + i * 1000L + 500).set(Field.TYPE, "network").set(Field.OPERATION, "connect")
                .set(Field.PROCESS_KEY, "l" + i).set(Field.PID, 100 + i).set(Field.PPID, 1).set(Field.PROCESS_PATH, "/usr/bin/p" + i)
                .set(Field.PROCESS_NAME, "p" + i).set(Field.COMMAND_LINE, "p" + i + " --x").set(Field.USER, "root") // as the Linux recorder gives them
                .set(Field.PROTOCOL, "tcp").set(Field.LOCAL_IP, "10.0.0.1")
                .set(Field.LOCAL_PORT, 40000 + i).set(Field.REMOTE_IP, "10.0.0.2").set(Field.REMOTE_PORT, 443).build();
    }

    /** The file's events as RecorderReader reads them (a snapshot's view), by uid. */
    private static Map<String, Event> read(Path db) {
        Map<String, Event> out = new LinkedHashMap<>();
        try (RecorderReader r = RecorderReader.open(db)) {
            r.read("x", 0, e -> out.put(e.uid(), e));
        }
        return out;
    }

    @Test
    void record_queuesEachEventWithItsRecorderRowsUid_andKeepsRowsAfterAcknowledgement() throws Exception {
        Path state = tmp.resolve("state");
        try (LocalStore store = LocalStore.open(state, 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            store.record(List.of(start(1), connect(1), start(2)), c -> null);
            List<LocalStore.Stored> queued = store.after(0, 10);
            store.acknowledge(store.newest());
            assertEquals(0, store.count(), "the server has them: the queue is empty");

            Map<String, Event> rows = read(state.resolve(LocalStore.FILE));
            assertEquals(3, rows.size(), "the recorder keeps what was acknowledged");
            assertEquals(queued.stream().map(q -> q.fields().get("event_uid")).toList(), List.copyOf(rows.keySet()),
                    "streamed and recorded under the same uids, in order");
            for (LocalStore.Stored q : queued) {
                Event row = rows.get(q.fields().get("event_uid"));
                for (Field f : List.of(Field.TS, Field.TYPE, Field.OPERATION, Field.PROCESS_KEY, Field.PID, Field.PROCESS_PATH,
                        Field.COMMAND_LINE, Field.USER, Field.LOCAL_PORT, Field.REMOTE_IP, Field.REMOTE_PORT)) {
                    assertEquals(q.fields().get(f.canonicalName()), row.get(f), f + " of " + q.fields());
                }
                assertEquals("web-01", row.get(Field.ENDPOINT));
                assertTrue(row.uid().matches("r[0-9a-f]{16}-\\d+"), row.uid());
            }
        }
        try (LocalStore again = LocalStore.open(state, 1_000, "renamed", LocalStore.RecorderLimits.DEFAULT)) { // a restarted agent
            again.record(List.of(start(3)), c -> null);
            Map<String, Event> rows = read(state.resolve(LocalStore.FILE));
            assertEquals(4, rows.size());
            assertEquals(again.after(0, 10).getFirst().fields().get("event_uid"), List.copyOf(rows.keySet()).getLast(),
                    "the same recorder (its id and host kept), the next row id");
            assertEquals("web-01", rows.values().iterator().next().get(Field.ENDPOINT));
        }
    }

    @Test
    void record_beyondTheRecordersLimit_removesTheOldestRows_andAGapSaysSo() throws Exception {
        Path state = tmp.resolve("state");
        try (LocalStore store = LocalStore.open(state, 1_000, "web-01", new LocalStore.RecorderLimits(10, 0))) {
            for (int i = 1; i <= 25; i++) store.record(List.of(start(i)), c -> null);
            Map<String, Event> rows = read(state.resolve(LocalStore.FILE));
            assertEquals(10, rows.size());
            Event gap = List.copyOf(rows.values()).getLast();
            assertEquals("agent", gap.type());
            assertEquals("gap", gap.operation());
            List<String> kept = rows.values().stream().filter(e -> "process".equals(e.type())).map(e -> e.get(Field.PROCESS_KEY)).toList();
            assertEquals("l25", kept.getLast(), "the newest kept");
            Map<String, String> queuedGap = store.after(0, 1_000).stream().map(LocalStore.Stored::fields)
                    .filter(f -> gap.uid().equals(f.get("event_uid"))).findFirst().orElseThrow();
            assertTrue(queuedGap.get("command_line").contains("oldest events were removed"), queuedGap.toString());
            assertEquals(25 + countGaps(store) - 10, Long.parseLong(store.meta("recorder_dropped_total")),
                    "every row not kept (gap rows are rows too) was dropped and counted");
        }
    }

    @Test
    void record_beyondTheRecordersBytes_dropsTheOldest_withoutAGapAtEveryAppendWhileTheQueueGrows() throws Exception {
        Path state = tmp.resolve("state");
        try (LocalStore store = LocalStore.open(state, 1_000_000, "web-01", new LocalStore.RecorderLimits(1_000_000, 256 * 1024))) {
            for (int poll = 0; poll < 1_000; poll++) { // polls of 5 events
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < 5; i++) events.add(start(poll * 5 + i));
                store.record(events, c -> null); // never acknowledged: the queue keeps all of them and grows the file
            }
            Map<String, Event> rows = read(state.resolve(LocalStore.FILE));
            long gaps = countGaps(store);
            assertTrue(rows.size() < 5_000, "the oldest went: " + rows.size() + " rows kept");
            assertTrue(gaps >= 1 && gaps <= 100, "a drop now and then, not at every poll (1,000 of them): " + gaps + " gaps, " + rows.size() + " rows, dropped "
                    + store.meta("recorder_dropped_total") + ", queued " + store.count());
            assertEquals(5_000 + gaps - rows.size(), Long.parseLong(store.meta("recorder_dropped_total")));
            assertEquals(5_000 + gaps, store.count(), "the queue dropped nothing: its own cap is far");
        }
    }

    private static long countGaps(LocalStore store) throws Exception {
        return store.after(0, 1_000_000).stream().filter(s -> "gap".equals(s.fields().get("operation"))).count();
    }

    @Test
    void open_anOlderAgentsStore_keepsItsQueueAndPositions() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + state.resolve(LocalStore.FILE)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, fields TEXT NOT NULL)");
            s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.execute("INSERT INTO events(seq, fields) VALUES (7, '{\"event_uid\":\"old\",\"ts\":\"1\",\"type\":\"process\"}')");
            s.execute("INSERT INTO meta VALUES ('recorder_id', '0123456789abcdef')");
        }
        try (LocalStore store = LocalStore.open(state, 100, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            assertEquals(List.of(7L), store.after(0, 10).stream().map(LocalStore.Stored::seq).toList());
            store.record(List.of(start(1)), c -> null);
            assertEquals(8L, store.newest(), "positions go on after the old ones");
            try (RecorderReader r = RecorderReader.open(state.resolve(LocalStore.FILE))) {
                assertEquals("0123456789abcdef", r.meta().recorderId(), "the recorder id the Linux recorder had kept");
            }
        }
    }

    @Test
    void capture_whileAWriterRecords_holdsExactlyTheRowsCommittedBeforeIt() throws Exception {
        Path state = tmp.resolve("state");
        Path out = Files.createDirectories(tmp.resolve("out"));
        try (LocalStore store = LocalStore.open(state, 1_000_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 1; !stop.get(); i++) {
                        store.record(List.of(start(i), connect(i)), c -> null);
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            try {
                while (store.newest() < 2_000 && failed.get() == null) Thread.sleep(10);
                if (failed.get() != null) throw new AssertionError("the writer failed", failed.get());
                AgentSnapshot.Captured first = AgentSnapshot.capture(state, out);
                long atCapture = store.newest();
                AgentSnapshot.Captured second = AgentSnapshot.capture(state, out.resolve("second.db"));
                stop.set(true);
                writer.join();
                assertEquals(null, failed.get());

                Map<String, Event> all = read(state.resolve(LocalStore.FILE));
                Map<String, Event> snap = read(first.file());
                assertTrue(snap.size() >= 2_000 && snap.size() < all.size(), "taken while it grew: " + snap.size() + " of " + all.size());
                assertEquals(List.copyOf(all.keySet()).subList(0, snap.size()), List.copyOf(snap.keySet()),
                        "the first rows of the database, none missing: a copy at one commit");
                for (Map.Entry<String, Event> e : snap.entrySet()) {
                    assertEquals(all.get(e.getKey()).toMap(), e.getValue().toMap());
                }
                assertEquals(0, snap.size() % 2, "whole transactions only (each wrote two rows)");
                assertTrue(snap.size() <= atCapture, "nothing committed after the capture returned");
                assertTrue(read(second.file()).size() >= snap.size());

                assertEquals(first.events(), snap.size());
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + first.file()); Statement s = c.createStatement()) {
                    List<String> tables = new ArrayList<>();
                    try (var rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                        while (rs.next()) tables.add(rs.getString(1));
                    }
                    assertEquals(List.of("events", "meta", "processes"), tables, "the recorder's tables, not the agent's");
                    try (var rs = s.executeQuery("SELECT count(*) FROM meta WHERE key IN ('store_id', 'recorder_boot_id')")) {
                        assertEquals(0, rs.getInt(1), "nor the agent's own keys");
                    }
                    try (var rs = s.executeQuery("PRAGMA journal_mode")) {
                        assertEquals("delete", rs.getString(1), "one file, no -wal beside it");
                    }
                }
                assertEquals(Files.size(first.file()), first.size());
                assertTrue(first.file().getFileName().toString().matches("web-01_\\d{4}_\\d\\d_\\d\\dT\\d\\d\\.\\d\\d\\.\\d\\d\\.\\d{3}Z\\.db"),
                        first.file().toString());
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())));
                assertTrue(first.capturedAt() <= System.currentTimeMillis());
                try (var left = Files.list(out)) {
                    assertEquals(2, left.count(), "no part files left");
                }
            } finally {
                stop.set(true);
                writer.join();
            }
        }
    }

    @Test
    void capture_refusesAFolderWithoutAnAgentDatabase_andAnExistingFile() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        var e = assertThrows(java.io.IOException.class, () -> AgentSnapshot.capture(empty, tmp.resolve("x.db")));
        assertTrue(e.getMessage().contains("holds no agent database"), e.getMessage());
        Path state = tmp.resolve("state");
        try (LocalStore store = LocalStore.open(state, 100, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            store.record(List.of(start(1)), c -> null);
        }
        Path taken = Files.writeString(tmp.resolve("taken.db"), "x");
        var exists = assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> AgentSnapshot.capture(state, taken));
        assertNotNull(exists.getMessage());
        assertEquals("x", Files.readString(taken));
    }
}
