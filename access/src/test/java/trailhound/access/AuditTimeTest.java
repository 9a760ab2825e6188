package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditTimeTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void parse_everyForm() {
        assertEquals(ms("2026-12-01T00:00:00Z"), AuditTime.parse("since", "2026-12-01", NOW));
        assertEquals(ms("2026-12-01T10:00:00Z"), AuditTime.parse("since", "2026-12-01T10:00Z", NOW));
        assertEquals(ms("2026-12-01T08:00:00.500Z"), AuditTime.parse("since", "2026-12-01T10:00:00.5+02:00", NOW));
        assertEquals(ms("2026-12-01T11:30:00Z"), AuditTime.parse("since", "30m", NOW));
        assertEquals(ms("2026-12-01T00:00:00Z"), AuditTime.parse("since", " 12h ", NOW));
        assertEquals(ms("2026-11-24T12:00:00Z"), AuditTime.parse("since", "7d", NOW));
        assertNull(AuditTime.parse("since", " ", NOW));
        assertNull(AuditTime.parse("since", null, NOW));
    }

    @Test
    void parse_noTime_namesTheValueAndTheForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditTime.parse("--since", "yesterday", NOW));
        assertEquals("--since 'yesterday' is no time: give " + AuditTime.FORMS, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuditTime.parse("since", "7w", NOW));
        assertThrows(IllegalArgumentException.class, () -> AuditTime.parse("since", "2026-13-01", NOW));
        assertThrows(IllegalArgumentException.class, () -> AuditTime.parse("since", "1234567d", NOW));
    }
}
