package trailhound.telemetry.sysmon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowsTimesTest {
    @Test
    void parse_realShapes() {
        assertEquals(1603092646251L, WindowsTimes.parse("2020-10-19 07:30:46.251"));
        assertEquals(1603959798073L, WindowsTimes.parse("2020-10-29T08:23:18.073Z"));
        assertEquals(1603092646251L, WindowsTimes.parse("2020-10-19T07:30:46.2510000Z"));
        assertEquals(1603092646251L, WindowsTimes.parse("2020-10-19T09:30:46.251+02:00"));
        assertEquals(Long.MIN_VALUE, WindowsTimes.parse("yesterday"));
        assertEquals(Long.MIN_VALUE, WindowsTimes.parse(null));
    }

    @Test
    void parse_anyDateAndTime_sameAsLocalDateTime() {
        List<String> texts = new ArrayList<>(List.of("2020-02-29 00:00:00", "2021-02-29 00:00:00", "1900-02-29 12:00:00",
                "2000-02-29 12:00:00", "2020-04-31 00:00:00", "2020-12-31 23:59:59.999", "2020-13-01 00:00:00",
                "2020-00-10 00:00:00", "2020-01-00 00:00:00", "2020-01-01 24:00:00", "2020-01-01 23:60:00",
                "2020-01-01 23:59:60", "0000-01-01 00:00:00", "9999-12-31 23:59:59", "1601-01-01 00:00:00",
                "1969-12-31 23:59:59.5", "2020-10-19 07:30:46.251-05:30"));
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            texts.add(String.format("%04d-%02d-%02d%s%02d:%02d:%02d.%03d%s", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextBoolean() ? " " : "T", random.nextInt(25), random.nextInt(61),
                    random.nextInt(61), random.nextInt(1000), switch (random.nextInt(3)) {
                        case 0 -> "";
                        case 1 -> "Z";
                        default -> String.format("+%02d:%02d", random.nextInt(15), random.nextInt(60));
                    }));
        }
        for (String text : texts) {
            assertEquals(reference(text), WindowsTimes.parse(text), text);
        }
    }

    /** The implementation before the arithmetic one, through java.time. */
    private static long reference(String s) {
        try {
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
            if (i < s.length() && s.charAt(i) != 'Z') {
                int sign = s.charAt(i) == '-' ? -1 : 1;
                offsetSeconds = sign * (Integer.parseInt(s.substring(i + 1, i + 3)) * 3600
                        + Integer.parseInt(s.substring(i + 4, i + 6)) * 60);
            }
            LocalDateTime t = LocalDateTime.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(5, 7)),
                    Integer.parseInt(s.substring(8, 10)), Integer.parseInt(s.substring(11, 13)),
                    Integer.parseInt(s.substring(14, 16)), Integer.parseInt(s.substring(17, 19)));
            return (t.toEpochSecond(ZoneOffset.UTC) - offsetSeconds) * 1000 + millis;
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }
}
