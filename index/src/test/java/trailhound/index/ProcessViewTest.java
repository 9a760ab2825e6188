package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.index.TestEvents.T0;
import static trailhound.index.TestEvents.event;
import static trailhound.index.TestEvents.processStart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

class ProcessViewTest {
    @TempDir
    Path dir;

    /** explorer (no start event indexed) -> cmd -> {ping, whoami}; explorer -> notepad. */
    private EndpointIndex tree() throws IOException {
        EndpointIndex index = EndpointIndex.open(dir);
        index.add(event("x1", T0, "file", "create", "explorer").set(Field.PROCESS_PATH, "C:\\Windows\\explorer.exe").build());
        index.add(processStart("s1", T0 + 10, "cmd", "explorer", "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c ping"));
        index.add(processStart("s2", T0 + 20, "ping", "cmd", "C:\\Windows\\System32\\PING.EXE", "ping 10.0.0.1"));
        index.add(processStart("s3", T0 + 30, "whoami", "cmd", "C:\\Windows\\System32\\whoami.exe", "whoami"));
        index.add(processStart("s4", T0 + 40, "notepad", "explorer", "C:\\Windows\\notepad.exe", "notepad"));
        for (int i = 0; i < 5; i++) {
            index.add(event("h" + i, T0 + 100 - i, "network", "connect", "cmd").set(Field.PARENT_KEY, "explorer").build());
        }
        index.add(event("end", T0 + 200, "process", "end", "cmd").set(Field.PARENT_KEY, "explorer").build());
        index.refresh();
        return index;
    }

    @Test
    void process_withStartEvent_describedWithRelatives() throws IOException {
        try (EndpointIndex index = tree()) {
            ProcessView view = index.process("CMD", 3).orElseThrow();
            assertEquals("cmd.exe /c ping", view.process().commandLine());
            assertEquals("cmd.exe", view.process().name());
            assertEquals(T0 + 10, view.process().startTs());
            assertEquals(T0 + 200, view.process().endTs());
            assertEquals("explorer", view.parent().key());
            assertEquals("C:\\Windows\\explorer.exe", view.parent().path());
            assertNull(view.parent().startTs(), "explorer has no start event");
            assertEquals(List.of("ping", "whoami"), view.children().stream().map(ProcessInfo::key).toList());
            assertEquals(List.of("notepad"), view.peers().stream().map(ProcessInfo::key).toList());
            assertEquals(7, view.historyTotal());
            assertEquals(List.of("s1", "h4", "h3"), view.history().stream().map(Event::uid).toList());
        }
    }

    /** Children and peers described once per reader are served from the cache: the same as described afresh, and new after a write. */
    @Test
    void process_askedAgain_relativesAsDescribedFirstAndFreshAfterAWrite() throws IOException {
        try (EndpointIndex index = tree()) {
            ProcessView first = index.process("cmd", 3).orElseThrow();
            assertEquals(first, index.process("cmd", 3).orElseThrow());
            assertEquals("ping 10.0.0.1", first.children().getFirst().commandLine());
            index.add(event("e2", T0 + 300, "process", "end", "ping").set(Field.PARENT_KEY, "cmd").build());
            index.refresh();
            ProcessView after = index.process("cmd", 3).orElseThrow();
            assertEquals(T0 + 300, after.children().getFirst().endTs(), "the new reader describes ping again");
        }
    }

    @Test
    void process_relativesLimit_firstByKeyOrNone() throws IOException {
        try (EndpointIndex index = tree()) {
            ProcessView one = index.process("cmd", 3, 1).orElseThrow();
            assertEquals(List.of("ping"), one.children().stream().map(ProcessInfo::key).toList());
            assertEquals(List.of("notepad"), one.peers().stream().map(ProcessInfo::key).toList());
            ProcessView none = index.process("cmd", 3, 0).orElseThrow();
            assertTrue(none.children().isEmpty() && none.peers().isEmpty());
            assertEquals("explorer", none.parent().key(), "the parent is still described");
            assertEquals(one.history(), none.history());
            assertThrows(IllegalArgumentException.class, () -> index.process("cmd", 3, -1));
        }
    }

    /**
     * History is oldest first with event_uid breaking ties, whatever order the events were added in
     * (a snapshot is read newest first, a log oldest first), across segments, for every limit.
     */
    @Test
    void history_oldestFirstWithTiesByUid_inWhicheverOrderEventsWereAdded() throws IOException {
        java.util.Random random = new java.util.Random(7);
        List<Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            events.add(event(String.format("u%03d", random.nextInt(1000)) + "-" + i, T0 + random.nextInt(50), "file", "create", "busy").build());
        }
        List<String> expected = events.stream()
                .sorted(java.util.Comparator.comparingLong(Event::ts).thenComparing(Event::uid)).map(Event::uid).toList();
        for (boolean newestFirst : new boolean[] {true, false}) {
            List<Event> order = new java.util.ArrayList<>(events);
            order.sort(java.util.Comparator.comparingLong(Event::ts));
            if (newestFirst) java.util.Collections.reverse(order);
            Path folder = dir.resolve(newestFirst ? "newest" : "oldest");
            try (EndpointIndex index = EndpointIndex.open(folder)) {
                for (int i = 0; i < order.size(); i++) {
                    index.add(order.get(i));
                    if (i % 150 == 149) index.commit(); // several segments
                }
                index.refresh();
                for (int limit : new int[] {1, 7, 100, 150, 151, 600, 1000}) { // 150: a cut on a time split between segments
                    List<String> history = index.process("busy", limit).orElseThrow().history().stream().map(Event::uid).toList();
                    assertEquals(expected.subList(0, Math.min(limit, expected.size())), history,
                            (newestFirst ? "added newest first" : "added oldest first") + ", limit " + limit);
                }
            }
        }
    }

    @Test
    void process_childWithoutOwnEventsForParent_describesParentFromChild() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(event("s", T0, "process", "start", "child")
                    .set(Field.PARENT_KEY, "gone").set(Field.PARENT_PATH, "C:\\gone.exe").set(Field.PPID, 7).build());
            index.refresh();
            ProcessView view = index.process("child", 10).orElseThrow();
            assertEquals("gone", view.parent().key());
            assertEquals("gone.exe", view.parent().name());
            assertEquals(7L, view.parent().pid());
            assertTrue(view.children().isEmpty());
            assertTrue(view.peers().isEmpty());
        }
    }

    /** Regression (issue #14): a {@code /} in a Windows parent's file name cut its name short. */
    @Test
    void process_parentKnownOnlyFromAWindowsPathWithASlash_namedAfterTheLastBackslash() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(event("s", T0, "process", "start", "child")
                    .set(Field.PARENT_KEY, "gone").set(Field.PARENT_PATH, "C:\\Temp\\<script>alert(1)</script>.exe").build());
            index.refresh();
            assertEquals("<script>alert(1)</script>.exe", index.process("child", 10).orElseThrow().parent().name());
        }
    }

    @Test
    void process_unknownKey_empty() throws IOException {
        try (EndpointIndex index = tree()) {
            assertTrue(index.process("nope", 10).isEmpty());
        }
    }
}
