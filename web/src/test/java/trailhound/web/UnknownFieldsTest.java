package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;

/**
 * Fifth try-out of issue #17: a misspelled JSON field was ignored, and the request meant more than written: a policy
 * rule {"path":"/usr/bin/*","comand_line":"*--evil*"} became "every /usr/bin program", an export with "query" exported
 * every event, an IOC item's "conditon" became "is". Each is refused with 400 naming the field; nothing is made.
 */
class UnknownFieldsTest {
    @TempDir static Path dir;
    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        web.server().access().groups().create(Caller.commandLine(), "Workstations", null, List.of(WebTestSupport.ENDPOINT));
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static void refused(HttpResponse<String> r, String field) {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("unknown field '" + field + "'"), r.body());
    }

    @Test
    void misspelledFields_refusedNamingThem_nothingMade() throws Exception {
        refused(web.postJson("/api/v1/policies", "{\"name\":\"Typo key\",\"action\":\"alert\",\"groups\":[\"Workstations\"],"
                + "\"rules\":[{\"path\":\"/usr/bin/*\",\"comand_line\":\"*--evil*\"}]}"), "comand_line");
        refused(web.postJson("/api/v1/policies", "{\"name\":\"Typo key\",\"action\":\"alert\",\"groups\":[\"Workstations\"],"
                + "\"rules\":[{\"path\":\"/usr/bin/x\"}],\"acton\":\"block\"}"), "acton");
        assertEquals("[]", web.get("/api/v1/policies").body().replaceAll("\\s", "").replaceFirst(".*\"policies\":(\\[\\]).*", "$1"),
                "no policy made: " + web.get("/api/v1/policies").body());
        refused(web.postJson("/api/v1/exports", "{\"endpoint\":\"" + WebTestSupport.ENDPOINT + "\",\"query\":\"process_name:x\"}"), "query");
        refused(web.postJson("/api/v1/iocs", "{\"name\":\"Typo\",\"alret\":true,\"tree\":{\"type\":\"process_name\",\"value\":\"x\"}}"),
                "alret");
        HttpResponse<String> item = web.postJson("/api/v1/iocs", "{\"name\":\"Typo\",\"tree\":{\"type\":\"process_name\","
                + "\"conditon\":\"contains\",\"value\":\"x\"}}");
        refused(item, "conditon");

        HttpResponse<String> made = web.postJson("/api/v1/policies", "{\"name\":\"Right\",\"action\":\"alert\",\"groups\":[\"Workstations\"],"
                + "\"rules\":[{\"path\":\"/usr/bin/x\",\"command_line\":\"*--evil*\"}]}");
        assertEquals(201, made.statusCode(), made.body());
        String id = WebTestSupport.find(made.body(), "\"id\":(\\d+)");
        refused(web.putJson("/api/v1/policies/" + id, "{\"rules\":[{\"path\":\"/usr/bin/x\",\"comandline\":\"y\"}]}"), "comandline");
        refused(web.putJson("/api/v1/policies/" + id, "{\"nmae\":\"Other\"}"), "nmae");
    }
}
