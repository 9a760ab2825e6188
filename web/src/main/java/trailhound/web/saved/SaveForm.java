package trailhound.web.saved;

import java.util.ArrayList;
import java.util.List;
import trailhound.web.PageChrome;
import trailhound.web.search.TimePicker;

/**
 * The "Save search" form of the grid and the hunt page ({@code tag/savesearch.jte}): the CSRF token, the
 * endpoint (null on the hunt page: all endpoints), the query and window text as in the URL, and the
 * time choices: the window as shown, or one of the picker's quick ranges kept relative (the one shown
 * chosen first).
 */
public record SaveForm(String csrf, String endpoint, String query, String from, String to, List<Choice> ranges) {

    /** A time choice: the {@code range} value sent ("" for the window as shown), its label, whether it is chosen. */
    public record Choice(String value, String label, boolean selected) {}

    public static SaveForm of(PageChrome chrome, String endpoint, String query, String from, String to, TimePicker picker) {
        List<Choice> ranges = new ArrayList<>();
        boolean open = (from == null || from.isEmpty()) && (to == null || to.isEmpty());
        boolean anyActive = picker.presets().stream().anyMatch(p -> p.active() && !p.id().equals("all"));
        ranges.add(new Choice("", open ? "all times" : "this window, as it is now", !anyActive));
        for (TimePicker.Preset p : picker.presets()) {
            if (p.id().equals("all")) continue;
            String label = p.label().startsWith("Last") ? p.label().replace("Last", "last") : "last " + p.label();
            ranges.add(new Choice(p.id(), label + " before the newest event, when opened", p.active()));
        }
        return new SaveForm(chrome.csrfToken(), endpoint, query == null ? "" : query, from == null ? "" : from, to == null ? "" : to,
                List.copyOf(ranges));
    }
}
