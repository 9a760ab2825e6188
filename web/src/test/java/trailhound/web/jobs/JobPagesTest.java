package trailhound.web.jobs;

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

/** Re-index jobs over the JSON API and the Jobs page: administrators only, progress, the index unchanged after. */
class JobPagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void reindexJob_startedByAnAdministrator_endsDoneWithEveryEvent_andOthersAreRefused() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(tmp).signIn()) {
            long before = json(web.get("/api/v1/endpoints")).path("endpoints").get(0).path("event_count").asLong();
            assertEquals(WebTestSupport.TOTAL, before);

            HttpResponse<String> started = web.postJson("/api/v1/jobs/reindex", "{\"all\":true}");
            assertEquals(202, started.statusCode(), started.body());
            long id = json(started).path("id").asLong();
            JsonNode job = json(started);
            for (int i = 0; i < 200 && !job.path("state").asText().matches("done|failed|cancelled"); i++) {
                Thread.sleep(100);
                job = json(web.get("/api/v1/jobs/" + id));
            }
            assertEquals("done", job.path("state").asText(), job.toString());
            assertEquals(1, job.path("endpoints_done").asLong());
            assertEquals(WebTestSupport.TOTAL, job.path("events_done").asLong());
            assertEquals(WebTestSupport.TOTAL, job.path("events_total").asLong());
            assertEquals("admin", job.path("owner").asText());
            assertEquals("done", job.path("endpoints").get(0).path("state").asText());
            assertEquals(before, json(web.get("/api/v1/endpoints")).path("endpoints").get(0).path("event_count").asLong());
            assertEquals(id, json(web.get("/api/v1/jobs")).path("jobs").get(0).path("id").asLong());

            HttpResponse<String> page = web.get("/jobs");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("id=\"job-" + id + "\"") && page.body().contains("done"), page.body());

            assertEquals(400, web.postJson("/api/v1/jobs/reindex", "{\"endpoints\":[\"no-such-host\"]}").statusCode());
            assertEquals(400, web.postJson("/api/v1/jobs/reindex", "not json").statusCode());
            assertEquals(404, web.get("/api/v1/jobs/999").statusCode());

            web.server().access().accounts().create(Caller.commandLine(), "ana", Role.ANALYST, java.util.List.of(), "analyst-password-1", false);
            web.signIn("ana", "analyst-password-1");
            assertEquals(403, web.postJson("/api/v1/jobs/reindex", "{\"all\":true}").statusCode());
            assertEquals(403, web.get("/api/v1/jobs").statusCode());
            assertEquals(403, web.get("/jobs").statusCode());
            assertEquals(403, web.postForm("/jobs/reindex", Map.of("_csrf", web.csrf(), "scope", "all")).statusCode());
            assertTrue(!web.get("/endpoints").body().contains("nav-jobs"), "no Jobs link for analysts");
        }
    }
}
