package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Try-out finding: the JSON API took a lone string for a list (as "none") and numbers as text; now a 400 says the shape. */
class JsonBodiesTest {
    @TempDir
    Path dir;

    @Test
    void wrongTypesAreRefusedWithTheExpectedShape() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            String e = WebTestSupport.ENDPOINT;
            Map<String, String> refused = Map.of(
                    "/api/v1/users", "{\"name\": \"ana\", \"role\": \"analyst\", \"groups\": \"All endpoints\"}",
                    "/api/v1/tokens", "{\"name\": \"script\", \"days\": \"90\"}",
                    "/api/v1/jobs/reindex", "{\"endpoints\": \"" + e + "\"}",
                    "/api/v1/endpoints/" + e + "/tags", "{\"add\": \"lab\"}");
            for (Map.Entry<String, String> r : refused.entrySet()) {
                HttpResponse<String> answer = web.postJson(r.getKey(), r.getValue());
                assertEquals(400, answer.statusCode(), r.getKey() + ": " + answer.body());
                assertTrue(answer.body().contains("expected"), r.getKey() + ": " + answer.body());
            }
            assertTrue(web.server().access().accounts().find("ana").isEmpty(), "no user made with no groups");
            assertEquals(201, web.postJson("/api/v1/users",
                    "{\"name\": \"ana\", \"role\": \"analyst\", \"groups\": [\"All endpoints\"]}").statusCode());
            assertEquals(201, web.postJson("/api/v1/tokens", "{\"name\": \"script\", \"days\": 90}").statusCode());
            assertEquals(200, web.postJson("/api/v1/endpoints/" + e + "/tags", "{\"add\": [\"lab\"]}").statusCode());
        }
    }
}
