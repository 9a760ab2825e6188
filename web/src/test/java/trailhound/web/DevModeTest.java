package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.ingest.DataDir;

/** Templates compiled from the source tree at runtime (hot reload), and the timing header for the benchmark. */
class DevModeTest {
    @TempDir
    Path dir;

    @Test
    void start_withTemplateSources_rendersFromSourceTreeWithServerTiming() throws Exception {
        Path sources = Path.of(System.getProperty("trailhound.root", "."), "web", "src", "main", "jte");
        Assumptions.assumeTrue(Files.isDirectory(sources), "no source tree at " + sources);
        try (DataDir data = DataDir.open(dir.resolve("data"));
                WebServer server = WebServer.start(data, WebOptions.defaults().withPort(0).withTemplateSources(sources))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/login")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("id=\"sign-in\""), r.body());
            assertTrue(r.headers().firstValue("Server-Timing").orElseThrow().startsWith("app;dur="));
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElseThrow());
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        }
    }

    @Test
    void start_secondTime_noNewAdminPassword() throws Exception {
        try (DataDir data = DataDir.open(dir.resolve("data"))) {
            try (WebServer first = WebServer.start(data, WebOptions.defaults().withPort(0).withTemplateSources(null))) {
                assertTrue(first.initialAdminPassword().isPresent());
            }
            try (WebServer second = WebServer.start(data, WebOptions.defaults().withPort(0).withTemplateSources(null))) {
                assertTrue(second.initialAdminPassword().isEmpty());
            }
        }
    }
}
