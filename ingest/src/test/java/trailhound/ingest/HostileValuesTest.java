package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.IndexBackend;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.EndpointInfo;
import trailhound.telemetry.Datasets;

/**
 * Records that cannot be indexed as they are never cost the file: values over Lucene's term limit
 * (../shared/datasets/cases/01) and host names that cannot be folder names.
 */
class HostileValuesTest {
    @TempDir
    Path tmp;

    private static long count(DataDir data, String endpoint, String query) throws Exception {
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return lease.index().count(query == null ? null : QueryLanguage.parse(query));
        }
    }

    /** A value as a query term: Lucene's escapes, and spaces. */
    private static String escape(String value) {
        return QueryParser.escape(value).replace(" ", "\\ ");
    }

    private static List<Event> events(DataDir data, String endpoint) throws Exception {
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return lease.index().search(null, 100, null).events();
        }
    }

    @Test
    void case01_longCommandLines_everyEventKeptShownWholeAndFound() throws Exception {
        Path dir = Datasets.root().resolve("cases/01-long-command-line-aborts-ingest");
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport audit = new Ingestor(data, 2).ingest(dir.resolve("java-long-classpath.audit.log"), "spark01");
            assertEquals(3, audit.added(), audit.toString());
            assertEquals(3, count(data, "spark01", "type:process AND operation:start"));
            Event javaEvent = events(data, "spark01").stream().filter(e -> e.get(Field.COMMAND_LINE).length() > 30_000)
                    .findFirst().orElseThrow();
            assertEquals(34_065, javaEvent.get(Field.COMMAND_LINE).length(), "kept whole");
            String cmd = javaEvent.get(Field.COMMAND_LINE);
            assertEquals(1, count(data, "spark01", "command_line:\"" + cmd.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
                    "equals");
            String tail = cmd.substring(cmd.length() - 40).strip();
            assertEquals(1, count(data, "spark01", "command_line:*" + escape(tail) + "*"), "contains, at the end");
            assertEquals(1, count(data, "spark01", "command_line:" + escape(cmd.substring(0, 30)) + "*"),
                    "starts-with");

            IngestReport sysmon = new Ingestor(data, 2).ingest(dir.resolve("sysmon-long-cyrillic-cmdline.xml"), null);
            assertEquals(3, sysmon.added(), sysmon.toString());
            String endpoint = sysmon.endpoints().keySet().iterator().next();
            assertEquals(3, count(data, endpoint, "type:process AND operation:start"));
            Event cmdExe = events(data, endpoint).stream().filter(e -> e.get(Field.COMMAND_LINE) != null
                    && e.get(Field.COMMAND_LINE).length() == 22_430).findFirst().orElseThrow();
            String cyr = cmdExe.get(Field.COMMAND_LINE);
            assertEquals(34_750, cyr.getBytes(StandardCharsets.UTF_8).length);
            String middle = cyr.substring(20_000, 20_012);
            assertEquals(1, count(data, endpoint, "command_line:*" + escape(middle) + "*"));
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }

    private static String line(String host, int n) {
        return "{\"EventID\":11,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":"
                + new TextNode(host) + ",\"UtcTime\":\"2020-10-19 07:30:46.251\","
                + "\"ProcessGuid\":\"{AB-CD}\",\"ProcessId\":\"7\",\"Image\":\"C:\\\\x\\\\a.exe\",\"TargetFilename\":\"C:\\\\f" + n
                + ".txt\"}";
    }

    @Test
    void snapshotWhoseHostClimbsOutOfTheDataFolder_isKeptInsideIt_namedAfterItsEndpoint() throws Exception {
        // try-out: meta.host "../../x/pwned" became the kept copy's file name, written outside the data folder
        Path db = trailhound.samples.SampleGenerator.generate(tmp.resolve("samples"), 1, 500, 3, n -> {}).getFirst();
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.executeUpdate("UPDATE meta SET value = '../../../../../../../../../../" + outside.toString().substring(1) + "/pwned'"
                    + " WHERE key = 'host'");
        }
        Path root = tmp.resolve("data");
        try (DataDir data = DataDir.open(root)) {
            new Ingestor(data, 2).ingest(db, "WS-UP-01"); // an upload names its endpoint
            try (Stream<Path> out = Files.list(outside)) {
                assertEquals(List.of(), out.toList(), "nothing written outside the data folder");
            }
            List<trailhound.store.SnapshotInfo> kept = data.catalogue().snapshots("WS-UP-01");
            assertEquals(1, kept.size(), kept.toString());
            assertTrue(kept.getFirst().id().startsWith("WS-UP-01_"), "named after the endpoint it is kept in: " + kept);
            assertTrue(kept.getFirst().file().toAbsolutePath().normalize().startsWith(root.toAbsolutePath().normalize()), kept.toString());
        }
        assertTrue(Ingestor.snapshotId("..", 0).startsWith("endpoint_"), Ingestor.snapshotId("..", 0));
        String climbing = Ingestor.snapshotId("../../etc/passwd", 0);
        assertTrue(!climbing.contains("/") && !climbing.startsWith("."), climbing);
    }

    @Test
    void hostNamesThatCannotBeFolderNames_neitherAbortNorLoseTheEventsAround() throws Exception {
        List<String> hosts = List.of("WS-1", "../../etc", "a/b:c", " ", "..", "x".repeat(300), "CON~1", "ws\u0007bell", "WS-1");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) lines.add(line(hosts.get(i), i));
        Path file = Files.write(tmp.resolve("hosts.json"), lines);
        Path root = tmp.resolve("data");
        try (DataDir data = DataDir.open(root)) {
            IngestReport r = new Ingestor(data, 2).ingest(file, null);
            assertEquals(9, r.added(), r.toString());
            Set<String> expected = new TreeSet<>(hosts);
            expected.remove(" ");
            expected.add("hosts"); // a blank host name is no name: the file's stem stands in, as for any nameless record
            assertEquals(expected, new TreeSet<>(data.catalogue().endpoints().stream().map(EndpointInfo::name).toList()),
                    "listed under their real names");
            assertEquals(expected, new TreeSet<>(data.indexes().endpoints()));
            assertEquals(2, count(data, "WS-1", null));
            assertEquals(1, count(data, "../../etc", null));
            assertEquals(1, count(data, "a/b:c", "endpoint:a\\/b\\:c"), "searched by the real name");
            assertEquals("../../etc", events(data, "../../etc").getFirst().get(Field.ENDPOINT), "shown by the real name");
        }
        try (Stream<Path> all = Files.walk(root)) {
            assertTrue(all.allMatch(p -> p.normalize().startsWith(root)), "nothing outside the data folder");
        }
        try (Stream<Path> folders = Files.list(root.resolve("endpoints"))) {
            List<String> names = folders.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(8, names.size(), names.toString());
            assertTrue(names.contains("WS-1") && names.stream().allMatch(n -> n.matches("[A-Za-z0-9._-]+(~[0-9a-f]{16})?")),
                    names.toString());
        }
        try (DataDir data = DataDir.open(root)) { // and again after a restart
            assertEquals(1, count(data, "a/b:c", null));
            Map<String, Long> hunt = data.indexes().countAll(QueryLanguage.parse("type:file"));
            assertEquals(8, hunt.size(), hunt.toString());
        }
    }

    @Test
    void anEventLuceneRefuses_costsThatEventOnly_withItsReason() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("data"));
                ParallelIndexer indexer = new ParallelIndexer(data, 2, "s1", 3, text -> {})) {
            String hugeUid = "u".repeat(40_000); // over the sorted doc values' 32,766-byte limit
            for (String uid : List.of("a", hugeUid, "b")) {
                indexer.accept(Event.builder().set(Field.ENDPOINT, "ws-9").set(Field.EVENT_UID, uid).ts(1_000)
                        .set(Field.TYPE, "file").set(Field.OPERATION, "create").set(Field.SOURCE, "s1").build());
            }
            Map<String, EndpointCounts> counts = indexer.finish(new java.util.TreeMap<>());
            assertEquals(2, counts.get("ws-9").added());
            assertEquals(1, indexer.refusedCount());
            assertTrue(indexer.refused().getFirst().contains("could not be indexed"), indexer.refused().toString());
            assertEquals(2, count(data, "ws-9", null));
        }
    }
}
