package trailhound.web.process;

import java.util.List;
import trailhound.web.reputation.Verdict;

/**
 * The legends of the tree and timeline: one colour per event type (classes {@code evt-<type>} in
 * app.css, also read by the distribution bars) and one per hash verdict.
 */
public final class TreeLegend {
    /** The event types with a colour of their own, in legend order; any other type is grey ({@code evt-other}). */
    public static final List<String> TYPES = List.of("process", "file", "network", "registry", "dns", "image", "image_load",
            "driver", "logon", "security");

    private TreeLegend() {}

    /** {@code evt-file}, ...: the type lower-cased, anything but letters, digits and '_' made '_'. */
    public static String cssClass(String type) {
        return "evt-" + (type == null ? "other" : type.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
    }

    public static List<Verdict> verdicts() {
        return List.of(Verdict.MALICIOUS, Verdict.SUSPICIOUS, Verdict.PENDING, Verdict.NON_MALICIOUS, Verdict.UNKNOWN);
    }
}
