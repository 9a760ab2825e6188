package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.SavedEvidence;
import trailhound.ingest.Ingestor;
import trailhound.samples.SampleGenerator;
import trailhound.web.WebTestSupport;

/**
 * Save matches of an IOC matching more events than an evidence item holds: the API and the IOC's page say how many
 * were saved of how many and where all of them are (try-out: 10,000 of 32,977 were saved without a word).
 */
class SaveMatchesCutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void saveMatches_moreThanAnItemHolds_saysHowManyOfHowMany_onThePageAndInTheApi() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir.resolve("data")).signIn()) {
            List<Path> dbs = SampleGenerator.generate(dir.resolve("samples"), 1, SavedEvidence.MAX_EVENTS + 600, 11, n -> {});
            new Ingestor(web.data(), 1).ingest(dbs.getFirst(), null);
            HttpResponse<String> made = web.postJson("/api/v1/iocs", """
                    {"name": "broad", "tree": {"operator": "OR", "items": [
                      {"type": "process_name", "condition": "contains", "value": "e"},
                      {"type": "process_name", "condition": "contains", "value": "o"},
                      {"type": "process_name", "condition": "contains", "value": "s"}]}}""");
            assertEquals(201, made.statusCode(), made.body());
            long id = JSON.readTree(made.body()).get("id").asLong();
            JsonNode scanned = JSON.readTree(web.postJson("/api/v1/iocs/" + id + "/scan", "{}").body()).path("endpoints").get(0);
            String endpoint = scanned.path("endpoint").asText();
            long matched = scanned.path("count").asLong();
            assertTrue(matched > SavedEvidence.MAX_EVENTS, "the test needs more matches than an item holds: " + matched);

            JsonNode saved = JSON.readTree(web.postJson("/api/v1/iocs/" + id + "/evidence", "{\"endpoint\": \"" + endpoint + "\"}").body());
            assertEquals(SavedEvidence.MAX_EVENTS, saved.path("events").asLong());
            assertEquals(matched, saved.path("matched").asLong(), saved.toString());
            // fifth try-out: the API said "10000 of 48855" where the page says "10,000 of the 48,855"
            assertTrue(saved.path("note").asText().contains(String.format(java.util.Locale.ROOT, "%,d of %,d matches were saved",
                    SavedEvidence.MAX_EVENTS, matched)), saved.toString());

            HttpResponse<String> form = web.postForm("/intel/" + id + "/evidence", Map.of("_csrf", web.csrf(), "endpoint", endpoint));
            assertEquals(303, form.statusCode(), form.body());
            String page = web.get(form.headers().firstValue("Location").orElseThrow()).body();
            String notice = WebTestSupport.find(page, "id=\"ioc-saved\">(?s)(.*?)</p>"); // the item is linked inside it
            assertTrue(notice.contains("the newest 10,000 of the " + String.format(java.util.Locale.ROOT, "%,d", matched) + " events it matches on "
                    + endpoint), notice);
            assertTrue(page.contains("id=\"ioc-saved-rest\""), "a link to all of them: " + page);
        }
    }
}
