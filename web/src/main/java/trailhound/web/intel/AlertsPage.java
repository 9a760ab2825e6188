package trailhound.web.intel;

import java.util.List;
import trailhound.store.Alerts.Alert;
import trailhound.web.PageChrome;

/**
 * The Alerts page: the alerts of the endpoints the caller sees, the one with the newest activity first,
 * filtered by {@code state} and {@code rule} ({@code kind:id}; empty: any), the rules to filter by, and
 * whether the caller may change states.
 */
public record AlertsPage(PageChrome chrome, List<Row> rows, boolean canChange, String state, String rule, List<Rule> rules) {
    /**
     * An alert, the link to its events on the endpoint's grid, when it was raised and last named an event (UTC), its rule's
     * page (null when there is none), what became of its rule when it is gone ("IOC deleted"; else null), {@code linked}
     * how many of its events the grid link names (fewer than it has when there are too many for one query),
     * {@code ruleEventsLink} the grid of all its rule's events on the endpoint then (null when none or not needed).
     */
    public record Row(Alert alert, String eventsLink, String raised, String lastSeen, String ruleLink, String ruleGone, int linked,
            String ruleEventsLink) {
        /** Whether the grid link names fewer events than the alert has. */
        public boolean cut() {
            return linked < alert.events();
        }
    }

    /** A rule the filter offers: {@code value} {@code kind:id}, {@code label} for people. */
    public record Rule(String value, String label) {}
}
