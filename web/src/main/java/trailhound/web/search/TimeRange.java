package trailhound.web.search;

import org.apache.lucene.search.Query;
import trailhound.query.TimeWindow;
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
 * clock belongs in the query text, {@code ts:>now-15m}. The parsing is {@link TimeWindow}'s, which
 * the command line's {@code --from}/{@code --to} share.
 */
public record TimeRange(Long from, Long to) {
    /** Open on both sides: every event. */
    public static final TimeRange ALL = new TimeRange(null, null);

    /**
     * The window the two parameters' text says.
     *
     * @throws BadRequest naming the parameter and quoting its value, for a bad time or {@code from} not before {@code to};
     *     on pages ({@link BadRequest#forPages}) naming the time range's start or end and pointing to the time picker
     */
    public static TimeRange parse(String fromText, String toText) {
        try {
            TimeWindow w = TimeWindow.of("'from'", TimeWindow.instant("parameter 'from'", fromText),
                    "'to'", TimeWindow.instant("parameter 'to'", toText));
            return new TimeRange(w.from(), w.to());
        } catch (IllegalArgumentException e) {
            throw BadRequest.withPageWording(e.getMessage(), forPages(fromText, toText));
        }
    }

    /** The same failure in the time picker's terms (the page's reader never typed a parameter name). */
    private static String forPages(String fromText, String toText) {
        try {
            TimeWindow.of("The start of the time range", TimeWindow.instant("The start of the time range", fromText),
                    "its end", TimeWindow.instant("The end of the time range", toText));
            return null; // not reached: the same text failed above
        } catch (IllegalArgumentException e) {
            return e.getMessage() + ". Type it again in the time picker, or choose a quick range.";
        }
    }

    public boolean all() {
        return from == null && to == null;
    }

    /**
     * The query restricted to the window: a {@code FILTER} clause on the ts points (it narrows what
     * the query matches and does not score), as a snapshot's window is; the query itself when open.
     */
    public Query filter(Query query) {
        return window().filter(query);
    }

    /** {@code 2026-11-19T07:00:00Z}, with {@code .250} only when the milliseconds are not zero; empty for null. */
    public static String iso(Long epochMillis) {
        return TimeWindow.iso(epochMillis);
    }

    /** " [from 2026-11-19T07:00:00Z to ...]" for audit details; empty when open. */
    public String describe() {
        return window().describe();
    }

    private TimeWindow window() {
        return new TimeWindow(from, to);
    }
}
