package trailhound.web.search;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import trailhound.query.IndexFields;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.BadRequest;

/**
 * The time window of a request, {@code from} (inclusive) to {@code to} (exclusive), UTC epoch ms,
 * either side null for open. Read from the {@code from} and {@code to} URL parameters by every page
 * and API that reads {@code q} (grid, distribution, exports, histogram, hunt), so one window
 * restricts them all alike.
 *
 * <p>Each parameter is an ISO-8601 time with {@code Z} or an offset ({@code 2026-11-19T07:00:00Z},
 * {@code 2026-11-19T07:00Z}, {@code 2026-11-19T07:00:00.250+02:00}) or epoch milliseconds; blank or
 * absent is open. The pages write {@link #iso} (UTC, {@code Z}, milliseconds only when not zero).
 * There is no relative form: a link means the same events tomorrow. A window relative to the wall
 * clock belongs in the query text, {@code ts:>now-15m}.
 */
public record TimeRange(Long from, Long to) {
    /** Open on both sides: every event. */
    public static final TimeRange ALL = new TimeRange(null, null);

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: what the ISO form can say, and no overflow. */
    private static final long EARLIEST = -62_135_596_800_000L;
    private static final long LATEST = 253_402_300_799_999L;

    /**
     * The window the two parameters' text says.
     *
     * @throws BadRequest naming the parameter and quoting its value, for a bad time or {@code from} not before {@code to}
     */
    public static TimeRange parse(String fromText, String toText) {
        Long from = time("from", fromText);
        Long to = time("to", toText);
        if (from != null && to != null && from >= to) {
            throw new BadRequest("'from' (" + Event.formatTime(from) + ") must be before 'to' (" + Event.formatTime(to) + ")");
        }
        return new TimeRange(from, to);
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

    private static Long time(String name, String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        long ms;
        try {
            ms = v.matches("-?\\d{1,19}") ? Long.parseLong(v) : OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new BadRequest("parameter '" + name + "' must be an ISO-8601 time with Z or an offset, like"
                    + " 2026-11-19T07:00:00Z, or epoch milliseconds; was '" + value + "'");
        }
        if (ms < EARLIEST || ms > LATEST) {
            throw new BadRequest("parameter '" + name + "' must be between " + Event.formatTime(EARLIEST) + " and "
                    + Event.formatTime(LATEST) + "; was '" + value + "'");
        }
        return ms;
    }
}
