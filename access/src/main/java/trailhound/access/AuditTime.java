package trailhound.access;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bound of an audit trail listing, {@code since} or {@code until}, as people type it: the same on the command line
 * ({@code audit --since 7d}) and in the API ({@code GET /api/v1/audit?since=7d}).
 *
 * <ul>
 *   <li>a UTC date, standing for its midnight: {@code 2026-12-01}</li>
 *   <li>a time with its zone: {@code 2026-12-01T10:00Z}, {@code 2026-12-01T10:00:00.5+02:00}</li>
 *   <li>an age before now, in minutes, hours or days: {@code 30m}, {@code 12h}, {@code 7d}</li>
 * </ul>
 */
public final class AuditTime {
    private static final Pattern AGE = Pattern.compile("(\\d{1,6})([mhd])");

    /** How the forms are told to someone who typed none of them. */
    public static final String FORMS = "a UTC date (2026-12-01), a time with its zone (2026-12-01T10:00Z) or an age (30m, 12h, 7d)";

    private AuditTime() {}

    /**
     * Epoch milliseconds of {@code value}; null when it is null or blank.
     *
     * @param name what the value was given as, for the message: {@code --since}, {@code since}
     * @param now  the instant an age counts back from
     * @throws IllegalArgumentException when the value is none of the forms, naming it and them
     */
    public static Long parse(String name, String value, Instant now) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        Matcher age = AGE.matcher(v);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d).toEpochMilli();
        }
        try {
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            try {
                return Instant.parse(v).toEpochMilli(); // what the API took before it shared this parser
            } catch (DateTimeException notThatEither) {
                throw new IllegalArgumentException(name + " '" + value + "' is no time: give " + FORMS);
            }
        }
    }
}
