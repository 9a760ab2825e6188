package trailhound.web.search;

import java.util.List;
import trailhound.web.pivot.Pivot;

/**
 * One event in the grid: its uid, time (epoch ms), its process (for the link to the process page;
 * may be null), its cells (null: empty) and, per cell, the pivot behind it (null: none).
 */
public record GridRow(String eventUid, long ts, String processKey, List<String> cells, List<Pivot> pivots) {}
