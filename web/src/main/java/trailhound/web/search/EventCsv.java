package trailhound.web.search;

import java.io.Flushable;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Events as CSV: RFC 4180 (commons-csv, CRLF line ends), a header of the canonical field names in
 * {@link Field} order (or the columns given), times as ISO-8601 UTC text, absent values empty. The
 * text is written as given: a file meant for Excel starts with {@link #BYTE_ORDER_MARK}, without
 * which Excel reads UTF-8 as the local code page ({@code Ã¼nÃ¯cÃ¸dÃ©} for {@code ünïcødé}). Every value comes from an
 * attacker, so a cell a spreadsheet would run as a formula (starting {@code = + - @}, tab or carriage
 * return; OWASP "CSV Injection") is written with a leading {@code '}, which Excel and LibreOffice
 * show as text; plain numbers such as {@code -1} are left alone.
 */
public final class EventCsv implements Flushable {
    /** U+FEFF, the UTF-8 byte-order mark that tells Excel a CSV file is UTF-8. */
    public static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?");

    private final CSVPrinter printer;
    private final List<Field> columns;

    /** Writes the header of every field to {@code out}; {@link #write} adds one row per event. */
    public EventCsv(Appendable out) throws IOException {
        this(out, Field.all());
    }

    /** Writes the header of {@code columns} (not empty) to {@code out}; {@link #write} adds one row per event. */
    public EventCsv(Appendable out, List<Field> columns) throws IOException {
        if (columns.isEmpty()) throw new IllegalArgumentException("a CSV needs at least one column");
        this.columns = List.copyOf(columns);
        printer = new CSVPrinter(out, CSVFormat.RFC4180);
        printer.printRecord(this.columns.stream().map(Field::canonicalName));
    }

    public void write(Event event) throws IOException {
        for (Field f : columns) printer.print(cell(f == Field.TS ? Event.formatTime(event.ts()) : event.get(f)));
        printer.println();
    }

    @Override
    public void flush() throws IOException {
        printer.flush();
    }

    /** The value as a spreadsheet will only ever show it (see the class comment); null is empty. */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) return "";
        char c = value.charAt(0);
        boolean formula = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
        return formula && !NUMBER.matcher(value).matches() ? "'" + value : value;
    }
}
