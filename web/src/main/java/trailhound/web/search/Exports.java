package trailhound.web.search;

import io.javalin.http.Context;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.lucene.search.Query;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import trailhound.index.EventSort;
import trailhound.index.IndexBackend;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.web.WebContext;
import trailhound.web.exports.ExportJobs;
import trailhound.web.exports.ExportZip;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * Exports of the current results (same scope as the grid) in the grid's order ({@code sort}, default
 * newest first), with every field as canonical columns (Field order and snake_case names, as in the
 * API) or, with {@code cols}, the grid's chosen columns; times as ISO-8601 UTC text in the CSV. Both
 * stream: the index hands the events over in batches from one view of it
 * ({@link trailhound.index.EventIndex#export}), the workbook is POI's streaming SXSSF (a window of
 * rows in memory, the rest flushed to a temp file), the CSV ({@link EventCsv}, after a UTF-8
 * byte-order mark so Excel reads it as UTF-8) is written straight into the ZIP on the response: an
 * {@link ExportZip}, encrypted as a background export's (AES-256, password {@code infected}).
 *
 * Excel holds at most 1,048,576 rows per sheet; beyond that the export stops at the limit and a
 * "Note" sheet (first in the workbook) says how many events were left out and to use the CSV export.
 */
final class Exports {
    static final int EXCEL_MAX_EVENTS = SpreadsheetVersion.EXCEL2007.getMaxRows() - 1; // one row is the header
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Fields of ID kind whose values are whole numbers (Windows event ids, logon types): numbers in Excel. */
    private static final java.util.Set<Field> WHOLE_NUMBER_IDS = java.util.EnumSet.of(Field.EVENT_ID, Field.LOGON_TYPE);

    private final java.util.function.Function<Context, Scope> scopes;
    private final QueryLanguage language;
    private final int excelMaxEvents;
    private final long liveMaxRows;

    /** {@code liveMaxRows}: the most rows of an export from a live endpoint's view ({@code serve --live-export-max-rows}). */
    Exports(WebContext ctx, QueryLanguage language, long liveMaxRows) {
        this(ctx::scope, language, EXCEL_MAX_EVENTS, liveMaxRows);
    }

    /** With a smaller row limit, so tests can check the over-the-limit note without a million events. */
    Exports(java.util.function.Function<Context, Scope> scopes, QueryLanguage language, int excelMaxEvents) {
        this(scopes, language, excelMaxEvents, trailhound.web.WebOptions.LIVE_EXPORT_MAX_ROWS);
    }

    private Exports(java.util.function.Function<Context, Scope> scopes, QueryLanguage language, int excelMaxEvents, long liveMaxRows) {
        this.scopes = scopes;
        this.language = language;
        this.excelMaxEvents = excelMaxEvents;
        this.liveMaxRows = liveMaxRows;
    }

    /**
     * The most rows this export writes: from a live endpoint's view ({@code live=1} and no snapshot) the live
     * limit, as {@code POST /api/v1/exports} with {@code "live": true} (the page's direct export wrote them all)
     */
    private long max(Context http, EventScope scope) {
        return "1".equals(http.queryParam("live")) && scope.snapshot() == null ? liveMaxRows : Long.MAX_VALUE;
    }

    /** {@link ExportJobs#liveLimitNote} as a sentence of its own, for the ZIP's note and the workbook's Note sheet. */
    private static String liveLimitNote(long max, long matched) {
        String note = ExportJobs.liveLimitNote(max, matched);
        return Character.toUpperCase(note.charAt(0)) + note.substring(1);
    }

    void excel(Context http) throws Exception {
        Scope access = scopes.apply(http);
        EventScope scope = EventScope.of(http, access);
        Query query = SearchPages.parse(scope, language);
        List<Field> columns = columns(http);
        EventSort sort = GridOptions.sort(http);
        try (IndexBackend.Lease lease = access.index(scope.endpoint());
                SXSSFWorkbook workbook = new SXSSFWorkbook(200)) {
            long total = lease.index().count(query); // a query too broad fails here, before the answer is a spreadsheet
            long live = max(http, scope);
            int limit = (int) Math.min(excelMaxEvents, live);
            access.audit("export", scope.endpoint(), AuditLog.OK, "xlsx: " + scope.describe()
                    + (live < Long.MAX_VALUE ? ", live view (at most " + live + " rows)" : ""));
            http.contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            http.header("Content-Disposition", "attachment; filename=\"" + fileName(scope, "xlsx") + "\"");
            if (total > live && live <= excelMaxEvents) {
                workbook.createSheet("Note").createRow(0).createCell(0).setCellValue(liveLimitNote(live, total));
            } else if (total > excelMaxEvents) {
                Sheet note = workbook.createSheet("Note");
                note.createRow(0).createCell(0).setCellValue(String.format(
                        "%d of %d events exported: an Excel sheet holds at most %d rows. Use the CSV (ZIP) export for all events.",
                        excelMaxEvents, total, excelMaxEvents + 1));
            }
            Sheet sheet = workbook.createSheet("Events");
            Cells cells = new Cells(workbook);
            Row header = sheet.createRow(0);
            for (int c = 0; c < columns.size(); c++) {
                Cell cell = header.createCell(c);
                cell.setCellValue(columns.get(c).canonicalName());
                cell.setCellStyle(cells.header);
            }
            sheet.createFreezePane(0, 1);
            int[] rowNo = {1};
            lease.index().export(query, sort, limit, event -> {
                Row row = sheet.createRow(rowNo[0]++);
                for (int c = 0; c < columns.size(); c++) cells.write(row, c, event, columns.get(c));
            });
            // over the header and every row written, so Excel filters all of them (header only: it guesses)
            sheet.setAutoFilter(new org.apache.poi.ss.util.CellRangeAddress(0, rowNo[0] - 1, 0, columns.size() - 1));
            exportSheet(workbook, access, scope, sort, columns, Math.min(total, limit), total);
            try (OutputStream out = http.outputStream()) {
                workbook.write(out);
            }
        }
    }

    /**
     * How event values go into cells: numbers as numbers, the event time as an Excel date-time (UTC,
     * to the millisecond), text as inline strings (never a formula, whatever the telemetry says).
     */
    private static final class Cells {
        final org.apache.poi.ss.usermodel.CellStyle header;
        final org.apache.poi.ss.usermodel.CellStyle time;

        Cells(SXSSFWorkbook workbook) {
            org.apache.poi.ss.usermodel.Font bold = workbook.createFont();
            bold.setBold(true);
            header = workbook.createCellStyle();
            header.setFont(bold);
            header.setFillForegroundColor(org.apache.poi.ss.usermodel.IndexedColors.GREY_25_PERCENT.getIndex());
            header.setFillPattern(org.apache.poi.ss.usermodel.FillPatternType.SOLID_FOREGROUND);
            time = workbook.createCellStyle();
            time.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss.000"));
        }

        void write(Row row, int column, Event event, Field field) {
            if (field == Field.TS) {
                Cell cell = row.createCell(column);
                cell.setCellValue(java.time.LocalDateTime.ofInstant(Instant.ofEpochMilli(event.ts()), ZoneOffset.UTC));
                cell.setCellStyle(time);
                return;
            }
            String v = event.get(field);
            if (v == null) return;
            if (field.kind() == trailhound.schema.FieldKind.NUMBER || WHOLE_NUMBER_IDS.contains(field)) {
                try {
                    long n = Long.parseLong(v.strip());
                    // an id written otherwise ("0012") stays text: as a number it would read differently
                    if (field.kind() == trailhound.schema.FieldKind.NUMBER || Long.toString(n).equals(v)) {
                        row.createCell(column).setCellValue(n);
                        return;
                    }
                } catch (NumberFormatException notANumber) {
                    // kept as the text it is
                }
            }
            row.createCell(column).setCellValue(fitCell(v));
        }
    }

    /** The second sheet: what was exported, by whom and when, so a spreadsheet handed on says where it came from. */
    private static void exportSheet(SXSSFWorkbook workbook, Scope access, EventScope scope, EventSort sort, List<Field> columns,
            long exported, long total) {
        Sheet sheet = workbook.createSheet("Export");
        String[][] rows = {
            {"Endpoint", scope.endpoint()},
            {"Query", scope.text().isBlank() ? "(every event)" : scope.text()},
            {"Time range (UTC)", timeRange(scope)},
            {"Snapshot", scope.snapshot() == null ? "(the whole endpoint)" : scope.snapshot().id()},
            {"Events", String.format("%,d of %,d", exported, total)},
            {"Exported by", access.caller().user()},
            {"Exported at (UTC)", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()},
            {"Order", sort.equals(EventSort.NEWEST_FIRST) ? "newest first (-ts)" : sort.toString()},
            {"Columns", columns.equals(Field.all()) ? "all fields" : String.join(", ", columns.stream().map(Field::canonicalName).toList())},
        };
        for (int r = 0; r < rows.length; r++) {
            Row row = sheet.createRow(r);
            row.createCell(0).setCellValue(rows[r][0]);
            row.createCell(1).setCellValue(fitCell(rows[r][1]));
        }
    }

    private static String timeRange(EventScope scope) {
        String window = scope.range().describe().strip();
        return window.isEmpty() ? "all" : window.substring(1, window.length() - 1);
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
        List<Field> columns = columns(http);
        EventSort sort = GridOptions.sort(http);
        try (IndexBackend.Lease lease = access.index(scope.endpoint())) {
            // a query too broad for the index fails here, as a clean 400, before the answer becomes a ZIP
            long total = lease.index().count(query);
            long max = max(http, scope);
            access.audit("export", scope.endpoint(), AuditLog.OK, "csv: " + scope.describe()
                    + (max < Long.MAX_VALUE ? ", live view (at most " + max + " rows)" : ""));
            http.contentType("application/zip");
            http.header("Content-Disposition", "attachment; filename=\"" + fileName(scope, "zip") + "\"");
            writeZip(http, scope, lease, query, sort, columns, max, total);
        }
    }

    private void writeZip(Context http, EventScope scope, IndexBackend.Lease lease, Query query, EventSort sort, List<Field> columns,
            long max, long total) throws Exception {
        // the same encrypted ZIP as a background export's: one format (and one password) for every exported CSV
        try (ExportZip zip = ExportZip.onto(http.outputStream(), fileName(scope, "csv"), columns)) {
            lease.index().export(query, sort, max, zip::write);
            if (total > max) zip.note(NOTE, liveLimitNote(max, total));
        }
    }

    /** The ZIP entry beside the CSV that says an export stopped at a limit. */
    static final String NOTE = "NOTE.txt";

    /** The grid's chosen columns ({@code cols}) when the export asks for them, else every field. */
    private static List<Field> columns(Context http) {
        List<Field> chosen = GridOptions.cols(http);
        return chosen.isEmpty() ? Field.all() : chosen;
    }

    private static String fileName(EventScope scope, String extension) {
        String base = scope.snapshot() != null ? scope.snapshot().id() : scope.endpoint();
        String safe = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return "trailhound_" + safe + "_" + FILE_TIME.format(Instant.now()) + "." + extension;
    }
}
