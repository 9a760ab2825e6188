package trailhound.index;

import java.util.List;
import trailhound.schema.Event;

/**
 * One page of search results, newest first; {@code next} is null on the last page. {@code partial}
 * names the sources being ingested right now whose events so far are among the results (empty when
 * none): the results are then partial.
 */
public record EventPage(List<Event> events, long total, PageCursor next, List<SourceProgress> partial) {
    public EventPage {
        partial = List.copyOf(partial);
    }
}
