package trailhound.web.search;

import java.util.List;
import trailhound.index.EventSort;
import trailhound.schema.Field;
import trailhound.store.SnapshotInfo;
import trailhound.web.Format;
import trailhound.web.PageChrome;

/**
 * The events grid: the scope (endpoint, query text, snapshot, time window), the builder view of the
 * text, the error of a bad query (message and column; null when fine), the exact total (-1 when the
 * query or the window failed), the columns and rows of this page ({@code table}; null when the
 * query failed), how the grid is shown ({@code options}: columns, sort, page size, position), the
 * time picker (with the error of a bad window), the histogram (null when there is nothing to draw)
 * and a notice about the link itself (an old link's {@code after=}; null when none); {@code live}:
 * an agent is enrolled for the endpoint (its live-only links, shown when connected, exist at all).
 */
public record SearchPage(
        PageChrome chrome,
        EventScope scope,
        BuilderView builder,
        String error,
        Integer errorColumn,
        long total,
        EventColumns.Table table,
        GridOptions options,
        List<SnapshotInfo> snapshots,
        boolean typedFirst,
        List<String> partial,
        TimePicker time,
        HistogramView histogram,
        String notice,
        boolean live) {

    /** Link to this scope's grid, with extra parameters appended ({@code ""} for none). */
    public String link(String path, String extra) {
        return "/endpoints/" + Format.segment(scope.endpoint()) + path + "?" + scope.params() + extra;
    }

    /**
     * An export of this search in the grid's order; {@code chosenColumns}: only the grid's chosen
     * columns (else every field). From a live endpoint's view ({@code live=1}: no snapshot chosen), at
     * most the live export limit of rows, as the background export of the same view (fourth try-out).
     */
    public String export(String path, boolean chosenColumns) {
        GridOptions only = new GridOptions(chosenColumns ? options.cols() : java.util.List.of(), options.sort(), GridOptions.DEFAULT_SIZE, 0);
        return link(path, only.params() + (live && scope.snapshot() == null ? "&live=1" : ""));
    }

    /** This search's grid shown with these options. */
    public String grid(GridOptions o) {
        return link("/events", o.params() + (o.start() > 0 ? "&start=" + o.start() : ""));
    }

    /** "101-200 of 284": the rows shown and the total. */
    public String position() {
        int shown = table == null ? 0 : table.rows().size();
        if (shown == 0) return (total > 0 ? "none of " : "0 of ") + Format.count(total);
        return Format.count(options.start() + 1L) + "-" + Format.count(options.start() + (long) shown) + " of " + Format.count(total);
    }

    /** True when the position is beyond the last event (there are events, but none from here). */
    public boolean pastLast() {
        return total > 0 && options.start() >= total;
    }

    /** The position of the last page's first row. */
    public int lastStart() {
        long last = total <= 0 ? 0 : (total - 1) / options.size() * options.size();
        return (int) Math.min(last, EventSort.MAX_DEPTH - options.size());
    }

    public boolean hasPrevious() {
        return options.start() > 0;
    }

    public boolean hasNext() {
        return table != null && !table.rows().isEmpty() && options.start() + (long) table.rows().size() < total
                && options.start() + 2L * options.size() <= EventSort.MAX_DEPTH;
    }

    public String previous() {
        return grid(options.withStart(pastLast() ? lastStart() : Math.max(0, options.start() - options.size())));
    }

    public String next() {
        return grid(options.withStart(options.start() + options.size()));
    }

    public String last() {
        return grid(options.withStart(lastStart()));
    }

    public String first() {
        return grid(options.withStart(0));
    }

    /** The link a column header sorts by: the other direction when it is the sort, else newest or A-Z first. */
    public String sortLink(Field field) {
        EventSort now = options.sort();
        EventSort next = now.field() == field ? now.reversed() : new EventSort(field, field == Field.TS);
        return grid(options.withSort(next));
    }

    /** aria-sort of a column header: ascending, descending or none. */
    public String ariaSort(Field field) {
        if (field == null || options.sort().field() != field) return "none";
        return options.sort().descending() ? "descending" : "ascending";
    }

    public boolean sortable(Field field) {
        return field != null && EventSort.sortable(field);
    }

    /** What the order is, for the result bar: "newest first", "by Event type, Z-A"... */
    public String orderText() {
        EventSort s = options.sort();
        if (s.field() == Field.TS) return s.descending() ? "newest first" : "oldest first";
        return "by " + s.field().label() + (s.descending() ? ", Z-A" : ", A-Z");
    }

    /** The fields the column chooser offers (all but time, which is always shown) and whether each is shown now. */
    public List<Choice> choices() {
        List<Field> shown = table == null ? List.of() : table.columns().stream().map(EventColumns.Column::field).toList();
        return Field.all().stream().filter(f -> f != Field.TS).map(f -> new Choice(f, shown.contains(f))).toList();
    }

    /** A field in the column chooser. */
    public record Choice(Field field, boolean shown) {}
}
