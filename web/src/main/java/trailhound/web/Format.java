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

    /** A count and its noun, singular for one: {@code "1 endpoint"}, {@code "2,000 events"}. */
    public static String count(long n, String one, String many) {
        return count(n) + " " + (n == 1 ? one : many);
    }

    /*
     * Names are telemetry, so any string. Percent-encoding keeps '/', '?', '#', '%' and spaces inside
     * the segment, but a browser removes a segment "." or ".." (also spelled %2E, %2e%2E...) from the
     * path before sending it (RFC 3986 dot-segments), so no encoding of those two names survives. They
     * are escaped instead with a trailing '~': a name of one or two dots and any number of '~' gets one
     * '~' more, which unsegment takes off again, so every name has exactly one segment.
     */
    private static final java.util.regex.Pattern DOTS = java.util.regex.Pattern.compile("\\.\\.?~*");

    /**
     * One URL path segment for a name (an endpoint, a process key) from the telemetry: percent-encoded
     * (space as %20), with {@code .} and {@code ..} escaped as {@code .~} and {@code ..~}. The route
     * reads it back with {@link #unsegment}.
     */
    public static String segment(String s) {
        if (s == null) return "";
        String escaped = DOTS.matcher(s).matches() ? s + "~" : s;
        return URLEncoder.encode(escaped, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The name a decoded path parameter written by {@link #segment} stands for. */
    public static String unsegment(String pathParam) {
        return pathParam.endsWith("~") && DOTS.matcher(pathParam).matches()
                ? pathParam.substring(0, pathParam.length() - 1) : pathParam;
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
