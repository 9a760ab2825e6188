package trailhound.web.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.IndexBackend;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.AuditTrail;
import trailhound.web.Format;
import trailhound.web.WebTestSupport;

/**
 * The hunt API, page and export against an independent computation: the per-endpoint count and
 * search APIs for the same query, endpoint by endpoint, as an administrator and as an analyst whose
 * one group holds two of the four endpoints.
 */
class HuntPagesTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> QUERIES = List.of("", "type:process", "command_line:*-enc*", "mimikatz",
            "NOT type:file AND NOT type:network", "process_name:x.exe OR type:dns", "user:nobody");

    @TempDir
    static Path dir;

    static WebTestSupport web;
    static String admin;
    static String analyst;
    static String readOnly;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        HuntFixture.addEndpoints(web, dir);
        HuntFixture.addUsers(web);
        admin = HuntFixture.token(web, "root");
        analyst = HuntFixture.token(web, "ana");
        readOnly = HuntFixture.token(web, "rita");
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(web.server().url() + path)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String path, String token) throws Exception {
        HttpResponse<String> r = get(path, token);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** (ts, uid, endpoint) of each event, as the hunt orders them. */
    private static List<String> keys(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path("ts").asText() + " " + e.path("event_uid").asText() + " " + e.path("endpoint").asText()));
        return out;
    }

    @Test
    void huntCounts_equalThePerEndpointCountApi_forAdministratorAndForAnAnalystsOneGroup() throws Exception {
        for (Map.Entry<String, List<String>> who : Map.of(admin, HuntFixture.ALL, analyst, HuntFixture.FIN).entrySet()) {
            String token = who.getKey();
            List<String> visible = who.getValue();
            for (String q : QUERIES) {
                // the reference: each endpoint's own count and first page, merged newest first
                Map<String, Long> expected = new TreeMap<>();
                List<JsonNode> merged = new ArrayList<>();
                for (String e : visible) {
                    long n = json("/api/v1/endpoints/" + Format.segment(e) + "/count?q=" + WebTestSupport.enc(q), token).path("total").asLong();
                    if (n > 0) expected.put(e, n);
                    json("/api/v1/endpoints/" + Format.segment(e) + "/search?limit=25&q=" + WebTestSupport.enc(q), token)
                            .path("events").forEach(ev -> merged.add(((com.fasterxml.jackson.databind.node.ObjectNode) ev).put("endpoint", e)));
                }
                merged.sort(Comparator.comparing((JsonNode ev) -> ev.path("ts").asText()).reversed()
                        .thenComparing(ev -> ev.path("event_uid").asText()).thenComparing(ev -> ev.path("endpoint").asText()));

                JsonNode hunt = json("/api/v1/hunt?limit=25&q=" + WebTestSupport.enc(q), token);
                Map<String, Long> counts = new TreeMap<>();
                long previous = Long.MAX_VALUE;
                for (JsonNode c : hunt.path("counts")) {
                    counts.put(c.path("endpoint").asText(), c.path("count").asLong());
                    assertTrue(c.path("count").asLong() <= previous, "counts largest first: " + hunt.path("counts"));
                    previous = c.path("count").asLong();
                }
                String label = "q='" + q + "' as " + (token.equals(admin) ? "administrator" : "analyst");
                assertEquals(expected, counts, label);
                assertEquals(expected.values().stream().mapToLong(Long::longValue).sum(), hunt.path("total").asLong(), label);
                assertEquals(q, hunt.path("query").asText());
                assertEquals(keys(JSON.valueToTree(merged.subList(0, Math.min(25, merged.size())))), keys(hunt.path("events")), label);
                hunt.path("events").forEach(ev -> assertTrue(visible.contains(ev.path("endpoint").asText()), label + ": " + ev));
                assertTrue(hunt.path("partial").isArray() && hunt.path("partial").isEmpty());
            }
        }
        // the analyst's hunt never names what lies outside the group
        String body = get("/api/v1/hunt?q=", analyst).body();
        assertFalse(body.contains("LAB-01") || body.contains(WebTestSupport.ENDPOINT), body);
    }

    @Test
    void huntPages_walkedWithNext_holdEveryMatchingEventOnce() throws Exception {
        String q = "NOT user:paging-test"; // every event, under a text of this test's own
        JsonNode first = json("/api/v1/hunt?limit=7&q=" + WebTestSupport.enc(q), admin);
        long total = first.path("total").asLong();
        assertEquals(WebTestSupport.TOTAL + 20 + 12 + 9, total);
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        JsonNode page = first;
        int pages = 0;
        while (true) {
            pages++;
            for (String k : keys(page.path("events"))) {
                assertTrue(seen.add(k), "twice: " + k);
                order.add(k);
            }
            assertEquals(total, page.path("total").asLong(), "every page has the exact counts");
            if (page.path("next").isNull()) break;
            page = json("/api/v1/hunt?limit=7&q=" + WebTestSupport.enc(q) + "&after=" + WebTestSupport.enc(page.path("next").asText()), admin);
        }
        assertEquals(total, seen.size());
        assertEquals((total + 6) / 7, pages);
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(Comparator.comparing((String k) -> k.substring(0, k.indexOf(' '))).reversed());
        assertEquals(sorted.stream().map(k -> k.substring(0, k.indexOf(' '))).toList(),
                order.stream().map(k -> k.substring(0, k.indexOf(' '))).toList(), "newest first across pages");
        assertEquals(1, web.server().access().audit().list(new AuditTrail.Filter("root", "hunt", null, null, null), 0, 1000).stream()
                .filter(x -> q.equals(x.event().detail())).count(), "audited once, not per page");
    }

    /** Issue #14: the hunt could only go forward. Walked backwards from the last page, with times tied across endpoints. */
    @Test
    void huntPages_walkedBackWithPrevious_holdTheSameEventsAtExactPositions() throws Exception {
        String q = "NOT user:backward-test";
        String base = "/api/v1/hunt?limit=7&q=" + WebTestSupport.enc(q);
        List<String> order = new ArrayList<>();
        JsonNode page = json(base, admin);
        while (true) {
            assertEquals(order.size(), page.path("start").asLong(), "each page says where it starts");
            order.addAll(keys(page.path("events")));
            if (page.path("next").isNull()) break;
            page = json(base + "&after=" + WebTestSupport.enc(page.path("next").asText()), admin);
        }
        int total = order.size();
        assertEquals(WebTestSupport.TOTAL + 20 + 12 + 9, total);

        page = json(base + "&last=1", admin);
        assertEquals(total - 7, page.path("start").asLong());
        assertTrue(page.path("next").isNull(), "the last page has no next");
        int pages = 0;
        while (true) {
            pages++;
            int start = page.path("start").asInt();
            List<String> events = keys(page.path("events"));
            assertEquals(order.subList(start, start + events.size()), events, "the page at " + start);
            if (page.path("previous").isNull()) {
                assertEquals(0, start);
                break;
            }
            page = json(base + "&before=" + WebTestSupport.enc(page.path("previous").asText()), admin);
            assertEquals(Math.max(0, start - 7), page.path("start").asInt());
        }
        assertEquals((total + 6) / 7, pages);
        assertEquals(400, get(base + "&last=1&after=" + WebTestSupport.enc(json(base, admin).path("next").asText()), admin).statusCode());
    }

    @Test
    void huntPage_firstPreviousNextLast_withThePositionAndPivotValues() throws Exception {
        String q = "NOT user:page-walk";
        String first = get("/hunt?q=" + WebTestSupport.enc(q), admin).body();
        int total = WebTestSupport.TOTAL + 20 + 12 + 9;
        assertEquals("1-100 of " + total, position(first));
        assertTrue(first.contains(total + "</span> events on\n        <span id=\"hunt-endpoint-count\">4</span> endpoints"), first);
        assertFalse(first.contains("id=\"page-prev\"") || first.contains("id=\"page-first\""));
        String second = get(href(first, "page-next"), admin).body();
        assertEquals("101-" + total + " of " + total, position(second));
        assertFalse(second.contains("id=\"page-next\""));
        assertEquals(rows(first), rows(get(href(second, "page-prev"), admin).body()), "Previous from page 2 is page 1");
        assertEquals(rows(first), rows(get(href(second, "page-first"), admin).body()));
        String last = get(href(first, "page-last"), admin).body();
        assertEquals((total - 99) + "-" + total + " of " + total, position(last));
        List<String> all = new ArrayList<>(rows(first));
        all.addAll(rows(second));
        assertEquals(all.subList(total - 100, total), rows(last));
        // the last page starts inside the first hundred: Previous shows what is before it, nothing twice
        String beforeLast = get(href(last, "page-prev"), admin).body();
        assertEquals(all.subList(0, total - 100), rows(beforeLast), "Previous from the last page");
        assertEquals("1-" + (total - 100) + " of " + total, position(beforeLast));

        // every value of a row is a pivot, under the endpoint's grid, the hunt's query and the event's time
        assertTrue(first.contains("<script src=\"/js/pivot.js\">"));
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("<tr class=\"event-row\" data-endpoint=\"([^\"]+)\" data-uid=\"[^\"]+\" data-ts=\"\\d+\"\\s+"
                + "data-events-url=\"/endpoints/([^\"]+)/events\" data-original-query=\"([^\"]*)\"").matcher(first);
        assertTrue(row.find(), first);
        assertEquals(row.group(1), row.group(2));
        assertEquals(q, row.group(3));
        assertTrue(first.contains("<span class=\"pv\" data-field=\"process_name\" data-value=\"x.exe\">"), first);

        String one = get("/hunt?q=" + WebTestSupport.enc("command_line:\"" + HuntFixture.FORMULA.replace("\\", "\\\\").replace("\"", "\\\"") + "\""), admin).body();
        assertTrue(one.contains("1</span> event on\n        <span id=\"hunt-endpoint-count\">1</span> endpoint</span>"), one);
    }

    private static String position(String html) {
        return WebTestSupport.find(html, "id=\"hunt-position\">([^<]*)<");
    }

    private static String href(String html, String id) {
        return WebTestSupport.find(html, "<a href=\"([^\"]*)\" id=\"" + id + "\"").replace("&amp;", "&");
    }

    private static List<String> rows(String html) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<tr class=\"event-row\" data-endpoint=\"([^\"]+)\" data-uid=\"([^\"]+)\"").matcher(html);
        while (m.find()) out.add(m.group(1) + " " + m.group(2));
        return out;
    }

    @Test
    void badQuery_is400WithTheColumn_onApiPageAndExport() throws Exception {
        HttpResponse<String> api = get("/api/v1/hunt?q=" + WebTestSupport.enc("type:process AND ("), analyst);
        assertEquals(400, api.statusCode(), api.body());
        JsonNode error = JSON.readTree(api.body());
        assertTrue(error.path("column").asInt() > 0, api.body());
        HttpResponse<String> page = get("/hunt?q=" + WebTestSupport.enc("type:process AND ("), analyst);
        assertEquals(400, page.statusCode());
        assertTrue(page.body().contains("id=\"query-error\"") && page.body().contains("column " + error.path("column").asInt()), page.body());
        assertTrue(page.body().contains("value=\"type:process AND (\""), "the text is kept");
        assertEquals(400, get("/hunt/export.zip?q=" + WebTestSupport.enc("type:("), analyst).statusCode());
        assertEquals(400, get("/api/v1/hunt?limit=1001", analyst).statusCode());
        assertEquals(400, get("/api/v1/hunt?after=nonsense", analyst).statusCode());
    }

    @Test
    void export_readOnlyRefused_analystGetsFormulaSafeCsvOfTheGroupOnly_inTheEncryptedZip() throws Exception {
        HttpResponse<String> refused = get("/hunt/export.zip?q=type:process", readOnly);
        assertEquals(403, refused.statusCode());
        assertFalse(get("/hunt?q=type:process", readOnly).body().contains("hunt-export-csv"), "no export link for read-only");
        String link = get("/hunt?q=type:process", analyst).body();
        assertTrue(link.contains("/hunt/export.zip?q=type%3Aprocess") && link.contains("encrypted ZIP, password <code>infected</code>"), link);

        HttpResponse<byte[]> zip = CLIENT.send(HttpRequest.newBuilder(URI.create(web.server().url() + "/hunt/export.zip?q="
                + WebTestSupport.enc("type:process"))).header("Authorization", "Bearer " + analyst).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElse(""));
        String disposition = zip.headers().firstValue("Content-Disposition").orElse("");
        assertTrue(disposition.contains("attachment") && disposition.contains(".zip"), disposition);
        // the same format as every other export: 7-Zip lists the CSV's name without the password, opens it only with it
        Path file = java.nio.file.Files.write(dir.resolve("hunt.zip"), zip.body());
        List<String> names = trailhound.web.evidence.SevenZip.namesWithoutPassword(file);
        assertEquals(1, names.size(), names.toString());
        assertTrue(names.getFirst().startsWith("trailhound_hunt_") && names.getFirst().endsWith(".csv"), names.toString());
        assertTrue(trailhound.web.evidence.SevenZip.refuses(file, "wrong", dir.resolve("hunt-wrong")), "the content needs the password");
        trailhound.web.evidence.SevenZip.extract(file, "infected", dir.resolve("hunt-out"));
        String body = java.nio.file.Files.readString(dir.resolve("hunt-out").resolve(names.getFirst()));
        assertTrue(body.startsWith("\uFEFF"), "a byte-order mark first, so Excel reads UTF-8");
        List<CSVRecord> rows;
        try (CSVParser parser = CSVParser.parse(body.substring(1), CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build())) {
            rows = parser.getRecords();
        }
        JsonNode hunt = json("/api/v1/hunt?q=type:process", analyst);
        assertEquals(hunt.path("total").asLong(), rows.size());
        Map<String, Long> perEndpoint = new TreeMap<>();
        rows.forEach(r -> perEndpoint.merge(r.get("endpoint"), 1L, Long::sum));
        Map<String, Long> counts = new TreeMap<>();
        hunt.path("counts").forEach(c -> counts.put(c.path("endpoint").asText(), c.path("count").asLong()));
        assertEquals(counts, perEndpoint);
        assertEquals(Set.copyOf(HuntFixture.FIN), perEndpoint.keySet());
        assertTrue(rows.stream().anyMatch(r -> ("'" + HuntFixture.FORMULA).equals(r.get("command_line"))), "formula neutralised");

        var trail = web.server().access().audit();
        assertTrue(trail.list(new AuditTrail.Filter("ana", "export", null, null, null), 0, 10).stream()
                .anyMatch(x -> "hunt csv: type:process".equals(x.event().detail())));
        assertTrue(trail.list(new AuditTrail.Filter("rita", "access.denied", null, null, null), 0, 10).stream()
                .anyMatch(x -> x.event().detail().startsWith("GET /hunt/export.zip")));
        assertTrue(trail.list(new AuditTrail.Filter("ana", "hunt", null, null, null), 0, 50).stream()
                .anyMatch(x -> "type:process".equals(x.event().detail()) && x.event().endpoint() == null));
        assertTrue(trail.verify().isEmpty());
    }

    @Test
    void page_countsLinkToEachEndpointsGridWithTheQuery_andEventsNameTheirEndpoint() throws Exception {
        String q = "command_line:*-enc* OR mimikatz";
        HttpResponse<String> page = get("/hunt?q=" + WebTestSupport.enc(q), analyst);
        assertEquals(200, page.statusCode(), page.body());
        String body = page.body();
        JsonNode hunt = json("/api/v1/hunt?q=" + WebTestSupport.enc(q), analyst);
        for (JsonNode c : hunt.path("counts")) {
            String link = "/endpoints/" + Format.segment(c.path("endpoint").asText()) + "/events?q=" + Format.url(q);
            assertTrue(body.contains("href=\"" + link.replace("&", "&amp;") + "\""), link + " in " + body);
            HttpResponse<String> grid = get(link, analyst);
            assertEquals(200, grid.statusCode());
            assertTrue(grid.body().contains("id=\"result-count\">" + Format.count(c.path("count").asLong()) + "<"), grid.body());
        }
        assertFalse(body.contains("LAB-01"));
        assertTrue(body.contains("id=\"nav-hunt\""));
        assertEquals(200, get("/hunt", analyst).statusCode());
        assertFalse(get("/hunt", analyst).body().contains("id=\"hunt-counts\""), "no hunt before a query is given");
    }

    @Test
    void aSourceBeingIngested_isInTheHuntMarkedPartial(@TempDir Path own) throws Exception {
        try (WebTestSupport alone = WebTestSupport.start(own).signIn();
                IndexBackend.Lease lease = alone.data().indexes().acquire(WebTestSupport.ENDPOINT)) {
            lease.index().startSource("s9", () -> 1_234, 10_000_000);
            lease.index().add(Event.builder().set(Field.ENDPOINT, WebTestSupport.ENDPOINT).set(Field.EVENT_UID, "partial-1")
                    .ts(WebTestSupport.T0 + 999_999).set(Field.TYPE, "file").set(Field.OPERATION, "create")
                    .set(Field.FILE_PATH, "C:\\new\\arriving.txt").set(Field.SOURCE, "s9").build());
            lease.index().refresh();

            JsonNode hunt = JSON.readTree(alone.get("/api/v1/hunt?q=").body());
            assertEquals(WebTestSupport.TOTAL + 1, hunt.path("total").asLong(), "included, as by the endpoint's own search");
            assertEquals("partial-1", hunt.path("events").get(0).path("event_uid").asText());
            JsonNode partial = hunt.path("partial").get(0);
            assertEquals(WebTestSupport.ENDPOINT, partial.path("endpoint").asText());
            assertEquals("s9", partial.path("source").asText());
            assertEquals(1_234, partial.path("events").asLong());
            assertEquals(10_000_000, partial.path("expected").asLong());
            String page = alone.get("/hunt?q=").body();
            assertTrue(page.contains("partial, " + WebTestSupport.ENDPOINT + ": ingesting s9: 1,234 of 10,000,000 events"), page);
        }
    }
}
