package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.EventSort;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.ingest.Ingestor;
import trailhound.query.BuilderQuery;
import trailhound.query.BuilderRow;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;
import trailhound.query.Parameter;
import trailhound.query.QueryLanguage;
import trailhound.recorder.RecorderReader;
import trailhound.recorder.RecorderStory;
import trailhound.samples.SampleGenerator;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.Alerts.Alert;
import trailhound.store.EvidenceItems;
import trailhound.store.Iocs.Ioc;

/**
 * IOCs over the sample generator's four endpoints and their attack stories (each database's
 * {@code stories} table): an IOC built from the WS-FIN-01 story's saved processes finds exactly that
 * story there; elsewhere an IOC finds exactly what direct searches for its items find, and what the
 * in-memory test of alerts finds; an IOC set to alert before an import raises alerts naming exactly
 * the events its scan finds.
 */
class IntelStoryTest {
    @TempDir static Path dir;
    static DataDir data;
    static Access access;
    static List<Path> dbs;
    static RecorderStory story;
    static final Caller CLI = Caller.commandLine();

    @BeforeAll
    static void ingest() throws Exception {
        data = DataDir.open(dir.resolve("data"));
        access = Access.over(data, Clock.systemUTC());
        dbs = SampleGenerator.generate(dir.resolve("samples"), 4, 24_000, 7, n -> {});
        for (Path db : dbs) new Ingestor(data, 1).ingest(db, null);
        Path ws = dbs.stream().filter(p -> p.getFileName().toString().startsWith("WS-FIN-01")).findFirst().orElseThrow();
        try (RecorderReader r = RecorderReader.open(ws)) {
            story = r.stories().getFirst();
        }
        assertEquals("win-macro", story.storyId());
    }

    @AfterAll
    static void close() throws Exception {
        if (data != null) data.close();
    }

    @Test
    void evidenceBasedIoc_fromTheStorysProcesses_findsExactlyThatStoryThere() throws Exception {
        Scope scope = access.scope(CLI);
        List<Long> evidence = new ArrayList<>();
        for (String key : story.processKeys()) {
            evidence.add(scope.savedEvidence().saveProcess("WS-FIN-01", key, "story", List.of("win-macro")).id());
        }
        // the story's processes are mostly the system's own programs (powershell, rundll32, cmd): told apart by their command lines
        Ioc ioc = scope.intel().fromEvidence("win-macro", evidence, java.util.EnumSet.of(Candidates.ProcessPart.COMMAND_LINE));
        IocTree tree = IocJson.read(ioc.tree());
        assertEquals(story.processKeys().size(), tree.items().size(), "one command line per process: " + tree.toQuery());
        assertTrue(tree.items().stream().allMatch(i -> i.type() == IndicatorType.COMMAND_LINE), tree.toQuery());

        Intel.Scan scan = scope.intel().scan(ioc.id());
        assertTrue(scan.total() < Intel.SCAN_LIMIT, "every match listed: " + scan.total());
        Set<String> keys = new HashSet<>();
        for (var hit : scan.hits()) {
            assertEquals("WS-FIN-01", hit.endpoint(), "the story's command lines are WS-FIN-01's alone");
            keys.add(hit.event().get(Field.PROCESS_KEY));
        }
        assertEquals(Set.copyOf(story.processKeys()), keys, "exactly the story's processes");
        // and every event of those processes carrying their command line
        assertEquals(uids("WS-FIN-01", processes(story.processKeys())), uidsOf(scan, "WS-FIN-01"));
    }

    @Test
    void evidenceBasedIoc_byDefault_takesEachProcesssHashAndPath_neverACommonValue() throws Exception {
        Scope scope = access.scope(CLI);
        List<Long> evidence = new ArrayList<>();
        for (String key : story.processKeys()) evidence.add(scope.savedEvidence().saveProcess("WS-FIN-01", key, null, List.of()).id());
        EvidenceIndicators.Offers offers = scope.intel().offers(evidence, Candidates.DEFAULT_PROCESS, false);
        long all = scope.hunt(new MatchAllDocsQuery(), 1, null).total();
        assertEquals(all, offers.events());
        List<IocTree.Item> defaults = offers.defaults();
        assertFalse(defaults.isEmpty());
        for (EvidenceIndicators.Offer o : offers.offers().stream().filter(EvidenceIndicators.Offer::byDefault).toList()) {
            IocTree.Item item = o.candidate().item();
            assertFalse(o.candidate().system() || item.type() == IndicatorType.FILE_PATH && Candidates.isSystemPath(item.value()),
                    "a system path is never a default: " + item);
            assertEquals(scope.hunt(QueryLanguage.parse(item.toQuery()), 1, null).total(), o.matches(), "the count shown is the Scan's: " + item);
            assertFalse(common(scope, o.candidate(), story.processKeys(), all), item.toString());
        }
        // each process gives its hash and path unless they are common; then (the system's own programs) its command line
        assertTrue(defaults.stream().anyMatch(i -> i.type() == IndicatorType.SHA256 || i.type() == IndicatorType.FILE_PATH), defaults.toString());
        for (EvidenceIndicators.Offer o : offers.offers()) {
            if (o.candidate().system()) assertTrue(o.common() && !o.byDefault(), o.toString());
        }
    }

    @Test
    void evidenceBasedIoc_ofAProcesssWholeHistory_leavesOutItsSystemLoadsAndCommonAddresses() throws Exception {
        Scope scope = access.scope(CLI);
        String ps = story.processKeys().get(1);
        List<String> uids = new ArrayList<>();
        try (IndexBackend.Lease lease = scope.index("WS-FIN-01")) {
            lease.index().export(QueryLanguage.parse("process_key:\"" + ps + "\""), EventSort.NEWEST_FIRST, 100, e -> uids.add(e.uid()));
        }
        long id = scope.savedEvidence().saveEvents("WS-FIN-01", uids, null, List.of()).id();
        EvidenceIndicators.Offers offers = scope.intel().offers(List.of(id), Candidates.DEFAULT_PROCESS, true);
        assertEquals(offers.offers().size(), offers.offers().stream().map(o -> o.candidate().key()).distinct().count(), "one row a value");
        List<Map<String, String>> saved = scope.savedEvidence().events(id);
        for (EvidenceIndicators.Offer o : offers.offers().stream().filter(o -> o.candidate().type() == IndicatorType.PROCESS_NAME).toList()) {
            assertEquals(saved.stream().filter(e -> o.candidate().value().equals(e.get("process_name"))).count(), o.carriers(),
                    "how many of the item's events carry it: " + o);
        }
        long all = offers.events();
        for (EvidenceIndicators.Offer o : offers.offers()) {
            assertTrue(o.matches() >= 0, "every row counted: " + o);
            if (o.byDefault()) assertFalse(o.common() || o.candidate().system(), o.toString());
            boolean common = common(scope, o.candidate(), List.of(ps), all);
            assertEquals(common, o.common(), o.toString());
            if (common) assertFalse(o.byDefault(), "offered unticked: " + o);
        }
        assertTrue(offers.offers().stream().anyMatch(o -> o.candidate().system() && o.common()), "its loads of system DLLs: common");
        assertTrue(offers.offers().stream().anyMatch(o -> !o.candidate().system() && o.common() && o.matches() < all / 100),
                "a value on every Windows endpoint (the domain controller's address, github.com) is common however few its events");
        Ioc ioc = scope.intel().fromEvidence("ps history", List.of(id));
        IocTree tree = IocJson.read(ioc.tree());
        assertEquals(offers.defaults(), tree.items(), "the API takes what the picker ticks");
        long outside = scope.hunt(QueryLanguage.parse("(" + tree.toQuery() + ") AND NOT process_key:\"" + ps + "\""), 1, null).total();
        assertTrue(outside <= (long) tree.items().size() * Math.max(EvidenceIndicators.COMMON_MIN, all / 100),
                "no value that matches what every endpoint does: " + outside + " events of other processes, " + tree.toQuery());
    }

    @Test
    void iocOfEveryCandidate_elsewhere_findsWhatDirectSearchesAndTheAlertTestFind() throws Exception {
        Scope scope = access.scope(CLI);
        // every candidate of the story's process starts: hashes, paths, names, command lines...
        List<IocTree> items = new ArrayList<>();
        for (Event start : startsOf(story.processKeys())) {
            Map<String, String> fields = new HashMap<>();
            for (Field f : Field.values()) if (start.get(f) != null) fields.put(f.canonicalName(), start.get(f));
            for (Candidates.Candidate c : Candidates.of(fields)) {
                if (c.type() != IndicatorType.IP) items.add(c.item()); // the host's own address is every event's
            }
        }
        items.add(new IocTree.Item(IndicatorType.IP, IocTree.Condition.IS, "185.141.63.120"));
        items.add(new IocTree.Item(IndicatorType.DOMAIN, IocTree.Condition.IS, "cdn-update.azureedge-cloud.com"));
        items.add(new IocTree.Item(IndicatorType.REGISTRY_KEY, IocTree.Condition.CONTAINS, "\\CurrentVersion\\Run"));
        IocTree tree = new IocTree.Group(IocTree.Operator.OR, List.copyOf(new java.util.LinkedHashSet<>(items)));
        assertTrue(tree.items().stream().anyMatch(i -> i.type() == IndicatorType.FILE_NAME), tree.toQuery());
        assertTrue(tree.items().stream().anyMatch(i -> i.type() == IndicatorType.SHA256), tree.toQuery());
        Ioc ioc = scope.intel().create("story, every candidate", tree, "api", false);
        Intel.Scan scan = scope.intel().scan(ioc.id());
        assertTrue(scan.counts().keySet().size() >= 2, "found elsewhere too (cmd.exe, rundll32.exe...): " + scan.counts());

        for (String endpoint : List.of("WS-FIN-01", "DC-01", "web-01", "mac-design-01")) {
            Set<String> direct = new HashSet<>();
            for (IocTree.Item item : tree.items()) direct.addAll(uids(endpoint, QueryLanguage.parse(directSearch(item))));
            Set<String> byIoc = uids(endpoint, QueryLanguage.parse(tree.toQuery()));
            assertEquals(direct, byIoc, endpoint);
            assertEquals(direct.size(), scan.counts().getOrDefault(endpoint, 0L), endpoint);
            assertEquals(direct, inMemory(endpoint, tree), endpoint + ": alerts test events as the hunt does");
        }
    }

    @Test
    void iocSetToAlert_thenImport_alertsNameExactlyTheScansMatches() throws Exception {
        try (DataDir fresh = DataDir.open(dir.resolve("fresh"))) {
            Access a = Access.over(fresh, Clock.systemUTC());
            Scope scope = a.scope(CLI);
            IocTree tree = new IocTree.Group(IocTree.Operator.OR, List.of(
                    new IocTree.Item(IndicatorType.IP, IocTree.Condition.IS, "185.141.63.120"),
                    new IocTree.Item(IndicatorType.FILE_NAME, IocTree.Condition.IS, "svcmon.exe"),
                    new IocTree.Item(IndicatorType.COMMAND_LINE, IocTree.Condition.CONTAINS, "/dev/tcp/")));
            Ioc ioc = scope.intel().create("c2 and tools", tree, "api", true);
            Ioc quiet = scope.intel().create("not alerting", tree, "api", false);
            for (Path db : dbs) new Ingestor(fresh, 2).ingest(db, null);
            for (Path db : dbs) new Ingestor(fresh, 2).ingest(db, null); // again: nothing new to alert on

            Map<String, Set<String>> alerted = new TreeMap<>();
            for (Alert alert : a.alerts().list(scope)) {
                assertEquals("ioc", alert.ruleKind());
                assertEquals(ioc.id(), alert.ruleId(), "only the IOC set to alert raises, not " + quiet.id());
                assertEquals("new", alert.state());
                List<String> events = a.alerts().events(scope, alert.id());
                assertTrue(alerted.computeIfAbsent(alert.endpoint(), k -> new HashSet<>()).addAll(events), "each event once");
                assertEquals(events.size(), alert.events());
            }
            Intel.Scan scan = scope.intel().scan(ioc.id());
            assertEquals(Set.of("WS-FIN-01", "web-01"), scan.counts().keySet());
            Map<String, Set<String>> scanned = new TreeMap<>();
            for (String endpoint : scan.counts().keySet()) {
                try (IndexBackend.Lease lease = scope.index(endpoint)) {
                    Set<String> s = new HashSet<>();
                    lease.index().export(QueryLanguage.parse(tree.toQuery()), EventSort.NEWEST_FIRST, Long.MAX_VALUE, e -> s.add(e.uid()));
                    scanned.put(endpoint, s);
                }
            }
            assertEquals(scanned, alerted);

            Alert first = a.alerts().list(scope).getLast();
            assertEquals("acknowledged", a.alerts().setState(a.scope(CLI), first.id(), "Acknowledged").state());
            assertFalse(a.audit().list(new trailhound.store.AuditTrail.Filter(null, "alert.state", null, null, null), Long.MAX_VALUE, 10)
                    .isEmpty(), "state changes are audited");
        }
    }

    /** The events the item matches outside these processes, over every endpoint. */
    private static long elsewhere(Scope scope, IocTree.Item item, List<String> processKeys) throws Exception {
        return elsewhereByEndpoint(scope, item, processKeys).total();
    }

    private static trailhound.index.HuntResult elsewhereByEndpoint(Scope scope, IocTree.Item item, List<String> processKeys) throws Exception {
        String not = String.join(" OR ", processKeys.stream().map(k -> "process_key:\"" + k + "\"").toList());
        return scope.hunt(QueryLanguage.parse("(" + item.toQuery() + ") AND NOT (" + not + ")"), 1, null);
    }

    /** Whether the item is common by the rule: a system path, or outside the processes more than 1 % (and 20) or on most same-OS endpoints. */
    private static boolean common(Scope scope, Candidates.Candidate c, List<String> processKeys, long all) throws Exception {
        if (c.system()) return true;
        Set<String> windows = new HashSet<>();
        for (var e : scope.endpoints()) if ("windows".equalsIgnoreCase(e.os())) windows.add(e.name());
        assertEquals(Set.of("WS-FIN-01", "DC-01"), windows);
        var found = elsewhereByEndpoint(scope, c.item(), processKeys);
        long on = found.counts().entrySet().stream().filter(e -> e.getValue() > 0 && windows.contains(e.getKey())).count();
        return found.total() >= EvidenceIndicators.COMMON_MIN && found.total() > all * EvidenceIndicators.COMMON_SHARE
                || on * 2 > windows.size();
    }

    /** The query a user would type for one item, through the builder (its own rendering of values). */
    private static String directSearch(IocTree.Item item) {
        Parameter p = Parameter.byName(item.type().queryName()).orElseThrow();
        if (item.type() == IndicatorType.FILE_NAME) {
            return BuilderQuery.render(List.of(BuilderRow.and(p, BuilderRow.Operand.ENDS_WITH, "\\" + item.value()),
                    new BuilderRow(BuilderRow.Connector.OR, p, BuilderRow.Operand.ENDS_WITH, "/" + item.value())));
        }
        BuilderRow.Operand op = item.condition() == IocTree.Condition.IS ? BuilderRow.Operand.EQUALS : BuilderRow.Operand.CONTAINS;
        return BuilderQuery.render(List.of(BuilderRow.and(p, op, item.value())));
    }

    private static Query processes(List<String> keys) {
        return QueryLanguage.parse(String.join(" OR ", keys.stream().map(k -> "process_key:\"" + k + "\"").toList()));
    }

    private static Set<String> uids(String endpoint, Query q) throws Exception {
        Set<String> out = new HashSet<>();
        try (IndexBackend.Lease lease = access.scope(CLI).index(endpoint)) {
            lease.index().export(q, EventSort.NEWEST_FIRST, Long.MAX_VALUE, e -> out.add(e.uid()));
        }
        return out;
    }

    private static Set<String> uidsOf(Intel.Scan scan, String endpoint) {
        Set<String> out = new HashSet<>();
        scan.hits().stream().filter(h -> h.endpoint().equals(endpoint)).forEach(h -> out.add(h.event().uid()));
        return out;
    }

    private static Set<String> inMemory(String endpoint, IocTree tree) throws Exception {
        Set<String> out = new HashSet<>();
        try (IndexBackend.Lease lease = access.scope(CLI).index(endpoint)) {
            lease.index().export(new MatchAllDocsQuery(), EventSort.NEWEST_FIRST, Long.MAX_VALUE, e -> {
                if (tree.matches(e::get)) out.add(e.uid());
            });
        }
        return out;
    }

    private static List<Event> startsOf(List<String> keys) throws Exception {
        List<Event> out = new ArrayList<>();
        try (IndexBackend.Lease lease = access.scope(CLI).index("WS-FIN-01")) {
            lease.index().export(QueryLanguage.parse("type:process AND operation:start"), EventSort.NEWEST_FIRST, Long.MAX_VALUE, e -> {
                if (keys.contains(e.get(Field.PROCESS_KEY))) out.add(e);
            });
        }
        assertEquals(keys.size(), out.size());
        return out;
    }
}
