package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.index.TestEvents.T0;
import static trailhound.index.TestEvents.event;
import static trailhound.index.TestEvents.term;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.query.QueryLanguage;
import trailhound.query.ValuePatternQuery;
import trailhound.query.ValuePatternQuery.Mode;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/** Process fields live once per variant; queries and reads must behave as if they were on every event. */
class ProcessVariantsTest {
    @TempDir
    Path dir;

    /*
     * One process (p1) whose events disagree: the start event has the full command line, a later
     * network event only the path, a third carries a different command line (as Sysmon can). An
     * event without any process field, and a second process sharing nothing with the first.
     */
    private static List<Event> events() {
        return List.of(
                event("a", T0 + 1, "process", "start", "p1")
                        .set(Field.PROCESS_PATH, "C:\\Tools\\Run.exe").set(Field.CWD, "C:\\Tools").set(Field.COMMAND_LINE, "Run.exe -first")
                        .set(Field.USER, "CORP\\Alice").set(Field.PID, 10).build(),
                event("b", T0 + 2, "network", "connect", "p1")
                        .set(Field.PROCESS_PATH, "C:\\Tools\\Run.exe").set(Field.CWD, "C:\\Tools").set(Field.REMOTE_PORT, 443).build(),
                event("c", T0 + 3, "file", "create", "p1")
                        .set(Field.PROCESS_PATH, "C:\\Tools\\Run.exe").set(Field.CWD, "C:\\Tools").set(Field.COMMAND_LINE, "Run.exe -second")
                        .set(Field.USER, "CORP\\Alice").set(Field.PID, 10).set(Field.FILE_PATH, "C:\\x.txt").build(),
                event("d", T0 + 4, "logon", "success", null).set(Field.TARGET_USER, "bob").build(),
                event("e", T0 + 5, "process", "start", "p2")
                        .set(Field.PROCESS_PATH, "/usr/bin/curl").set(Field.CWD, "/home/x").set(Field.COMMAND_LINE, "curl -first")
                        .set(Field.USER, "root").set(Field.PID, 11).set(Field.PARENT_KEY, "p1").build());
    }

    private EndpointIndex filled() throws IOException {
        EndpointIndex index = EndpointIndex.open(dir);
        index.addAll(events());
        index.commit();
        return index;
    }

    private static String uids(EndpointIndex index, org.apache.lucene.search.Query q) throws IOException {
        return index.search(q, 100, null).events().stream().map(Event::uid).sorted().collect(Collectors.joining());
    }

    @Test
    void everyOperandOnAProcessFieldMatchesExactlyTheEventsThatHadTheValue() throws IOException {
        try (EndpointIndex index = filled()) {
            assertEquals("ac", uids(index, term(Field.USER, "corp\\ALICE")));
            assertEquals("abc", uids(index, term(Field.CWD, "c:\\TOOLS")));
            assertEquals("abc", uids(index, term(Field.PROCESS_PATH, "c:\\tools\\run.exe")), "path is on the event itself");
            assertEquals("c", uids(index, term(Field.COMMAND_LINE, "run.exe -second")));
            assertEquals("abce", uids(index, new PrefixQuery(new Term(IndexFields.term(Field.CWD), ""))));
            assertEquals("ae", uids(index, new ValuePatternQuery(Field.COMMAND_LINE, Mode.CONTAINS, "-first")));
            assertEquals("e", uids(index, org.apache.lucene.document.LongPoint.newRangeQuery(
                    IndexFields.point(Field.PID), 11, 20)));
            assertEquals("e", uids(index, term(Field.PARENT_KEY, "P1")));
            assertEquals("", uids(index, term(Field.USER, "nobody")));
        }
    }

    @Test
    void negationAndMixedClausesKeepEventsWithoutAProcess() throws IOException {
        try (EndpointIndex index = filled()) {
            BooleanQuery notAlice = new BooleanQuery.Builder()
                    .add(new MatchAllDocsQuery(), Occur.MUST)
                    .add(term(Field.USER, "corp\\alice"), Occur.MUST_NOT).build();
            assertEquals("bde", uids(index, notAlice));
            BooleanQuery fileByRun = new BooleanQuery.Builder()
                    .add(term(Field.TYPE, "file"), Occur.FILTER)
                    .add(term(Field.CWD, "c:\\tools"), Occur.FILTER).build();
            assertEquals("c", uids(index, fileByRun));
            assertEquals(1, index.count(QueryLanguage.parse("command_line:*first* AND NOT pid:11")));
            assertEquals(2, index.count(QueryLanguage.parse("target_user:bob OR command_line:*second*")));
        }
    }

    @Test
    void eventsReadBackWithTheirOwnValuesOnly() throws IOException {
        try (EndpointIndex index = filled()) {
            Map<String, Event> byUid = index.search(null, 100, null).events().stream()
                    .collect(Collectors.toMap(Event::uid, e -> e));
            for (Event written : events()) {
                assertEquals(written, byUid.get(written.uid()), "event " + written.uid() + " read back as written");
            }
            assertNull(byUid.get("b").get(Field.COMMAND_LINE), "no value borrowed from another event of the process");
        }
    }

    @Test
    void variantsSurviveReopenAndReingestAddsNothing() throws IOException {
        try (EndpointIndex index = filled()) {
            assertEquals(5, index.count(null));
        }
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            assertEquals("ac", uids(index, term(Field.USER, "corp\\alice")));
            assertEquals(3, index.count(term(Field.CWD, "c:\\tools")), "count from document frequencies");
            assertEquals(3, index.count(new PrefixQuery(new Term(IndexFields.term(Field.PROCESS_PATH), "c:\\tools\\"))));
            index.addAll(events());
            index.commit();
            assertEquals(5, index.count(null));
            assertEquals(3, index.count(term(Field.CWD, "c:\\tools")), "count with replaced events in the segments");
            assertEquals(3, index.count(new PrefixQuery(new Term(IndexFields.term(Field.PROCESS_PATH), "c:\\tools\\"))));
            assertEquals("c", uids(index, term(Field.COMMAND_LINE, "run.exe -second")));
        }
    }

    @Test
    void processViewFindsChildrenThroughTheirVariants() throws IOException {
        try (EndpointIndex index = filled()) {
            ProcessView view = index.process("p1", 10).orElseThrow();
            assertEquals(List.of("p2"), view.children().stream().map(ProcessInfo::key).toList());
            assertEquals("Run.exe -first", view.process().commandLine());
            assertEquals(3, view.historyTotal());
        }
    }

    /*
     * A clause on process fields led by one with few events checks each led event's variant number
     * (VariantSetQuery); led by a broad one, or leading, it reads the variants' postings. Both must
     * give what the events had: here 400 events, a few process starts among many file events, users
     * taking turns, and events without any process field (a NOT keeps them). Half the events are
     * written after a reopen, so their variants are numbered after the first half's.
     */
    @Test
    void aSetOfVariantsMatchesTheSameEventsWhicheverClauseLeads() throws IOException {
        String[] users = {"CORP\\Alice", "CORP\\Bob", "root", null};
        List<Event> all = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean start = i % 10 == 3; // a tenth: below an eighth of a segment, so the lead for a check per event
            Event.Builder b = event("u" + i, T0 + i, start ? "process" : "file", start ? "start" : "create", "p" + (i % 13));
            String user = users[(i / 7) % users.length];
            if (user != null) b.set(Field.USER, user).set(Field.COMMAND_LINE, "run " + (i % 13));
            all.add(b.build());
        }
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.addAll(all.subList(0, 200));
            index.commit();
        }
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.addAll(all.subList(200, 400));
            index.commit();
            for (String query : List.of("type:process AND NOT user:\"CORP\\\\Alice\"", "type:process AND user:\"CORP\\\\Alice\"",
                    "type:file AND NOT user:\"CORP\\\\Alice\"", "type:file AND user:root", "NOT user:root",
                    "type:process AND NOT command_line:\"run 0\" AND NOT user:root", "type:process AND NOT user:nobody")) {
                java.util.function.Predicate<Event> expected = expected(query);
                String want = all.stream().filter(expected).map(Event::uid).sorted().collect(Collectors.joining(","));
                String got = index.search(QueryLanguage.parse(query), 1000, null).events().stream().map(Event::uid).sorted()
                        .collect(Collectors.joining(","));
                assertEquals(want, got, query);
                assertEquals(all.stream().filter(expected).count(), index.count(QueryLanguage.parse(query)), "count of " + query);
            }
        }
    }

    /*
     * One thread writes two indexes event by event, as a live indexing lane does for its endpoints, with
     * the very same String instances (a thread's memos are shared by its indexes): each index must still
     * get every value into its own dictionary and number its variants itself. B numbers other processes
     * first, so a number memoised for A is wrong for B.
     */
    @Test
    void indexesWrittenByOneThreadKeepTheirOwnValuesAndVariantNumbers() throws IOException {
        String[] keys = new String[13];
        String[] commands = new String[13];
        String[] files = new String[5];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "p" + i;
            commands[i] = "run " + i;
        }
        for (int i = 0; i < files.length; i++) files[i] = "C:\\Data\\file" + i + ".txt";
        String[] users = {"CORP\\Alice", "CORP\\Bob", "root", null};
        List<Event> onlyB = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            onlyB.add(event("q" + i, T0 + i, "process", "start", "q" + (i % 5)).set(Field.USER, "CORP\\Carol")
                    .set(Field.COMMAND_LINE, "other " + (i % 5)).build());
        }
        List<Event> shared = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean start = i % 10 == 3;
            Event.Builder b = event("u" + i, T0 + 100 + i, start ? "process" : "file", start ? "start" : "create", keys[i % 13]);
            String user = users[(i / 7) % users.length];
            if (user != null) b.set(Field.USER, user).set(Field.COMMAND_LINE, commands[i % 13]);
            if (!start) b.set(Field.FILE_PATH, files[i % 5]);
            shared.add(b.build());
        }
        try (EndpointIndex a = EndpointIndex.open(dir.resolve("a")); EndpointIndex b = EndpointIndex.open(dir.resolve("b"))) {
            b.addAll(onlyB);
            for (Event e : shared) {
                a.add(e);
                b.add(e);
            }
            a.commit();
            b.commit();
            List<Event> inB = new java.util.ArrayList<>(onlyB);
            inB.addAll(shared);
            for (var index : Map.of("a", Map.entry(a, shared), "b", Map.entry(b, inB)).entrySet()) {
                EndpointIndex in = index.getValue().getKey();
                List<Event> events = index.getValue().getValue();
                for (String query : List.of("type:process AND NOT user:\"CORP\\\\Alice\"", "type:process AND user:\"CORP\\\\Alice\"",
                        "type:file AND user:root", "NOT user:root", "type:process AND NOT user:nobody")) {
                    java.util.function.Predicate<Event> expected = expected(query);
                    String want = events.stream().filter(expected).map(Event::uid).sorted().collect(Collectors.joining(","));
                    String got = in.search(QueryLanguage.parse(query), 1000, null).events().stream().map(Event::uid).sorted()
                            .collect(Collectors.joining(","));
                    assertEquals(want, got, index.getKey() + ": " + query);
                }
                // found only through the index's own dictionary
                assertEquals(40, in.count(new ValuePatternQuery(Field.FILE_PATH, Mode.CONTAINS, "file3")), index.getKey());
                assertEquals(events.stream().filter(e -> "run 4".equals(e.get(Field.COMMAND_LINE))).count(),
                        in.count(new ValuePatternQuery(Field.COMMAND_LINE, Mode.ENDS_WITH, "n 4")), index.getKey());
            }
        }
    }

    /** The queries of the test above, written as predicates on the events. */
    private static java.util.function.Predicate<Event> expected(String query) {
        java.util.function.Predicate<Event> process = e -> e.type().equals("process");
        java.util.function.Predicate<Event> file = e -> e.type().equals("file");
        java.util.function.Function<String, java.util.function.Predicate<Event>> user = u -> e -> u.equalsIgnoreCase(e.get(Field.USER));
        return switch (query) {
            case "type:process AND NOT user:\"CORP\\\\Alice\"" -> process.and(user.apply("corp\\alice").negate());
            case "type:process AND user:\"CORP\\\\Alice\"" -> process.and(user.apply("corp\\alice"));
            case "type:file AND NOT user:\"CORP\\\\Alice\"" -> file.and(user.apply("corp\\alice").negate());
            case "type:file AND user:root" -> file.and(user.apply("root"));
            case "NOT user:root" -> user.apply("root").negate();
            case "type:process AND NOT command_line:\"run 0\" AND NOT user:root" ->
                    process.and(e -> !"run 0".equals(e.get(Field.COMMAND_LINE))).and(user.apply("root").negate());
            case "type:process AND NOT user:nobody" -> process;
            default -> throw new IllegalArgumentException(query);
        };
    }

    @Test
    void theTimeFieldHasNoTermButExistsAndRangesStillWork() throws IOException {
        try (EndpointIndex index = filled()) {
            assertEquals(5, index.count(QueryLanguage.parse("ts:*")));
            assertEquals(2, index.count(org.apache.lucene.document.LongPoint.newRangeQuery(
                    IndexFields.point(Field.TS), T0 + 2, T0 + 3)));
        }
    }

    @Test
    void sameValuesGiveTheSameIdAndAnyDifferenceAnother() {
        var sha = ProcessVariants.sha256();
        byte[][] scratch = {new byte[4]};
        Event one = event("x", T0, "process", "start", "k").set(Field.COMMAND_LINE, "ab").set(Field.USER, "c").build();
        Event same = event("y", T0 + 9, "file", "create", "k").set(Field.COMMAND_LINE, "ab").set(Field.USER, "c").build();
        Event shifted = event("z", T0, "process", "start", "k").set(Field.COMMAND_LINE, "a").set(Field.USER, "bc").build();
        BytesRef id = ProcessVariants.id(one, sha, scratch);
        assertEquals(ProcessVariants.ID_BYTES, id.length);
        assertEquals(id, ProcessVariants.id(same, sha, scratch));
        assertTrue(!id.equals(ProcessVariants.id(shifted, sha, scratch)), "values moved between fields: another variant");
        assertNull(ProcessVariants.id(event("w", T0, "logon", "success", "k").build(), sha, scratch));
    }

    @Test
    void anIndexOfAnOlderFormatIsRefusedWithWhatToDo() throws IOException {
        Path old = dir.resolve("old");
        try (IndexWriter w = new IndexWriter(FSDirectory.open(Files.createDirectories(old.resolve("events"))), new IndexWriterConfig())) {
            Document doc = new Document();
            doc.add(new StringField("event_uid", "r1", org.apache.lucene.document.Field.Store.NO));
            w.addDocument(doc);
        }
        IOException e = assertThrows(IOException.class, () -> EndpointIndex.open(old));
        assertTrue(e instanceof IndexFormatException f && f.found() == 1, e.toString());
        assertTrue(e.getMessage().contains("format 1") && e.getMessage().contains("bin/trailhound reindex"), e.getMessage());

        Path future = dir.resolve("future");
        Files.createDirectories(future);
        Files.writeString(future.resolve("FORMAT"), "99\n");
        e = assertThrows(IOException.class, () -> EndpointIndex.open(future));
        assertTrue(e.getMessage().contains("format 99"), e.getMessage());
    }
}
