package trailhound.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import trailhound.schema.Field;

/**
 * Writes rows of canonical field values as an .xlsx workbook, the same way for both sides of the
 * benchmark: one header row of canonical names, one column per field, streaming (SXSSF keeps 200
 * rows in memory), so only reading the rows differs between the index and SQLite.
 */
final class ExcelExport {
    private static final List<Field> COLUMNS = Field.all();

    private ExcelExport() {}

    /** Writes the rows and returns how many were written. */
    static long write(List<Map<String, String>> rows, OutputStream out) throws IOException {
        try (SXSSFWorkbook book = new SXSSFWorkbook(200)) {
            Sheet sheet = book.createSheet("events");
            Row header = sheet.createRow(0);
            for (int c = 0; c < COLUMNS.size(); c++) header.createCell(c).setCellValue(COLUMNS.get(c).canonicalName());
            int r = 1;
            for (Map<String, String> values : rows) {
                Row row = sheet.createRow(r++);
                for (int c = 0; c < COLUMNS.size(); c++) {
                    String v = values.get(COLUMNS.get(c).canonicalName());
                    if (v != null) row.createCell(c).setCellValue(v);
                }
            }
            book.write(out);
            return r - 1L;
        }
    }
}
