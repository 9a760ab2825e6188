package trailhound.web.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.web.WebTestSupport;

/** {@code GET /api/v1/audit} takes the names and meanings of {@code bin/trailhound audit}: since, until, limit. */
class AuditApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode json(WebTestSupport web, String path) throws Exception {
        HttpResponse<String> r = web.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static List<Long> seqs(JsonNode body) {
        List<Long> seqs = new ArrayList<>();
        body.get("entries").forEach(e -> {
            assertTrue(e.get("seq").isIntegralNumber(), "seq is a number: " + e);
            seqs.add(e.get("seq").asLong());
        });
        return seqs;
    }

    @Test
    void api_sinceLimitAsTheCommandLine_seqANumber_olderPagesOn() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            for (int i = 0; i < 5; i++) web.server().access().groups().create(Caller.commandLine(), "g" + i, null, List.of());
            web.signIn();
            long total = web.server().access().audit().count();

            JsonNode all = json(web, "/api/v1/audit?since=7d&action=group.create");
            List<Long> created = seqs(all);
            assertEquals(5, created.size(), all.toString());
            assertTrue(all.get("older").isNull(), "the last page says so: " + all);
            assertEquals("group.create", all.get("entries").get(0).get("action").asText());

            JsonNode two = json(web, "/api/v1/audit?limit=2&action=group.create");
            assertEquals(created.subList(0, 2), seqs(two));
            assertEquals(created.get(1), two.get("older").asLong(), "older is the cursor for the next page");
            JsonNode next = json(web, "/api/v1/audit?limit=2&action=group.create&before=" + two.get("older").asLong());
            assertEquals(created.subList(2, 4), seqs(next));

            assertEquals(total, seqs(json(web, "/api/v1/audit?since=30m&limit=1000")).size());
            assertEquals(0, seqs(json(web, "/api/v1/audit?until=1h")).size(), "until an hour ago: nothing yet");
            assertEquals(0, seqs(json(web, "/api/v1/audit?since=2999-01-01")).size());
            String iso = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
            assertEquals(5, seqs(json(web, "/api/v1/audit?action=group.create&since=" + iso)).size(), "an ISO instant as before");
            assertEquals(5, seqs(json(web, "/api/v1/audit?action=group.create&since="
                    + WebTestSupport.enc(iso.replace("Z", "+00:00")))).size(), "a time with its offset, as the command takes");
        }
    }

    @Test
    void api_badSinceOrLimit_400NamingTheForms() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            web.signIn();
            HttpResponse<String> since = web.get("/api/v1/audit?since=yesterday");
            assertEquals(400, since.statusCode(), since.body());
            assertTrue(since.body().contains("since 'yesterday' is no time") && since.body().contains("7d"), since.body());
            for (String limit : List.of("0", "1001", "ten", "-5")) {
                HttpResponse<String> r = web.get("/api/v1/audit?limit=" + limit);
                assertEquals(400, r.statusCode(), limit + ": " + r.body());
                assertTrue(r.body().contains("'limit' is a number of entries from 1 to 1000"), r.body());
            }
            assertEquals(1, seqs(json(web, "/api/v1/audit?limit=1")).size());
            assertEquals(200, web.get("/api/v1/audit?limit=1000").statusCode());
        }
    }
}
