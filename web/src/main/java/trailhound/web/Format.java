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
    /**
     * One URL path segment: an endpoint name comes from the telemetry, and '/', '?', '#', '"' or a
     * segment of '.' or '..' would otherwise change the path. Percent-encoded as a query component
     * (space as %20), with '.' and '..' spelled out.
     */
    public static String segment(String s) {
        if (s == null) return "";
        String encoded = URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.equals(".") ? "%2E" : encoded.equals("..") ? "%2E%2E" : encoded;
    }

    public static String url(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Text or an empty string for null, for table cells. */
    public static String text(String s) {
        return s == null ? "" : s;
    }
}
