package trailhound.web.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;
import trailhound.access.Caller;
import trailhound.access.Role;

/** Rename and purge from the endpoint list and the API: administrators only. */
class EndpointAdminPagesTest {
    @TempDir
    Path tmp;

    private static JsonNode endpoints(WebTestSupport web) throws Exception {
        return new ObjectMapper().readTree(web.get("/api/v1/endpoints").body()).path("endpoints");
    }

    @Test
    void renameThenPurge_asAnAdministrator_refusedToAnAnalyst() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(tmp).signIn()) {
            String page = web.get("/endpoints").body();
            assertTrue(page.contains("/endpoints/" + WebTestSupport.ENDPOINT + "/rename"), "the forms are offered to admins");

            web.server().access().accounts().create(Caller.commandLine(), "ana", Role.ANALYST, java.util.List.of(), "analyst-password-1", false);
            web.signIn("ana", "analyst-password-1");
            assertTrue(!web.get("/endpoints").body().contains("/rename"), "not to analysts");
            assertEquals(403, web.postJson("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/rename", "{\"name\":\"x\"}").statusCode());
            web.signIn();

            HttpResponse<String> renamed = web.postJson("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/rename",
                    "{\"name\":\"WS-RENAMED\"}");
            assertEquals(200, renamed.statusCode(), renamed.body());
            JsonNode list = endpoints(web);
            assertEquals(1, list.size());
            assertEquals("WS-RENAMED", list.get(0).path("name").asText());
            assertEquals(WebTestSupport.TOTAL, list.get(0).path("event_count").asLong());
            HttpResponse<String> oldName = web.get("/endpoints/" + WebTestSupport.ENDPOINT + "/events?q=type%3Afile");
            assertEquals(302, oldName.statusCode(), "a page under the old name leads to the same page under the new one");
            assertEquals("/endpoints/WS-RENAMED/events?q=type%3Afile", oldName.headers().firstValue("Location").orElseThrow());
            HttpResponse<String> oldApi = web.get("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/search?q=type%3Afile");
            assertEquals(404, oldApi.statusCode(), "the API says so instead");
            assertTrue(oldApi.body().contains("was renamed or merged into 'WS-RENAMED'"), oldApi.body());
            assertEquals(404, web.postJson("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/rename", "{\"name\":\"y\"}").statusCode());
            assertEquals(400, web.postJson("/api/v1/endpoints/WS-RENAMED/merge", "{\"into\":\"nowhere\"}").statusCode());

            assertEquals(400, web.postForm("/endpoints/WS-RENAMED/purge", Map.of("_csrf", web.csrf(), "confirm", "wrong")).statusCode());
            assertEquals(1, endpoints(web).size(), "a purge needs the name typed");
            assertEquals(303, web.postForm("/endpoints/WS-RENAMED/purge", Map.of("_csrf", web.csrf(), "confirm", "WS-RENAMED"))
                    .statusCode());
            assertEquals(0, endpoints(web).size());
        }
    }

    /** Try-out finding: a static group naming a name before it exists gained the endpoint silently on a rename. */
    @Test
    void aRenameThatWidensAccess_namesTheGroups_andWaitsForConfirmation() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(tmp).signIn()) {
            var access = web.server().access();
            access.groups().create(Caller.commandLine(), "Finance", null, java.util.List.of("WS-FIN-NEW"));
            String e = WebTestSupport.ENDPOINT;

            HttpResponse<String> asked = web.postJson("/api/v1/endpoints/" + e + "/rename", "{\"name\":\"WS-FIN-NEW\"}");
            assertEquals(409, asked.statusCode(), asked.body());
            JsonNode body = new ObjectMapper().readTree(asked.body());
            assertEquals("[\"Finance\"]", body.path("groups_gaining").toString());
            assertTrue(body.path("error").asText().contains("group Finance gains access"), asked.body());
            assertEquals(e, endpoints(web).get(0).path("name").asText(), "nothing renamed yet");

            HttpResponse<String> form = web.postForm("/endpoints/" + e + "/rename", Map.of("_csrf", web.csrf(), "name", "WS-FIN-NEW"));
            assertEquals(409, form.statusCode());
            assertTrue(form.body().contains("Renaming " + e + " to WS-FIN-NEW changes who sees its events: group Finance gains access."),
                    form.body());
            assertTrue(form.body().contains("name=\"confirm_access_change\" value=\"yes\""), "the form to confirm");

            assertEquals(303, web.postForm("/endpoints/" + e + "/rename",
                    Map.of("_csrf", web.csrf(), "name", "WS-FIN-NEW", "confirm_access_change", "yes")).statusCode());
            assertEquals("WS-FIN-NEW", endpoints(web).get(0).path("name").asText());
            var entry = access.audit().list(trailhound.store.AuditTrail.Filter.ALL, Long.MAX_VALUE, 1).get(0).event();
            assertEquals("endpoint.rename", entry.action());
            assertEquals("-> WS-FIN-NEW; group Finance gains access", entry.detail());

            // a rename that changes nobody's access needs no confirmation; a bad name is refused without the server.db path
            assertEquals(200, web.postJson("/api/v1/endpoints/WS-FIN-NEW/rename", "{\"name\":\"WS-FIN-NEW-2\"}").statusCode());
            HttpResponse<String> bad = web.postJson("/api/v1/endpoints/WS-FIN-NEW-2/rename", "{\"name\":\"../../x\"}");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("an endpoint name is 1 to 255 letters") && !bad.body().contains("server.db"), bad.body());
        }
    }

    @Test
    void distribution_statesTheRetentionLimitAndWhatItRemoved() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(tmp).signIn()) {
            String path = "/endpoints/" + WebTestSupport.ENDPOINT + "/distribution";
            assertTrue(web.get(path).body().contains("Retention: no limit"), "no limit by default");
            web.data().store().retention().set(WebTestSupport.ENDPOINT, null, 100L);
            long removed = trailhound.ingest.RetentionPolicy.applyNow(web.data(), WebTestSupport.ENDPOINT);
            assertEquals(WebTestSupport.TOTAL - 100, removed);
            String page = web.get(path).body();
            assertTrue(page.contains("Retention: at most 100 events; 50 older events removed (oldest kept 20"), page);
            JsonNode api = new ObjectMapper().readTree(web.get("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/distribution").body());
            assertEquals(100, api.path("total").asLong());
            assertTrue(api.path("retention").asText().contains("50 older events removed"), api.toString());
        }
    }

    /** Review finding: names from the telemetry went into links unencoded, so '/', '?', '"', '..' could not be opened. */
    @Test
    void oddEndpointNames_linkedEncoded_andTheirPagesOpen() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(tmp).signIn()) {
            java.util.List<String> names = java.util.List.of("back/../../etc", "a b?c #1", "\"quoted\"", "..");
            StringBuilder lines = new StringBuilder();
            for (String name : names) {
                lines.append("{\"EventID\":11,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":")
                        .append(new com.fasterxml.jackson.databind.node.TextNode(name)).append(",\"UtcTime\":\"2020-10-19 07:30:46.251\",")
                        .append("\"ProcessGuid\":\"{AB-CD}\",\"ProcessId\":\"7\",\"Image\":\"C:\\\\x\\\\a.exe\",")
                        .append("\"TargetFilename\":\"C:\\\\f.txt\"}\n");
            }
            Path file = java.nio.file.Files.writeString(tmp.resolve("odd.json"), lines);
            new trailhound.ingest.Ingestor(web.data(), 1).ingest(file, null);
            String list = web.get("/endpoints").body();
            for (String name : names) {
                String href = "/endpoints/" + trailhound.web.Format.segment(name) + "/events";
                assertTrue(list.contains("href=\"" + href.replace("\"", "&#34;") + "\"") || list.contains("href=\"" + href + "\""),
                        "linked encoded: " + href);
                HttpResponse<String> events = web.get(href);
                assertEquals(200, events.statusCode(), name + " -> " + href + ": " + events.body());
                // review finding: the grid's own forms and row links put the name in unencoded
                String action = "action=\"" + href.replace("\"", "&#34;") + "\"";
                assertTrue(events.body().contains(action) || events.body().contains("action=\"" + href + "\""),
                        "the typed search form posts to " + href);
                assertEquals(200, web.get("/endpoints/" + trailhound.web.Format.segment(name) + "/distribution").statusCode(), name);
            }
        }
    }
}
