package trailhound.web.search;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import trailhound.index.EventSort;
import trailhound.schema.Field;
import trailhound.web.BadRequest;
import trailhound.web.Format;

/**
 * How the events grid shows a search, read from the URL beside {@code q}, {@code from} and
 * {@code to} so a link shares it: {@code cols} (canonical field names, comma-separated or repeated;
 * absent: the columns chosen by event type, see {@link EventColumns}), {@code sort} ({@link EventSort}
 * text, default {@code -ts}), {@code size} (rows per page, one of {@link #SIZES}) and {@code start}
 * (0-based position of the first row).
 */
public record GridOptions(List<Field> cols, EventSort sort, int size, int start) {
    public static final List<Integer> SIZES = List.of(50, 100, 200, 500);
    public static final int DEFAULT_SIZE = 100;

    public GridOptions {
        cols = List.copyOf(cols);
    }

    /**
     * Reads the options of this request. Any position from 0 is taken: one past the last event or
     * beyond the depth pages reach is the grid's to answer, knowing the search's total.
     *
     * @throws BadRequest naming an unknown column, an unsortable or unknown sort field, a size not
     *         offered or a start that is not a position, and saying what works
     */
    public static GridOptions of(Context http) {
        int size = number(http, "size", DEFAULT_SIZE);
        if (!SIZES.contains(size)) {
            throw BadRequest.withPageWording("page size must be one of " + SIZES + ", was '" + http.queryParam("size") + "'",
                    "The link asks for pages of '" + http.queryParam("size") + "' rows: choose 50, 100, 200 or 500 under Rows per page.");
        }
        int start = number(http, "start", 0);
        if (start < 0) {
            throw BadRequest.withPageWording("start must be a position from 0, was '" + http.queryParam("start") + "'",
                    "The link asks for a position in the results that is not one ('" + http.queryParam("start")
                            + "'): open the search again, it starts at the first page.");
        }
        return new GridOptions(cols(http), sort(http), size, start);
    }

    /** True when the page at this position is beyond the depth pages reach ({@link EventSort#MAX_DEPTH}). */
    public boolean beyondDepth() {
        return (long) start + size > EventSort.MAX_DEPTH;
    }

    /** The {@code cols} of this request, in the order given, each once; empty when absent. */
    static List<Field> cols(Context http) {
        Set<Field> cols = new LinkedHashSet<>();
        for (String param : http.queryParams("cols")) {
            for (String name : param.split(",")) {
                if (name.isBlank()) continue;
                String n = name.strip();
                cols.add(Field.byName(n).orElseThrow(() -> BadRequest.withPageWording("unknown column '" + n
                        + "' in cols: columns are canonical event field names such as process_name, command_line or remote_ip",
                        "The link asks for a column '" + n + "', which is no event field: choose the columns again"
                                + " with the Columns chooser (it lists them all).")));
            }
        }
        return new ArrayList<>(cols);
    }

    /** The {@code sort} of this request; {@link EventSort#NEWEST_FIRST} when absent. */
    static EventSort sort(Context http) {
        try {
            return EventSort.parse(http.queryParam("sort"));
        } catch (IllegalArgumentException e) {
            throw BadRequest.withPageWording(e.getMessage(), "The link asks to sort by '" + http.queryParam("sort").strip()
                    .replaceFirst("^-", "") + "', which the grid cannot: sortable fields are " + EventSort.sortableNames()
                    + ". Click a column header to sort by it, and again for the other direction.");
        }
    }

    /** The {@code start} of this request for pages of {@code size} rows (the JSON API's, checked against the depth); 0 when absent. */
    static int start(Context http, int size) {
        int start = number(http, "start", 0);
        if (start < 0 || start > EventSort.MAX_DEPTH - size) {
            throw new BadRequest("start must be a position from 0 to " + Format.count(EventSort.MAX_DEPTH - size)
                    + " for pages of " + size + ", was '" + http.queryParam("start") + "': pages reach the first "
                    + Format.count(EventSort.MAX_DEPTH) + " events of an order; narrow the search or sort the other way");
        }
        return start;
    }

    private static int number(Context http, String name, int absent) {
        String v = http.queryParam(name);
        if (v == null || v.isBlank()) return absent;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw BadRequest.withPageWording(name + " must be a whole number, was '" + v + "'",
                    "The link asks for " + (name.equals("size") ? "pages of '" + v + "' rows" : "position '" + v + "' in the results")
                            + ", which is not a whole number: open the search again from its first page.");
        }
    }

    /** {@code cols=a,b} or empty for the default columns. */
    public String colsText() {
        return String.join(",", cols.stream().map(Field::canonicalName).toList());
    }

    /** The parameters that keep columns, sort and size (not the position): {@code &cols=..&sort=..&size=..}, only those set. */
    public String params() {
        return (cols.isEmpty() ? "" : "&cols=" + Format.url(colsText()))
                + (sort.equals(EventSort.NEWEST_FIRST) ? "" : "&sort=" + Format.url(sort.toString()))
                + (size == DEFAULT_SIZE ? "" : "&size=" + size);
    }

    /** As {@link #params}, as hidden form fields. */
    public List<TimePicker.Param> hidden() {
        List<TimePicker.Param> out = new ArrayList<>();
        if (!cols.isEmpty()) out.add(new TimePicker.Param("cols", colsText()));
        if (!sort.equals(EventSort.NEWEST_FIRST)) out.add(new TimePicker.Param("sort", sort.toString()));
        if (size != DEFAULT_SIZE) out.add(new TimePicker.Param("size", String.valueOf(size)));
        return out;
    }

    public GridOptions withSort(EventSort newSort) {
        return new GridOptions(cols, newSort, size, 0);
    }

    public GridOptions withStart(int newStart) {
        return new GridOptions(cols, sort, size, newStart);
    }
}
