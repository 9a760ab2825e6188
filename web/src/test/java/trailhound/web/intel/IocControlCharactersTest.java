package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.transform.stream.StreamSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;

/**
 * IOC values holding characters XML 1.0 cannot hold (an ESC from an attacker's command line, a typed
 * U+0001, a carriage return), over the real server: the OpenIOC export is valid against the schema, and
 * importing it (and the STIX export) gives back the same values.
 */
class IocControlCharactersTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    @Test
    void controlCharactersInValues_exportValid_andImportBackTheSameValues() throws Exception {
        List<String> values = List.of("printf \u001b[31mred\u001b[0m", "typed\u0001one", "a\\u001B literal and C:\\Temp\\x.exe",
                "two\r\nlines\tand a tab");
        List<Map<String, String>> items = values.stream().map(v -> Map.of("type", "command_line", "condition", "is", "value", v)).toList();
        HttpResponse<String> made = web.postJson("/api/v1/iocs", JSON.writeValueAsString(Map.of("name", "control chars",
                "tree", Map.of("operator", "OR", "items", items))));
        assertEquals(201, made.statusCode(), made.body());
        JsonNode ioc = JSON.readTree(made.body());
        long id = ioc.get("id").asLong();

        HttpResponse<String> xml = web.get("/api/v1/iocs/" + id + "/openioc");
        assertEquals(200, xml.statusCode(), xml.body());
        IocFormatsTest.openIocSchema().validate(new StreamSource(new StringReader(xml.body())));
        assertTrue(xml.body().contains("printf \\u001B[31mred\\u001B[0m"), xml.body());
        assertTrue(xml.body().contains("name=\"" + OpenIoc.ESCAPED_PARAM + "\""), xml.body());
        HttpResponse<String> stix = web.get("/api/v1/iocs/" + id + "/stix");
        assertEquals(200, stix.statusCode(), stix.body());

        for (String document : List.of(xml.body(), stix.body())) {
            HttpResponse<String> imported = web.postJson("/api/v1/iocs/import?name=again", document);
            assertEquals(201, imported.statusCode(), imported.body());
            JsonNode back = JSON.readTree(imported.body());
            assertEquals(0, back.get("not_imported").size(), imported.body());
            assertEquals(ioc.get("tree"), back.get("tree"), "the same values, character for character");
        }
    }

    @Test
    void aNameWithControlCharacters_isRefusedWhenTyped_andCleanedWhenImported() throws Exception {
        // fifth try-out: an IOC named with U+0000 was kept; its OpenIOC export came back named otherwise
        Map<String, Object> tree = Map.of("operator", "OR", "items", List.of(Map.of("type", "domain", "condition", "is", "value", "evil.example")));
        for (String name : List.of("nul\u0000here", "esc\u001b[31m", "two\nlines")) {
            HttpResponse<String> refused = web.postJson("/api/v1/iocs", JSON.writeValueAsString(Map.of("name", name, "tree", tree)));
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("the IOC's name cannot hold line breaks, tabs or other control characters"), refused.body());
        }
        HttpResponse<String> made = web.postJson("/api/v1/iocs", JSON.writeValueAsString(Map.of("name", "plain", "tree", tree)));
        String stix = web.get("/api/v1/iocs/" + JSON.readTree(made.body()).get("id").asLong() + "/stix").body()
                .replaceAll("\"name\"\\s*:\\s*\"plain\"", "\"name\":\"from\\\\u0000 elsewhere\\\\u202E\"");
        assertTrue(stix.contains("from\\u0000"), stix);
        HttpResponse<String> imported = web.postJson("/api/v1/iocs/import", stix);
        assertEquals(201, imported.statusCode(), imported.body());
        assertEquals("from elsewhere\u202E", JSON.readTree(imported.body()).get("name").asText(),
                "a document's name is cleaned, not refused; a bidi mark stays (pages mark it)");
    }
}
