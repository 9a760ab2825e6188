package trailhound.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.recorder.ReadReport;
import trailhound.recorder.RecorderReader;
import trailhound.recorder.RecorderStory;
import trailhound.schema.Event;
import trailhound.schema.Field;

class SampleGeneratorTest {
    private static final long EVENTS = 60_000;

    @TempDir
    static Path dir;

    static List<Path> dbs;
    static List<Long> progress = new ArrayList<>();

    @BeforeAll
    static void generate() throws Exception {
        dbs = SampleGenerator.generate(dir.resolve("a"), 4, EVENTS, 7L, progress::add);
    }

    private static Connection sql(Path db) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    private static long count(Path db, String query) throws Exception {
        try (Connection c = sql(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Path db(String host) {
        return dbs.stream().filter(p -> p.getFileName().toString().equals(host + ".db")).findFirst().orElseThrow();
    }

    @Test
    void generate_sameSeed_identicalRows() throws Exception {
        List<Path> again = SampleGenerator.generate(dir.resolve("b"), 4, EVENTS, 7L, n -> {});
        for (int i = 0; i < dbs.size(); i++) {
            assertEquals(contentDigest(dbs.get(i)), contentDigest(again.get(i)), dbs.get(i).getFileName().toString());
        }
        assertEquals(Files.readString(dir.resolve("a/intel.csv")), Files.readString(dir.resolve("b/intel.csv")));
    }

    @Test
    void generate_otherSeed_differentRows() throws Exception {
        List<Path> other = SampleGenerator.generate(dir.resolve("c"), 1, 5_000, 8L, n -> {});
        List<Path> same = SampleGenerator.generate(dir.resolve("d"), 1, 5_000, 7L, n -> {});
        assertFalse(contentDigest(other.get(0)).equals(contentDigest(same.get(0))));
    }

    @Test
    void generate_fourEndpoints_everyOsAndTheRequestedEventCount() throws Exception {
        assertEquals(List.of("WS-FIN-01.db", "web-01.db", "mac-design-01.db", "DC-01.db"),
                dbs.stream().map(p -> p.getFileName().toString()).toList());
        Set<String> oses = new java.util.TreeSet<>();
        long total = 0;
        for (Path db : dbs) {
            try (RecorderReader r = RecorderReader.open(db)) {
                oses.add(r.meta().os());
                total += r.eventCount();
                assertTrue(r.firstTs().orElseThrow() >= SampleGenerator.WINDOW_END.minus(SampleGenerator.WINDOW).toEpochMilli());
                assertTrue(r.lastTs().orElseThrow() < SampleGenerator.WINDOW_END.toEpochMilli());
            }
        }
        assertEquals(Set.of("windows", "linux", "macos"), oses);
        assertEquals(EVENTS, total);
        assertEquals(EVENTS, progress.getLast());
    }

    @Test
    void generate_moreEndpointsThanNamedHosts_addsNumberedHostsOfEveryOs() throws Exception {
        List<Path> many = SampleGenerator.generate(dir.resolve("many"), 13, 13_000, 1L, n -> {});
        assertEquals(13, many.stream().map(p -> p.getFileName().toString()).distinct().count());
        assertEquals(List.of("WS-GEN-01.db", "mac-gen-02.db", "app-03.db", "WS-GEN-04.db"),
                many.subList(9, 13).stream().map(p -> p.getFileName().toString()).toList());
        for (Path db : many) {
            try (RecorderReader r = RecorderReader.open(db)) {
                assertTrue(r.eventCount() >= 1_000, db + " has " + r.eventCount());
            }
        }
    }

    @Test
    void generate_badArguments_areRejected() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SampleGenerator.generate(dir.resolve("bad"), 0, 10, 1L, n -> {}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SampleGenerator.generate(dir.resolve("bad"), 1, -1, 1L, n -> {}));
    }

    @Test
    void generate_everyDatabase_isReferentiallyConsistent() throws Exception {
        for (Path db : dbs) {
            String name = db.getFileName().toString();
            assertEquals(0, count(db, "SELECT count(*) FROM events e LEFT JOIN processes p USING (process_key) WHERE p.process_key IS NULL"),
                    name + ": events of unknown processes");
            assertEquals(0, count(db, "SELECT count(*) FROM processes c LEFT JOIN processes p ON p.process_key = c.parent_key "
                    + "WHERE c.parent_key IS NOT NULL AND p.process_key IS NULL"), name + ": unknown parents");
            assertEquals(0, count(db, "SELECT count(*) FROM processes c JOIN processes p ON p.process_key = c.parent_key WHERE c.ppid <> p.pid"),
                    name + ": ppid differs from the parent's pid");
            assertEquals(0, count(db, "SELECT count(*) FROM events e JOIN processes p USING (process_key) "
                    + "WHERE e.type = 'process' AND e.operation = 'start' AND e.ts <> p.start_ts"), name + ": start events off start_ts");
            assertEquals(0, count(db, "SELECT count(*) FROM events e JOIN processes p USING (process_key) "
                    + "WHERE e.type = 'process' AND e.operation = 'end' AND e.ts IS NOT p.end_ts"), name + ": end events off end_ts");
            assertEquals(0, count(db, "SELECT count(*) FROM processes p WHERE p.start_ts >= (SELECT min(ts) FROM events) AND "
                    + "(SELECT count(*) FROM events e WHERE e.process_key = p.process_key AND e.type = 'process' AND e.operation = 'start') <> 1"),
                    name + ": processes started in the window without exactly one start event");
            assertEquals(0, count(db, "SELECT count(*) FROM processes p WHERE p.end_ts IS NOT NULL AND "
                    + "(SELECT count(*) FROM events e WHERE e.process_key = p.process_key AND e.type = 'process' AND e.operation = 'end') <> 1"),
                    name + ": ended processes without exactly one end event");
            assertEquals(0, count(db, "SELECT count(*) FROM events e JOIN processes p USING (process_key) "
                    + "WHERE e.ts < p.start_ts OR (p.end_ts IS NOT NULL AND e.ts > p.end_ts)"), name + ": events outside their process lifetime");
            assertEquals(0, count(db, "SELECT count(*) FROM processes a JOIN processes b ON a.pid = b.pid AND a.process_key < b.process_key "
                    + "WHERE a.start_ts < coalesce(b.end_ts, 9e18) AND b.start_ts < coalesce(a.end_ts, 9e18)"), name + ": two live processes share a pid");
            assertEquals(0, count(db, "SELECT count(*) FROM events a JOIN events b ON b.id = a.id + 1 WHERE b.ts < a.ts"),
                    name + ": ids not in time order");
        }
        assertTrue(count(db("WS-FIN-01"), "SELECT count(*) FROM (SELECT pid FROM processes GROUP BY pid HAVING count(*) > 1)") > 0,
                "pids are reused");
    }

    @Test
    void generate_eventMix_isSysmonLike() throws Exception {
        Path ws = db("WS-FIN-01");
        long all = count(ws, "SELECT count(*) FROM events");
        for (String type : List.of("process", "file", "registry", "image", "network", "dns")) {
            long n = count(ws, "SELECT count(*) FROM events WHERE type = '" + type + "'");
            assertTrue(n > all / 100, type + " has " + n + " of " + all);
        }
        assertTrue(count(ws, "SELECT count(*) FROM events WHERE type = 'process'") < all / 5);
    }

    @Test
    void generate_stories_arePresentAndFindable() throws Exception {
        assertStory("WS-FIN-01", "win-macro");
        assertStory("DC-01", "dc-psexec");
        assertStory("web-01", "linux-webshell");
        assertStory("mac-design-01", "mac-fake-updater");
        Path ws = db("WS-FIN-01");
        assertEquals(1, count(ws, "SELECT count(*) FROM events e JOIN processes p USING (process_key) "
                + "WHERE p.name = 'powershell.exe' AND p.command_line LIKE '%-enc %' AND e.operation = 'start' "
                + "AND p.parent_key IN (SELECT process_key FROM processes WHERE name = 'WINWORD.EXE')"));
        assertEquals(1, count(ws, "SELECT count(*) FROM events WHERE type = 'process' AND operation = 'access' "
                + "AND granted_access = '0x1010' AND target_process_path LIKE '%lsass.exe'"));
        assertEquals(1, count(ws, "SELECT count(*) FROM events WHERE registry_key LIKE 'HKCU\\%\\CurrentVersion\\Run' AND registry_value_name = 'WindowsSync'"));
        assertTrue(count(ws, "SELECT count(*) FROM events WHERE remote_ip = '185.141.63.120' AND remote_port IN (443, 8443)") >= 30);
        assertEquals(1, count(db("web-01"), "SELECT count(*) FROM events WHERE type = 'file' AND file_path = '/etc/shadow'"));
        assertEquals(1, count(db("web-01"), "SELECT count(*) FROM processes WHERE command_line LIKE '%/dev/tcp/%' AND name = 'bash'"));
        assertEquals(1, count(db("mac-design-01"), "SELECT count(*) FROM events WHERE file_path LIKE '%/Library/LaunchAgents/%.plist'"));
        assertEquals(1, count(db("DC-01"), "SELECT count(*) FROM events WHERE type = 'security' AND logon_type = '3' AND logon_source_ip = '10.10.1.21'"
                + " AND ts BETWEEN (SELECT start_ts - 10000 FROM processes WHERE name = 'PSEXESVC.exe') AND (SELECT start_ts FROM processes WHERE name = 'PSEXESVC.exe')"));
    }

    private static void assertStory(String host, String id) throws Exception {
        try (RecorderReader r = RecorderReader.open(db(host))) {
            List<RecorderStory> stories = r.stories();
            assertEquals(List.of(id), stories.stream().map(RecorderStory::storyId).toList(), host);
            for (String key : stories.get(0).processKeys()) {
                assertEquals(1, count(db(host), "SELECT count(*) FROM processes WHERE process_key = '" + key + "'"), key);
            }
        }
    }

    @Test
    void read_generatedDatabase_everyRowBecomesAnEvent() {
        for (Path db : dbs) {
            List<Event> events = new ArrayList<>();
            try (RecorderReader r = RecorderReader.open(db)) {
                ReadReport report = r.read("snap", events::add);
                assertEquals(r.eventCount(), report.eventsRead());
                assertEquals(0, report.rowsRejected());
                String host = r.meta().host();
                assertTrue(events.stream().allMatch(e -> e.get(Field.ENDPOINT).equals(host) && e.has(Field.PROCESS_PATH)),
                        "every event names its endpoint and process");
            }
            assertEquals(events.size(), events.stream().map(Event::uid).distinct().count());
        }
    }

    @Test
    void generate_intelCsv_isWellFormedAndRatesStoryHashes() throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("a/intel.csv"));
        assertEquals("hash,verdict,source,date", lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.split(",", -1);
            assertEquals(4, cols.length, line);
            assertTrue(cols[0].matches("[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}"), line);
            assertTrue(Set.of("malicious", "suspicious", "non-malicious").contains(cols[1]), line);
            assertFalse(cols[2].isBlank(), line);
            LocalDate.parse(cols[3]);
        }
        Set<String> malicious = lines.stream().filter(l -> l.contains(",malicious,")).map(l -> l.split(",")[0]).collect(Collectors.toSet());
        Set<String> suspicious = lines.stream().filter(l -> l.contains(",suspicious,")).map(l -> l.split(",")[0]).collect(Collectors.toSet());
        assertEquals(1, count(db("WS-FIN-01"), "SELECT count(*) FROM processes WHERE name = 'svcmon.exe' AND hash_sha256 IN ('"
                + String.join("','", malicious) + "')"));
        assertEquals(1, count(db("web-01"), "SELECT count(*) FROM processes WHERE name = 'kworkerd' AND hash_sha256 IN ('"
                + String.join("','", malicious) + "')"));
        assertEquals(2, count(db("mac-design-01"), "SELECT count(*) FROM processes WHERE hash_sha256 IN ('" + String.join("','", malicious) + "')"));
        assertEquals(1, count(db("DC-01"), "SELECT count(*) FROM processes WHERE name = 'PSEXESVC.exe' AND hash_sha256 IN ('"
                + String.join("','", suspicious) + "')"));
        assertTrue(lines.stream().filter(l -> l.startsWith(lines.get(1).split(",")[0])).count() > 1, "a hash rated by several sources");
    }

    /** SHA-256 over every row of every table, in key order: equal digests mean identical SQL content. */
    private static String contentDigest(Path db) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Connection c = sql(db); Statement s = c.createStatement()) {
            for (String q : List.of("SELECT * FROM meta ORDER BY key", "SELECT * FROM processes ORDER BY process_key",
                    "SELECT * FROM events ORDER BY id", "SELECT * FROM stories ORDER BY story_id")) {
                try (ResultSet rs = s.executeQuery(q)) {
                    ResultSetMetaData m = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= m.getColumnCount(); i++) {
                            md.update(String.valueOf(rs.getString(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            md.update((byte) 0);
                        }
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
