package trailhound.access;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import trailhound.store.AuditTrail;

/**
 * The audit trail as the rest of Trailhound writes and reads it: who ({@link Caller}), when (UTC, from
 * the access layer's clock), what ({@code action}, e.g. {@code search}, {@code user.create}), on which
 * endpoint, from where, with what outcome ({@code ok}, {@code denied}, {@code failed}, {@code unknown}) and a detail
 * (the query text, the changed value). Stored hash-chained by {@link AuditTrail}. Thread-safe.
 */
public final class AuditLog {
    public static final String OK = "ok";
    public static final String DENIED = "denied";
    public static final String FAILED = "failed";
    /** Asked of a remote agent that did not answer and may still act: whether it happened is not known. */
    public static final String UNKNOWN = "unknown";

    /** The longest detail kept (a query text, a changed value); longer ones are cut and say by how much. */
    public static final int MAX_DETAIL = 4_096;
    /** The longest user name, endpoint name or address kept. */
    static final int MAX_NAME = 256;

    private final AuditTrail trail;
    private final Clock clock;

    AuditLog(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /** Appends one entry. {@code endpoint} and {@code detail} may be null. */
    public void record(Caller caller, String action, String endpoint, String outcome, String detail) {
        trail.append(new AuditTrail.Event(clock.millis(), cut(caller.user(), MAX_NAME), cut(caller.via(), MAX_NAME), action,
                endpoint(endpoint), cut(caller.address(), MAX_NAME), outcome, cut(detail, MAX_DETAIL)));
    }

    /** An entry for someone not (yet) known as a user, e.g. a failed sign-in: {@code actor} as typed. */
    public void recordAnonymous(String actor, String via, String address, String action, String outcome, String detail) {
        trail.append(new AuditTrail.Event(clock.millis(), actor == null ? "" : cut(actor, MAX_NAME), cut(via, MAX_NAME), action, null,
                cut(address, MAX_NAME), outcome, cut(detail, MAX_DETAIL)));
    }

    /**
     * An entry for an agent ({@code actor} {@code agent:<id>}, or empty before it has an id) about
     * {@code endpoint} (null when none is known).
     */
    public void recordAgent(String actor, String address, String action, String endpoint, String outcome, String detail) {
        trail.append(new AuditTrail.Event(clock.millis(), actor == null ? "" : cut(actor, MAX_NAME), "agent", action, endpoint(endpoint),
                cut(address, MAX_NAME), outcome, cut(detail, MAX_DETAIL)));
    }

    /**
     * Bounds what is stored: every value may come from an attacker (a typed name, a query), and an
     * unbounded one would let anyone who can reach the sign-in page fill the disk.
     */
    static String cut(String value, int max) {
        return value == null ? null : bounded(visible(value), max);
    }

    /**
     * An endpoint's name as the catalogue has it (telemetry's, whatever characters it holds), so that
     * the trail can be filtered by it; only a name past {@value #MAX_DETAIL} characters is cut.
     */
    private static String endpoint(String name) {
        return name == null ? null : bounded(name, MAX_DETAIL);
    }

    private static String bounded(String v, int max) {
        if (v.length() <= max) return v;
        int end = Character.isHighSurrogate(v.charAt(max - 1)) ? max - 1 : max;
        return v.substring(0, end) + "\u2026 (" + (v.length() - end) + " more characters)";
    }

    /**
     * Control characters (ESC, BEL, CR, LF, ... and C1) and invisible format characters (right-to-left
     * override, zero-width space) written as {@code \u001b}: a name typed into the sign-in form must
     * not drive the terminal of whoever reads the trail, break its lines, or read backwards.
     */
    private static String visible(String value) {
        if (value.codePoints().noneMatch(AuditLog::hidden)) return value;
        StringBuilder sb = new StringBuilder(value.length() + 16);
        value.codePoints().forEach(cp -> { // code points: tag characters (U+E0000...) are pairs of surrogates
            if (hidden(cp)) sb.append(cp > 0xFFFF ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
            else sb.appendCodePoint(cp);
        });
        return sb.toString();
    }

    private static boolean hidden(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** Newest first; see {@link AuditTrail#list}. */
    public List<AuditTrail.Entry> list(AuditTrail.Filter filter, long beforeSeq, int limit) {
        return trail.list(filter, beforeSeq, limit);
    }

    /** Oldest first, every entry. */
    public void forEach(Consumer<AuditTrail.Entry> each) {
        trail.forEach(each);
    }

    /**
     * Re-creates the trail's triggers when they are missing or changed, with an entry by {@code system}
     * saying what was wrong; answers that entry (empty: they were in place, nothing written).
     */
    Optional<AuditTrail.Entry> restoreTriggers() {
        return trail.restoreTriggers(damage -> new AuditTrail.Event(clock.millis(), Accounts.SYSTEM, "startup", AuditTrail.TRIGGERS_RESTORED, null,
                null, OK, damage + ": re-created; entries may have been changed while they were missing"));
    }

    /** Empty when the whole chain holds and its triggers are in place, else the first broken link. */
    public Optional<AuditTrail.Break> verify() {
        return trail.verify();
    }

    public long count() {
        return trail.count();
    }
}
