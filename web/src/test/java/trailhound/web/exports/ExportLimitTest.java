package trailhound.web.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Exports;
import trailhound.web.WebTestSupport;

/**
 * One user may have {@link Exports#MAX_ACTIVE_PER_USER} exports queued or running: the next is a 429
 * naming them, how many wait, and to cancel one; once one is cancelled, the next is taken. Another
 * user's exports are not counted. The user's two are queued straight into server.db (the real store),
 * so they stay queued whatever the machine's speed.
 */
class ExportLimitTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String REQUEST = "{\"endpoint\":\"" + WebTestSupport.ENDPOINT + "\",\"q\":\"type:file\"}";

    @TempDir Path dir;

    @Test
    void aThirdExportWhileTwoAreQueued_429SayingWhichAndToCancelOne() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            var jobs = web.data().store().jobs();
            long first = jobs.create(Exports.KIND, "admin", List.of(WebTestSupport.ENDPOINT), 90, REQUEST);
            long second = jobs.create(Exports.KIND, "admin", List.of(WebTestSupport.ENDPOINT), 90, REQUEST);
            jobs.create(Exports.KIND, "someone-else", List.of(WebTestSupport.ENDPOINT), 90, REQUEST);

            HttpResponse<String> refused = web.postJson("/api/v1/exports", REQUEST);
            assertEquals(429, refused.statusCode(), refused.body());
            String error = JSON.readTree(refused.body()).get("error").asText();
            assertTrue(error.startsWith("you have 2 exports queued or running (#" + first + " queued, #" + second + " queued)"), error);
            assertTrue(error.contains("3 exports are waiting in the queue"), error);
            assertTrue(error.contains("cancel one"), error);

            assertEquals(200, web.postJson("/api/v1/exports/" + first + "/cancel", "{}").statusCode());
            HttpResponse<String> taken = web.postJson("/api/v1/exports", REQUEST);
            assertEquals(202, taken.statusCode(), taken.body());
        }
    }
}
