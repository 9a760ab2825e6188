package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;

/**
 * STIX import over the real server (try-out): a bundle of several indicators makes one IOC per indicator, named after
 * it, and says so on the page and in the API; a CIDR block imports and scans as the query language's CIDR.
 */
class StixImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUNDLE = """
            {"type": "bundle", "id": "bundle--try-out", "objects": [
              {"type": "indicator", "id": "indicator--1", "name": "Beacon range", "pattern_type": "stix",
               "pattern": "[ipv4-addr:value = '93.184.216.0/24']"},
              {"type": "indicator", "id": "indicator--2", "name": "PowerShell", "pattern_type": "stix",
               "pattern": "[process:image_ref.name = 'powershell.exe']"},
              {"type": "indicator", "id": "indicator--3", "name": "Half", "pattern_type": "stix",
               "pattern": "[domain-name:value = 'evil.example' AND url:value = 'http://evil.example/x']"}]}""";

    @TempDir Path dir;

    @Test
    void bundleOfSeveralIndicators_oneIocEach_namedAfterThem_andACidrScansAsOne() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            HttpResponse<String> r = web.postJson("/api/v1/iocs/import", BUNDLE);
            assertEquals(201, r.statusCode(), r.body());
            JsonNode answer = JSON.readTree(r.body());
            List<String> names = new ArrayList<>();
            answer.path("iocs").forEach(i -> names.add(i.path("name").asText()));
            assertEquals(List.of("Beacon range", "PowerShell"), names, r.body());
            String notImported = answer.path("not_imported").toString();
            assertTrue(notImported.contains("'Half' (indicator--3)") && notImported.contains("left out whole, as its part 'url:value"),
                    "the AND's part that cannot be imported is named: " + notImported);

            long range = answer.path("iocs").get(0).path("id").asLong();
            JsonNode ioc = JSON.readTree(web.get("/api/v1/iocs/" + range).body());
            assertEquals("93.184.216.0/24", ioc.path("tree").path("value").asText(), ioc.toString());
            long scanned = JSON.readTree(web.postJson("/api/v1/iocs/" + range + "/scan", "{}").body()).path("total").asLong();
            long direct = JSON.readTree(web.get("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/search?limit=1000&q="
                    + WebTestSupport.enc("remote_ip:93.184.216.0/24 OR local_ip:93.184.216.0/24")).body()).path("events").size();
            assertTrue(direct > 0, "the sample has such connections");
            assertEquals(direct, scanned, "the CIDR IOC finds what the language's CIDR finds");

            // the page says what was made
            HttpResponse<String> form = web.postForm("/intel/import", Map.of("_csrf", web.csrf(), "document", BUNDLE, "name", "Feed"));
            assertEquals(303, form.statusCode(), form.body());
            String page = web.get(form.headers().firstValue("Location").orElseThrow()).body();
            String made = WebTestSupport.find(page, "(?s)id=\"ioc-imported\">(.*?)</div>");
            assertTrue(made.contains("The document made 2 IOCs") && made.contains(">Feed: Beacon range<") && made.contains(">Feed: PowerShell<"), made);
        }
    }
}
