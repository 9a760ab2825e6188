package trailhound.web.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.reputation.SightingsFixture.FIN1_FIRST;
import static trailhound.web.reputation.SightingsFixture.MD5;
import static trailhound.web.reputation.SightingsFixture.SHA256;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;

/**
 * Where a hash was seen (the reputation report and its JSON twin) and a badge on every hash of a
 * process, on the real server over {@link SightingsFixture}: the expected sightings are read off the
 * fixture's own description, not computed by the code under test.
 */
class SightingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static WebTestSupport web;
    static String admin;
    static String analyst;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        SightingsFixture.write(web, dir);
        SightingsFixture.addUsers(web);
        admin = SightingsFixture.token(web, "root");
        analyst = SightingsFixture.token(web, "ana");
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(web.server().url() + path)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String path, String token) throws Exception {
        HttpResponse<String> r = get(path, token);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** The HTML with every run of white space as one space. */
    private static String squash(String html) {
        return html.replaceAll("\\s+", " ");
    }

    @Test
    void api_analyst_seesOnlyTheGroupsEndpointsWithFirstAndLastSeen() throws Exception {
        for (String hash : List.of(MD5, SHA256, MD5.toUpperCase())) {
            JsonNode seen = json("/api/v1/reputation/" + hash, analyst).get("seen");

            assertEquals(5, seen.get("total").asLong(), hash + ": 4 on WS-FIN-01 (3 starts, 1 image load), 1 on WS-FIN-02");
            assertEquals(2, seen.get("endpoint_count").asInt());
            assertEquals(4, seen.get("process_count").asLong());
            assertTrue(seen.get("complete").asBoolean());
            JsonNode fin1 = seen.get("endpoints").get(0);
            assertEquals("WS-FIN-01", fin1.get("endpoint").asText());
            assertEquals(4, fin1.get("events").asLong());
            assertEquals("2026-11-19T00:00:10.000Z", fin1.get("first_seen").asText());
            assertEquals("2026-11-19T00:01:00.000Z", fin1.get("last_seen").asText());
            assertEquals("/endpoints/WS-FIN-01/events?q=hash%3A" + hash.toLowerCase(), fin1.get("events_url").asText());
            JsonNode fin2 = seen.get("endpoints").get(1);
            assertEquals("WS-FIN-02", fin2.get("endpoint").asText());
            assertEquals("2026-11-19T00:05:00.000Z", fin2.get("first_seen").asText());
            assertEquals(fin2.get("first_seen"), fin2.get("last_seen"));

            List<String> processes = new ArrayList<>();
            seen.get("processes").forEach(p -> processes.add(p.get("endpoint").asText() + " " + p.get("process_key").asText()
                    + " " + p.get("events").asLong() + " " + p.get("first_seen").asText() + " " + p.get("last_seen").asText()));
            assertEquals(List.of(
                    "WS-FIN-02 00000002-0000-0000-0000-000000000000 1 2026-11-19T00:05:00.000Z 2026-11-19T00:05:00.000Z",
                    "WS-FIN-01 " + FIN1_FIRST + " 2 2026-11-19T00:00:10.000Z 2026-11-19T00:01:00.000Z",
                    "WS-FIN-01 00000001-0000-0000-0000-000000000002 1 2026-11-19T00:00:30.000Z 2026-11-19T00:00:30.000Z",
                    "WS-FIN-01 00000001-0000-0000-0000-000000000001 1 2026-11-19T00:00:20.000Z 2026-11-19T00:00:20.000Z"),
                    processes, "newest last sighting first");
            JsonNode first = seen.get("processes").get(1);
            assertEquals("C:\\Tools\\svcmon.exe", first.get("image_path").asText());
            assertEquals("/endpoints/WS-FIN-01/process/" + FIN1_FIRST, first.get("process_url").asText());
            assertFalse(seen.toString().contains("LAB-01"), "an endpoint outside the analyst's groups is never named");
        }
    }

    @Test
    void api_administrator_everyEndpoint_processesCappedAndMarkedIncomplete() throws Exception {
        JsonNode seen = json("/api/v1/reputation/" + SHA256, admin).get("seen");

        assertEquals(5 + SightingsFixture.LAB_STARTS, seen.get("total").asLong());
        assertEquals(3, seen.get("endpoint_count").asInt());
        assertEquals(4 + SightingsFixture.LAB_STARTS, seen.get("process_count").asLong());
        assertEquals("LAB-01", seen.get("endpoints").get(0).get("endpoint").asText(), "most events first");
        assertEquals("2026-11-19T00:09:00.000Z", seen.get("endpoints").get(0).get("first_seen").asText());
        assertEquals("2026-11-19T00:10:40.000Z", seen.get("endpoints").get(0).get("last_seen").asText());
        assertEquals(Sightings.MAX_PROCESSES, seen.get("processes").size());
        assertFalse(seen.get("complete").asBoolean(), "more processes than listed");
        assertEquals("/hunt?q=hash%3A" + SHA256, seen.get("hunt_url").asText());
    }

    @Test
    void page_analyst_whereSeenTableLinksToGridProcessesAndHunt() throws Exception {
        HttpResponse<String> r = get("/reputation/" + MD5, analyst);

        assertEquals(200, r.statusCode());
        String html = r.body();
        assertTrue(html.contains("id=\"where-seen\""), html);
        assertTrue(html.contains("<a href=\"/endpoints/WS-FIN-01/events?q=hash%3A" + MD5 + "\">WS-FIN-01</a>"), html);
        assertTrue(html.contains("<a href=\"/endpoints/WS-FIN-01/process/" + FIN1_FIRST + "\" title=\"Open the process\">C:\\Tools\\svcmon.exe</a>"), html);
        assertTrue(html.contains("<td class=\"ts\">2026-11-19T00:00:10.000Z</td><td class=\"ts\">2026-11-19T00:01:00.000Z</td>"), html);
        assertTrue(html.contains("href=\"/hunt?q=hash%3A" + MD5 + "\" id=\"seen-hunt\""), html);
        assertFalse(html.contains("LAB-01"));
        assertFalse(html.contains("id=\"seen-more\""), "everything listed");
        assertTrue(get("/reputation/" + MD5, admin).body().contains("id=\"seen-more\""), "the administrator's list is cut");
    }

    @Test
    void page_hashSeenNowhere_saysSo() throws Exception {
        String html = get("/reputation/" + "e".repeat(64), analyst).body();

        assertTrue(html.contains("id=\"seen-nowhere\""), html);
    }

    @Test
    void reputation_audited_onceWithTheHash() throws Exception {
        json("/api/v1/reputation/" + SHA256, analyst);

        String audit = get("/api/v1/audit?user=ana&limit=5", admin).body();
        assertTrue(audit.contains("where seen: " + SHA256), audit);
    }

    @Test
    void processPage_intelMd5Malicious_md5BadgeMaliciousSha256Unknown_treeMalicious() throws Exception {
        String html = squash(get("/endpoints/WS-FIN-01/process/" + FIN1_FIRST, analyst).body().replace("<wbr>", "")); // line-break hints inside values (search/value.jte)

        assertTrue(html.contains("<code>" + pv("hash_md5", MD5) + "</code> <a class=\"verdict-badge verdict-malicious\" id=\"reputation-badge-md5\" href=\"/reputation/" + MD5 + "\""), html);
        assertTrue(html.contains("<code>" + pv("hash_sha256", SHA256) + "</code> <a class=\"verdict-badge verdict-unknown\" id=\"reputation-badge\" href=\"/reputation/" + SHA256 + "\""), html);
        assertTrue(html.contains("tree-verdict verdict-malicious\" title=\"Malicious\""), "the tree takes the strongest of the hashes");

        JsonNode api = json("/api/v1/endpoints/WS-FIN-01/process/" + FIN1_FIRST, analyst);
        assertEquals("malicious", api.get("reputations").get("hash_md5").get("verdict").asText());
        assertEquals("unknown", api.get("reputations").get("hash_sha256").get("verdict").asText());
    }

    @Test
    void eventHistory_everyHashFieldBadged() throws Exception {
        String html = squash(get("/endpoints/WS-FIN-01/process/" + FIN1_FIRST + "/events", analyst).body().replace("<wbr>", "")); // line-break hints inside values (search/value.jte)

        assertTrue(html.contains("<dt>hash_md5</dt><dd>" + pv("hash_md5", MD5) + " <a class=\"verdict-badge verdict-malicious\" href=\"/reputation/" + MD5 + "\""), html);
        assertTrue(html.contains("<dt>hash_sha256</dt><dd>" + pv("hash_sha256", SHA256) + " <a class=\"verdict-badge verdict-unknown\" href=\"/reputation/" + SHA256 + "\""), html);
    }

    @Test
    void grid_hashCells_lazyBadgeWithoutId() throws Exception {
        String html = squash(get("/endpoints/WS-FIN-01/events?q=" + WebTestSupport.enc("type:process"), analyst).body());

        assertTrue(html.contains("data-value=\"" + SHA256 + "\">" + SHA256 + "<wbr></span> <span class=\"verdict-slot\" hx-get=\"/reputation/" + SHA256 + "/badge?id=none\""), html);
        String hunt = squash(get("/hunt?q=" + WebTestSupport.enc("type:process AND process_name:svcmon.exe"), analyst).body());
        assertTrue(hunt.replace("<wbr>", "").contains(SHA256 + "</span> <span class=\"verdict-slot\" hx-get=\"/reputation/" + SHA256 + "/badge?id=none\""), hunt);
        String badge = get("/reputation/" + MD5 + "/badge?id=none", analyst).body();
        assertTrue(badge.contains("class=\"verdict-badge verdict-malicious\" href="), badge);
        assertFalse(badge.contains(" id="), badge);
        assertTrue(get("/reputation/" + MD5 + "/badge?id=%22%3E%3Cscript%3E", analyst).body().contains("id=\"reputation-badge\""),
                "an id outside the few known is the main one, never echoed");
    }

    /** A value as pages show it: inside its pivot (tag/pv.jte). */
    private static String pv(String field, String value) {
        return "<span class=\"pv\" data-field=\"" + field + "\" data-value=\"" + value + "\">" + value + "</span>";
    }
}
