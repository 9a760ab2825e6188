package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.web.WebTestSupport;

/** The typed query box's suggestions over HTTP, each count checked against the count API for "field:value". */
class SuggestApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String BASE = "/api/v1/endpoints/" + WebTestSupport.ENDPOINT;

    @TempDir
    static Path dir;

    static WebTestSupport web;
    static String admin;
    static String outsider;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        var access = web.server().access();
        Caller cli = Caller.commandLine();
        web.data().catalogue().upsertEndpoint("WS-OTHER-01", "windows", null, null);
        access.groups().create(cli, "other", null, List.of("WS-OTHER-01"));
        access.accounts().create(cli, "hal", Role.READ_ONLY, List.of("other"), "a long test password", false);
        admin = access.tokens().create(cli, "admin", "suggest test", 1).secret();
        outsider = access.tokens().create(cli, "hal", "suggest test", 1).secret();
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static HttpResponse<String> get(String token, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(web.server().url() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode suggest(String query) throws Exception {
        HttpResponse<String> r = get(admin, BASE + "/suggest?" + query);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static long count(String query) throws Exception {
        return JSON.readTree(get(admin, BASE + "/count?q=" + WebTestSupport.enc(query)).body()).get("total").asLong();
    }

    @Test
    void values_haveTheCountTheirQueryHas_mostFirst() throws Exception {
        for (String[] fp : new String[][] {{"process_name", "p"}, {"user", "CORP"}, {"remote_port", "4"}, {"dns_query", "host1"},
                {"type", ""}, {"file_path", "c:\\users\\bob\\appdata\\roaming\\drop1"}}) {
            JsonNode body = suggest("field=" + fp[0] + "&prefix=" + WebTestSupport.enc(fp[1]) + "&limit=50");
            JsonNode list = body.get("suggestions");
            assertTrue(list.size() > 0, fp[0] + ": " + body);
            long previous = Long.MAX_VALUE;
            for (JsonNode s : list) {
                String value = s.get("value").asText();
                assertTrue(value.startsWith(fp[1].toLowerCase()), value);
                long n = s.get("count").asLong();
                assertTrue(n <= previous, "most first: " + list);
                previous = n;
                String quoted = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
                assertEquals(count(fp[0] + ":" + quoted), n, fp[0] + ":" + value);
            }
        }
        JsonNode names = suggest("field=process_name&prefix=POWER").get("suggestions");
        assertEquals("powershell.exe", names.get(0).get("value").asText());
        assertEquals(count("process_name:powershell.exe"), names.get(0).get("count").asLong());
    }

    @Test
    void anAlias_addsUpItsFields() throws Exception {
        JsonNode ip = suggest("field=ip&prefix=10.").get("suggestions");
        assertEquals("10.1.2.3", ip.get(0).get("value").asText());
        assertEquals(count("ip:10.1.2.3"), ip.get(0).get("count").asLong());
    }

    @Test
    void withoutAField_theFieldNamesAndAliases() throws Exception {
        List<String> names = new ArrayList<>();
        suggest("prefix=proc&limit=50").get("suggestions").forEach(s -> names.add(s.get("value").asText()));
        assertTrue(names.containsAll(List.of("process_key", "process_path", "process_name")), names.toString());
        assertTrue(names.stream().allMatch(n -> n.startsWith("proc")), names.toString());
        List<String> aliases = new ArrayList<>();
        suggest("prefix=IP").get("suggestions").forEach(s -> aliases.add(s.get("value").asText()));
        assertEquals(List.of("ip"), aliases);
    }

    @Test
    void badRequests_sayWhatIsWrong() throws Exception {
        String[][] cases = {
            {"field=ts&prefix=2026", "no values to suggest"},
            {"field=no_such_field&prefix=a", "unknown field 'no_such_field'"},
            {"field=user&limit=0", "limit must be a whole number from 1 to 50"},
            {"field=user&limit=51", "limit must be a whole number from 1 to 50"},
            {"field=user&limit=ten", "limit must be a whole number from 1 to 50"},
            {"field=user&prefix=" + "a".repeat(257), "prefix holds at most 256 characters"}};
        for (String[] c : cases) {
            HttpResponse<String> r = get(admin, BASE + "/suggest?" + c[0]);
            assertEquals(400, r.statusCode(), c[0]);
            assertTrue(JSON.readTree(r.body()).get("error").asText().contains(c[1]), r.body());
        }
        assertEquals(0, suggest("field=user&prefix=" + WebTestSupport.enc(".*")).get("suggestions").size(), "no regex");
    }

    @Test
    void anEndpointOutsideOnesGroups_isUnknown_likeOneThatDoesNotExist() throws Exception {
        HttpResponse<String> hidden = get(outsider, BASE + "/suggest?field=user&prefix=c");
        HttpResponse<String> none = get(outsider, "/api/v1/endpoints/NO-SUCH-01/suggest?field=user&prefix=c");
        assertEquals(404, hidden.statusCode());
        assertEquals(none.body().replace("NO-SUCH-01", "X"), hidden.body().replace(WebTestSupport.ENDPOINT, "X"));
        assertFalse(hidden.body().contains("corp"));
    }
}
