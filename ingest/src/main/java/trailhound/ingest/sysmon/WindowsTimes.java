package trailhound.ingest.sysmon;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Parses the Windows event time stamps found in real exports to UTC epoch milliseconds:
 * Sysmon {@code UtcTime} ({@code 2020-10-19 07:30:46.251}), forwarder {@code TimeCreated} in
 * either {@code 2020-10-19 03:30:46.257} or {@code 2020-10-29T08:23:18.073Z}, and XML
 * {@code SystemTime} ({@code 2020-10-19T07:30:46.2510000Z}, 100 ns digits). A time without a zone
 * is taken as UTC; an explicit {@code +hh:mm} offset is applied. Hand-written because it runs once
 * per event on the hot path and must accept all these shapes.
 */
final class WindowsTimes {
    private WindowsTimes() {
    }

    /** Epoch milliseconds, or {@code Long.MIN_VALUE} when the text is not such a time. */
    static long parse(String s) {
        if (s == null || s.length() < 19) {
            return Long.MIN_VALUE;
        }
        try {
            char sep = s.charAt(10);
            if (s.charAt(4) != '-' || s.charAt(7) != '-' || (sep != ' ' && sep != 'T') || s.charAt(13) != ':'
                    || s.charAt(16) != ':') {
                return Long.MIN_VALUE;
            }
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 7);
            int day = digits(s, 8, 10);
            int hour = digits(s, 11, 13);
            int minute = digits(s, 14, 16);
            int second = digits(s, 17, 19);
            int i = 19;
            int millis = 0;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int scale = 100;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    millis += (s.charAt(i) - '0') * scale;
                    scale /= 10;
                    i++;
                }
            }
            int offsetSeconds = 0;
            if (i < s.length()) {
                char z = s.charAt(i);
                if (z == 'Z' && i == s.length() - 1) {
                    offsetSeconds = 0;
                } else if ((z == '+' || z == '-') && s.length() == i + 6 && s.charAt(i + 3) == ':') {
                    offsetSeconds = (digits(s, i + 1, i + 3) * 3600 + digits(s, i + 4, i + 6) * 60) * (z == '-' ? -1 : 1);
                } else {
                    return Long.MIN_VALUE;
                }
            }
            long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC)
                    - offsetSeconds;
            return epochSecond * 1000 + millis;
        } catch (NumberFormatException | DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
