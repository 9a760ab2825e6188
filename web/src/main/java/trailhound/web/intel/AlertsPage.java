package trailhound.web.intel;

import java.util.List;
import trailhound.store.Alerts.Alert;
import trailhound.web.PageChrome;

/** The Alerts page: the alerts of the endpoints the caller sees, newest first, and whether they may change states. */
public record AlertsPage(PageChrome chrome, List<Row> rows, boolean canChange) {
    /** An alert, the link to its events on the endpoint's grid, and when it was raised (UTC). */
    public record Row(Alert alert, String eventsLink, String raised, String ruleLink) {}
}
