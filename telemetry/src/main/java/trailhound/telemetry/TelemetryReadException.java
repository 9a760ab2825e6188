package trailhound.telemetry;

import java.nio.file.Path;

/** A telemetry file could not be read at all (I/O error, broken archive); the message names the file and says why. */
public final class TelemetryReadException extends RuntimeException {
    private final Path file;

    public TelemetryReadException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
