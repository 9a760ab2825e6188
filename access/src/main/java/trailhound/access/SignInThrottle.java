package trailhound.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/*
 * Backoff after repeated failures to prove a password or token. Per account name (as typed, so
 * unknown and known names behave alike and cannot be told apart): from the 5th failure in a row the
 * next attempt waits 2^(n-5) seconds, at most 15 minutes. Per source address the same from the 50th
 * failure: high enough that the people behind one NAT or proxy do not lock each other out, low
 * enough to stop one machine spraying a password over many names. A success clears the name's count
 * (not the address's: one good password must not unlock guessing others). Counts idle for an hour
 * are forgotten.
 *
 * In memory, bounded without ever forgetting a count early: once 100,000 names (or addresses) are
 * counted, failures for further ones share one overflow count, which such a flood itself throttles.
 * So a flood of made-up names can neither exhaust memory nor evict the count of a name under
 * attack; while it lasts, names not yet counted are held back together. A restart forgets, which
 * costs an attacker a restart they cannot cause.
 */
final class SignInThrottle {
    static final int FREE_FAILURES = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 50;
    private static final Duration MAX_WAIT = Duration.ofMinutes(15);
    private static final Duration FORGET = Duration.ofHours(1);
    static final int MAX_KEYS = 100_000;
    private static final String OVERFLOW = "\0overflow";

    /** Failures in a row; {@code refusalNoted} once one refusal in the current wait has been audited. */
    private record Failures(int count, long lastMillis, boolean refusalNoted) {}

    /** What an attempt may do: {@code seconds} to wait (0: go ahead); {@code firstRefusal} when to audit it. */
    record Verdict(long seconds, boolean firstRefusal) {
        static final Verdict GO = new Verdict(0, false);
    }

    private final Clock clock;
    private final Cache<String, Failures> byName;
    private final Cache<String, Failures> byAddress;

    SignInThrottle(Clock clock) {
        this.clock = clock;
        this.byName = cache(clock);
        this.byAddress = cache(clock);
    }

    private static Cache<String, Failures> cache(Clock clock) {
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        // maintenance on the caller's thread: expired counts leave before the size is read
        return Caffeine.newBuilder().expireAfterWrite(FORGET).ticker(ticker).executor(Runnable::run).build();
    }

    /**
     * Whether an attempt for this name (null: none, e.g. a token) from this address may go ahead; a
     * refusal is reported as the first of its wait once, so a flood of refused attempts is audited once.
     */
    Verdict check(String name, String address) {
        Verdict n = name == null ? Verdict.GO : check(byName, name, FREE_FAILURES);
        Verdict a = address == null ? Verdict.GO : check(byAddress, address, FREE_FAILURES_PER_ADDRESS);
        return new Verdict(Math.max(n.seconds(), a.seconds()), n.firstRefusal() || a.firstRefusal());
    }

    private Verdict check(Cache<String, Failures> cache, String key, int free) {
        Failures f = cache.getIfPresent(key);
        if (f == null && cache.estimatedSize() >= MAX_KEYS) f = cache.getIfPresent(key = OVERFLOW);
        long wait = f == null ? 0 : wait(f, free);
        if (wait == 0) return Verdict.GO;
        boolean first = !f.refusalNoted();
        if (first) cache.asMap().computeIfPresent(key, (k, old) -> new Failures(old.count(), old.lastMillis(), true));
        return new Verdict(wait, first);
    }

    private static void count(Cache<String, Failures> cache, String key, long now) {
        if (cache.getIfPresent(key) == null && cache.estimatedSize() >= MAX_KEYS) key = OVERFLOW;
        cache.asMap().merge(key, new Failures(1, now, false), (f, one) -> new Failures(f.count() + 1, now, false));
    }

    void failed(String name, String address) {
        long now = clock.millis();
        if (name != null) count(byName, name, now);
        if (address != null) count(byAddress, address, now);
    }

    void succeeded(String name) {
        byName.invalidate(name);
    }

    private long wait(Failures f, int free) {
        if (f.count() < free) return 0;
        long backoff = Math.min(MAX_WAIT.toSeconds(), 1L << Math.min(20, f.count() - free));
        long waited = (clock.millis() - f.lastMillis()) / 1000;
        return Math.max(0, backoff - waited);
    }
}
