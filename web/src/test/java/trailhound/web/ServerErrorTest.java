package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server-side failure (the data folder closed under the server) gives a reference id, never a stack trace. */
class ServerErrorTest {
    @TempDir
    Path dir;

    @Test
    void failure_pageAndApi_500WithReferenceNoStackTrace() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            web.data().close();
            HttpResponse<String> page = web.get("/endpoints/" + WebTestSupport.ENDPOINT + "/events");
            assertEquals(500, page.statusCode());
            String reference = WebTestSupport.find(page.body(), "id=\"error-reference\">([0-9a-f]{8})<");
            assertTrue(page.body().contains("Quote reference " + reference));
            assertFalse(page.body().contains("Exception"), page.body());
            assertFalse(page.body().contains("at trailhound."), page.body());

            HttpResponse<String> api = web.get("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/count");
            assertEquals(500, api.statusCode());
            assertTrue(api.body().matches("\\{\"error\":\"[^\"]*\",\"reference\":\"[0-9a-f]{8}\"\\}"), api.body());
        }
    }
}
