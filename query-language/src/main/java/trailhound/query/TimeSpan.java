package trailhound.query;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A typed time value read as the span of time it names, {@code [start, end)} in UTC epoch
 * milliseconds: {@code 2020-10-19} is that whole day, {@code 2020-10-19T07:00} that minute,
 * {@code 2020-10-19T07:00:05.250Z} that millisecond; {@code now-1h} and epoch milliseconds are one
 * millisecond. Ranges and comparisons use the span's edges, so {@code ts:[2020-10-19 TO 2020-10-19]}
 * is the whole day and {@code ts:>2020-10-19} starts the next day.
 */
record TimeSpan(long start, long end) {

    /** The accepted forms, for error messages. */
    static final String FORMS = "an ISO-8601 UTC time like 2020-10-19, 2020-10-19T07:00, 2020-10-19T07:00:00Z,"
            + " 2020-10-19T07:00:00.123Z (optionally with an offset like +02:00), epoch milliseconds,"
            + " or a relative time like now, now-15m, now-1h, now-7d, now-30s";

    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:[Tt ](\\d{2})(?::(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?)?)?)?)?"
                    + "([Zz]|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern RELATIVE = Pattern.compile("now(?:([+-])(\\d{1,9})(ms|s|m|h|d|w))?");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{5,}");

    static Optional<TimeSpan> parse(String text, Clock clock) {
        String value = text.trim();
        Matcher relative = RELATIVE.matcher(value.toLowerCase(Locale.ROOT));
        if (relative.matches()) {
            long now = clock.millis();
            if (relative.group(1) == null) {
                return Optional.of(new TimeSpan(now, now + 1));
            }
            long amount = unit(relative.group(3)).toMillis() * Long.parseLong(relative.group(2));
            long at = relative.group(1).equals("-") ? now - amount : now + amount;
            return Optional.of(new TimeSpan(at, at + 1));
        }
        if (EPOCH_MILLIS.matcher(value).matches()) {
            try {
                long at = Long.parseLong(value);
                return Optional.of(new TimeSpan(at, at + 1));
            } catch (NumberFormatException tooLong) {
                return Optional.empty();
            }
        }
        Matcher iso = ISO.matcher(value);
        if (!iso.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(iso(iso));
        } catch (DateTimeException invalid) {
            return Optional.empty();
        }
    }

    private static TimeSpan iso(Matcher m) {
        LocalDateTime start = LocalDateTime.of(Integer.parseInt(m.group(1)), number(m.group(2), 1),
                number(m.group(3), 1), number(m.group(4), 0), number(m.group(5), 0), number(m.group(6), 0));
        LocalDateTime end;
        if (m.group(7) != null) {
            int millis = Integer.parseInt((m.group(7) + "00").substring(0, 3));
            start = start.plusNanos(millis * 1_000_000L);
            end = start.plusNanos(1_000_000L);
        } else if (m.group(6) != null) {
            end = start.plusSeconds(1);
        } else if (m.group(5) != null) {
            end = start.plusMinutes(1);
        } else if (m.group(4) != null) {
            end = start.plusHours(1);
        } else if (m.group(3) != null) {
            end = start.plusDays(1);
        } else if (m.group(2) != null) {
            end = start.plusMonths(1);
        } else {
            end = start.plusYears(1);
        }
        ZoneOffset offset = m.group(8) == null || m.group(8).equalsIgnoreCase("z")
                ? ZoneOffset.UTC
                : ZoneOffset.of(m.group(8).length() == 5
                        ? m.group(8).substring(0, 3) + ":" + m.group(8).substring(3)
                        : m.group(8));
        return new TimeSpan(start.toInstant(offset).toEpochMilli(), end.toInstant(offset).toEpochMilli());
    }

    private static int number(String digits, int absent) {
        return digits == null ? absent : Integer.parseInt(digits);
    }

    private static Duration unit(String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            case "w" -> Duration.ofDays(7);
            default -> throw new IllegalArgumentException("unknown time unit " + unit);
        };
    }
}
