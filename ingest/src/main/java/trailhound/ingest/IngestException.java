package trailhound.ingest;

import java.nio.file.Path;

/** A file could not be ingested; the message names the file and says why. Nothing was changed. */
public final class IngestException extends RuntimeException {
    private final Path file;

    public IngestException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
