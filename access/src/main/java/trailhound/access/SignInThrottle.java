package trailhound.access;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/*
 * Backoff after repeated sign-in failures, per typed account name and per source address: from the
 * 5th failure in a row, the next attempt waits 2^(n-5) seconds, at most 15 minutes. Keyed by the
 * name as typed, so unknown and known names behave the same (no enumeration). A success clears the
 * account's count (not the address's: one good password must not unlock guessing others). Counts
 * older than an hour are forgotten. In memory: a restart forgets, which costs an attacker a restart
 * of our server they cannot cause.
 */
final class SignInThrottle {
    static final int FREE_FAILURES = 5;
    private static final Duration MAX_WAIT = Duration.ofMinutes(15);
    private static final Duration FORGET = Duration.ofHours(1);
    private static final int MAX_KEYS = 100_000;

    private record Failures(int count, long lastMillis) {}

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds to wait before the next attempt for this name or address (0: go ahead). */
    long waitSeconds(String name, String address) {
        return Math.max(wait("u:" + name), wait("a:" + address));
    }

    void failed(String name, String address) {
        long now = clock.millis();
        if (failures.size() > MAX_KEYS) failures.clear(); // a flood of names must not exhaust memory
        for (String key : new String[] {"u:" + name, "a:" + address}) {
            failures.compute(key, (k, f) -> f == null || now - f.lastMillis() > FORGET.toMillis()
                    ? new Failures(1, now) : new Failures(f.count() + 1, now));
        }
    }

    void succeeded(String name) {
        failures.remove("u:" + name);
    }

    private long wait(String key) {
        Failures f = failures.get(key);
        if (f == null || f.count() < FREE_FAILURES) return 0;
        long backoff = Math.min(MAX_WAIT.toSeconds(), 1L << Math.min(20, f.count() - FREE_FAILURES));
        long waited = (clock.millis() - f.lastMillis()) / 1000;
        return Math.max(0, backoff - waited);
    }
}
