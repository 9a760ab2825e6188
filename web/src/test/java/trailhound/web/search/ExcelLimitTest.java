package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.query.QueryLanguage;
import trailhound.web.WebTestSupport;

/** The Excel export beyond the sheet's row limit (a limit of 10 here, instead of Excel's 1,048,575 events). */
class ExcelLimitTest {
    @TempDir
    Path dir;

    @Test
    void excel_moreEventsThanRowLimit_stopsAtLimitAndSaysSo() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            Exports exports = new Exports(http -> web.server().access().scope(trailhound.access.Caller.commandLine()), QueryLanguage.withClock(java.time.Clock.systemUTC()), 10);
            Javalin app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.routes.get("/endpoints/{endpoint}/export.xlsx", exports::excel);
            }).start("127.0.0.1", 0);
            try {
                HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + app.port() + "/endpoints/" + WebTestSupport.ENDPOINT + "/export.xlsx?q=type%3Adns")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(r.body()))) {
                    assertEquals(1 + 10, wb.getSheet("Events").getPhysicalNumberOfRows());
                    String note = wb.getSheet("Note").getRow(0).getCell(0).getStringCellValue();
                    assertTrue(note.startsWith("10 of 12 events exported"), note);
                    assertTrue(note.contains("CSV"), note);
                }
            } finally {
                app.stop();
            }
        }
    }

    /** Try-out finding: a 34,065-character command line (dataset case 01) made the whole Excel export a 500. */
    @Test
    void excel_aValueLongerThanACellHolds_isCutWithAMarker() throws Exception {
        String value = "spark-submit " + "x".repeat(34_052);
        String cell = Exports.fitCell(value);
        assertEquals(32_767, cell.length());
        assertTrue(cell.startsWith("spark-submit xxx") && cell.endsWith(
                "\u2026 [cut: the value has 34,065 characters; the CSV export holds it whole]"), cell.substring(32_600));
        assertEquals("short", Exports.fitCell("short"));
        String surrogates = "\uD83D\uDE00".repeat(20_000);
        assertTrue(Character.isLowSurrogate(Exports.fitCell(surrogates).charAt(Exports.fitCell(surrogates).indexOf('\u2026') - 1)),
                "never half a character");
    }
}
