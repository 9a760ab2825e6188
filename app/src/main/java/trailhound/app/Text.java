package trailhound.app;

/** Small formatting helpers for terminal output. */
final class Text {
    private Text() {}

    /** ISO-8601 UTC with milliseconds, or "-" when unknown. */
    static String time(Long epochMillis) {
        return epochMillis == null ? "-" : trailhound.schema.Event.formatTime(epochMillis);
    }

    /** The value made {@link #safe}, or "-" when absent. */
    static String orDash(Object value) {
        return value == null ? "-" : safe(value.toString());
    }

    /**
     * A value from the telemetry made safe for a terminal: control characters (ESC sequences, line
     * breaks that would forge table rows, NUL) shown as {@code \xNN} instead of acting.
     */
    static String safe(String value) {
        if (value == null) return "-";
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            if (control && b == null) b = new StringBuilder(value.substring(0, i));
            if (b != null) {
                if (control) b.append(String.format("\\x%02x", (int) c));
                else b.append(c);
            }
        }
        return b == null ? value : b.toString();
    }

    /** The value made {@link #safe} and cut to {@code width} characters, "…" marking the cut; "-" when absent. */
    static String clip(String value, int width) {
        if (value == null) return "-";
        String s = safe(value);
        if (s.length() <= width) return s;
        int end = width >= 2 && Character.isHighSurrogate(s.charAt(width - 2)) ? width - 2 : width - 1; // never half a character
        return s.substring(0, end) + "…";
    }

    /** "1 endpoint", "2 endpoints", "1,024 endpoints": the count with the word that fits it. */
    static String count(long n, String one, String many) {
        return String.format("%,d %s", n, n == 1 ? one : many);
    }
}
