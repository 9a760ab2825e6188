package trailhound.telemetry.sysmon;

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
    /**
     * Like {@link #parse}, for a time written in {@code zone} when it names no zone itself (a time with
     * its own 'Z' or offset keeps it).
     */
    static long parseLocal(String s, java.time.ZoneId zone) {
        long asUtc = parse(s);
        if (asUtc == Long.MIN_VALUE || zone == null || s.length() > 19 && s.substring(19).matches(".*([Zz]|[+-]\\d\\d:?\\d\\d)$")) {
            return asUtc;
        }
        java.time.LocalDateTime local = java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(asUtc), java.time.ZoneOffset.UTC);
        return local.atZone(zone).toInstant().toEpochMilli();
    }

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
            if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour > 23 || minute > 59
                    || second > 59) {
                return Long.MIN_VALUE; // what LocalDateTime.of rejects
            }
            long epochSecond = epochDay(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
            return epochSecond * 1000 + millis;
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /* Plain arithmetic instead of LocalDateTime.of(...).toEpochSecond(UTC): the same values (checked
     * against it in WindowsTimesTest) without the validation and objects, on the per-event path. */

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date with a year of 0..9999 (LocalDate.toEpochDay's formula). */
    private static long epochDay(int year, int month, int day) {
        long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
        total += (367 * month - 362) / 12 + day - 1;
        if (month > 2) {
            total -= isLeap(year) ? 1 : 2;
        }
        return total - 719_528; // days from 0000-01-01 to 1970-01-01
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
