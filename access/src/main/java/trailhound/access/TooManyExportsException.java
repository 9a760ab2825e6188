package trailhound.access;

/**
 * The caller already has {@link Exports#MAX_ACTIVE_PER_USER} exports queued or running (HTTP 429);
 * the message names them and says to wait or cancel one.
 */
public final class TooManyExportsException extends RuntimeException {
    TooManyExportsException(String message) {
        super(message);
    }
}
