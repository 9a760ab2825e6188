package trailhound.web.search;

import java.util.List;
import trailhound.store.SnapshotInfo;
import trailhound.web.PageChrome;

/**
 * The events grid: the scope (endpoint, query text, snapshot, time window), the builder view of the
 * text, the error of a bad query (message and column; null when fine), the exact total (-1 when the
 * query or the window failed), the rows of this page and the cursor token of the next page (null on
 * the last), the time picker (with the error of a bad window) and the histogram (null when there is
 * nothing to draw).
 */
public record SearchPage(
        PageChrome chrome,
        EventScope scope,
        BuilderView builder,
        String error,
        Integer errorColumn,
        long total,
        List<String> headers,
        List<GridRow> rows,
        String next,
        boolean firstPage,
        List<SnapshotInfo> snapshots,
        boolean typedFirst,
        List<String> partial,
        TimePicker time,
        HistogramView histogram) {

    /** Link to this scope's grid, with extra parameters appended ({@code ""} for none). */
    public String link(String path, String extra) {
        return "/endpoints/" + trailhound.web.Format.segment(scope.endpoint()) + path + "?" + scope.params() + extra;
    }
}
