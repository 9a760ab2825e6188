package trailhound.web.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.ENDPOINT;
import static trailhound.web.WebTestSupport.T0;
import static trailhound.web.WebTestSupport.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.schema.Event;
import trailhound.store.AuditTrail;
import trailhound.web.WebTestSupport;

/**
 * The histogram API over the test endpoint (150 events, one a second from {@code T0}: 3 process,
 * 90 file, 25 network, 13 image, 12 dns, 7 registry), its counts against the count API's.
 */
class HistogramApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/v1/endpoints/" + ENDPOINT;

    @TempDir
    static Path dir;
    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = web.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static String iso(long ms) {
        return Event.formatTime(ms);
    }

    @Test
    void wholeEndpoint_fiveSecondBucketsFromTheFirstEvent() throws Exception {
        JsonNode h = get(API + "/histogram");
        assertEquals(ENDPOINT, h.get("endpoint").asText());
        assertEquals("", h.get("query").asText());
        assertEquals("2026-11-19T00:00:00.000Z", h.get("from").asText());
        assertEquals("2026-11-19T00:02:29.001Z", h.get("to").asText(), "the newest event + 1 ms");
        assertEquals(5, h.get("bucket_seconds").asLong(), "150 s: 1 s buckets would be 150, over 120");
        assertEquals(30, h.get("buckets").size());
        for (int i = 0; i < 30; i++) {
            JsonNode b = h.get("buckets").get(i);
            assertEquals(iso(T0 + i * 5_000L), b.get("start").asText());
            assertEquals(iso(T0 + (i + 1) * 5_000L), b.get("end").asText());
            assertEquals(5, b.get("count").asLong());
        }
        assertEquals(WebTestSupport.TOTAL, h.get("total").asLong());
    }

    @Test
    void bucketsAddUpToTheCountApiForTheSameQueryAndWindow() throws Exception {
        String from = "2026-11-19T00:00:07.500Z";
        long to = T0 + 127_000; // epoch ms
        for (String q : List.of("", "type:file", "type:dns", "type:network OR type:dns", "process_name:chrome.exe")) {
            JsonNode h = get(API + "/histogram?q=" + enc(q));
            assertEquals(get(API + "/count?q=" + enc(q)).get("total").asLong(), sum(h), q);
            assertEquals(h.get("total").asLong(), sum(h), q);

            JsonNode window = get(API + "/histogram?q=" + enc(q) + "&from=" + enc(from) + "&to=" + to);
            assertEquals(from, window.get("from").asText());
            assertEquals(iso(to), window.get("to").asText());
            assertEquals(1, window.get("bucket_seconds").asLong(), "119.5 s: 120 one-second buckets");
            String within = "ts:>=" + from + " AND ts:<" + iso(to);
            String counted = q.isEmpty() ? within : "(" + q + ") AND " + within;
            assertEquals(get(API + "/count?q=" + enc(counted)).get("total").asLong(), sum(window), q);
        }
    }

    @Test
    void window_alignedToUtcMultiplesOfTheBucket() throws Exception {
        JsonNode h = get(API + "/histogram?from=" + enc("2026-11-19T00:00:07.500Z") + "&to=" + enc("2026-11-19T01:01:07+01:00"));
        assertEquals(1, h.get("bucket_seconds").asLong()); // 59.5 s
        assertEquals(60, h.get("buckets").size());
        assertEquals("2026-11-19T00:00:07.000Z", h.get("buckets").get(0).get("start").asText(), "aligned down to the second");
        assertEquals(0, h.get("buckets").get(0).get("count").asLong(), "the event at 7 s is before the window");
        assertEquals("2026-11-19T00:01:07.000Z", h.get("buckets").get(59).get("end").asText());
        assertEquals(59, h.get("total").asLong(), "events 8..66 s");

        JsonNode day = get(API + "/histogram?from=" + enc("2026-11-18T13:17:00Z") + "&to=" + enc("2026-11-19T11:00:00Z"));
        assertEquals(1800, day.get("bucket_seconds").asLong()); // 21.7 h: 10 min would be 131 buckets
        assertEquals("2026-11-18T13:00:00.000Z", day.get("buckets").get(0).get("start").asText());
        assertEquals(WebTestSupport.TOTAL, day.get("buckets").get(22).get("count").asLong(), "00:00-00:30 holds every event");
        assertEquals(WebTestSupport.TOTAL, day.get("total").asLong());
    }

    @Test
    void nothingMatches_noBucketsOrZeros() throws Exception {
        JsonNode none = get(API + "/histogram?q=" + enc("type:security"));
        assertTrue(none.get("from").isNull());
        assertTrue(none.get("to").isNull());
        assertEquals(0, none.get("buckets").size());
        assertEquals(0, none.get("total").asLong());
        JsonNode later = get(API + "/histogram?from=" + (T0 + 600_000));
        assertEquals(0, later.get("buckets").size(), "no event after the window's start");
        JsonNode zeros = get(API + "/histogram?q=" + enc("type:security") + "&from=" + T0 + "&to=" + (T0 + 60_000));
        assertEquals(60, zeros.get("buckets").size());
        assertEquals(0, zeros.get("total").asLong());
    }

    @Test
    void snapshot_restrictsLikeTheOtherApis() throws Exception {
        String snapshot = web.data().catalogue().snapshots(ENDPOINT).get(0).id();
        JsonNode h = get(API + "/histogram?q=" + enc("type:dns") + "&snapshot=" + enc(snapshot));
        assertEquals(12, h.get("total").asLong());
        assertEquals(get(API + "/count?q=" + enc("type:dns") + "&snapshot=" + enc(snapshot)).get("total").asLong(), sum(h));
        assertEquals(404, web.get(API + "/histogram?snapshot=nope").statusCode());
    }

    @Test
    void badParameters_400NamingThem() throws Exception {
        for (String[] bad : new String[][] {
                {"from=yesterday", "parameter 'from' must be an ISO-8601 time"},
                {"to=2026-11-19", "parameter 'to' must be an ISO-8601 time"},
                {"from=2026-11-19T00:00:00", "parameter 'from' must be an ISO-8601 time"},
                {"to=99999999999999999999", "parameter 'to' must be an ISO-8601 time"},
                {"from=" + Long.MIN_VALUE, "parameter 'from' must be between"},
                {"from=" + T0 + "&to=" + T0, "'from' (2026-11-19T00:00:00.000Z) must be before 'to'"},
                {"from=" + enc("2026-11-19T01:00:00Z") + "&to=" + enc("2026-11-19T01:00:00+01:00"), "must be before 'to'"},
                {"q=" + enc("type:(dns"), "column"}}) {
            HttpResponse<String> r = web.get(API + "/histogram?" + bad[0]);
            assertEquals(400, r.statusCode(), bad[0] + ": " + r.body());
            assertTrue(r.body().contains(bad[1]), bad[0] + ": " + r.body());
        }
    }

    @Test
    void outsideTheCallersGroups_404_andAuditedLikeASearch() throws Exception {
        var access = web.server().access();
        Caller cli = Caller.commandLine();
        access.groups().create(cli, "elsewhere-h", "name:LAB-*", List.of());
        access.groups().create(cli, "test-h", null, List.of(ENDPOINT));
        access.accounts().create(cli, "out-h", Role.ANALYST, List.of("elsewhere-h"), "a long test password", false);
        access.accounts().create(cli, "in-h", Role.READ_ONLY, List.of("test-h"), "a long test password", false);
        String out = access.tokens().create(cli, "out-h", "t", 1).secret();
        String in = access.tokens().create(cli, "in-h", "t", 1).secret();

        assertEquals(404, withToken(API + "/histogram", out).statusCode());
        assertEquals(404, withToken("/api/v1/endpoints/NOPE/histogram", in).statusCode());
        HttpResponse<String> mine = withToken(API + "/histogram?q=" + enc("type:dns"), in);
        assertEquals(200, mine.statusCode(), mine.body());
        assertEquals(12, JSON.readTree(mine.body()).get("total").asLong());
        assertTrue(access.audit().list(new AuditTrail.Filter("in-h", "histogram", ENDPOINT, null, null), 0, 5).stream()
                .anyMatch(x -> "type:dns".equals(x.event().detail())), "audited like a search, with the query text");
        assertTrue(access.audit().list(new AuditTrail.Filter("out-h", "access.denied", ENDPOINT, null, null), 0, 5).stream()
                .anyMatch(x -> "endpoint outside the caller's groups".equals(x.event().detail())));
    }

    private static HttpResponse<String> withToken(String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web.server().url() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long sum(JsonNode h) {
        long n = 0;
        for (JsonNode b : h.get("buckets")) n += b.get("count").asLong();
        return n;
    }
}
