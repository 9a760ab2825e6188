package trailhound.ingest;

import java.nio.file.Path;

/** A file could not be ingested; the message names the file and says why. Nothing was changed. */
public final class IngestException extends RuntimeException {
    private final Path file;
    private final boolean stopped;

    public IngestException(Path file, String reason, Throwable cause) {
        this(file, reason, cause, false);
    }

    private IngestException(Path file, String reason, Throwable cause, boolean stopped) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.stopped = stopped;
    }

    /** An ingest stopped on request ({@link Ingestor#stopWhen}): what it had added is removed, the source is failed. */
    static IngestException stopped(Path file) {
        return new IngestException(file, "the ingest was stopped before its end (the server is stopping); nothing of it is kept", null, true);
    }

    public Path file() {
        return file;
    }

    /** Whether the ingest was stopped on request rather than failed. */
    public boolean stopped() {
        return stopped;
    }
}
