package trailhound.telemetry;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The file is none of the {@link TelemetryFormat}s; the message names the file and lists the accepted formats. */
public final class UnsupportedFormatException extends RuntimeException {
    private final Path file;

    public UnsupportedFormatException(Path file, String seen) {
        super(file + ": not a telemetry format this importer reads (" + seen + "). Accepted, plain or in .zip/.gz: "
                + Arrays.stream(TelemetryFormat.values()).map(TelemetryFormat::description)
                        .collect(Collectors.joining("; ")));
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
