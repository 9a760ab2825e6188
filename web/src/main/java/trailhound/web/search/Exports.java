package trailhound.web.search;

import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.lucene.search.Query;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import trailhound.index.EventPage;
import trailhound.index.IndexBackend;
import trailhound.index.PageCursor;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.web.WebContext;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * Exports of the current results (same scope as the grid), newest first, with the canonical columns
 * (Field order and snake_case names, as in the API) and times as ISO-8601 UTC text, so a sheet
 * means the same in every locale. Both stream: the index is read page by page with the keyset
 * cursor, the workbook is POI's streaming SXSSF (a window of rows in memory, the rest flushed to a
 * temp file), the CSV ({@link EventCsv}) is written straight into the ZIP on the response.
 *
 * Excel holds at most 1,048,576 rows per sheet; beyond that the export stops at the limit and a
 * "Note" sheet (first in the workbook) says how many events were left out and to use the CSV export.
 */
final class Exports {
    static final int EXCEL_MAX_EVENTS = SpreadsheetVersion.EXCEL2007.getMaxRows() - 1; // one row is the header
    private static final int BATCH = 5_000;
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final List<Field> COLUMNS = Field.all();

    private final java.util.function.Function<Context, Scope> scopes;
    private final QueryLanguage language;
    private final int excelMaxEvents;

    Exports(WebContext ctx, QueryLanguage language) {
        this(ctx::scope, language, EXCEL_MAX_EVENTS);
    }

    /** With a smaller row limit, so tests can check the over-the-limit note without a million events. */
    Exports(java.util.function.Function<Context, Scope> scopes, QueryLanguage language, int excelMaxEvents) {
        this.scopes = scopes;
        this.language = language;
        this.excelMaxEvents = excelMaxEvents;
    }

    void excel(Context http) throws Exception {
        Scope access = scopes.apply(http);
        EventScope scope = EventScope.of(http, access);
        Query query = SearchPages.parse(scope, language);
        try (IndexBackend.Lease lease = access.index(scope.endpoint());
                SXSSFWorkbook workbook = new SXSSFWorkbook(200)) {
            long total = lease.index().count(query); // a query too broad fails here, before the answer is a spreadsheet
            access.audit("export", scope.endpoint(), AuditLog.OK, "xlsx: " + scope.describe());
            http.contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            http.header("Content-Disposition", "attachment; filename=\"" + fileName(scope, "xlsx") + "\"");
            if (total > excelMaxEvents) {
                Sheet note = workbook.createSheet("Note");
                note.createRow(0).createCell(0).setCellValue(String.format(
                        "%d of %d events exported: an Excel sheet holds at most %d rows. Use the CSV (ZIP) export for all events.",
                        excelMaxEvents, total, excelMaxEvents + 1));
            }
            Sheet sheet = workbook.createSheet("Events");
            Row header = sheet.createRow(0);
            for (int c = 0; c < COLUMNS.size(); c++) {
                header.createCell(c).setCellValue(COLUMNS.get(c).canonicalName());
            }
            int[] rowNo = {1};
            forEach(lease, query, excelMaxEvents, event -> {
                Row row = sheet.createRow(rowNo[0]++);
                for (int c = 0; c < COLUMNS.size(); c++) {
                    String v = value(event, COLUMNS.get(c));
                    if (v != null) {
                        row.createCell(c).setCellValue(fitCell(v));
                    }
                }
            });
            try (OutputStream out = http.outputStream()) {
                workbook.write(out);
            }
        }
    }

    /**
     * Excel holds at most 32,767 characters in a cell (SpreadsheetVersion.EXCEL2007); a longer value
     * (a 34 KB Spark command line is real) is cut there with a marker saying how much is left out and
     * that the CSV export holds it whole, instead of failing the whole export.
     */
    static String fitCell(String v) {
        int max = org.apache.poi.ss.SpreadsheetVersion.EXCEL2007.getMaxTextLength();
        if (v.length() <= max) return v;
        String marker = String.format("\u2026 [cut: the value has %,d characters; the CSV export holds it whole]", v.length());
        int end = max - marker.length();
        if (Character.isHighSurrogate(v.charAt(end - 1))) end--;
        return v.substring(0, end) + marker;
    }

    void csvZip(Context http) throws Exception {
        Scope access = scopes.apply(http);
        EventScope scope = EventScope.of(http, access);
        Query query = SearchPages.parse(scope, language);
        try (IndexBackend.Lease lease = access.index(scope.endpoint())) {
            // a query too broad for the index fails here, as a clean 400, before the answer becomes a ZIP
            lease.index().count(query);
            access.audit("export", scope.endpoint(), AuditLog.OK, "csv: " + scope.describe());
            http.contentType("application/zip");
            http.header("Content-Disposition", "attachment; filename=\"" + fileName(scope, "zip") + "\"");
            writeZip(http, scope, lease, query);
        }
    }

    private void writeZip(Context http, EventScope scope, IndexBackend.Lease lease, Query query) throws Exception {
        try (ZipOutputStream zip = new ZipOutputStream(http.outputStream(), StandardCharsets.UTF_8)) {
            zip.putNextEntry(new ZipEntry(fileName(scope, "csv")));
            EventCsv csv = new EventCsv(new BufferedWriter(new OutputStreamWriter(zip, StandardCharsets.UTF_8), 1 << 16));
            forEach(lease, query, Long.MAX_VALUE, csv::write);
            csv.flush();
            zip.closeEntry();
        }
    }

    private static String value(Event event, Field field) {
        return field == Field.TS ? Event.formatTime(event.ts()) : event.get(field);
    }

    private interface EventSink {
        void accept(Event event) throws IOException;
    }

    private static void forEach(IndexBackend.Lease lease, Query query, long max, EventSink sink) throws IOException {
        PageCursor after = null;
        long written = 0;
        do {
            int limit = (int) Math.min(BATCH, max - written);
            if (limit <= 0) {
                return;
            }
            EventPage page = lease.index().search(query, limit, after);
            for (Event e : page.events()) {
                sink.accept(e);
            }
            written += page.events().size();
            after = page.next();
        } while (after != null);
    }

    private static String fileName(EventScope scope, String extension) {
        String base = scope.snapshot() != null ? scope.snapshot().id() : scope.endpoint();
        String safe = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return "trailhound_" + safe + "_" + FILE_TIME.format(Instant.now()) + "." + extension;
    }
}
