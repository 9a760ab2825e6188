package trailhound.telemetry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates the shared real-telemetry datasets (never copied into the repository). */
public final class Datasets {
    private Datasets() {
    }

    /** TRAILHOUND_DATASETS (property, then environment), else {@code <trailhound.root>/../shared/datasets}. */
    public static Path root() {
        String configured = System.getProperty("TRAILHOUND_DATASETS", System.getenv("TRAILHOUND_DATASETS"));
        Path root = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("trailhound.root", "."), "..", "shared", "datasets").normalize();
        assumeTrue(Files.isDirectory(root), "datasets folder " + root.toAbsolutePath()
                + " is absent: set TRAILHOUND_DATASETS to run the real-telemetry tests");
        return root;
    }

    /** The regular files in {@code root()/folder} whose names end with {@code suffix}, sorted. */
    public static List<Path> files(String folder, String suffix) {
        Path dir = root().resolve(folder);
        assumeTrue(Files.isDirectory(dir), "dataset folder " + dir + " is absent");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
