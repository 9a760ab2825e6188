package trailhound.app;

import java.io.IOException;
import java.nio.file.Path;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option shared by every command that reads or writes a data folder. */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Data folder (default: ${DEFAULT-VALUE}).")
    Path dir;

    /** Opens the folder (made when absent) with its events where it keeps them (see IndexBackendOptions). */
    DataDir open() throws IOException {
        IndexBackend backend = IndexBackendOptions.recorded(dir);
        try {
            return DataDir.open(dir, backend);
        } catch (IOException | RuntimeException e) {
            if (backend != null) backend.close();
            throw e;
        }
    }

    /** As {@link #open()}, for commands that only read: a folder that does not exist is an error. */
    DataDir openExisting() throws IOException {
        IndexBackend backend = IndexBackendOptions.recorded(dir);
        try {
            return DataDir.openExisting(dir, backend);
        } catch (IOException | RuntimeException e) {
            if (backend != null) backend.close();
            throw e;
        }
    }
}
