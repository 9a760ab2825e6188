package trailhound.access;

/**
 * The caller may not do this (HTTP 403); the message says why: which role would allow it
 * ({@link #byRole}), or who else may (the owner of a saved search, a signed-in user rather than a token).
 */
public final class AccessDeniedException extends RuntimeException {
    private final boolean byRole;

    public AccessDeniedException(String message) {
        this(message, false);
    }

    private AccessDeniedException(String message, boolean byRole) {
        super(message);
        this.byRole = byRole;
    }

    static AccessDeniedException of(Caller caller, Action action) {
        return new AccessDeniedException("this needs the " + action.minimum().label() + " role"
                + (action.minimum() == Role.ADMINISTRATOR ? "" : " or higher") + "; you are " + caller.role().label(), true);
    }

    /** True when a higher role would allow it, so an administrator changing the caller's role is the way. */
    public boolean byRole() {
        return byRole;
    }
}
