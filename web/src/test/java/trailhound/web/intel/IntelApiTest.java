package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.transform.stream.StreamSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.ingest.Ingestor;
import trailhound.recorder.RecorderReader;
import trailhound.recorder.RecorderStory;
import trailhound.samples.SampleGenerator;
import trailhound.query.IocTree;
import trailhound.web.WebTestSupport;

/**
 * The IOC API over the real server and the sample generator's endpoints: an IOC set to alert before
 * the import raises alerts; an IOC made from the WS-FIN-01 story's saved processes scans to exactly
 * that story; its exports are valid against the published schemas and import back to the same tree;
 * an analyst's scan covers only the endpoints of their groups.
 */
class IntelApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GOOD = "correct horse battery staple";

    @TempDir static Path dir;
    static WebTestSupport web;
    static RecorderStory story;
    static long alerting;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        HttpResponse<String> made = web.postJson("/api/v1/iocs", """
                {"name": "C2 and dumper", "alert": true, "tree": {"operator": "OR", "items": [
                  {"type": "ip", "condition": "is", "value": "185.141.63.120"},
                  {"type": "file_name", "value": "svcmon.exe"}]}}""");
        assertEquals(201, made.statusCode(), made.body());
        alerting = JSON.readTree(made.body()).get("id").asLong();
        List<Path> dbs = SampleGenerator.generate(dir.resolve("samples"), 4, 12_000, 7, n -> {});
        for (Path db : dbs) new Ingestor(web.data(), 1).ingest(db, null);
        try (RecorderReader r = RecorderReader.open(dbs.stream().filter(p -> p.getFileName().toString().startsWith("WS-FIN-01")).findFirst()
                .orElseThrow())) {
            story = r.stories().getFirst();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    @Test
    void iocFromTheStorysEvidence_scan_findsExactlyThatStory_andExportsValidateAndImportBack() throws Exception {
        var evidence = web.server().access().scope(Caller.commandLine()).savedEvidence();
        List<Long> ids = new ArrayList<>();
        for (String key : story.processKeys()) ids.add(evidence.saveProcess("WS-FIN-01", key, null, List.of()).id());
        // the story's programs are mostly the system's own: its command lines tell it apart
        HttpResponse<String> made = web.postJson("/api/v1/iocs", JSON.writeValueAsString(Map.of("name", "win-macro", "from_evidence", ids,
                "process_indicators", List.of("command_line"))));
        assertEquals(201, made.statusCode(), made.body());
        JsonNode ioc = JSON.readTree(made.body());
        long id = ioc.get("id").asLong();
        assertEquals(story.processKeys().size(), ioc.get("tree").get("items").size(), made.body());

        JsonNode scan = JSON.readTree(web.postJson("/api/v1/iocs/" + id + "/scan", "{}").body());
        assertEquals(1, scan.get("endpoints").size(), scan.toString());
        JsonNode ws = scan.get("endpoints").get(0);
        assertEquals("WS-FIN-01", ws.get("endpoint").asText());
        assertEquals(ws.get("count").asLong(), ws.get("events").size(), "every match listed");
        Set<String> keys = new HashSet<>();
        ws.get("events").forEach(e -> keys.add(e.get("process_key").asText()));
        assertEquals(Set.copyOf(story.processKeys()), keys);

        HttpResponse<String> xml = web.get("/api/v1/iocs/" + id + "/openioc");
        assertEquals(200, xml.statusCode());
        assertTrue(xml.headers().firstValue("Content-Type").orElse("").startsWith("application/xml"));
        IocFormatsTest.openIocSchema().validate(new StreamSource(new StringReader(xml.body())));
        HttpResponse<String> stix = web.get("/api/v1/iocs/" + id + "/stix");
        assertEquals(List.of(), IocFormatsTest.stixBundleSchema().validate(JSON.readTree(stix.body())).stream().map(Object::toString).toList());

        for (String document : List.of(xml.body(), stix.body())) {
            HttpResponse<String> imported = web.postJson("/api/v1/iocs/import?name=again", document);
            assertEquals(201, imported.statusCode(), imported.body());
            JsonNode back = JSON.readTree(imported.body());
            assertEquals(ioc.get("tree"), back.get("tree"));
            assertEquals(0, back.get("not_imported").size());
            assertEquals(scan.get("total"), JSON.readTree(web.postJson("/api/v1/iocs/" + back.get("id").asLong() + "/scan", "{}").body())
                    .get("total"));
        }

        HttpResponse<String> saved = web.postJson("/api/v1/iocs/" + id + "/evidence", "{\"endpoint\": \"WS-FIN-01\"}");
        assertEquals(201, saved.statusCode(), saved.body());
        assertEquals(ws.get("count").asLong(), JSON.readTree(saved.body()).get("events").asLong());
    }

    @Test
    void iocFromALargeEventItem_takesWhatOneIocHolds_leavesTheRestUnticked_andScans() throws Exception {
        List<String> uids = new ArrayList<>();
        JsonNode found = JSON.readTree(web.get("/api/v1/endpoints/WS-FIN-01/search?limit=10000&q=").body()).path("events");
        found.forEach(e -> uids.add(e.path("event_uid").asText()));
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", JSON.writeValueAsString(Map.of("kind", "event", "endpoint", "WS-FIN-01",
                "event_uids", uids)));
        assertEquals(201, saved.statusCode(), saved.body());
        long item = JSON.readTree(saved.body()).path("id").asLong();

        HttpResponse<String> made = web.postJson("/api/v1/iocs", JSON.writeValueAsString(Map.of("name", "large", "from_evidence", List.of(item))));
        assertEquals(201, made.statusCode(), made.body());
        JsonNode ioc = JSON.readTree(made.body());
        IocTree tree = trailhound.access.IocJson.read(ioc.get("tree"));
        int searches = trailhound.access.Intel.searches(tree);
        System.out.println("large item: " + uids.size() + " events, " + tree.items().size() + " items, " + searches + " searches, left out "
                + ioc.path("left_out").asLong());
        assertTrue(searches <= trailhound.access.Intel.maxSearches(), searches + " searches");
        assertTrue(ioc.path("left_out").asLong() > 0, "this item offers more than one IOC holds: " + made.body());
        assertTrue(ioc.path("left_out_reason").asText().contains("one IOC makes at most"), made.body());
        HttpResponse<String> scan = web.postJson("/api/v1/iocs/" + ioc.get("id").asLong() + "/scan", "{}");
        assertEquals(200, scan.statusCode(), scan.body());

        // every default ticked on the picker fits in one IOC too, and it says what it left out
        String page = web.get("/intel/new?picking=1&evidence=" + item).body();
        assertTrue(page.contains("id=\"over-limit\""), "the picker says why the rest is unticked");
        HttpResponse<String> tooMany = web.postJson("/api/v1/iocs", JSON.writeValueAsString(Map.of("name", "too many", "tree",
                Map.of("operator", "OR", "items", java.util.stream.IntStream.range(0, 1000).mapToObj(i -> Map.of("type", "ip", "value",
                        "10.0." + i / 256 + "." + i % 256)).toList()))));
        assertEquals(400, tooMany.statusCode(), tooMany.body());
        String error = JSON.readTree(tooMany.body()).path("error").asText();
        assertTrue(error.startsWith("the IOC's 1,000 items are more than one IOC holds"), error);
        assertFalse(error.contains("query") || error.contains("column"), "in the IOC's terms: " + error);
    }

    @Test
    void iocSetToAlert_beforeTheImport_alertsListedWithTheirEvents() throws Exception {
        JsonNode alerts = JSON.readTree(web.get("/api/v1/alerts").body()).get("alerts");
        assertTrue(alerts.size() >= 1, alerts.toString());
        long events = 0;
        for (JsonNode a : alerts) {
            assertEquals(alerting, a.get("rule").get("id").asLong());
            assertEquals("WS-FIN-01", a.get("endpoint").asText(), "the C2 address and svcmon.exe are WS-FIN-01's");
            assertEquals(a.get("events").asLong(), a.get("event_uids").size());
            events += a.get("events").asLong();
        }
        JsonNode scan = JSON.readTree(web.postJson("/api/v1/iocs/" + alerting + "/scan", "{}").body());
        assertEquals(scan.get("total").asLong(), events, "the alerts name exactly the events the scan finds");

        long first = alerts.get(0).get("id").asLong();
        HttpResponse<String> changed = web.postJson("/api/v1/alerts/" + first + "/state", "{\"state\": \"closed\"}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("closed", JSON.readTree(changed.body()).get("state").asText());
        assertEquals(400, web.postJson("/api/v1/alerts/" + first + "/state", "{\"state\": \"ignored\"}").statusCode());
        assertEquals(404, web.postJson("/api/v1/alerts/99999/state", "{\"state\": \"closed\"}").statusCode());
        String page = web.get("/alerts").body();
        assertTrue(page.contains("C2 and dumper"), page);
    }

    @Test
    void analystOutsideTheStorysGroup_scan_seesOnlyTheirEndpoints() throws Exception {
        var access = web.server().access();
        Caller cli = Caller.commandLine();
        access.groups().create(cli, "dc-only", null, List.of("DC-01"));
        access.accounts().create(cli, "hal", Role.ANALYST, List.of("dc-only"), GOOD, false);
        WebTestSupport hal = web.anotherBrowser().signIn("hal", GOOD);
        HttpResponse<String> made = hal.postJson("/api/v1/iocs", """
                {"name": "cmd", "tree": {"operator": "OR", "items": [{"type": "process_name", "value": "cmd.exe"}]}}""");
        assertEquals(201, made.statusCode(), made.body());
        long id = JSON.readTree(made.body()).get("id").asLong();
        JsonNode mine = JSON.readTree(hal.postJson("/api/v1/iocs/" + id + "/scan", "{}").body()).get("endpoints");
        JsonNode all = JSON.readTree(web.postJson("/api/v1/iocs/" + id + "/scan", "{}").body()).get("endpoints");
        assertEquals(1, mine.size(), mine.toString());
        assertEquals("DC-01", mine.get(0).get("endpoint").asText());
        assertTrue(all.size() >= 2, all.toString());
        assertEquals(404, hal.postJson("/api/v1/iocs/" + id + "/evidence", "{\"endpoint\": \"WS-FIN-01\"}").statusCode());
        assertTrue(JSON.readTree(hal.get("/api/v1/alerts").body()).get("alerts").isEmpty(), "WS-FIN-01's alerts are not hal's");
    }

    @Test
    void badTree_400NamingWhere() throws Exception {
        HttpResponse<String> bad = web.postJson("/api/v1/iocs", """
                {"name": "x", "tree": {"operator": "OR", "items": [{"type": "md5", "value": "abc"}]}}""");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("tree.items[0]: 'abc' is not an MD5 (32 hexadecimal digits)"), bad.body());
        HttpResponse<String> nothing = web.postJson("/api/v1/iocs/import", "[file:size > 1]");
        assertEquals(422, nothing.statusCode(), nothing.body());
        HttpResponse<String> unknown = web.get("/api/v1/iocs/424242/stix");
        assertEquals(404, unknown.statusCode());
    }

    @Test
    void aScanCutAtItsLimit_saysOfEachEndpointWhoseMatchesAreOlder_thatTheyAreAndWhereToFindThem() throws Exception {
        // fifth try-out: endpoints whose matches were all older than the newest listed showed empty sections unsaid
        HttpResponse<String> made = web.postJson("/api/v1/iocs", """
                {"name": "broad", "tree": {"operator": "OR", "items": [{"type": "process_name", "condition": "contains", "value": "e"}]}}""");
        long id = JSON.readTree(made.body()).get("id").asLong();
        JsonNode scan = JSON.readTree(web.postJson("/api/v1/iocs/" + id + "/scan", "{}").body());
        assertTrue(scan.get("total").asLong() > trailhound.access.Intel.SCAN_LIMIT, "a scan past its limit: " + scan.get("total"));
        int noted = 0;
        int empty = 0;
        for (JsonNode e : scan.get("endpoints")) {
            assertTrue(e.get("search").asText().startsWith("/endpoints/" + e.get("endpoint").asText() + "/events?q="), e.toString());
            boolean cut = e.get("events").size() < e.get("count").asLong();
            assertEquals(cut, e.has("note"), e.toString());
            if (cut) noted++;
            if (e.get("events").isEmpty()) {
                empty++;
                assertTrue(e.get("note").asText().startsWith("its matches are older than the newest 1,000 listed"), e.toString());
            }
        }
        assertTrue(noted > 0, "some endpoint's matches are not all listed");
        String page = web.postForm("/intel/" + id + "/scan", Map.of("_csrf", web.csrf())).body();
        assertEquals(empty, page.split("class=\"hint scan-older\"", -1).length - 1, "each endpoint with none listed says why: " + page);
        assertEquals(scan.get("endpoints").size(), page.split("class=\"scan-endpoint\"", -1).length - 1);
    }
}
