package trailhound.ingest;

/** A rename, merge or purge refused as bad input (HTTP 400, CLI exit 2); nothing was changed. */
public final class EndpointChangeException extends RuntimeException {
    public EndpointChangeException(String message) {
        super(message);
    }
}
