package trailhound.web.search;

import java.util.List;

/**
 * One event in the search grid: its uid, its time (epoch ms: pivots link to other endpoints at that
 * time), its process (for the link to the process page; may be null), per column the values shown (empty: nothing) and, for the expanded row, every field the
 * event has, in canonical order, each with its label.
 */
public record EventRow(String eventUid, long ts, String processKey, List<List<CellValue>> cells, List<Detail> details) {
    public EventRow {
        cells = List.copyOf(cells);
        details = List.copyOf(details);
    }

    /** A field of the expanded row: its label and its value. */
    public record Detail(String label, CellValue value) {}
}
