package trailhound.access;

/** A request the access layer refuses as bad input (HTTP 400, CLI exit 2): an unknown user or group, a weak password. */
public final class AccessException extends RuntimeException {
    public AccessException(String message) {
        super(message);
    }
}
