package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.ENDPOINT;
import static trailhound.web.WebTestSupport.T0;
import static trailhound.web.WebTestSupport.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.store.AuditTrail;
import trailhound.web.WebTestSupport;

/**
 * The time window ({@code from}/{@code to}) on the grid, its histogram, the distribution, the exports,
 * the count API and the hunt, each against the others and against a {@code ts:} range in the query
 * text, over the test endpoint (150 events, one a second from {@code T0} = 2026-11-19T00:00:00Z).
 */
class TimeRangePagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRID = "/endpoints/" + ENDPOINT + "/events";
    private static final List<String> QUERIES = List.of("", "type:file", "type:dns OR type:network", "process_name:chrome.exe", "type:security");
    /** [from, to) pairs: inside the events, overlapping either edge, open on one side, all, before them. */
    private static final List<String[]> WINDOWS = List.of(
            new String[] {"2026-11-19T00:00:07.500Z", "2026-11-19T00:02:07Z"},
            new String[] {"2026-11-18T23:00:00Z", "2026-11-19T00:01:00Z"},
            new String[] {"2026-11-19T00:01:40Z", "2026-11-20T00:00:00Z"},
            new String[] {"2026-11-19T00:00:30Z", ""},
            new String[] {"", "2026-11-19T00:00:30Z"},
            new String[] {"", ""},
            new String[] {"2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"});

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

    private static String window(String[] w) {
        return EventScope.timeParams(w[0], w[1]);
    }

    private static String ok(String path) throws Exception {
        HttpResponse<String> r = web.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static long number(String html, String id) {
        return Long.parseLong(WebTestSupport.find(html, "id=\"" + id + "\">([0-9,]+)<").replace(",", ""));
    }

    /** The bars' exact counts, in order. */
    private static List<Long> bars(String html) {
        Matcher m = Pattern.compile("<a href=\"[^\"]*\" class=\"bucket\" data-from=\"[^\"]*\" data-to=\"[^\"]*\" data-count=\"(\\d+)\"").matcher(html);
        List<Long> counts = new java.util.ArrayList<>();
        while (m.find()) counts.add(Long.parseLong(m.group(1)));
        return counts;
    }

    /** The count a ts: range in the query text gives, the independent computation. */
    private static long countByText(String q, String[] w) throws Exception {
        String within = (w[0].isEmpty() ? "" : "ts:>=" + w[0]) + (!w[0].isEmpty() && !w[1].isEmpty() ? " AND " : "")
                + (w[1].isEmpty() ? "" : "ts:<" + w[1]);
        String text = within.isEmpty() ? q : q.isEmpty() ? within : "(" + q + ") AND " + within;
        return JSON.readTree(ok("/api/v1/endpoints/" + ENDPOINT + "/count?q=" + enc(text))).get("total").asLong();
    }

    @Test
    void histogramBars_addUpToTheGridCount_forEachQueryAndWindow() throws Exception {
        for (String q : QUERIES) {
            for (String[] w : WINDOWS) {
                String html = ok(GRID + "?q=" + enc(q) + window(w));
                long grid = number(html, "result-count");
                assertEquals(countByText(q, w), grid, q + " " + window(w));
                List<Long> bars = bars(html);
                assertEquals(grid, bars.stream().mapToLong(Long::longValue).sum(), q + " " + window(w));
                if (!w[0].isEmpty() && !w[1].isEmpty()) assertFalse(bars.isEmpty(), "a closed window is drawn even when empty");
            }
        }
    }

    @Test
    void window_restrictsGridDistributionExportsCountAndHuntAlike() throws Exception {
        for (String q : QUERIES) {
            for (String[] w : WINDOWS) {
                String params = "q=" + enc(q) + window(w);
                String what = q + " " + window(w);
                long grid = number(ok(GRID + "?" + params), "result-count");
                assertEquals(grid, JSON.readTree(ok("/api/v1/endpoints/" + ENDPOINT + "/count?" + params)).get("total").asLong(), what);
                assertEquals(grid, JSON.readTree(ok("/api/v1/endpoints/" + ENDPOINT + "/search?limit=1&" + params)).get("total").asLong(), what);
                assertEquals(grid, JSON.readTree(ok("/api/v1/endpoints/" + ENDPOINT + "/histogram?" + params)).get("total").asLong(), what);
                assertEquals(grid, JSON.readTree(ok("/api/v1/endpoints/" + ENDPOINT + "/distribution?" + params)).get("total").asLong(), what);
                String distribution = ok("/endpoints/" + ENDPOINT + "/distribution?" + params);
                assertEquals(grid, number(distribution, "distribution-total"), what);
                JsonNode hunt = JSON.readTree(ok("/api/v1/hunt?limit=1&" + params));
                assertEquals(grid, hunt.get("total").asLong(), what);
                assertEquals(grid, number(ok("/hunt?" + params), "hunt-total"), what);
                assertEquals(grid, csvRows(web.getBytes("/endpoints/" + ENDPOINT + "/export.zip?" + params).body()), what);
                assertEquals(grid, csvRows(web.getBytes("/hunt/export.zip?" + params).body()), what);
                try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(web.getBytes("/endpoints/" + ENDPOINT + "/export.xlsx?" + params).body()))) {
                    assertEquals(grid, wb.getSheet("Events").getPhysicalNumberOfRows() - 1, what);
                }
            }
        }
    }

    @Test
    void linksBetweenPages_carryTheWindow() throws Exception {
        String w = "&from=" + enc("2026-11-19T00:00:00Z") + "&to=" + enc("2026-11-19T00:02:00Z");
        String q = "?q=" + enc("type:file OR type:network");
        String grid = ok(GRID + q + w);
        assertEquals(115, number(grid, "result-count"));
        for (String id : List.of("link-distribution", "export-xlsx", "export-zip", "page-next")) {
            String href = WebTestSupport.find(grid, "<a href=\"([^\"]*)\" id=\"" + id + "\"").replace("&amp;", "&");
            assertTrue(href.contains(w), id + ": " + href);
        }
        assertTrue(grid.contains("<input type=\"hidden\" name=\"from\" value=\"2026-11-19T00:00:00Z\">"), "the typed and builder forms keep it");
        String next = WebTestSupport.find(grid, "<a href=\"([^\"]*)\" id=\"page-next\"").replace("&amp;", "&");
        assertEquals(15, ok(next).split("class=\"event-row\"", -1).length - 1, "the next page is in the same window");
        for (String page : List.of(ok("/endpoints/" + ENDPOINT + "/distribution" + q + w), ok("/hunt" + q + w))) {
            Matcher links = Pattern.compile("href=\"(/endpoints/[^\"]*/events\\?[^\"]*|/hunt[^\"]*)\"( id=\"range-)?")
                    .matcher(page.replace("&amp;", "&"));
            int n = 0;
            while (links.find()) {
                if (links.group(1).equals("/hunt") || links.group(2) != null) continue; // the top bar, the quick ranges
                n++;
                assertTrue(links.group(1).contains(w), links.group(1));
            }
            assertTrue(n >= 3, "grid, bar and export links: " + n);
        }
        String added = web.get(GRID + "/builder?q=" + enc("type:file") + w + "&action=add&connector=OR&parameter=type&operand=EQUALS&value=dns")
                .headers().firstValue("Location").orElseThrow();
        assertTrue(added.endsWith(w), "a builder edit keeps it: " + added);
    }

    @Test
    void quickRanges_endAtTheNewestEvent_andSayHowOldItIs() throws Exception {
        String html = ok(GRID + "?q=" + enc("type:dns")).replace("&amp;", "&");
        // newest event 00:02:29: the quick ranges end at the next whole minute
        assertTrue(html.contains("href=\"/endpoints/" + ENDPOINT + "/events?q=type%3Adns&from=2026-11-18T00%3A03%3A00Z&to=2026-11-19T00%3A03%3A00Z\" id=\"range-24h\""), html);
        assertTrue(html.contains("id=\"range-15m\""));
        assertTrue(html.contains("href=\"/endpoints/" + ENDPOINT + "/events?q=type%3Adns\" id=\"range-all\" class=\"preset\" aria-current=\"true\""), "All is the window shown");
        assertTrue(html.contains("Quick ranges end at the newest event, 2026-11-19T00:02:29Z"), html);
        String day = ok(GRID + "?q=" + enc("type:dns") + "&from=2026-11-18T00%3A03%3A00Z&to=2026-11-19T00%3A03%3A00Z");
        assertTrue(day.contains("id=\"range-24h\" class=\"preset\" aria-current=\"true\""), "the 24 h range is marked");
        assertEquals(12, number(day, "result-count"));
        String snapshot = web.data().catalogue().snapshots(ENDPOINT).get(0).id();
        String ofSnapshot = ok(GRID + "?snapshot=" + enc(snapshot)).replace("&amp;", "&");
        assertTrue(ofSnapshot.contains("&snapshot=" + enc(snapshot) + "&from=2026-11-18T23%3A03%3A00Z&to=2026-11-19T00%3A03%3A00Z\" id=\"range-1h\""),
                "a snapshot's quick ranges end at its newest event");
    }

    @Test
    void windowMissingTheEvents_saysWhereTheyAre() throws Exception {
        String html = ok(GRID + "?from=" + enc("2026-11-30T00:00:00Z"));
        assertEquals(0, number(html, "result-count"));
        assertTrue(html.contains("id=\"time-hint\">Nothing matches in this window: it starts after the newest event here."
                + " The events run from 2026-11-19T00:00:00Z to 2026-11-19T00:02:29Z"), html);
        assertFalse(ok(GRID + "?q=type%3Asecurity&from=" + enc("2026-11-19T00:00:00Z")).contains("id=\"time-hint\""),
                "not when the window holds events and the query excludes them");
    }

    @Test
    void badWindow_400WithTheMessageOnEachPage() throws Exception {
        // {parameters, the API's wording (parameter names), the pages' wording (the time picker's)}
        for (String[] bad : new String[][] {
                {"from=yesterday", "parameter 'from' must be an ISO-8601 time",
                        "The start of the time range must be an ISO-8601 time"},
                {"to=2026-11-19", "parameter 'to' must be an ISO-8601 time", "The end of the time range must be an ISO-8601 time"},
                {"from=" + enc("2026-11-19T00:01:00Z") + "&to=" + enc("2026-11-19T00:00:00Z"), "must be before 'to'",
                        "The start of the time range (2026-11-19T00:01:00.000Z) must be before its end"}}) {
            for (String path : List.of(GRID, "/endpoints/" + ENDPOINT + "/distribution", "/hunt")) {
                HttpResponse<String> r = web.get(path + "?q=" + enc("type:dns") + "&" + bad[0]);
                assertEquals(400, r.statusCode(), path + " " + bad[0]);
                String error = WebTestSupport.find(r.body(), "id=\"time-error\" role=\"alert\">([^<]*)<").replace("&#39;", "'");
                assertTrue(error.contains(bad[2]) && error.contains("time picker"), path + ": " + error);
                assertFalse(error.contains("parameter") || error.contains("'from'"), "no address terms on a page: " + error);
                assertTrue(r.body().contains("value=\"type:dns\""), "the query is kept");
            }
            for (String path : List.of("/endpoints/" + ENDPOINT + "/export.zip", "/endpoints/" + ENDPOINT + "/export.xlsx", "/hunt/export.zip")) {
                HttpResponse<String> r = web.get(path + "?" + bad[0]);
                assertEquals(400, r.statusCode(), path + " " + bad[0]);
                assertTrue(r.body().replace("&#39;", "'").contains(bad[2]), path + ": " + r.body());
            }
            for (String path : List.of("/api/v1/endpoints/" + ENDPOINT + "/count", "/api/v1/endpoints/" + ENDPOINT + "/search", "/api/v1/hunt")) {
                HttpResponse<String> r = web.get(path + "?" + bad[0]);
                assertEquals(400, r.statusCode(), path + " " + bad[0]);
                assertTrue(JSON.readTree(r.body()).get("error").asText().contains(bad[1]), path + ": " + r.body());
            }
        }
    }

    @Test
    void window_inTheAuditDetail() throws Exception {
        ok(GRID + "?q=" + enc("type:registry") + "&from=" + enc("2026-11-19T00:00:00Z") + "&to=" + (T0 + 60_000));
        assertTrue(web.server().access().audit().list(new AuditTrail.Filter("admin", "search", ENDPOINT, null, null), 0, 5).stream()
                .anyMatch(x -> "type:registry [from 2026-11-19T00:00:00Z to 2026-11-19T00:01:00Z]".equals(x.event().detail())));
    }

    private static long csvRows(byte[] body) throws Exception {
        byte[] csv = body;
        if (body.length > 1 && body[0] == 'P' && body[1] == 'K') {
            try (var zip = new net.lingala.zip4j.io.inputstream.ZipInputStream(new ByteArrayInputStream(body), "infected".toCharArray())) {
                zip.getNextEntry();
                csv = zip.readAllBytes();
            }
        }
        try (var parser = CSVFormat.RFC4180.parse(new InputStreamReader(new ByteArrayInputStream(csv), StandardCharsets.UTF_8))) {
            return parser.getRecords().size() - 1; // the header
        }
    }
}
