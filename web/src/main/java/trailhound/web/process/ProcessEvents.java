package trailhound.web.process;

import java.util.List;

/** The Event History tab: every field of the first {@code events.size()} of {@code total} events, oldest first. */
public record ProcessEvents(List<HistoryRow> events, long total) {}
