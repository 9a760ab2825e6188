package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Offset pages in every sortable order: together they hold each matching event exactly once, in
 * the order asked for, with ties (many events of one type, of one time, without a process key)
 * broken the same way on every page.
 */
class SortedPagesTest {
    @TempDir
    Path dir;

    private static final String[] TYPES = {"file", "network", "dns", "registry", "process"};

    private EndpointIndex indexed() throws Exception {
        EndpointIndex index = EndpointIndex.open(dir);
        for (int i = 0; i < 97; i++) {
            // every third event shares its time with the one before; every seventh has no process key
            long ts = TestEvents.T0 + 1000L * (i - i / 3);
            Event.Builder b = TestEvents.event("u" + i, ts, TYPES[i % TYPES.length], "op" + (i % 2), i % 7 == 0 ? null : "p" + (i % 4));
            // names in mixed case (sorted case-insensitively), numbers beyond one digit (sorted as numbers)
            if (i % 5 != 0) b.set(Field.PROCESS_NAME, (i % 3 == 0 ? "Svchost.exe" : i % 3 == 1 ? "cmd.exe" : "WINWORD.EXE"));
            if (i % 6 != 0) b.set(Field.PID, 4 + (i * 37) % 1000);
            if (i % 2 == 0) b.set(Field.REMOTE_PORT, (i * 13) % 70_000);
            index.add(b.build());
        }
        index.commit();
        return index;
    }

    /** Exports read batch after batch with the last hit as cursor: more than two batches equal one page of it all. */
    @Test
    void export_overSeveralBatches_sameOrderAsOnePage_eachEventOnce() throws Exception {
        int n = 2 * EndpointIndex.EXPORT_BATCH + 123;
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            for (int i = 0; i < n; i++) {
                // few distinct times and pids: ties everywhere, broken only by time and event_uid
                Event.Builder b = TestEvents.event("u" + i, TestEvents.T0 + 1000L * (i % 50), TYPES[i % TYPES.length], "op", "p" + (i % 9));
                if (i % 4 != 0) b.set(Field.PID, i % 17);
                index.add(b.build());
            }
            index.commit();
            for (String text : List.of("-ts", "ts", "pid", "-pid", "type")) {
                EventSort sort = EventSort.parse(text);
                List<String> exported = new ArrayList<>();
                assertEquals(n, index.export(null, sort, Long.MAX_VALUE, e -> exported.add(e.uid())), text);
                assertEquals(index.page(null, sort, 0, n).events().stream().map(Event::uid).toList(), exported, text);
                List<String> some = new ArrayList<>();
                assertEquals(EndpointIndex.EXPORT_BATCH + 1, index.export(null, sort, EndpointIndex.EXPORT_BATCH + 1, e -> some.add(e.uid())));
                assertEquals(exported.subList(0, EndpointIndex.EXPORT_BATCH + 1), some, text + ": the first max of them");
            }
            assertThrows(IllegalArgumentException.class, () -> index.export(null, EventSort.NEWEST_FIRST, -1, e -> { }));
        }
    }

    @Test
    void page_everySortBothWays_coversTheSetOnceInOrder() throws Exception {
        try (EndpointIndex index = indexed()) {
            for (String text : List.of("-ts", "ts", "type", "-type", "process_key", "-process_key", "event_uid", "-event_uid",
                    "process_name", "-process_name", "pid", "-pid", "remote_port", "-remote_port")) {
                EventSort sort = EventSort.parse(text);
                List<Event> all = new ArrayList<>();
                for (int offset = 0; ; offset += 10) {
                    EventPage page = index.page(null, sort, offset, 10);
                    assertEquals(97, page.total());
                    all.addAll(page.events());
                    if (page.events().size() < 10 || offset + 10 >= 97) break;
                }
                assertEquals(97, all.size(), text);
                assertEquals(97, new HashSet<>(all.stream().map(Event::uid).toList()).size(), text + ": no event twice");
                Field f = sort.field();
                Comparator<Event> byValue = switch (f) {
                    case TS -> Comparator.comparingLong(Event::ts);
                    case TYPE -> Comparator.comparing(e -> e.type() + "/" + e.operation());
                    case EVENT_UID -> Comparator.comparing(Event::uid);
                    case PID, REMOTE_PORT -> Comparator.comparing(e -> Long.valueOf(e.get(f)));
                    default -> Comparator.comparing(e -> e.get(f).toLowerCase(java.util.Locale.ROOT));
                };
                Comparator<Event> value = sort.descending() ? byValue.reversed() : byValue;
                // events without the field come last, whichever the direction
                Comparator<Event> key = (a, b) -> a.has(f) && b.has(f) ? value.compare(a, b) : Boolean.compare(!a.has(f), !b.has(f));
                for (int i = 1; i < all.size(); i++) {
                    Event a = all.get(i - 1), b = all.get(i);
                    assertTrue(key.compare(a, b) <= 0, text + " out of order at " + i + ": " + a + " then " + b);
                    if (f != Field.TS && f != Field.EVENT_UID && key.compare(a, b) == 0) {
                        assertTrue(a.ts() >= b.ts(), text + ": equal values newest first at " + i);
                    }
                }
            }
        }
    }

    @Test
    void page_newestFirst_equalsTheCursorPagesAndReversesOldestFirst() throws Exception {
        try (EndpointIndex index = indexed()) {
            List<String> byCursor = new ArrayList<>();
            PageCursor after = null;
            do {
                EventPage p = index.search(null, 13, after);
                p.events().forEach(e -> byCursor.add(e.uid()));
                after = p.next();
            } while (after != null);
            List<String> byOffset = new ArrayList<>();
            for (int offset = 0; offset < 97; offset += 13) {
                index.page(null, EventSort.NEWEST_FIRST, offset, 13).events().forEach(e -> byOffset.add(e.uid()));
            }
            assertEquals(byCursor, byOffset);
            List<String> oldest = new ArrayList<>(index.page(null, EventSort.parse("ts"), 0, 100).events().stream().map(Event::uid).toList());
            java.util.Collections.reverse(oldest);
            assertEquals(byCursor, oldest, "oldest first is exactly newest first reversed");
        }
    }

    @Test
    void page_pastTheLast_emptyWithTotal() throws Exception {
        try (EndpointIndex index = indexed()) {
            EventPage p = index.page(TestEvents.term(Field.TYPE, "dns"), EventSort.parse("-type"), 500, 50);
            assertEquals(0, p.events().size());
            assertEquals(19, p.total());
            assertNull(p.next());
        }
    }

    @Test
    void parse_unknownOrUnsortable_namesTheSortableFields() {
        assertEquals(EventSort.NEWEST_FIRST, EventSort.parse(""));
        assertEquals("-process_key", EventSort.parse(" -PROCESS_KEY ").toString());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> EventSort.parse("-nosuch"));
        assertTrue(unknown.getMessage().contains("'nosuch'") && unknown.getMessage().contains("ts, type"), unknown.getMessage());
        IllegalArgumentException unsortable = assertThrows(IllegalArgumentException.class, () -> EventSort.parse("command_line"));
        assertTrue(unsortable.getMessage().contains("'command_line'"), unsortable.getMessage());
    }

    @Test
    void page_sortFieldWithoutDocValuesInASegment_refusedAskingForReindex() throws Exception {
        indexed().close();
        // a segment as an older version wrote it: the process name's term, no doc values to sort it by
        try (var writer = new org.apache.lucene.index.IndexWriter(org.apache.lucene.store.FSDirectory.open(dir.resolve("events")),
                new org.apache.lucene.index.IndexWriterConfig())) {
            var doc = new org.apache.lucene.document.Document();
            doc.add(new org.apache.lucene.document.StringField(trailhound.query.IndexFields.term(Field.PROCESS_NAME), "old.exe",
                    org.apache.lucene.document.Field.Store.NO));
            writer.addDocument(doc);
        }
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> index.page(null, EventSort.parse("process_name"), 0, 10));
            assertTrue(e.getMessage().contains("re-index") && e.getMessage().contains("process_name"), e.getMessage());
            assertEquals(10, index.page(null, EventSort.parse("-pid"), 0, 10).events().size(), "a field with no old events still sorts");
        }
    }

    @Test
    void page_beyondTheDepth_refused() throws Exception {
        try (EndpointIndex index = indexed()) {
            assertThrows(IllegalArgumentException.class, () -> index.page(null, EventSort.NEWEST_FIRST, EventSort.MAX_DEPTH, 1));
            assertThrows(IllegalArgumentException.class, () -> index.page(null, EventSort.NEWEST_FIRST, -1, 10));
        }
    }
}
