package trailhound.web.reputation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A hash reputation rating, with the label and CSS class the pages show it with.
 *
 * <p>The declaration order is the precedence used to combine sources into one overall verdict
 * (first wins): one source calling a file malicious outweighs any number calling it clean, and a
 * lookup still in flight outweighs "clean" because it may yet say otherwise.
 */
public enum Verdict {
    MALICIOUS("Malicious", "verdict-malicious"),
    SUSPICIOUS("Suspicious", "verdict-suspicious"),
    PENDING("Pending", "verdict-pending"),
    NON_MALICIOUS("Non-Malicious", "verdict-non-malicious"),
    UNKNOWN("Unknown", "verdict-unknown");

    private final String label;
    private final String cssClass;

    Verdict(String label, String cssClass) {
        this.label = label;
        this.cssClass = cssClass;
    }

    public String label() {
        return label;
    }

    /** {@code verdict-malicious} (red), {@code -suspicious} (yellow), {@code -non-malicious} (green), ... */
    public String cssClass() {
        return cssClass;
    }

    /** The JSON name: {@code non_malicious}, {@code malicious}, ... */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a verdict as intel files spell it: {@code malicious}, {@code suspicious},
     * {@code non-malicious} (also {@code non_malicious}, {@code clean}, {@code benign},
     * {@code harmless}), {@code unknown}; case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted spellings when none matches
     */
    public static Verdict parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
        return switch (t) {
            case "malicious", "bad" -> MALICIOUS;
            case "suspicious" -> SUSPICIOUS;
            case "non-malicious", "nonmalicious", "clean", "benign", "harmless", "good" -> NON_MALICIOUS;
            case "unknown" -> UNKNOWN;
            default -> throw new IllegalArgumentException(
                    "unknown verdict '" + text + "': use malicious, suspicious, non-malicious or unknown");
        };
    }

    /** The verdict that wins when sources disagree (see the class comment). */
    static Verdict strongest(Iterable<Verdict> verdicts) {
        Verdict best = UNKNOWN;
        for (Verdict v : verdicts) {
            if (v.ordinal() < best.ordinal()) {
                best = v;
            }
        }
        return best;
    }
}
