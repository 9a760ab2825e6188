package trailhound.web.tls;

import java.nio.file.Path;

/**
 * A certificate or key file that cannot be served: missing, unreadable, not PEM, or not a matching
 * pair. The message names the file and says what to do; {@link #file()} is that file.
 */
public final class TlsException extends RuntimeException {
    private final Path file;

    TlsException(Path file, String message) {
        super(message);
        this.file = file;
    }

    TlsException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
