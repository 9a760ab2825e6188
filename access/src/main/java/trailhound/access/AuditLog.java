package trailhound.access;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import trailhound.store.AuditTrail;

/**
 * The audit trail as the rest of Trailhound writes and reads it: who ({@link Caller}), when (UTC, from
 * the access layer's clock), what ({@code action}, e.g. {@code search}, {@code user.create}), on which
 * endpoint, from where, with what outcome ({@code ok}, {@code denied}, {@code failed}) and a detail
 * (the query text, the changed value). Stored hash-chained by {@link AuditTrail}. Thread-safe.
 */
public final class AuditLog {
    public static final String OK = "ok";
    public static final String DENIED = "denied";
    public static final String FAILED = "failed";

    private final AuditTrail trail;
    private final Clock clock;

    AuditLog(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /** Appends one entry. {@code endpoint} and {@code detail} may be null. */
    public void record(Caller caller, String action, String endpoint, String outcome, String detail) {
        trail.append(new AuditTrail.Event(clock.millis(), caller.user(), caller.via(), action, endpoint, caller.address(),
                outcome, detail));
    }

    /** An entry for someone not (yet) known as a user, e.g. a failed sign-in: {@code actor} as typed. */
    public void recordAnonymous(String actor, String via, String address, String action, String outcome, String detail) {
        trail.append(new AuditTrail.Event(clock.millis(), actor == null ? "" : actor, via, action, null, address, outcome, detail));
    }

    /** Newest first; see {@link AuditTrail#list}. */
    public List<AuditTrail.Entry> list(AuditTrail.Filter filter, long beforeSeq, int limit) {
        return trail.list(filter, beforeSeq, limit);
    }

    /** Oldest first, every entry. */
    public void forEach(Consumer<AuditTrail.Entry> each) {
        trail.forEach(each);
    }

    /** Empty when the whole chain holds, else the first broken link. */
    public Optional<AuditTrail.Break> verify() {
        return trail.verify();
    }

    public long count() {
        return trail.count();
    }
}
