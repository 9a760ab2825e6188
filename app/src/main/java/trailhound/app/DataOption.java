package trailhound.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option shared by every command that reads or writes a data folder. */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Data folder (default: ${DEFAULT-VALUE}).")
    Path dir;
}
