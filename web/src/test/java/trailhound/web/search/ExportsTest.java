package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.enc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.EventIndex;
import trailhound.index.IndexBackend;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.WebTestSupport;

/**
 * The grid's exports (issue #14): in the grid's sort order, every field or the chosen columns, a CSV
 * Excel reads as UTF-8 (byte-order mark) and still formula-safe, Excel ids as numbers and an
 * autofilter over the data. Expected orders are written out from the fixture below.
 */
class ExportsTest {
    static final String EP = "export-01";
    static final long T0 = 1_763_625_600_000L; // 2025-11-20T08:00:00Z
    static final String UNICODE = "ünïcødé 日本語";
    static final String FORMULA = "=HYPERLINK(\"http://evil.example\",\"x\")";

    @TempDir
    static Path dir;

    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        try (IndexBackend.Lease lease = web.data().indexes().acquireOrCreate(EP)) {
            EventIndex index = lease.index();
            // newest first: e3, e2, e1; by process_name: e2 (alpha), e3 (mid), e1 (zeta); by -pid: e1, e3, e2
            index.add(event("e1", T0, "zeta.exe", 30, "1").set(Field.COMMAND_LINE, UNICODE).set(Field.USER, FORMULA).build());
            index.add(event("e2", T0 + 1_000, "alpha.exe", 10, "4688").build());
            index.add(event("e3", T0 + 2_000, "mid.exe", 20, "13").build());
            index.commit();
        }
    }

    private static Event.Builder event(String uid, long ts, String name, int pid, String eventId) {
        return Event.builder().set(Field.EVENT_UID, uid).ts(ts).set(Field.TYPE, "process").set(Field.OPERATION, "start")
                .set(Field.ENDPOINT, EP).set(Field.PROCESS_KEY, "k-" + uid).set(Field.PROCESS_NAME, name).set(Field.PID, pid)
                .set(Field.EVENT_ID, eventId);
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static byte[] csvBytes(String query) throws IOException {
        HttpResponse<byte[]> r = web.getBytes("/endpoints/" + EP + "/export.zip" + query);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        try (var zip = new net.lingala.zip4j.io.inputstream.ZipInputStream(new ByteArrayInputStream(r.body()), "infected".toCharArray())) {
            zip.getNextEntry();
            return zip.readAllBytes();
        }
    }

    /** The CSV's records after its byte-order mark. */
    private static List<CSVRecord> csv(String query) throws IOException {
        byte[] bytes = csvBytes(query);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertEquals('\uFEFF', text.charAt(0), "starts with the byte-order mark");
        return CSVFormat.RFC4180.parse(new StringReader(text.substring(1))).getRecords();
    }

    private static List<String> column(List<CSVRecord> rows, String name) {
        int c = rows.get(0).toList().indexOf(name);
        return rows.subList(1, rows.size()).stream().map(r -> r.get(c)).toList();
    }

    private static XSSFWorkbook excel(String query) throws IOException {
        HttpResponse<byte[]> r = web.getBytes("/endpoints/" + EP + "/export.xlsx" + query);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return new XSSFWorkbook(new ByteArrayInputStream(r.body()));
    }

    @Test
    void csv_utf8ByteOrderMark_unicodeIntact_formulaStillQuoted() throws Exception {
        byte[] bytes = csvBytes("");
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(bytes, 3), "UTF-8 BOM for Excel");
        List<CSVRecord> rows = csv("");
        assertEquals(Field.all().stream().map(Field::canonicalName).toList(), rows.get(0).toList(), "every field, as before");
        assertEquals(List.of("", "", UNICODE), column(rows, "command_line"));
        assertEquals(List.of("", "", "'" + FORMULA), column(rows, "user"), "formula-injection protection kept");
    }

    @Test
    void csv_inTheGridsSortOrder() throws Exception {
        assertEquals(List.of("e3", "e2", "e1"), column(csv(""), "event_uid"), "newest first by default");
        assertEquals(List.of("e2", "e3", "e1"), column(csv("?sort=process_name"), "event_uid"));
        assertEquals(List.of("e1", "e3", "e2"), column(csv("?sort=-pid"), "event_uid"));
        assertEquals(List.of("e1", "e2", "e3"), column(csv("?sort=ts&q=" + enc("type:process")), "event_uid"));
    }

    @Test
    void csv_chosenColumns_onlyThoseInTheirOrder() throws Exception {
        List<CSVRecord> rows = csv("?cols=" + enc("pid,process_name") + "&sort=pid");
        assertEquals(List.of("pid", "process_name"), rows.get(0).toList());
        assertEquals(List.of("10", "20", "30"), column(rows, "pid"));
        assertEquals(List.of("alpha.exe", "mid.exe", "zeta.exe"), column(rows, "process_name"));
    }

    @Test
    void excel_eventIdAsNumber_autofilterOverTheData_sortAndColumns() throws Exception {
        try (XSSFWorkbook wb = excel("?sort=process_name")) {
            XSSFSheet sheet = wb.getSheet("Events");
            int eventId = Field.all().indexOf(Field.EVENT_ID);
            assertEquals("event_id", sheet.getRow(0).getCell(eventId).getStringCellValue());
            assertEquals(CellType.NUMERIC, sheet.getRow(1).getCell(eventId).getCellType(), "event_id is a number");
            assertEquals(4688.0, sheet.getRow(1).getCell(eventId).getNumericCellValue());
            assertEquals("alpha.exe", sheet.getRow(1).getCell(Field.all().indexOf(Field.PROCESS_NAME)).getStringCellValue());
            assertEquals("zeta.exe", sheet.getRow(3).getCell(Field.all().indexOf(Field.PROCESS_NAME)).getStringCellValue());
            CellRangeAddress filter = CellRangeAddress.valueOf(sheet.getCTWorksheet().getAutoFilter().getRef());
            assertEquals(new CellRangeAddress(0, 3, 0, Field.all().size() - 1), filter, "the header and all 3 rows");
        }
        try (XSSFWorkbook wb = excel("?cols=" + enc("event_uid,event_id") + "&sort=-pid")) {
            XSSFSheet sheet = wb.getSheet("Events");
            assertEquals(2, sheet.getRow(0).getLastCellNum());
            assertEquals(List.of("e1", "e3", "e2"), List.of(1, 2, 3).stream().map(r -> sheet.getRow(r).getCell(0).getStringCellValue()).toList());
            assertEquals(1.0, sheet.getRow(1).getCell(1).getNumericCellValue());
            assertEquals("A1:B4", sheet.getCTWorksheet().getAutoFilter().getRef());
            assertEquals("event_uid, event_id", wb.getSheet("Export").getRow(8).getCell(1).getStringCellValue());
        }
    }

    @Test
    void gridPage_exportLinksCarryTheSort_andOfferTheChosenColumns() throws Exception {
        String grid = ok("/endpoints/" + EP + "/events?sort=process_name");
        assertTrue(href(grid, "export-zip").contains("sort=process_name"), grid);
        assertFalse(href(grid, "export-zip").contains("cols="), "all fields");
        assertFalse(grid.contains("id=\"export-zip-cols\""), "no columns chosen: nothing to choose");

        String chosen = ok("/endpoints/" + EP + "/events?sort=-pid&cols=" + enc("pid,process_name"));
        String all = href(chosen, "export-zip");
        String these = href(chosen, "export-zip-cols");
        assertEquals(Field.all().size(), csv(all.substring(all.indexOf('?'))).get(0).size(), "the default is still all fields");
        List<CSVRecord> rows = csv(these.substring(these.indexOf('?')));
        assertEquals(List.of("pid", "process_name"), rows.get(0).toList());
        assertEquals(List.of("30", "20", "10"), column(rows, "pid"));
        String xlsx = href(chosen, "export-xlsx-cols");
        try (XSSFWorkbook wb = excel(xlsx.substring(xlsx.indexOf('?')))) {
            assertEquals("pid", wb.getSheet("Events").getRow(0).getCell(0).getStringCellValue());
            assertEquals(30.0, wb.getSheet("Events").getRow(1).getCell(0).getNumericCellValue());
        }
    }

    private static String ok(String path) throws Exception {
        HttpResponse<String> r = web.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static String href(String html, String id) {
        return WebTestSupport.find(html, "<a href=\"([^\"]*)\" id=\"" + id + "\"").replace("&amp;", "&");
    }
}
