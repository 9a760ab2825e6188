package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.EventIndex;
import trailhound.index.IndexBackend;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.WebTestSupport;

/**
 * A source being ingested shows in the grid and the JSON API as partial results ("ingesting s9: n of
 * m events"), its events included but not counted for the endpoint; when its ingest stops unfinished,
 * they are gone again.
 */
class PartialResultsTest {
    @TempDir
    Path dir;

    @Test
    void aSourceBeingIngested_isSearchableMarkedPartial_andHiddenWhenItsIngestStops() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn();
                IndexBackend.Lease lease = web.data().indexes().acquire(WebTestSupport.ENDPOINT)) {
            EventIndex index = lease.index();
            index.startSource("s9", () -> 1_234, 10_000_000);
            index.add(Event.builder().set(Field.ENDPOINT, WebTestSupport.ENDPOINT).set(Field.EVENT_UID, "partial-1")
                    .ts(WebTestSupport.T0 + 999_999).set(Field.TYPE, "file").set(Field.OPERATION, "create")
                    .set(Field.FILE_PATH, "C:\\new\\arriving.txt").set(Field.SOURCE, "s9").build());
            index.refresh();

            HttpResponse<String> grid = web.get("/endpoints/" + WebTestSupport.ENDPOINT + "/events");
            assertEquals(200, grid.statusCode());
            assertEquals(String.valueOf(WebTestSupport.TOTAL + 1), WebTestSupport.find(grid.body(), "id=\"result-count\">([^<]+)<"));
            assertTrue(grid.body().contains("partial, ingesting s9: 1,234 of 10,000,000 events"), grid.body());
            assertTrue(grid.body().contains("arriving.txt"), "the newest event is the arriving one");

            JsonNode api = new ObjectMapper().readTree(web.get("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/search").body());
            assertEquals(WebTestSupport.TOTAL + 1, api.path("total").asLong());
            assertEquals("s9", api.path("partial").get(0).path("source").asText());
            assertEquals(1_234, api.path("partial").get(0).path("events").asLong());
            assertEquals(10_000_000, api.path("partial").get(0).path("expected").asLong());
            assertEquals(WebTestSupport.TOTAL, index.stats().eventCount(), "not counted for the endpoint");
            JsonNode count = new ObjectMapper().readTree(web.get("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/count").body());
            assertEquals(WebTestSupport.TOTAL + 1, count.path("total").asLong());
            assertEquals("s9", count.path("partial").get(0).path("source").asText(), "the count says it includes partial results");

            index.stopIngesting("s9"); // the ingest failed or was killed: unfinished, nobody ingesting it
            grid = web.get("/endpoints/" + WebTestSupport.ENDPOINT + "/events");
            assertEquals(String.valueOf(WebTestSupport.TOTAL), WebTestSupport.find(grid.body(), "id=\"result-count\">([^<]+)<"));
            assertFalse(grid.body().contains("partial,"), grid.body());
            assertFalse(grid.body().contains("arriving.txt"));
        }
    }
}
