package trailhound.web.distribution;

import java.util.List;
import trailhound.web.PageChrome;
import trailhound.web.search.EventScope;
import trailhound.web.search.TimePicker;

/**
 * The event distribution: a bar per event type (with its exact count and the grid link that
 * filters to it) and the per-operation breakdown; {@code error}/{@code errorColumn} for a bad query,
 * the time picker (with the error of a bad window).
 */
public record DistributionPage(
        PageChrome chrome, EventScope scope, long total, List<Bar> types, List<Bar> operations, String error, Integer errorColumn,
        String retention, TimePicker time) {

    /** One bar: label ({@code process} or {@code process/start}), exact count, share of the largest (0..1), grid link. */
    public record Bar(String label, long count, double share, String link) {}

    public long max() {
        return types.stream().mapToLong(Bar::count).max().orElse(0);
    }
}
