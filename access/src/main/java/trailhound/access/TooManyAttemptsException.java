package trailhound.access;

/** Too many wrong passwords for this user or address lately (HTTP 429 with Retry-After, CLI exit 2). */
public final class TooManyAttemptsException extends RuntimeException {
    private final long seconds;

    TooManyAttemptsException(long seconds) {
        super("too many wrong passwords; try again in " + seconds + " s");
        this.seconds = seconds;
    }

    /** How long to wait before the next attempt. */
    public long seconds() {
        return seconds;
    }
}
