package trailhound.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one parser of time windows the web's from/to and the CLI's --from/--to/--last share. */
class TimeWindowTest {
    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void instant_isoWithZOrOffsetOrEpochMillis_sameInstant() {
        long t = ms("2026-11-19T07:00:00Z");
        assertEquals(t, TimeWindow.instant("x", "2026-11-19T07:00:00Z"));
        assertEquals(t, TimeWindow.instant("x", "2026-11-19T07:00Z"));
        assertEquals(t, TimeWindow.instant("x", "2026-11-19T09:00:00+02:00"));
        assertEquals(t, TimeWindow.instant("x", " " + t + " "));
        assertNull(TimeWindow.instant("x", "  "));
    }

    @Test
    void instant_dateOrLocalTime_refusedNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeWindow.instant("parameter 'to'", "2026-11-19"));
        assertEquals("parameter 'to' must be an ISO-8601 time with Z or an offset, like 2026-11-19T07:00:00Z, or epoch milliseconds;"
                + " was '2026-11-19'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimeWindow.instant("x", "2026-11-19T07:00"));
    }

    @Test
    void instantOrDate_dateIsAWholeUtcDay() {
        assertEquals(ms("2026-11-19T00:00:00Z"), TimeWindow.instantOrDate("--from", "2026-11-19", false));
        assertEquals(ms("2026-11-20T00:00:00Z"), TimeWindow.instantOrDate("--to", "2026-11-19", true));
        assertEquals(ms("2026-11-19T07:00:00Z"), TimeWindow.instantOrDate("--to", "2026-11-19T07:00:00Z", true), "a time is itself");
        assertThrows(IllegalArgumentException.class, () -> TimeWindow.instantOrDate("--from", "2026-02-30", false));
    }

    @Test
    void of_fromNotBeforeTo_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeWindow.of("--from", 5L, "--to", 5L));
        assertEquals("--from (1970-01-01T00:00:00.005Z) must be before --to (1970-01-01T00:00:00.005Z)", e.getMessage());
    }

    @Test
    void last_endsAtTheNewestEventRoundedUpToAMinute() {
        TimeWindow w = TimeWindow.last(Duration.ofHours(24), ms("2026-11-20T06:00:30Z"), Instant.EPOCH);
        assertEquals(new TimeWindow(ms("2026-11-19T06:01:00Z"), ms("2026-11-20T06:01:00Z")), w);
        assertEquals(ms("2026-11-20T06:01:00Z"), TimeWindow.quickRangeEnd(ms("2026-11-20T06:00:00Z")), "an event on the minute is inside");
        assertEquals(new TimeWindow(ms("2026-11-20T05:45:00Z"), ms("2026-11-20T06:00:00Z")),
                TimeWindow.last(Duration.ofMinutes(15), null, Instant.parse("2026-11-20T05:59:59.999Z")), "no event: ends now");
    }

    @Test
    void span_forms() {
        assertEquals(Duration.ofMinutes(15), TimeWindow.span("--last", "15m"));
        assertEquals(Duration.ofHours(24), TimeWindow.span("--last", "24H"));
        assertEquals(Duration.ofDays(7), TimeWindow.span("--last", "7d"));
        assertEquals(Duration.ofDays(14), TimeWindow.span("--last", "2w"));
        assertThrows(IllegalArgumentException.class, () -> TimeWindow.span("--last", "0d"));
        assertThrows(IllegalArgumentException.class, () -> TimeWindow.span("--last", "-1h"));
        assertThrows(IllegalArgumentException.class, () -> TimeWindow.span("--last", "1y"));
    }
}
