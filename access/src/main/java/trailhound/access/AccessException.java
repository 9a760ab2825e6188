package trailhound.access;

/**
 * A request the access layer refuses as bad input (HTTP 400, CLI exit 2): a weak password, a taken
 * name; or, made by {@link #unknown}, a request naming something that does not exist for the caller
 * (HTTP 404, CLI exit 2), which is also what a caller is told of another user's token.
 */
public final class AccessException extends RuntimeException {
    private final boolean unknown;
    private final boolean conflict;

    public AccessException(String message) {
        this(message, false, false);
    }

    private AccessException(String message, boolean unknown, boolean conflict) {
        super(message);
        this.unknown = unknown;
        this.conflict = conflict;
    }

    /** The request clashes with the state of what it names (HTTP 409): another alert of the rule is open. */
    public static AccessException conflict(String message) {
        return new AccessException(message, false, true);
    }

    /** True when made by {@link #conflict}: the web answers 409. */
    public boolean isConflict() {
        return conflict;
    }

    /** Nothing of that name or id exists for the caller. */
    public static AccessException unknown(String message) {
        return new AccessException(message, true, false);
    }

    /** True when made by {@link #unknown}: the web answers 404. */
    public boolean isUnknown() {
        return unknown;
    }
}
