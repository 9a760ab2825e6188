package trailhound.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

class RecorderRoundTripTest {
    @TempDir
    Path dir;

    /** The uid prefix of recorder "rec-1": 16 hex digits of SHA-256("id:rec-1"). */
    private static final String R = RecorderUids.prefix(RecorderMeta.of("WS-01", "windows", null, null, null, "rec-1", 123L));
    private static final RecorderProcess PARENT = new RecorderProcess("k-parent", 4, null, null,
            "C:\\Windows\\explorer.exe", "explorer.exe", "C:\\Windows\\Explorer.EXE", "CORP\\jdoe", "C:\\Windows\\",
            "m1", "s1", "s256", "Microsoft Windows", "valid", 1_000L, null);
    private static final RecorderProcess CHILD = new RecorderProcess("k-child", 1234, 4, "k-parent",
            "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe",
            "powershell.exe -nop -enc AAA", "CORP\\jdoe", "C:\\Users\\jdoe\\", "m2", "s2", "s3",
            "Microsoft Windows", "valid", 2_000L, 9_000L);

    private Path writeSample() {
        Path db = dir.resolve("host.db");
        try (RecorderWriter w = RecorderWriter.create(db,
                RecorderMeta.of("WS-01", "windows", "10.0.19045", "1.2.3", "10.0.0.5", "rec-1", 123L))) {
            w.addProcess(PARENT);
            w.addProcess(CHILD);
            RecorderWriter.Row row = w.row();
            w.addEvent(row.clear().ts(2_000).type("process").operation("start").processKey("k-child"));
            row.clear().ts(3_000).type("network").operation("connect").processKey("k-child");
            row.set(Field.LOCAL_IP, "10.0.0.5").set(Field.LOCAL_PORT, 50123).set(Field.REMOTE_IP, "185.1.2.3")
                    .set(Field.REMOTE_PORT, 443).set(Field.PROTOCOL, "tcp").set(Field.DIRECTION, "outbound");
            w.addEvent(row);
            // Every detail column once, to prove each one round-trips.
            row.clear().ts(4_000).type("misc").operation("all").processKey("k-child");
            for (RecorderSchema.Column c : RecorderSchema.DETAIL_COLUMNS) {
                if (c.integer()) {
                    row.set(c.field(), 7);
                } else {
                    row.set(c.field(), "v-" + c.name());
                }
            }
            w.addEvent(row);
            w.addEvent(row.clear().ts(5_000).type("file").operation("create").processKey("k-unknown")
                    .set(Field.FILE_PATH, "C:\\x.txt"));
            w.addStory(new RecorderStory("win-1", "Macro", "A macro story", List.of("k-parent", "k-child")));
        }
        return db;
    }

    @Test
    void read_writtenDatabase_returnsEveryFieldDenormalised() {
        Path db = writeSample();
        List<Event> events = new ArrayList<>();
        try (RecorderReader r = RecorderReader.open(db)) {
            assertEquals(new RecorderMeta(1, "WS-01", "windows", "10.0.19045", "1.2.3", "10.0.0.5", "rec-1", 123L), r.meta());
            assertEquals(4, r.eventCount());
            assertEquals(2_000L, r.firstTs().orElseThrow());
            assertEquals(5_000L, r.lastTs().orElseThrow());
            ReadReport report = r.read("snap-1", 0, events::add); // in id order, to name the rows by position
            assertEquals(new ReadReport(4, 0, List.of(), 4), report);
            assertEquals(List.of(new RecorderStory("win-1", "Macro", "A macro story", List.of("k-parent", "k-child"))), r.stories());
            List<RecorderProcess> procs = new ArrayList<>();
            r.readProcesses(procs::add);
            assertEquals(List.of(CHILD, PARENT), procs);
        }
        Map<String, String> start = events.get(0).toMap();
        assertEquals(Map.ofEntries(
                Map.entry("endpoint", "WS-01"), Map.entry("event_uid", R + "1"), Map.entry("ts", "2000"),
                Map.entry("type", "process"), Map.entry("operation", "start"), Map.entry("process_key", "k-child"),
                Map.entry("pid", "1234"), Map.entry("process_path", CHILD.path()), Map.entry("process_name", "powershell.exe"),
                Map.entry("command_line", CHILD.commandLine()), Map.entry("user", "CORP\\jdoe"),
                Map.entry("hash_md5", "m2"), Map.entry("hash_sha1", "s2"), Map.entry("hash_sha256", "s3"),
                Map.entry("signature", "Microsoft Windows"), Map.entry("signature_status", "valid"),
                Map.entry("parent_key", "k-parent"), Map.entry("ppid", "4"), Map.entry("parent_path", PARENT.path()),
                Map.entry("parent_command_line", PARENT.commandLine()), Map.entry("source", "snap-1"),
                Map.entry("cwd", "C:\\Users\\jdoe\\")), start);

        Event net = events.get(1);
        assertEquals("50123", net.get(Field.LOCAL_PORT));
        assertEquals("443", net.get(Field.REMOTE_PORT));
        assertEquals("185.1.2.3", net.get(Field.REMOTE_IP));
        assertEquals("outbound", net.get(Field.DIRECTION));

        Event all = events.get(2);
        for (RecorderSchema.Column c : RecorderSchema.DETAIL_COLUMNS) {
            assertEquals(c.integer() ? "7" : "v-" + c.name(), all.get(c.field()), c.name());
        }

        Event orphan = events.get(3);
        assertEquals("k-unknown", orphan.get(Field.PROCESS_KEY));
        assertNull(orphan.get(Field.PROCESS_PATH));
        assertEquals(R + "4", orphan.uid());
    }

    @Test
    void read_sinkThrows_stopsAndReaderStaysUsable() {
        Path db = dir.resolve("many.db");
        try (RecorderWriter w = RecorderWriter.create(db, RecorderMeta.of("h", "linux", null, null, null, null, 0L))) {
            RecorderWriter.Row row = w.row();
            for (int i = 0; i < 20_000; i++) {
                w.addEvent(row.clear().ts(i).type("file").operation("create").set(Field.FILE_PATH, "/tmp/" + i));
            }
        }
        try (RecorderReader r = RecorderReader.open(db)) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> r.read("s", ev -> {
                        if (ev.uid().endsWith("-5000")) {
                            throw new IllegalStateException("sink full");
                        }
                    }));
            assertEquals("sink full", e.getMessage());
            assertEquals(20_000, r.eventCount());
            long[] n = {0};
            assertEquals(20_000, r.read("s", ev -> n[0]++).eventsRead());
            assertEquals(20_000, n[0]);
        }
    }

    @Test
    void read_afterId_returnsOnlyLaterEvents() {
        Path db = writeSample();
        List<Event> events = new ArrayList<>();
        try (RecorderReader r = RecorderReader.open(db)) {
            ReadReport report = r.read("live", 2, events::add);
            assertEquals(2, report.eventsRead());
            assertEquals(4, report.lastId());
        }
        assertEquals(List.of(R + "3", R + "4"), events.stream().map(Event::uid).toList());
    }

    @Test
    void read_rowsWithoutTsOrType_areRejectedNotFatal() throws Exception {
        Path db = writeSample();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE events SET ts = NULL WHERE id = 2");
            s.executeUpdate("UPDATE events SET type = NULL WHERE id = 3");
        }
        List<Event> events = new ArrayList<>();
        try (RecorderReader r = RecorderReader.open(db)) {
            ReadReport report = r.read("snap", events::add);
            assertEquals(new ReadReport(2, 2, List.of(3L, 2L), 1), report);
        }
        assertEquals(List.of(R + "4", R + "1"), events.stream().map(Event::uid).toList());
    }

    @Test
    void read_newestFirst_descendsAndResumesBelowTheLastIdSeen() {
        Path db = writeSample();
        List<String> all = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        try (RecorderReader r = RecorderReader.open(db)) {
            ReadReport report = r.read("snap", e -> all.add(e.uid()));
            assertEquals(1, report.lastId(), "newest first ends at the lowest id");
            ReadReport resumed = r.readNewestFirst("snap", 3, e -> rest.add(e.uid()));
            assertEquals(new ReadReport(2, 0, List.of(), 1), resumed);
        }
        assertEquals(List.of(R + "4", R + "3", R + "2", R + "1"), all);
        assertEquals(List.of(R + "2", R + "1"), rest);
    }

    @Test
    void read_sameRowInTwoSnapshots_givesSameUid() throws Exception {
        Path db = writeSample();
        Path copy = dir.resolve("copy.db");
        java.nio.file.Files.copy(db, copy);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        try (RecorderReader r = RecorderReader.open(db)) {
            r.read("s1", e -> a.add(e.uid()));
        }
        try (RecorderReader r = RecorderReader.open(copy)) {
            r.read("s2", e -> b.add(e.uid()));
        }
        assertEquals(a, b);
    }

    @Test
    void uids_twoRecordersOfOneHost_neverShareUids() {
        RecorderMeta first = RecorderMeta.of("WS-01", "windows", null, null, null, "rec-1", 123L);
        RecorderMeta reinstalled = RecorderMeta.of("WS-01", "windows", null, null, null, "rec-2", 123L);
        assertTrue(R.matches("r[0-9a-f]{16}-"), R);
        assertEquals(R, RecorderUids.prefix(first), "the prefix names the recorder, not the snapshot");
        assertTrue(!RecorderUids.prefix(first).equals(RecorderUids.prefix(reinstalled)));
        // without a recorder id: host and creation time name the database
        RecorderMeta noId = RecorderMeta.of("WS-01", "windows", null, null, null, null, 123L);
        assertEquals(RecorderUids.prefix(noId), RecorderUids.prefix(RecorderMeta.of("WS-01", "windows", null, null, null, " ", 123L)));
        assertTrue(!RecorderUids.prefix(noId).equals(RecorderUids.prefix(RecorderMeta.of("WS-01", "windows", null, null, null, null, 124L))));
    }
}
