package trailhound.web.search;

import java.util.List;

/** One event in the grid: its uid, its process (for the link to the process page; may be null) and its cells (null: empty). */
public record GridRow(String eventUid, String processKey, List<String> cells) {}
