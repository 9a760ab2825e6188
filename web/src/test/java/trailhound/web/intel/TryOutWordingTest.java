package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.EventSort;
import trailhound.web.WebTestSupport;

/**
 * The wording the fourth try-out of issue #17 found wrong, over HTTP: plurals and thousands separators,
 * a long tag not echoed whole, an OpenIOC report naming an item without an id, the saved matches linked,
 * an alert of a deleted IOC saying so, a binary file refused as what it is.
 */
class TryOutWordingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path dir;
    static WebTestSupport web;
    static final List<String> uids = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        try (var lease = web.data().indexes().acquire(WebTestSupport.ENDPOINT)) {
            lease.index().export(null, EventSort.NEWEST_FIRST, 4, e -> uids.add(e.uid()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static long ioc(String name, String type, String value) throws Exception {
        HttpResponse<String> made = web.postJson("/api/v1/iocs", JSON.writeValueAsString(Map.of("name", name, "tree", Map.of("operator", "OR",
                "items", List.of(Map.of("type", type, "condition", "is", "value", value))))));
        assertEquals(201, made.statusCode(), made.body());
        return JSON.readTree(made.body()).path("id").asLong();
    }

    @Test
    void scanOnOneEndpoint_saysEndpointNotEndpoints_andLinksTheSavedMatches() throws Exception {
        long id = ioc("one domain", "domain", "host3.example.com");
        HttpResponse<String> scan = web.postForm("/intel/" + id + "/scan", Map.of("_csrf", web.csrf()));
        assertEquals(200, scan.statusCode(), scan.body());
        assertTrue(scan.body().contains("<h2>Scan: 1 matching event on 1 endpoint</h2>"), scan.body());
        assertTrue(scan.body().contains(": 1 event</h3>"), scan.body());

        HttpResponse<String> saved = web.postForm("/intel/" + id + "/evidence", Map.of("_csrf", web.csrf(), "endpoint", WebTestSupport.ENDPOINT));
        assertEquals(303, saved.statusCode(), saved.body());
        String page = web.get(saved.headers().firstValue("Location").orElseThrow()).body();
        String item = WebTestSupport.find(page, "Matches saved as <a href=\"/evidence/items/(\\d+)\" id=\"ioc-saved-link\">evidence item \\d+</a>");
        assertEquals(200, web.get("/evidence/items/" + item).statusCode());
        assertFalse(web.get("/intel/" + id + "?saved=%3Cb%3Ex").body().contains("id=\"ioc-saved\""), "only an item's id is shown");
    }

    @Test
    void alertOfADeletedIoc_saysSo_noLinkThat404s() throws Exception {
        long id = ioc("gone soon", "process_name", "powershell.exe");
        web.server().access().alerts().raise(WebTestSupport.ENDPOINT, "ioc", id, "gone soon", uids.subList(0, 1)).orElseThrow();
        assertTrue(web.get("/alerts").body().contains("href=\"/intel/" + id + "\" class=\"alert-rule\""));
        assertEquals(204, web.delete("/api/v1/iocs/" + id).statusCode());
        String alerts = web.get("/alerts").body();
        assertFalse(alerts.contains("href=\"/intel/" + id + "\""), "no link to a page that is gone: " + alerts);
        assertTrue(alerts.contains("<small class=\"rule-gone\">(IOC deleted)</small>"), alerts);
    }

    /** Fifth try-out: an alert of a deleted policy still linked its page (404). */
    @Test
    void alertOfADeletedPolicy_saysSo_noLinkThat404s() throws Exception {
        web.server().access().groups().create(trailhound.access.Caller.commandLine(), "Gone group", null, java.util.List.of(WebTestSupport.ENDPOINT));
        HttpResponse<String> made = web.postJson("/api/v1/policies", "{\"name\":\"Gone policy\",\"action\":\"alert\","
                + "\"groups\":[\"Gone group\"],\"rules\":[{\"path\":\"/tmp/gone\"}]}");
        assertEquals(201, made.statusCode(), made.body());
        long id = Long.parseLong(WebTestSupport.find(made.body(), "\"id\":(\\d+)"));
        web.server().access().alerts().raise(WebTestSupport.ENDPOINT, "policy", id, "Gone policy", uids.subList(0, 1)).orElseThrow();
        assertTrue(web.get("/alerts").body().contains("href=\"/policies/" + id + "\" class=\"alert-rule\""));
        assertEquals(204, web.delete("/api/v1/policies/" + id).statusCode());
        String alerts = web.get("/alerts").body();
        assertFalse(alerts.contains("href=\"/policies/" + id + "\""), "no link to a page that is gone: " + alerts);
        assertTrue(alerts.contains("<small class=\"rule-gone\">(policy deleted)</small>"), alerts);
    }

    @Test
    void aLongTag_isRefusedWithoutEchoingItWhole() throws Exception {
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"event\",\"endpoint\":\"" + WebTestSupport.ENDPOINT
                + "\",\"event_uids\":" + JSON.writeValueAsString(uids.subList(0, 1)) + ",\"tags\":[\"" + "t".repeat(5_000) + "\"]}");
        assertEquals(400, saved.statusCode(), saved.body());
        String error = JSON.readTree(saved.body()).path("error").asText();
        assertTrue(error.length() < 300, "cut: " + error.length() + " characters");
        assertTrue(error.contains("'" + "t".repeat(40) + "...' (5,000 characters): a tag is at most 64 characters"), error);
    }

    @Test
    void tooManyEvents_countsWithSeparators() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) many.add("uid-" + i);
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"event\",\"endpoint\":\"" + WebTestSupport.ENDPOINT
                + "\",\"event_uids\":" + JSON.writeValueAsString(many) + "}");
        assertEquals(400, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("10,001 events selected; an item holds at most 10,000"), saved.body());
    }

    @Test
    void openIocItemWithoutAnId_isNamedSo() throws Exception {
        String doc = IocImportRefusalsTest.OPENIOC.formatted("<Indicator id=\"g\" operator=\"OR\">" + IocImportRefusalsTest.ITEM
                + "<IndicatorItem condition=\"is\"><Context document=\"Email\" search=\"Email/From\"/>"
                + "<Content type=\"string\">a@example.com</Content></IndicatorItem></Indicator>");
        HttpResponse<String> imported = web.postJson("/api/v1/iocs/import", doc);
        assertEquals(201, imported.statusCode(), imported.body());
        JsonNode report = JSON.readTree(imported.body()).path("not_imported");
        assertEquals(1, report.size(), report.toString());
        assertTrue(report.get(0).asText().startsWith("IndicatorItem without an id (Email/From is 'a@example.com')"), report.toString());
    }

    @Test
    void aBinaryFile_isRefusedAsNoTextDocument() throws Exception {
        byte[] program = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 1, 2};
        HttpResponse<String> refused = web.postBytes("/api/v1/iocs/import", "application/octet-stream", program);
        assertEquals(422, refused.statusCode(), refused.body());
        String error = JSON.readTree(refused.body()).path("error").asText();
        assertTrue(error.startsWith("the file is not an OpenIOC (XML) or STIX 2.1 (JSON) text document"), error);
        assertFalse(error.contains("CTRL-CHAR"), error);
        byte[] ascii = "{\"type\":\"bundle\"\u0001}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String control = JSON.readTree(web.postBytes("/api/v1/iocs/import", "application/json", ascii).body()).path("error").asText();
        assertTrue(control.contains("it holds binary data (a control character, U+0001, at character 17)"), control);
    }
}
