package trailhound.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import trailhound.index.Distribution;
import trailhound.index.EventIndex;
import trailhound.index.EventSort;
import trailhound.index.HuntCursor;
import trailhound.index.HuntHit;
import trailhound.index.HuntResult;
import trailhound.index.IndexBackend;
import trailhound.index.Indexes;
import trailhound.index.PageCursor;
import trailhound.index.ProcessNode;
import trailhound.opensearch.node.OpenSearchNode;
import trailhound.opensearch.node.OpenSearchNodeExtension;
import trailhound.query.QueryLanguage;
import trailhound.recorder.RecorderReader;
import trailhound.samples.SampleGenerator;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.telemetry.TelemetryImport;

/**
 * The same events in both backends (the local per-endpoint Lucene indexes and one OpenSearch index on
 * the test run's node), the same queries on both, and identical answers: counts, first pages newest
 * first and the pages after them (search_after), distributions, process histories and children, and
 * hunts over every endpoint. The events: generated endpoints (samples, with their attack stories) and,
 * when the shared datasets are there, real Sysmon, Security and auditd telemetry.
 */
@ExtendWith(OpenSearchNodeExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialTest {
    /**
     * Every operand on every field kind, aliases, precedence, free text. A query marked with a leading
     * "+" must match something on the generated endpoints, so the comparison is not of two zeros.
     */
    static final List<String> QUERIES = List.of(
            "+", // empty: every event
            // id fields: equals, starts-with, exists, groups
            "+type:process", "+operation:start", "+type:(process OR file)", "+operation:cre*", "+process_key:*",
            "type:PROCESS", "NOT type:process", "+-type:network",
            // keyword: equals, contains, starts-with, ends-with, glob, regex, range, exists
            "+process_name:powershell.exe", "+process_name:POWERSHELL.EXE", "+command_line:*-enc*",
            "+process_path:c\\:\\\\windows*", "file_path:*.ps1", "+path:*.dll", "+process_name:p?wer*.exe",
            "+file_path:/.*\\.(ps1|bat|exe)/", "+user:[a TO m]", "+user:{corp TO corp\\\\z}", "+command_line:*",
            "registry_key:*\\\\run\\\\*", "+registry_key:*\\\\run", "+dns_query:*.com", "+process_path:*/bin/*", "command_line:\"\\\"quoted\\\"\"",
            "+user:/corp\\\\.*/", "+process_name:/[a-z]+\\.exe/", "command_line:/.*\\d{4,}.*/",
            // numbers: equals, ranges, comparisons, starts-with
            "+remote_port:443", "+remote_port:[1 TO 1023]", "+remote_port:>1000", "+remote_port:{80 TO 443}",
            "+pid:1*", "+local_port:>=49152", "+pid:[* TO 1000]", "pid:<0",
            // IP: equals, CIDR, ranges, starts-with, v6
            "+remote_ip:10.0.0.0/8", "+ip:192.168.0.0/16", "+remote_ip:[10.0.0.1 TO 10.255.255.255]", "+remote_ip:10.*",
            "+local_ip:10.10.1.21", "remote_ip:fe80::/10", "+remote_ip:>100.0.0.0", "+NOT remote_ip:10.0.0.0/8 AND type:network",
            // time
            "+ts:[2026-11-15 TO 2026-11-17]", "+ts:>2026-11-18T12:00", "+ts:*", "+ts:{2026-11-13 TO 2026-11-19}",
            "+ts:<1763510400000",
            // aliases
            "+hash:*", "+path:*\\\\temp\\\\*", "+key_value:*run*", "+port:443",
            // precedence and negation
            "+type:process AND user:*system* OR type:dns AND NOT dns_query:*microsoft*",
            "+(type:process OR type:network) AND NOT (user:*system* OR remote_port:443)",
            "+type:network AND remote_port:443 OR remote_port:80",
            // free text
            "+powershell", "+\"cmd.exe /c\"", "+*.ps1", "+mimikatz OR rundll32", "+svchost AND NOT user:system",
            "invoke-*", "+corp*", "/.*lsass.*/");

    private Path dir;
    private Indexes local;
    private OpenSearchBackend backend;
    private OpenSearchEvents remote;
    private final List<String> endpoints = new ArrayList<>();

    @BeforeAll
    void load(OpenSearchNode node) throws IOException {
        dir = Files.createTempDirectory("trailhound-differential-");
        Map<String, List<Event>> byEndpoint = new LinkedHashMap<>();
        for (Path db : SampleGenerator.generate(dir.resolve("samples"), 4, 24_000, 18, n -> {})) {
            try (RecorderReader reader = RecorderReader.open(db)) {
                List<Event> events = new ArrayList<>();
                reader.read("s1", events::add);
                byEndpoint.put(events.getFirst().get(Field.ENDPOINT), events);
            }
        }
        realTelemetry(byEndpoint);
        local = new Indexes(dir.resolve("endpoints"), 16);
        backend = OpenSearchBackend.open(OpenSearchConnection.of(node.url()), "differential", 2);
        remote = backend.events();
        for (Map.Entry<String, List<Event>> e : byEndpoint.entrySet()) {
            endpoints.add(e.getKey());
            for (IndexBackend b : List.of(local, backend)) {
                try (IndexBackend.Lease lease = b.acquireOrCreate(e.getKey())) {
                    lease.index().addAll(e.getValue());
                    lease.index().commit();
                }
            }
        }
    }

    /** Real telemetry, when the shared datasets are there (else only the generated endpoints). */
    private static void realTelemetry(Map<String, List<Event>> byEndpoint) {
        Path root = Path.of(System.getProperty("TRAILHOUND_DATASETS", System.getenv().getOrDefault("TRAILHOUND_DATASETS",
                Path.of(System.getProperty("trailhound.root", "."), "..", "shared", "datasets").toString())));
        if (!Files.isDirectory(root)) {
            System.err.println("DifferentialTest: datasets folder " + root + " is absent; generated endpoints only");
            return;
        }
        Map<String, List<String>> files = Map.of(
                "REAL-WIN", List.of("evtx/sysmon.evtx", "evtx/security.evtx", "otrf/cmd_psexec_lsa_secrets_dump.zip",
                        "otrf/psh_mavinject_dll_notepad.zip", "otrf/cmd_bitsadmin_download_psh_script.zip"),
                "real-linux", List.of("auditd/otrf/sh_arp_cache_2020-11-10074812.log",
                        "auditd/go-libaudit/auparse_testdata_audit-rhel7.log"));
        for (Map.Entry<String, List<String>> e : new TreeMap<>(files).entrySet()) {
            List<Event> events = new ArrayList<>();
            for (String file : e.getValue()) {
                Path path = root.resolve(file);
                if (Files.isRegularFile(path)) TelemetryImport.read(path, e.getKey(), events::add, 1);
            }
            if (!events.isEmpty()) byEndpoint.put(e.getKey(), events);
        }
    }

    @AfterAll
    void close() throws IOException {
        if (backend != null) {
            backend.deleteAll();
            backend.close();
        }
        if (local != null) local.close();
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String text(String marked) {
        return marked.startsWith("+") ? marked.substring(1) : marked;
    }

    private static List<String> uids(List<Event> events) {
        return events.stream().map(Event::uid).toList();
    }

    @Test
    void everyQuery_sameCountAndPagesOnEveryEndpoint() throws IOException {
        List<String> differences = new ArrayList<>();
        for (String marked : QUERIES) {
            Query query = QueryLanguage.parse(text(marked));
            long matchedGenerated = 0;
            for (String endpoint : endpoints) {
                try (IndexBackend.Lease lease = local.acquire(endpoint)) {
                    EventIndex index = lease.index();
                    long expected = index.count(query);
                    long actual = remote.count(List.of(endpoint), query);
                    if (expected != actual) {
                        differences.add(endpoint + " '" + text(marked) + "': local " + expected + ", opensearch " + actual);
                        continue;
                    }
                    if (!endpoint.startsWith("real")) matchedGenerated += expected;
                    // the first page, then the page after it through the cursor (search_after)
                    var first = index.search(query, 50, null);
                    List<Event> remoteFirst = remote.newestFirst(endpoint, query, 50, null);
                    if (!uids(first.events()).equals(uids(remoteFirst))) {
                        differences.add(endpoint + " '" + text(marked) + "': first pages differ");
                    } else if (first.next() != null) {
                        PageCursor after = first.next();
                        List<String> second = uids(index.search(query, 50, after).events());
                        if (!second.equals(uids(remote.newestFirst(endpoint, query, 50, after)))) {
                            differences.add(endpoint + " '" + text(marked) + "': second pages differ");
                        }
                    }
                }
            }
            if (marked.startsWith("+") && matchedGenerated == 0) {
                differences.add("'" + text(marked) + "' matches nothing on the generated endpoints: the comparison proves nothing");
            }
        }
        assertEquals(List.of(), differences);
    }

    @Test
    void firstPage_sameEventValues() throws IOException {
        for (String endpoint : endpoints) {
            try (IndexBackend.Lease lease = local.acquire(endpoint)) {
                Query all = QueryLanguage.parse("");
                List<Event> expected = lease.index().search(all, 20, null).events();
                List<Event> actual = remote.newestFirst(endpoint, all, 20, null);
                assertEquals(expected.size(), actual.size(), endpoint);
                for (int i = 0; i < expected.size(); i++) {
                    for (Field f : Field.all()) {
                        assertEquals(expected.get(i).get(f), actual.get(i).get(f), endpoint + " event " + i + " " + f);
                    }
                }
            }
        }
    }

    @Test
    void distribution_sameCountsPerTypeAndOperation() throws IOException {
        for (String q : List.of("", "type:network OR type:file", "powershell", "NOT user:*system*")) {
            Query query = QueryLanguage.parse(q);
            for (String endpoint : endpoints) {
                try (IndexBackend.Lease lease = local.acquire(endpoint)) {
                    Distribution expected = lease.index().distribution(query);
                    Distribution actual = remote.distribution(endpoint, query);
                    assertEquals(expected.total(), actual.total(), endpoint + " '" + q + "' total");
                    assertEquals(expected.types(), actual.types(), endpoint + " '" + q + "' types");
                    assertEquals(expected.operations(), actual.operations(), endpoint + " '" + q + "' operations");
                }
            }
        }
    }

    @Test
    void processHistoryAndChildren_same() throws IOException {
        int compared = 0;
        for (String endpoint : endpoints) {
            try (IndexBackend.Lease lease = local.acquire(endpoint)) {
                EventIndex index = lease.index();
                // processes with the most events first, and some that start others
                var busiest = index.processesMatching(QueryLanguage.parse("type:process AND operation:start"), 12);
                for (var match : busiest.newest()) {
                    String key = match.processKey();
                    var view = index.process(key, 100, 0).orElseThrow();
                    assertEquals(uids(view.history()), uids(remote.processHistory(endpoint, key, 100)), endpoint + " history of " + key);
                    List<String> children = index.children(key, 0, 10_000, null, 1, 10_000).nodes().stream()
                            .map(ProcessNode::info).map(info -> info.key().toLowerCase(java.util.Locale.ROOT)).sorted().toList();
                    assertEquals(children, remote.childKeys(endpoint, key), endpoint + " children of " + key);
                    compared++;
                }
            }
        }
        assertTrue(compared >= 10, "compared " + compared + " processes");
    }

    /**
     * The process page's answers through the backend boundary: the view (the process, its parent,
     * children, peers, history), the ancestry and two levels of the tree, with every count, the same on
     * both backends; processes with and without start events, and with parents that have no events.
     */
    @Test
    void processViewAncestryAndTree_sameThroughTheBoundary() throws IOException {
        int compared = 0;
        int withoutStart = 0;
        for (String endpoint : endpoints) {
            try (IndexBackend.Lease l = local.acquire(endpoint); IndexBackend.Lease r = backend.acquire(endpoint)) {
                EventIndex a = l.index();
                EventIndex b = r.index();
                List<String> keys = new ArrayList<>();
                a.processesMatching(QueryLanguage.parse("type:process AND operation:start"), 6).newest().forEach(m -> keys.add(m.processKey()));
                a.processesMatching(QueryLanguage.parse("NOT type:process"), 6).newest().forEach(m -> keys.add(m.processKey()));
                for (String key : keys) {
                    String where = endpoint + " " + key;
                    var expected = a.process(key, 50, 20).orElseThrow();
                    var actual = b.process(key, 50, 20).orElseThrow(() -> new AssertionError(where + ": no view on opensearch"));
                    assertEquals(expected.process(), actual.process(), where + " process");
                    assertEquals(expected.parent(), actual.parent(), where + " parent");
                    assertEquals(keysOf(expected.children()), keysOf(actual.children()), where + " children");
                    assertEquals(keysOf(expected.peers()), keysOf(actual.peers()), where + " peers");
                    assertEquals(uids(expected.history()), uids(actual.history()), where + " history");
                    assertEquals(expected.historyTotal(), actual.historyTotal(), where + " history total");
                    if (expected.process().startTs() == null) withoutStart++;
                    assertEquals(nodes(a.ancestry(key)), nodes(b.ancestry(key)), where + " ancestry");
                    assertEquals(nodes(a.children(key, 0, 25, null, 2, 200)), nodes(b.children(key, 0, 25, null, 2, 200)), where + " tree");
                    String peerOf = expected.parent() == null ? null : expected.parent().key();
                    if (peerOf != null) {
                        assertEquals(nodes(a.children(peerOf, 1, 5, key, 1, 10)), nodes(b.children(peerOf, 1, 5, key, 1, 10)), where + " peers page");
                    }
                    compared++;
                }
                assertEquals(a.process("no-such-process", 10, 10), b.process("no-such-process", 10, 10), endpoint + " unknown");
                assertEquals(a.ancestry("no-such-process"), b.ancestry("no-such-process"), endpoint + " unknown ancestry");
            }
        }
        assertTrue(compared >= 20, "compared " + compared + " processes");
        assertTrue(withoutStart >= 1, "some processes without a start event: described from their oldest event");
    }

    private static List<String> keysOf(List<trailhound.index.ProcessInfo> infos) {
        return infos.stream().map(i -> i.key().toLowerCase(java.util.Locale.ROOT)).toList();
    }

    /** A tree flattened: each node's key, counts and loaded children, depth first. */
    private static List<String> nodes(List<ProcessNode> nodes) {
        List<String> out = new ArrayList<>();
        for (ProcessNode n : nodes) {
            out.add(n.info().key() + " " + new TreeMap<>(n.counts().byType()) + " children " + n.counts().children());
            if (n.children() != null) out.addAll(nodes(n.children()));
        }
        return out;
    }

    private static List<String> nodes(trailhound.index.ProcessBranch branch) {
        List<String> out = new ArrayList<>(List.of(branch.parentKey() + " at " + branch.offset() + " of " + branch.total()));
        out.addAll(nodes(branch.nodes()));
        return out;
    }

    @Test
    void hunt_sameCountsPerEndpointAndSamePages() throws IOException {
        for (String q : List.of("powershell", "remote_ip:10.0.0.0/8 AND remote_port:[1 TO 1023]", "type:dns", "")) {
            Query query = QueryLanguage.parse(q);
            HuntResult expected = local.hunt(query, 100, endpoints, null);
            assertEquals(expected.counts(), remote.countPerEndpoint(endpoints, query), "'" + q + "' counts");
            List<HuntHit> actual = remote.hunt(endpoints, query, 100, null);
            assertEquals(keys(expected.hits()), keys(actual), "'" + q + "' first page");
            if (expected.next() != null) {
                HuntCursor after = expected.next();
                assertEquals(keys(local.hunt(query, 100, endpoints, after).hits()), keys(remote.hunt(endpoints, query, 100, after)),
                        "'" + q + "' second page");
            }
            // a hunt over some endpoints leaves the others out
            List<String> two = endpoints.subList(0, 2);
            assertEquals(local.hunt(query, 10, two, null).counts(), remote.countPerEndpoint(two, query), "'" + q + "' on two");
        }
    }

    private static List<String> keys(List<HuntHit> hits) {
        return hits.stream().map(h -> h.endpoint() + "/" + h.event().uid()).toList();
    }

    @Test
    void mapping_isStrictAndSmall() throws IOException {
        String mapping = remote.mappingJson();
        assertTrue(mapping.contains("\"dynamic\":\"strict\""), mapping);
        long fields = mapping.split("\"type\":").length - 1;
        assertTrue(fields < 150, fields + " mapped fields");
    }

    // ---- through the boundary: the same calls on IndexBackend / EventIndex of both backends -------

    private static final List<EventSort> SORTS = List.of(EventSort.NEWEST_FIRST, new EventSort(Field.TS, false),
            new EventSort(Field.PROCESS_NAME, false), new EventSort(Field.PID, true), new EventSort(Field.TYPE, false),
            new EventSort(Field.REMOTE_PORT, true));

    @Test
    void boundary_countsPagesSortsHistogramsStatsSuggestions_same() throws IOException {
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < QUERIES.size(); i += 3) {
            String q = text(QUERIES.get(i));
            Query query = QueryLanguage.parse(q);
            for (String endpoint : endpoints) {
                try (IndexBackend.Lease a = local.acquire(endpoint); IndexBackend.Lease b = backend.acquire(endpoint)) {
                    EventIndex l = a.index();
                    EventIndex r = b.index();
                    String where = endpoint + " '" + q + "' ";
                    if (l.count(query) != r.count(query)) differences.add(where + "count");
                    var ls = l.search(query, 30, null);
                    var rs = r.search(query, 30, null);
                    if (!uids(ls.events()).equals(uids(rs.events())) || ls.total() != rs.total()
                            || !java.util.Objects.equals(ls.next(), rs.next())) differences.add(where + "search");
                    for (EventSort sort : SORTS) {
                        if (!uids(l.page(query, sort, 7, 25).events()).equals(uids(r.page(query, sort, 7, 25).events()))) {
                            differences.add(where + "page by " + sort);
                        }
                    }
                    if (!l.histogram(query, null, null).equals(r.histogram(query, null, null))) differences.add(where + "histogram");
                    if (!l.processesMatching(query, 10).equals(r.processesMatching(query, 10))) differences.add(where + "processes");
                }
            }
        }
        for (String endpoint : endpoints) {
            try (IndexBackend.Lease a = local.acquire(endpoint); IndexBackend.Lease b = backend.acquire(endpoint)) {
                var ls = a.index().stats();
                var rs = b.index().stats();
                if (ls.eventCount() != rs.eventCount() || !java.util.Objects.equals(ls.firstTs(), rs.firstTs())
                        || !java.util.Objects.equals(ls.lastTs(), rs.lastTs())) differences.add(endpoint + " stats");
                for (String prefix : List.of("s", "c:\\", "")) {
                    if (!a.index().suggest(Field.PROCESS_NAME, prefix, 10).equals(b.index().suggest(Field.PROCESS_NAME, prefix, 10))) {
                        differences.add(endpoint + " suggest '" + prefix + "'");
                    }
                }
                var window = a.index().histogram(null, 1763400000000L, 1763500000000L);
                if (!window.equals(b.index().histogram(null, 1763400000000L, 1763500000000L))) differences.add(endpoint + " window histogram");
                List<String> exported = new ArrayList<>();
                b.index().export(QueryLanguage.parse("type:network"), EventSort.NEWEST_FIRST, 2_500, e -> exported.add(e.uid()));
                List<String> expected = new ArrayList<>();
                a.index().export(QueryLanguage.parse("type:network"), EventSort.NEWEST_FIRST, 2_500, e -> expected.add(e.uid()));
                if (!expected.equals(exported)) differences.add(endpoint + " export");
            }
        }
        assertEquals(List.of(), differences);
    }

    @Test
    void boundary_huntPagesPositionsAndLastPage_same() throws IOException {
        for (String q : List.of("type:network", "powershell OR cmd.exe")) {
            Query query = QueryLanguage.parse(q);
            HuntResult l = local.hunt(query, 40, endpoints, null);
            HuntResult r = backend.hunt(query, 40, endpoints, null);
            for (int page = 0; page < 3; page++) {
                assertEquals(l.counts(), r.counts(), q + " counts");
                assertEquals(keys(l.hits()), keys(r.hits()), q + " page " + page);
                assertEquals(l.start(), r.start(), q + " start of page " + page);
                assertEquals(l.next(), r.next(), q + " next of page " + page);
                if (l.next() == null) break;
                l = local.hunt(query, 40, endpoints, l.next());
                r = backend.hunt(query, 40, endpoints, r.next());
            }
            HuntResult lastL = local.huntBefore(query, 40, endpoints, null);
            HuntResult lastR = backend.huntBefore(query, 40, endpoints, null);
            assertEquals(keys(lastL.hits()), keys(lastR.hits()), q + " last page");
            assertEquals(lastL.start(), lastR.start(), q + " start of the last page");
        }
    }

    @Test
    void sourceStates_unfinishedSourceHiddenUntilFinished_onBoth() throws IOException {
        String endpoint = "state-test"; // its own endpoint: the other tests share the loaded ones
        List<Event> extra = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            extra.add(Event.builder().set(Field.ENDPOINT, endpoint).set(Field.EVENT_UID, "state-test-" + i)
                    .ts(1763450000000L + i).set(Field.TYPE, "process").set(Field.OPERATION, "start")
                    .set(Field.PROCESS_KEY, "state-test").set(Field.SOURCE, "s-state").build());
        }
        Query ofSource = QueryLanguage.parse("source:s-state");
        for (IndexBackend b : List.of(local, backend)) {
            try (IndexBackend.Lease lease = b.acquireOrCreate(endpoint)) {
                EventIndex index = lease.index();
                long before = index.stats().eventCount();
                index.startSource("s-state", () -> 5, 5);
                index.addAll(extra);
                index.checkpoint("s-state", "5");
                assertEquals(5, index.count(ofSource), b.getClass().getSimpleName() + ": being ingested, searchable (partial)");
                assertEquals(before, index.stats().eventCount(), b.getClass().getSimpleName() + ": not yet the endpoint's own");
                index.stopIngesting("s-state");
                assertEquals(0, index.count(ofSource), b.getClass().getSimpleName() + ": unfinished, hidden");
                assertEquals(Map.of(), b.hunt(ofSource, 10, List.of(endpoint), null).counts(), b.getClass().getSimpleName() + " hunt");
                assertEquals(java.util.Optional.of("5"), index.checkpointOf("s-state"));
                index.finishSource("s-state");
                index.commit();
                assertEquals(5, index.count(ofSource), b.getClass().getSimpleName() + ": finished");
                assertEquals(5, index.countSource("s-state"));
                index.deleteSource("s-state");
                assertEquals(0, index.countSource("s-state"), b.getClass().getSimpleName() + ": deleted");
                assertEquals(before, index.stats().eventCount());
            }
        }
    }
}
