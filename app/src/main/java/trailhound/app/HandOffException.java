package trailhound.app;

/**
 * Work handed to the server running on the data folder could not be done as asked, or could not be
 * handed: the message says why, as a local failure would; {@link #status()} is the exit status.
 */
final class HandOffException extends RuntimeException {
    private final int status;

    HandOffException(String message, int status) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
