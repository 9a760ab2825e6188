package trailhound.recorder;

import java.nio.file.Path;

/**
 * A recorder database could not be created, opened or read. Unchecked: callers rarely recover, but
 * the message always names the file and says what is wrong in words a user can act on.
 */
public class RecorderException extends RuntimeException {
    private final transient Path path;
    private final String reason;

    public RecorderException(Path path, String reason) {
        this(path, reason, null);
    }

    public RecorderException(Path path, String reason, Throwable cause) {
        super(path + ": " + reason, cause);
        this.path = path;
        this.reason = reason;
    }

    /** The database file the problem is about. */
    public Path path() {
        return path;
    }

    /** What is wrong, without the path. */
    public String reason() {
        return reason;
    }
}
