package trailhound.web.search;

import java.util.List;

/**
 * The time-range picker above a result (grid, distribution, hunt): quick ranges that end at the newest
 * event, "All", and an absolute UTC range as two inputs. {@code action} is the page's path,
 * {@code keep} the other parameters its form sends back ({@code q}, {@code snapshot}...), {@code from}
 * and {@code to} the window's text as in the URL, {@code anchor} says where the quick ranges end,
 * {@code hint} why nothing matches when the window misses the events (null otherwise) and
 * {@code error} what is wrong with a bad {@code from}/{@code to} (null when fine).
 */
public record TimePicker(
        String action, List<Param> keep, String from, String to, List<Preset> presets, String anchor, String hint, String error) {

    /** A hidden form field. */
    public record Param(String name, String value) {}

    /** A quick range: its id ({@code 24h}, {@code all}), label, link, and whether it is the window shown. */
    public record Preset(String id, String label, String link, boolean active) {}

    public TimePicker {
        keep = List.copyOf(keep);
        presets = List.copyOf(presets);
    }

    /** The same picker with why nothing matches. */
    public TimePicker withHint(String newHint) {
        return new TimePicker(action, keep, from, to, presets, anchor, newHint, error);
    }
}
