package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.index.TestEvents.T0;
import static trailhound.index.TestEvents.event;
import static trailhound.index.TestEvents.term;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.AlreadyClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.query.ValuePatternQuery;
import trailhound.query.ValuePatternQuery.Mode;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

class EndpointIndexTest {
    @TempDir
    Path dir;

    private static List<Event> sample() {
        return List.of(
                event("e1", T0 + 1, "process", "start", "p1")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe")
                        .set(Field.COMMAND_LINE, "powershell.exe -enc SQBFAFgA")
                        .set(Field.USER, "CORP\\Alice").set(Field.PID, 4242).build(),
                event("e2", T0 + 2, "network", "connect", "p1")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe")
                        .set(Field.REMOTE_IP, "10.1.2.3").set(Field.REMOTE_PORT, 443)
                        .set(Field.LOCAL_IP, "fe80::1").set(Field.USER, "CORP\\Alice").build(),
                event("e3", T0 + 3, "network", "connect", "p2")
                        .set(Field.PROCESS_PATH, "C:\\Program Files\\Mozilla Firefox\\firefox.exe")
                        .set(Field.REMOTE_IP, "192.168.7.9").set(Field.REMOTE_PORT, 80)
                        .set(Field.USER, "NT AUTHORITY\\SYSTEM").build(),
                event("e4", T0 + 4, "file", "create", "p2")
                        .set(Field.PROCESS_PATH, "C:\\Program Files\\Mozilla Firefox\\firefox.exe")
                        .set(Field.FILE_PATH, "C:\\Users\\alice\\Downloads\\invoice.PS1")
                        .set(Field.USER, "NT AUTHORITY\\SYSTEM").build(),
                event("e5", T0 + 5, "registry", "set_value", "p1")
                        .set(Field.REGISTRY_KEY, "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater")
                        .set(Field.REMOTE_IP, "not-an-ip").build());
    }

    private EndpointIndex filled() throws IOException {
        EndpointIndex index = EndpointIndex.open(dir);
        for (Event e : sample()) index.add(e);
        index.refresh();
        return index;
    }

    private static ValuePatternQuery pattern(Field f, Mode mode, String p) {
        return new ValuePatternQuery(f, mode, p);
    }

    @Test
    void add_sameEventsTwice_indexUnchanged() throws IOException {
        try (EndpointIndex index = filled()) {
            for (Event e : sample()) index.add(e);
            index.commit();
            assertEquals(5, index.count(null));
            assertEquals(5, index.stats().eventCount());
            assertEquals(5, index.distribution(null).total());
        }
    }

    @Test
    void search_readsBackEqualEvents_roundTrip() throws IOException {
        try (EndpointIndex index = filled()) {
            List<Event> expected = new ArrayList<>(sample()).reversed();
            assertEquals(expected, index.search(null, 10, null).events());
        }
    }

    @Test
    void add_nonAsciiValues_readBackExactlyAndMatchInAnyCase() throws IOException {
        Event e = event("Ü1", T0, "file", "create", "p-é")
                .set(Field.FILE_PATH, "C:\\Users\\Zoë\\Desktop\\Ünïcödé 日本語 😀.TXT")
                .set(Field.COMMAND_LINE, "notepad.exe \"ΣΊΣΥΦΟΣ.txt\"")
                .set(Field.USER, "CORP\\Jürgen").build();
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(e);
            index.refresh();
            assertEquals(List.of(e), index.search(null, 10, null).events());
            assertEquals(1, index.count(term(Field.FILE_PATH, "c:\\users\\ZOË\\desktop\\ÜNÏCÖDÉ 日本語 😀.txt")));
            assertEquals(1, index.count(term(Field.USER, "corp\\JÜRGEN")));
            assertEquals(1, index.count(term(Field.EVENT_UID, "ü1")));
            assertEquals(1, index.count(pattern(Field.FILE_PATH, Mode.CONTAINS, "ünïcödé 日本")));
        }
    }

    /*
     * Real input holds unpaired UTF-16 surrogates (NTFS and registry names are arbitrary UTF-16,
     * JSON may escape one). Indexed terms must be encoded exactly like query and delete terms.
     */
    @Test
    void add_unpairedSurrogates_foundByTheirOwnTermsReplacedNotDuplicatedAndDistinctFromQuestionMarks()
            throws IOException {
        Event lone = event("u\uD800", T0, "file", "create", "p1").set(Field.FILE_PATH, "C:\\x\uD800y.txt").build();
        Event question = event("u?", T0 + 1, "file", "create", "p1").set(Field.FILE_PATH, "C:\\x?y.txt").build();
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(lone);
            index.add(lone);
            index.add(question);
            index.refresh();
            assertEquals(2, index.count(null), "re-adding adds nothing; 'u?' is another event");
            assertEquals(1, index.count(term(Field.FILE_PATH, "C:\\x\uD800y.txt")));
            assertEquals(1, index.count(term(Field.EVENT_UID, "u\uD800")));
            assertEquals(1, index.count(term(Field.FILE_PATH, "C:\\x?y.txt")));
            Event readBack = index.search(term(Field.EVENT_UID, "u\uD800"), 1, null).events().getFirst();
            assertEquals("C:\\x\uFFFDy.txt", readBack.get(Field.FILE_PATH), "stored as Lucene stores it: U+FFFD");
        }
    }

    @Test
    void count_keywordEqualsAndPrefix_caseInsensitive() throws IOException {
        try (EndpointIndex index = filled()) {
            assertEquals(2, index.count(term(Field.USER, "corp\\ALICE")));
            assertEquals(2, index.count(new PrefixQuery(new Term(IndexFields.term(Field.PROCESS_PATH), "c:\\program files\\"))));
            assertEquals(1, index.count(term(Field.EVENT_UID, "E3")));
        }
    }

    @Test
    void count_valuePatterns_resolvedThroughDictionary() throws IOException {
        try (EndpointIndex index = filled()) {
            assertEquals(2, index.count(pattern(Field.PROCESS_PATH, Mode.CONTAINS, "powershell")));
            assertEquals(2, index.count(pattern(Field.PROCESS_PATH, Mode.ENDS_WITH, "firefox.exe")));
            // a glob escapes backslashes: this is *\\run\\* as typed
            assertEquals(1, index.count(pattern(Field.REGISTRY_KEY, Mode.WILDCARD, "*\\\\run\\\\*")));
            assertEquals(1, index.count(pattern(Field.REGISTRY_KEY, Mode.WILDCARD, "hklm\\\\*\\\\run\\\\up?ater")));
            assertEquals(1, index.count(pattern(Field.FILE_PATH, Mode.REGEX, ".*\\.ps1")));
            assertEquals(1, index.count(pattern(Field.COMMAND_LINE, Mode.CONTAINS, "-e")), "short literal: every value is a candidate");
            assertEquals(0, index.count(pattern(Field.PROCESS_PATH, Mode.CONTAINS, "notepad")));
        }
    }

    @Test
    void count_containsWithAllTrigramsPresentButApart_verifiedAway() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(event("a", T0, "file", "create", "p").set(Field.FILE_PATH, "/tmp/bcab abc").build());
            index.add(event("b", T0, "file", "create", "p").set(Field.FILE_PATH, "/tmp/xABCABx").build());
            index.refresh();
            // "/tmp/bcab abc" has every trigram of "abcab" (abc, bca, cab) but not the string itself
            assertEquals(List.of("b"), index.search(pattern(Field.FILE_PATH, Mode.CONTAINS, "abcab"), 10, null)
                    .events().stream().map(Event::uid).toList());
        }
    }

    @Test
    void count_patternInsideBooleanWithNot_resolved() throws IOException {
        try (EndpointIndex index = filled()) {
            Query q = new BooleanQuery.Builder()
                    .add(term(Field.TYPE, "network"), Occur.MUST)
                    .add(pattern(Field.PROCESS_PATH, Mode.CONTAINS, "powershell"), Occur.MUST_NOT)
                    .build();
            assertEquals(List.of("e3"), index.search(q, 10, null).events().stream().map(Event::uid).toList());
        }
    }

    @Test
    void count_numberTimeAndIpRanges_usePoints() throws IOException {
        try (EndpointIndex index = filled()) {
            assertEquals(2, index.count(LongPoint.newRangeQuery(IndexFields.point(Field.REMOTE_PORT), 1, 1023)));
            assertEquals(1, index.count(LongPoint.newExactQuery(IndexFields.point(Field.PID), 4242)));
            assertEquals(3, index.count(LongPoint.newRangeQuery(IndexFields.point(Field.TS), T0 + 2, T0 + 4)));
            assertEquals(1, index.count(InetAddressPoint.newPrefixQuery(
                    IndexFields.point(Field.REMOTE_IP), InetAddress.getByName("10.0.0.0"), 8)));
            assertEquals(2, index.count(InetAddressPoint.newPrefixQuery(
                    IndexFields.point(Field.REMOTE_IP), InetAddress.getByName("0.0.0.0"), 0)));
            assertEquals(1, index.count(InetAddressPoint.newExactQuery(
                    IndexFields.point(Field.LOCAL_IP), InetAddress.getByName("fe80::1"))));
            assertEquals(1, index.count(term(Field.REMOTE_IP, "not-an-ip")), "unparsable IP keeps its term");
        }
    }

    @Test
    void count_negation_excludesMatches() throws IOException {
        try (EndpointIndex index = filled()) {
            Query q = new BooleanQuery.Builder()
                    .add(new MatchAllDocsQuery(), Occur.MUST)
                    .add(term(Field.USER, "nt authority\\system"), Occur.MUST_NOT)
                    .build();
            assertEquals(3, index.count(q));
        }
    }

    @Test
    void search_keysetPages_equalOneBigPage() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            for (int i = 0; i < 95; i++) {
                // several events share a ts, so event_uid must break ties
                index.add(event("u" + i, T0 + i / 4, "file", "create", "p" + i % 3).build());
            }
            index.refresh();
            EventPage all = index.search(null, 1000, null);
            assertEquals(95, all.total());
            assertNull(all.next());
            List<Event> paged = new ArrayList<>();
            PageCursor cursor = null;
            int pages = 0;
            do {
                EventPage page = index.search(null, 10, cursor == null ? null : PageCursor.parse(cursor.toString()));
                assertEquals(95, page.total());
                paged.addAll(page.events());
                cursor = page.next();
                pages++;
            } while (cursor != null);
            assertEquals(10, pages);
            assertEquals(all.events(), paged);
            assertTrue(all.events().getFirst().ts() >= all.events().getLast().ts(), "newest first");
        }
    }

    /*
     * The index is not sorted: newest-first pages search windows of recent time (NewestFirst).
     * Events added in shuffled time order over several segments, with ties, most in one burst and a
     * few far apart (so the first windows, sized as if times were even, hold too few), must page
     * exactly like the order computed here.
     */
    @Test
    void search_shuffledUnevenTimesOverSegments_pagesInExactNewestFirstOrder() throws IOException {
        List<Event> events = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 30_000; i++) {
            long ts = i % 1_000 == 0 ? T0 + 1_000_000_000L * random.nextInt(30) : T0 + random.nextInt(20_000);
            events.add(event(String.format("u%05d", i), ts, "file", "create", "p" + i % 7).build());
        }
        List<Event> expected = new ArrayList<>(events);
        expected.sort(java.util.Comparator.comparingLong(Event::ts).reversed().thenComparing(Event::uid));
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            for (int i = 0; i < events.size(); i++) {
                index.add(events.get(i));
                if (i % 7_000 == 6_999) index.commit(); // several segments
            }
            index.refresh();
            EventPage first = index.search(null, 50, null);
            assertEquals(30_000, first.total());
            assertEquals(expected.subList(0, 50), first.events());
            List<Event> paged = new ArrayList<>(first.events());
            PageCursor cursor = first.next();
            while (cursor != null) {
                EventPage page = index.search(null, 1_000, cursor);
                paged.addAll(page.events());
                cursor = page.next();
            }
            assertEquals(expected, paged);
            Query files = term(Field.PROCESS_KEY, "p3");
            List<Event> p3 = expected.stream().filter(e -> e.get(Field.PROCESS_KEY).equals("p3")).toList();
            assertEquals(p3.subList(0, 20), index.search(files, 20, null).events());
        }
    }

    @Test
    void distribution_wholeIndexAndUnderQuery_countsPerTypeAndOperation() throws IOException {
        try (EndpointIndex index = filled()) {
            Distribution all = index.distribution(null);
            assertEquals(5, all.total());
            assertEquals(Map.of("network", 2L, "process", 1L, "file", 1L, "registry", 1L), all.types());
            assertEquals("network", all.types().keySet().iterator().next(), "sorted by count");
            assertEquals(Map.of("network/connect", 2L, "process/start", 1L, "file/create", 1L, "registry/set_value", 1L),
                    all.operations());
            Distribution p1 = index.distribution(term(Field.PROCESS_KEY, "p1"));
            assertEquals(3, p1.total());
            assertEquals(Map.of("network", 1L, "process", 1L, "registry", 1L), p1.types());
            assertEquals(all, index.distribution(new MatchAllDocsQuery()));
        }
    }

    @Test
    void add_uidAlreadyIndexed_firstEventKept() throws IOException {
        try (EndpointIndex index = filled()) {
            index.commit();
            assertFalse(index.add(event("e3", T0 + 3, "dns", "query", "p2").build()), "e3 is indexed: the first one stays");
            index.commit();
            Distribution d = index.distribution(null);
            assertEquals(5, d.total());
            assertEquals(2L, d.types().get("network"));
            assertNull(d.operations().get("dns/query"));
        }
    }

    @Test
    void deleteSource_removesOnlyItsEvents_andTheyCanBeAddedAgain() throws IOException {
        try (EndpointIndex index = filled()) {
            assertTrue(index.add(event("n1", T0 + 10, "dns", "query", "p2").set(Field.SOURCE, "s2").build()));
            assertTrue(index.add(event("n2", T0 + 11, "dns", "query", "p2").set(Field.SOURCE, "S2").build()));
            assertFalse(index.add(event("e1", T0 + 12, "dns", "query", "p2").set(Field.SOURCE, "s2").build()),
                    "e1 belongs to the source that added it first");
            index.commit();
            assertEquals(2, index.countSource("s2"));
            assertEquals(7, index.count(null));

            index.deleteSource("s2");
            assertEquals(0, index.countSource("s2"));
            assertEquals(5, index.count(null));
            assertEquals(5, index.distribution(null).total());
            assertTrue(index.add(event("n1", T0 + 10, "dns", "query", "p2").set(Field.SOURCE, "s3").build()),
                    "a removed uid is new again");
            index.commit();
            assertEquals(1, index.countSource("s3"));
        }
    }

    @Test
    void open_afterCommit_reopensWithEventsAndDictionary() throws IOException {
        try (EndpointIndex index = filled()) {
            index.commit();
        }
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            assertEquals(5, index.count(null));
            assertEquals(2, index.count(pattern(Field.PROCESS_PATH, Mode.CONTAINS, "powershell")));
            index.add(event("e6", T0 + 6, "file", "create", "p3")
                    .set(Field.FILE_PATH, "C:\\Users\\alice\\Downloads\\invoice.ps1").build());
            index.refresh();
            assertEquals(2, index.count(pattern(Field.FILE_PATH, Mode.ENDS_WITH, ".ps1")));
        }
    }

    @Test
    void close_withoutCommit_keepsAddedEvents() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            for (Event e : sample()) index.add(e);
        }
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            assertEquals(5, index.count(null));
        }
    }

    @Test
    void stats_reportsCountTimesAndSize() throws IOException {
        try (EndpointIndex index = filled()) {
            index.commit();
            IndexStats stats = index.stats();
            assertEquals(5, stats.eventCount());
            assertEquals(T0 + 1, stats.firstTs());
            assertEquals(T0 + 5, stats.lastTs());
            assertTrue(stats.sizeOnDisk() > 0);
        }
        try (EndpointIndex empty = EndpointIndex.open(dir.resolve("empty"))) {
            IndexStats stats = empty.stats();
            assertEquals(0, stats.eventCount());
            assertNull(stats.firstTs());
        }
    }

    @Test
    void add_fromSeveralThreads_allEventsIndexed() throws Exception {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        // threads overlap on half of the uids, so dedup is exercised concurrently too
                        int n = thread % 2 * 1000 + i;
                        index.add(event("c" + n, T0 + n, "file", "create", "p" + n % 7)
                                .set(Field.FILE_PATH, "C:\\temp\\f" + n % 50 + ".txt").build());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            pool.shutdown();
            index.commit();
            assertEquals(3000, index.count(null));
            assertEquals(60, index.count(pattern(Field.FILE_PATH, Mode.ENDS_WITH, "\\f7.txt")));
        }
    }

    @Test
    void add_sameUidsFromManyThreadsAtOnce_eachEventOnce() throws Exception {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            int threads = 8;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 500; i++) {
                        // upper and lower case: uids are case-insensitive like every term
                        String uid = (i % 2 == 0 ? "S" : "s") + i;
                        index.add(event(uid, T0 + i, "file", "create", "p" + i % 3).build());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            pool.shutdown();
            index.commit();
            assertEquals(500, index.count(null));
        }
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            for (int i = 0; i < 500; i++) index.add(event("s" + i, T0 + i, "file", "create", "p").build());
            index.commit();
            assertEquals(500, index.count(null), "re-adding after a reopen adds nothing, the uids are known from the index");
        }
    }

    @Test
    void search_afterClose_fails() throws IOException {
        EndpointIndex index = filled();
        index.close();
        assertThrows(AlreadyClosedException.class, () -> index.count(null));
    }

    @Test
    void search_zeroLimit_rejected() throws IOException {
        try (EndpointIndex index = filled()) {
            assertThrows(IllegalArgumentException.class, () -> index.search(null, 0, null));
        }
    }
}
