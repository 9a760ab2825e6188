package trailhound.evtx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared .evtx samples (never copied into the repository), as telemetry's Datasets does;
 * repeated here because this module depends on no other.
 */
final class Datasets {
    private Datasets() {
    }

    /**
     * {@code <datasets>/evtx/<name>}, datasets being TRAILHOUND_DATASETS (property, then environment), else
     * {@code <trailhound.root>/../shared/datasets}; skips the test when the file is absent.
     */
    static Path evtx(String name) {
        String configured = System.getProperty("TRAILHOUND_DATASETS", System.getenv("TRAILHOUND_DATASETS"));
        Path root = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("trailhound.root", "."), "..", "shared", "datasets").normalize();
        Path file = root.resolve("evtx").resolve(name);
        assumeTrue(Files.isRegularFile(file), "sample " + file.toAbsolutePath()
                + " is absent: set TRAILHOUND_DATASETS to run the real-telemetry tests");
        return file;
    }
}
