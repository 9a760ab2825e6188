package trailhound.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import trailhound.schema.Event;

/** Display helpers for templates: every time in UTC ISO-8601 with {@code Z}, counts with separators. */
public final class Format {
    private Format() {}

    /** {@code 2026-11-19T07:00:00.000Z}; an empty string for null. */
    public static String utc(Long epochMillis) {
        return epochMillis == null ? "" : Event.formatTime(epochMillis);
    }

    /** A time held as decimal text (an event's {@code ts}); empty for null. */
    public static String utc(String epochMillis) {
        return epochMillis == null ? "" : utc(Long.parseLong(epochMillis));
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A query-string component. */
    public static String url(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Text or an empty string for null, for table cells. */
    public static String text(String s) {
        return s == null ? "" : s;
    }
}
