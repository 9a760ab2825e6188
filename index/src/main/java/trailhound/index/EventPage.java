package trailhound.index;

import java.util.List;
import trailhound.schema.Event;

/** One page of search results, newest first; {@code next} is null on the last page. */
public record EventPage(List<Event> events, long total, PageCursor next) {}
