package trailhound.web.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@code GET /api/v1/suggest}, the hunt page's suggestions: each value's count is the sum of the
 * per-endpoint suggest API's counts over the endpoints the caller may see, and endpoints outside the
 * caller's groups add nothing.
 */
class HuntSuggestApiTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static WebTestSupport web;
    static String admin;
    static String analyst;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        HuntFixture.addEndpoints(web, dir);
        HuntFixture.addUsers(web);
        admin = HuntFixture.token(web, "root");
        analyst = HuntFixture.token(web, "ana");
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

    /** The count of one value summed over the per-endpoint suggest API, endpoint by endpoint. */
    private static long perEndpoint(List<String> endpoints, String field, String value) throws Exception {
        long sum = 0;
        for (String ep : endpoints) {
            for (JsonNode s : json("/api/v1/endpoints/" + ep + "/suggest?limit=50&field=" + field + "&prefix="
                    + WebTestSupport.enc(value), admin).get("suggestions")) {
                if (s.get("value").asText().equals(value)) sum += s.get("count").asLong();
            }
        }
        return sum;
    }

    @Test
    void values_countsAreTheSumOverTheVisibleEndpoints() throws Exception {
        for (String field : List.of("command_line", "process_path", "path", "user")) {
            for (String token : List.of(admin, analyst)) {
                List<String> visible = token.equals(admin) ? HuntFixture.ALL : HuntFixture.FIN;
                JsonNode body = json("/api/v1/suggest?limit=50&field=" + field + "&prefix=", token);
                assertEquals(visible.size(), body.get("endpoints").asInt(), field);
                assertEquals(visible.size(), body.get("endpoints_searched").asInt(), field);
                List<String> values = new ArrayList<>();
                for (JsonNode s : body.get("suggestions")) {
                    values.add(s.get("value").asText());
                    assertEquals(perEndpoint(visible, field, s.get("value").asText()), s.get("count").asLong(), field + " " + s);
                }
                assertTrue(!values.isEmpty(), field);
            }
        }
    }

    @Test
    void values_ofEndpointsOutsideTheGroups_neverSuggested() throws Exception {
        JsonNode mimikatz = json("/api/v1/suggest?field=command_line&prefix=mimi", analyst);
        assertEquals("mimikatz.exe sekurlsa::logonpasswords", mimikatz.get("suggestions").get(0).get("value").asText());
        assertEquals(4 + 3, mimikatz.get("suggestions").get(0).get("count").asLong(), "WS-FIN-01's 4 and WS-FIN-02's 3, not LAB-01's 2");
        assertEquals(4 + 3 + 2, json("/api/v1/suggest?field=command_line&prefix=mimi", admin).get("suggestions").get(0).get("count").asLong());
        // the test endpoint's users are outside the analyst's groups
        JsonNode users = json("/api/v1/suggest?field=user&prefix=", analyst);
        assertEquals(1, users.get("suggestions").size(), users.toString());
        assertEquals("corp\\ana", users.get("suggestions").get(0).get("value").asText());
    }

    @Test
    void windowsPathPrefix_asTheIndexHoldsIt() throws Exception {
        JsonNode paths = json("/api/v1/suggest?field=process_path&prefix=" + WebTestSupport.enc("C:\\Tools\\"), analyst);
        assertEquals("c:\\tools\\x.exe", paths.get("suggestions").get(0).get("value").asText());
        assertEquals(20 + 12, paths.get("suggestions").get(0).get("count").asLong());
    }

    @Test
    void fieldNames_withoutField_andBadRequests() throws Exception {
        JsonNode names = json("/api/v1/suggest?prefix=process_n", analyst);
        assertEquals("process_name", names.get("suggestions").get(0).get("value").asText());
        assertTrue(names.get("suggestions").get(0).get("count").isNull());
        HttpResponse<String> unknown = get("/api/v1/suggest?field=nope&prefix=a", analyst);
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("unknown field 'nope'"), unknown.body());
        assertEquals(400, get("/api/v1/suggest?field=ts", analyst).statusCode());
        assertEquals(400, get("/api/v1/suggest?field=user&limit=51", analyst).statusCode());
    }
}
