package trailhound.store;

/** server.db could not be read or written; the message names the file and says why (and what to do, where there is something). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
