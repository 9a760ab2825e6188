package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    @Test
    void aFloodOfMadeUpNamesDoesNotResetTheCountOfANameUnderAttack() {
        SignInThrottle throttle = new SignInThrottle(Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        for (int i = 0; i < 12; i++) throttle.failed("admin", "10.0.0." + i);
        long wait = throttle.check("admin", "10.9.9.9").seconds();
        assertEquals(128, wait);
        for (int i = 0; i < SignInThrottle.MAX_KEYS + 50; i++) throttle.failed("made-up-" + i, "10.1." + (i >> 8 & 255) + "." + (i & 255));
        assertEquals(wait, throttle.check("admin", "10.9.9.9").seconds(), "still held back after the flood");
        assertEquals(0, throttle.check("made-up-1", "10.9.9.9").seconds(), "a counted name with one failure goes ahead");
        assertTrue(throttle.check("never-seen", "10.9.9.9").seconds() > 0, "past the bound, new names share the flood's count");
    }

    @Test
    void theFirstRefusalOfAWaitIsFlaggedOnce() {
        SignInThrottle throttle = new SignInThrottle(Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) throttle.failed("ana", null);
        assertTrue(throttle.check("ana", null).firstRefusal());
        assertEquals(new SignInThrottle.Verdict(1, false), throttle.check("ana", null));
        throttle.failed("ana", null);
        assertEquals(new SignInThrottle.Verdict(2, true), throttle.check("ana", null));
    }
}
