package trailhound.access;

/** The caller's role does not allow the action (HTTP 403); the message says which role would. */
public final class AccessDeniedException extends RuntimeException {
    public AccessDeniedException(String message) {
        super(message);
    }

    static AccessDeniedException of(Caller caller, Action action) {
        return new AccessDeniedException("this needs the " + action.minimum().label() + " role"
                + (action.minimum() == Role.ADMINISTRATOR ? "" : " or higher") + "; you are " + caller.role().label());
    }
}
