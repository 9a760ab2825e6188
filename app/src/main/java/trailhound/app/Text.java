package trailhound.app;

/** Small formatting helpers for terminal output. */
final class Text {
    private Text() {}

    /** ISO-8601 UTC with milliseconds, or "-" when unknown. */
    static String time(Long epochMillis) {
        return epochMillis == null ? "-" : trailhound.schema.Event.formatTime(epochMillis);
    }

    static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }

    static String clip(String s, int width) {
        if (s == null) return "-";
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
