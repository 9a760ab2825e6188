package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.ENDPOINT;
import static trailhound.web.WebTestSupport.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handler tests of the endpoints page, events grid, distribution, exports and their JSON API, against the real app. */
class WorkbenchPagesTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    @Test
    void endpoints_filterByIp_listsTheEndpoint() throws Exception {
        HttpResponse<String> r = web.get("/endpoints/rows?filter=10.1.2");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains(ENDPOINT), r.body());
        assertTrue(r.body().contains("150"), r.body());
        assertFalse(web.get("/endpoints/rows?filter=nomatch").body().contains(ENDPOINT));
    }

    @Test
    void apiEndpoints_listsCountsAndSpan() throws Exception {
        JsonNode body = JSON.readTree(web.get("/api/v1/endpoints").body());
        JsonNode ep = body.get("endpoints").get(0);
        assertEquals(ENDPOINT, ep.get("name").asText());
        assertEquals(WebTestSupport.TOTAL, ep.get("event_count").asLong());
        assertEquals(trailhound.schema.Event.formatTime(WebTestSupport.T0), ep.get("first_ts").asText());
        assertEquals(1, ep.get("snapshots").asInt());
    }

    @Test
    void apiSnapshots_listsTheIngestedSnapshotWindow() throws Exception {
        JsonNode body = JSON.readTree(web.get("/api/v1/endpoints/" + ENDPOINT + "/snapshots").body());
        JsonNode s = body.get("snapshots").get(0);
        assertTrue(s.get("id").asText().startsWith(ENDPOINT + "_2026_11_19T"), s.toString());
        assertEquals(trailhound.schema.Event.formatTime(WebTestSupport.T0), s.get("first_ts").asText());
        assertEquals(150, s.get("event_count").asLong());
        assertEquals(404, web.get("/api/v1/endpoints/NOPE/snapshots").statusCode());
    }

    @Test
    void grid_query_showsExactCountNewestFirstInUtc() throws Exception {
        HttpResponse<String> r = web.get("/endpoints/" + ENDPOINT + "/events?q=" + enc("type:network AND remote_port:443"));
        assertEquals(200, r.statusCode());
        assertEquals("20", WebTestSupport.find(r.body(), "id=\"result-count\">([^<]+)<"));
        // Network columns for a network-only page, newest first, times in UTC with Z.
        assertTrue(r.body().contains("Remote IP"), r.body());
        int newest = r.body().indexOf("93.184.216.20<");
        int oldest = r.body().indexOf("93.184.216.1<");
        assertTrue(newest > 0 && oldest > newest, "newest first");
        assertTrue(r.body().contains("2026-11-19T00:"), "UTC times");
        assertTrue(r.body().contains("/endpoints/" + ENDPOINT + "/process/" + WebTestSupport.CHROME), "row links to its process");
    }

    @Test
    void grid_allEvents_pagesWithKeysetCursor() throws Exception {
        HttpResponse<String> first = web.get("/endpoints/" + ENDPOINT + "/events");
        assertEquals("150", WebTestSupport.find(first.body(), "id=\"result-count\">([^<]+)<"));
        String next = WebTestSupport.find(first.body(), "href=\"([^\"]+)\" id=\"page-next\"").replace("&amp;", "&");
        HttpResponse<String> second = web.get(next);
        assertEquals(200, second.statusCode());
        int rows = second.body().split("class=\"event-row\"", -1).length - 1;
        assertEquals(50, rows);
        assertFalse(second.body().contains("id=\"page-next\""));
    }

    @Test
    void grid_badQuery_400KeepsTextShowsColumn() throws Exception {
        String typed = "type:network AND nosuchfield:x";
        HttpResponse<String> r = web.get("/endpoints/" + ENDPOINT + "/events?q=" + enc(typed));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("id=\"query-error\""), r.body());
        assertTrue(r.body().contains("column"), r.body());
        assertTrue(r.body().contains("value=\"type:network AND nosuchfield:x\""), "keeps what the user typed");
    }

    @Test
    void grid_unknownEndpoint_404Page() throws Exception {
        HttpResponse<String> r = web.get("/endpoints/NOPE/events");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("unknown endpoint"), r.body());
        assertTrue(r.body().contains("the Endpoints page lists the endpoints you may see"), r.body());
    }

    @Test
    void grid_snapshotWindow_restrictsToSnapshot() throws Exception {
        String snapshot = web.data().catalogue().snapshots(ENDPOINT).get(0).id();
        HttpResponse<String> r = web.get("/endpoints/" + ENDPOINT + "/events?snapshot=" + enc(snapshot));
        assertEquals(200, r.statusCode());
        assertEquals("150", WebTestSupport.find(r.body(), "id=\"result-count\">([^<]+)<"));
        assertEquals(404, web.get("/endpoints/" + ENDPOINT + "/events?snapshot=nope").statusCode());
    }

    @Test
    void apiSearch_limitAndAfter_pagesAndCounts() throws Exception {
        JsonNode first = JSON.readTree(web.get("/api/v1/endpoints/" + ENDPOINT + "/search?q=" + enc("type:dns") + "&limit=5").body());
        assertEquals(12, first.get("total").asLong());
        assertEquals(5, first.get("events").size());
        assertTrue(first.get("events").get(0).get("ts").asText().endsWith("Z"));
        JsonNode second = JSON.readTree(web.get("/api/v1/endpoints/" + ENDPOINT + "/search?q=" + enc("type:dns")
                + "&limit=10&after=" + enc(first.get("next").asText())).body());
        assertEquals(7, second.get("events").size());
        JsonNode count = JSON.readTree(web.get("/api/v1/endpoints/" + ENDPOINT + "/count?q=" + enc("type:file")).body());
        assertEquals(90, count.get("total").asLong());
    }

    @Test
    void apiSearch_badQuery_400JsonWithColumn() throws Exception {
        HttpResponse<String> r = web.get("/api/v1/endpoints/" + ENDPOINT + "/search?q=" + enc("type:dns AND (("));
        assertEquals(400, r.statusCode());
        JsonNode body = JSON.readTree(r.body());
        assertTrue(body.get("error").asText().length() > 0);
        assertTrue(body.get("column").asInt() > 0, r.body());
    }

    @Test
    void apiDistribution_countsPerTypeAndOperation() throws Exception {
        JsonNode d = JSON.readTree(web.get("/api/v1/endpoints/" + ENDPOINT + "/distribution").body());
        assertEquals(150, d.get("total").asLong());
        WebTestSupport.TYPE_COUNTS.forEach((type, n) -> assertEquals(n.longValue(), d.get("types").get(type).asLong(), type));
        assertEquals(25, d.get("operations").get("network/connect").asLong());
    }

    @Test
    void distributionPage_barsWithExactCountsAndGridLinks() throws Exception {
        HttpResponse<String> r = web.get("/endpoints/" + ENDPOINT + "/distribution");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<title>file: 90 events</title>"), r.body());
        assertTrue(r.body().contains("/events?q=type%3Adns"), r.body());
    }

    @Test
    void exportExcel_query_workbookWithOneRowPerEvent() throws Exception {
        HttpResponse<byte[]> r = web.getBytes("/endpoints/" + ENDPOINT + "/export.xlsx?q=" + enc("type:file"));
        assertEquals(200, r.statusCode());
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(r.body()))) {
            org.apache.poi.xssf.usermodel.XSSFSheet sheet = wb.getSheet("Events");
            assertEquals(1 + 90, sheet.getPhysicalNumberOfRows());
            assertEquals("endpoint", sheet.getRow(0).getCell(0).getStringCellValue());
            assertTrue(wb.getFontAt(sheet.getRow(0).getCell(0).getCellStyle().getFontIndex()).getBold(), "a bold header");
            assertEquals(1, sheet.getPaneInformation().getHorizontalSplitPosition(), "the header row is frozen");
            assertTrue(sheet.getCTWorksheet().isSetAutoFilter(), "with an autofilter");
            // issue 14: times as Excel date-times (UTC), numbers as numbers
            org.apache.poi.ss.usermodel.Cell time = sheet.getRow(1).getCell(2);
            assertEquals(org.apache.poi.ss.usermodel.CellType.NUMERIC, time.getCellType());
            assertTrue(org.apache.poi.ss.usermodel.DateUtil.isCellDateFormatted(time), "a date-time cell");
            long ms = time.getLocalDateTimeCellValue().toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            assertTrue(ms >= WebTestSupport.T0 && ms < WebTestSupport.T0 + WebTestSupport.TOTAL * 1000L, "an event's UTC time: " + ms);
            int pid = java.util.stream.IntStream.range(0, sheet.getRow(0).getLastCellNum())
                    .filter(c -> sheet.getRow(0).getCell(c).getStringCellValue().equals("pid")).findFirst().orElseThrow();
            assertEquals(org.apache.poi.ss.usermodel.CellType.NUMERIC, sheet.getRow(1).getCell(pid).getCellType(), "pid is a number");
            Sheet about = wb.getSheet("Export");
            assertEquals(ENDPOINT, about.getRow(0).getCell(1).getStringCellValue());
            assertEquals("type:file", about.getRow(1).getCell(1).getStringCellValue());
            assertEquals("90 of 90", about.getRow(4).getCell(1).getStringCellValue());
            assertEquals("admin", about.getRow(5).getCell(1).getStringCellValue());
        }
    }

    @Test
    void exportCsvZip_allEvents_oneLinePerEventPlusHeader() throws Exception {
        HttpResponse<byte[]> r = web.getBytes("/endpoints/" + ENDPOINT + "/export.zip");
        assertEquals(200, r.statusCode());
        try (var zip = new net.lingala.zip4j.io.inputstream.ZipInputStream(new ByteArrayInputStream(r.body()), "infected".toCharArray())) {
            var entry = zip.getNextEntry();
            assertTrue(entry.getFileName().endsWith(".csv"));
            assertEquals(net.lingala.zip4j.model.enums.EncryptionMethod.AES, entry.getEncryptionMethod(), "as a background export's");
            BufferedReader reader = new BufferedReader(new InputStreamReader(zip, StandardCharsets.UTF_8));
            assertTrue(reader.readLine().startsWith("\uFEFFendpoint,event_uid,ts,type"), "a UTF-8 byte-order mark, then the header");
            assertEquals(150, reader.lines().count());
        }
    }

    @Test
    void builder_addTwoRows_redirectsToRenderedQueryAndShowsRows() throws Exception {
        String base = "/endpoints/" + ENDPOINT + "/events/builder?q=";
        HttpResponse<String> first = web.get(base + "&action=add&connector=AND&parameter=type&operand=EQUALS&value=network");
        assertEquals(302, first.statusCode());
        String location = first.headers().firstValue("Location").orElseThrow();
        assertTrue(location.contains("q=type%3Anetwork"), location);
        String q = java.net.URLDecoder.decode(location.substring(location.indexOf("q=") + 2), StandardCharsets.UTF_8);
        HttpResponse<String> second = web.get(base + enc(q) + "&action=add&connector=AND&parameter=port&operand=EQUALS&value=8443");
        String location2 = second.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> grid = web.get(location2);
        assertEquals(200, grid.statusCode());
        assertEquals("5", WebTestSupport.find(grid.body(), "id=\"result-count\">([^<]+)<"));
        assertEquals(2, grid.body().split("class=\"builder-row\"", -1).length - 1);
        assertTrue(grid.body().contains("value=\"type:network AND port:8443\""), "typed box holds the same query");
    }

    @Test
    void builder_removeRow_leavesTheOther() throws Exception {
        HttpResponse<String> r = web.get("/endpoints/" + ENDPOINT + "/events/builder?q=" + enc("type:network AND port:8443")
                + "&action=remove&row=0");
        assertEquals(302, r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElseThrow().endsWith("q=port%3A8443"));
    }

    @Test
    void builder_rowWithoutValue_400KeepsQuery() throws Exception {
        HttpResponse<String> r = web.get("/endpoints/" + ENDPOINT + "/events/builder?q=" + enc("type:dns")
                + "&action=add&connector=AND&parameter=user&operand=CONTAINS&value=");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("needs a value"), r.body());
        assertEquals("12", WebTestSupport.find(r.body(), "id=\"result-count\">([^<]+)<"));
    }

    @Test
    void grid_complexQuery_builderSaysSoTypedBoxFirst() throws Exception {
        HttpResponse<String> r = web.get("/endpoints/" + ENDPOINT + "/events?q=" + enc("(type:dns OR type:image) AND user:*bob*"));
        assertEquals(200, r.statusCode());
        assertEquals("25", WebTestSupport.find(r.body(), "id=\"result-count\">([^<]+)<"));
        assertTrue(r.body().contains("id=\"builder-unavailable\""), r.body());
    }
}
