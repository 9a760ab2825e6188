package trailhound.web.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.ingest.Ingestor;
import trailhound.samples.SampleGenerator;
import trailhound.web.WebTestSupport;

/**
 * The demo's own data: the sample generator's WS-FIN-01 and intel.csv, where svcmon.exe's MD5 is
 * rated malicious by one feed. Its process page must badge that MD5 with the verdict the intel file
 * gives it (read here from the file, not from the code under test); a SHA-256-only badge hid it.
 */
class DemoIntelTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        List<Path> dbs = SampleGenerator.generate(dir.resolve("samples"), 1, 3_000, 7, n -> {});
        Files.copy(dir.resolve("samples").resolve("intel.csv"), web.data().root().resolve(ReputationService.INTEL_FILE));
        new Ingestor(web.data(), 1).ingest(dbs.getFirst(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    @Test
    void svcmon_md5RatedInTheIntelFile_badgedWithThatVerdict() throws Exception {
        JsonNode found = new ObjectMapper().readTree(web.get("/api/v1/endpoints/WS-FIN-01/search?limit=1&q="
                + WebTestSupport.enc("type:process AND operation:start AND process_name:svcmon.exe")).body());
        JsonNode start = found.get("events").get(0);
        String md5 = start.get("hash_md5").asText();
        String key = start.get("process_key").asText();
        List<String> rated = Files.readAllLines(web.data().root().resolve(ReputationService.INTEL_FILE)).stream()
                .filter(l -> l.startsWith(md5 + ",")).toList();
        assertEquals(1, rated.size(), "the demo's intel rates svcmon's MD5 once: " + rated);
        String verdict = rated.getFirst().split(",")[1];

        String html = web.get("/endpoints/WS-FIN-01/process/" + WebTestSupport.enc(key)).body().replaceAll("\\s+", " ")
                .replace("<wbr>", ""); // line-break hints inside values (search/value.jte)
        assertTrue(html.contains("<code><span class=\"pv\" data-field=\"hash_md5\" data-value=\"" + md5 + "\">" + md5 + "</span></code> <a class=\"verdict-badge verdict-" + verdict + "\" id=\"reputation-badge-md5\""), html);
    }
}
