package trailhound.query;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * A time window, {@code from} (inclusive) to {@code to} (exclusive), UTC epoch milliseconds, either
 * side null for open: the web's {@code from}/{@code to} URL parameters and the command line's
 * {@code --from}/{@code --to}/{@code --last} read into the same thing, with one parser, so a window
 * means the same events wherever it is typed.
 *
 * <p>Forms: an ISO-8601 time with {@code Z} or an offset ({@code 2026-11-19T07:00:00Z},
 * {@code 2026-11-19T07:00Z}, {@code 2026-11-19T07:00:00.250+02:00}) or epoch milliseconds; blank is
 * open. The command line also takes a date ({@link #instantOrDate}: {@code 2026-11-19} is that whole
 * UTC day, so {@code --from 2026-11-19 --to 2026-11-19} is the day) and {@link #last} ("the last 24
 * hours"), which ends, as the web's quick ranges do, at the newest event rather than the wall clock.
 * Every error is an {@link IllegalArgumentException} naming the parameter as the caller spells it and
 * quoting the value.
 */
public record TimeWindow(Long from, Long to) {
    /** Open on both sides: every event. */
    public static final TimeWindow ALL = new TimeWindow(null, null);

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: what the ISO form can say, and no overflow. */
    public static final long EARLIEST = -62_135_596_800_000L;
    public static final long LATEST = 253_402_300_799_999L;

    private static final String INSTANT_FORMS = "an ISO-8601 time with Z or an offset, like 2026-11-19T07:00:00Z, or epoch milliseconds";
    private static final String CLI_FORMS = "an ISO-8601 time with Z or an offset, like 2026-11-19T07:00:00Z,"
            + " a date like 2026-11-19 (a whole UTC day), or epoch milliseconds";
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern SPAN = Pattern.compile("(\\d{1,6})\\s*(m|min|h|d|w)");
    private static final long MINUTE = 60_000;

    /**
     * The instant the text says (null when blank): ISO-8601 with {@code Z} or an offset, or epoch ms.
     *
     * @param name the parameter as the reader knows it, e.g. {@code "parameter 'from'"} or {@code "--from"}
     * @throws IllegalArgumentException "{name} must be an ISO-8601 time ...; was '{text}'", or out of range
     */
    public static Long instant(String name, String text) {
        return parse(name, text, false, false);
    }

    /**
     * As {@link #instant}, and a date alone names a whole UTC day: its start, or for the window's
     * {@code end} (exclusive) the next day's start, so the day itself is inside.
     */
    public static Long instantOrDate(String name, String text, boolean end) {
        return parse(name, text, true, end);
    }

    /**
     * The window of two parsed edges.
     *
     * @throws IllegalArgumentException "{fromName} (time) must be before {toName} (time)" when {@code from >= to}
     */
    public static TimeWindow of(String fromName, Long from, String toName, Long to) {
        if (from != null && to != null && from >= to) {
            throw new IllegalArgumentException(fromName + " (" + Event.formatTime(from) + ") must be before " + toName + " ("
                    + Event.formatTime(to) + ")");
        }
        return new TimeWindow(from, to);
    }

    /**
     * The last {@code span} of the events: the window ending at {@link #quickRangeEnd} of the newest
     * event ({@code newest}, UTC ms; null when there is none: {@code now}), as the web's quick ranges.
     */
    public static TimeWindow last(Duration span, Long newest, Instant now) {
        long end = quickRangeEnd(newest == null ? now.toEpochMilli() : newest);
        return new TimeWindow(end - span.toMillis(), end);
    }

    /** Where quick ranges end: the newest event + 1 ms rounded up to a whole minute, so the newest event is inside and the time reads well. */
    public static long quickRangeEnd(long newest) {
        return Math.ceilDiv(newest + 1, MINUTE) * MINUTE;
    }

    /**
     * A span such as {@code 15m}, {@code 24h}, {@code 7d}, {@code 2w} (minutes, hours, days, weeks).
     *
     * @throws IllegalArgumentException naming {@code name} and the accepted forms
     */
    public static Duration span(String name, String text) {
        Matcher m = SPAN.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(name + " must be a length of time such as 15m, 1h, 24h, 7d or 2w"
                    + " (minutes, hours, days, weeks); was '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    public boolean all() {
        return from == null && to == null;
    }

    /**
     * The query restricted to the window: a {@code FILTER} clause on the ts points (it narrows what
     * the query matches and does not score), as a snapshot's window is; the query itself when open.
     */
    public Query filter(Query query) {
        if (all()) return query;
        long lo = from == null ? Long.MIN_VALUE : from;
        long hi = to == null ? Long.MAX_VALUE : to - 1; // the point range is inclusive on both sides
        return new BooleanQuery.Builder()
                .add(query, BooleanClause.Occur.MUST)
                .add(LongPoint.newRangeQuery(IndexFields.point(Field.TS), lo, hi), BooleanClause.Occur.FILTER)
                .build();
    }

    /** {@code 2026-11-19T07:00:00Z}, with {@code .250} only when the milliseconds are not zero; empty for null. */
    public static String iso(Long epochMillis) {
        return epochMillis == null ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }

    /** " [from 2026-11-19T07:00:00Z to ...]" for audit details; empty when open. */
    public String describe() {
        if (all()) return "";
        return " [" + (from == null ? "" : "from " + iso(from)) + (from != null && to != null ? " " : "")
                + (to == null ? "" : "to " + iso(to)) + "]";
    }

    private static Long parse(String name, String value, boolean dates, boolean end) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        long ms;
        try {
            if (v.matches("-?\\d{1,19}")) {
                ms = Long.parseLong(v);
            } else if (dates && DATE.matcher(v).matches()) {
                LocalDate day = LocalDate.parse(v);
                ms = (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } else {
                ms = OffsetDateTime.parse(v).toInstant().toEpochMilli();
            }
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be " + (dates ? CLI_FORMS : INSTANT_FORMS) + "; was '" + value + "'");
        }
        if (ms < EARLIEST || ms > LATEST) {
            throw new IllegalArgumentException(name + " must be between " + Event.formatTime(EARLIEST) + " and "
                    + Event.formatTime(LATEST) + "; was '" + value + "'");
        }
        return ms;
    }
}
