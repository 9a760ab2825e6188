package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.ingest.Ingestor;
import trailhound.store.EndpointInfo;
import trailhound.web.Format;
import trailhound.web.WebTestSupport;

/**
 * Suggestions over real Sysmon and Security telemetry (the OTRF datasets, never copied here): every
 * value offered for a field, on every endpoint, has exactly the count the count API gives its
 * {@code field:"value"} query. Found that an alias's counts were its fields' added up (an event with the
 * same path as process and parent counted twice).
 */
class SuggestRealTelemetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final List<String> FIELDS = List.of("command_line", "process_name", "process_path", "user", "parent_path",
            "registry_key", "dns_query", "image_path", "file_path", "hash_sha256", "target_user", "type", "operation", "path");

    @TempDir
    Path dir;

    private static Path otrf() throws Exception {
        String configured = System.getProperty("TRAILHOUND_DATASETS", System.getenv("TRAILHOUND_DATASETS"));
        Path root = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("trailhound.root", "."), "..", "shared", "datasets").normalize();
        assumeTrue(Files.isDirectory(root.resolve("otrf")), "datasets folder " + root.toAbsolutePath()
                + " is absent: set TRAILHOUND_DATASETS to run the real-telemetry tests");
        return root.resolve("otrf");
    }

    private static JsonNode get(WebTestSupport web, String token, String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(web.server().url() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void everySuggestedValue_countsWhatItsQueryCounts() throws Exception {
        Path otrf = otrf();
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            try (Stream<Path> zips = Files.list(otrf)) {
                for (Path zip : zips.filter(p -> p.toString().endsWith(".zip")).sorted().toList()) new Ingestor(web.data(), 1).ingest(zip, null);
            }
            String token = web.server().access().tokens().create(Caller.commandLine(), "admin", "real telemetry", 1).secret();
            int checked = 0;
            long slowestNanos = 0;
            for (EndpointInfo e : web.data().catalogue().endpoints()) {
                if (e.name().equals(WebTestSupport.ENDPOINT)) continue;
                String base = "/api/v1/endpoints/" + Format.segment(e.name());
                for (String field : FIELDS) {
                    long start = System.nanoTime();
                    JsonNode top = get(web, token, base + "/suggest?limit=50&field=" + field).get("suggestions");
                    slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
                    if (top.isEmpty()) continue;
                    String first = top.get(0).get("value").asText();
                    for (String prefix : List.of("", first.substring(0, Math.min(3, first.length())))) {
                        JsonNode found = get(web, token, base + "/suggest?limit=50&field=" + field + "&prefix=" + WebTestSupport.enc(prefix))
                                .get("suggestions");
                        long previous = Long.MAX_VALUE;
                        for (JsonNode s : found) {
                            String value = s.get("value").asText();
                            long n = s.get("count").asLong();
                            assertTrue(value.startsWith(prefix) && n > 0 && n <= previous, field + ": " + found);
                            previous = n;
                            String q = field + ":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
                            assertEquals(n, get(web, token, base + "/count?q=" + WebTestSupport.enc(q)).get("total").asLong(),
                                    e.name() + " " + q);
                            checked++;
                        }
                    }
                }
            }
            assertTrue(checked > 300, "values checked: " + checked);
            System.out.println("SuggestRealTelemetryTest: " + checked + " suggested values checked; slowest suggest request "
                    + slowestNanos / 1_000_000 + " ms");
        }
    }
}
