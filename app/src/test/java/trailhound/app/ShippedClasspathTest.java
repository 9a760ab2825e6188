package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the shipped jar (shaded from the module's runtime classpath) carries. Tests run on the test classpath, which
 * holds test-scoped modules too, so a module the CLI needs at run time but declared test-only passes every test and
 * fails for users: `bench --peers` died with NoClassDefFoundError: OpenSearchNode (session 15).
 */
class ShippedClasspathTest {
    @Test
    void runtimeClasspath_carriesEveryModuleTheCommandsLoad() throws Exception {
        Path file = Path.of("target", "runtime-classpath.txt");
        assertTrue(Files.isRegularFile(file), file.toAbsolutePath() + " is written by maven-dependency-plugin (see app/pom.xml)");
        List<String> entries = Arrays.stream(Files.readString(file).strip().split(File.pathSeparator))
                .map(e -> e.replace('\\', '/')).toList();
        for (String module : List.of("web", "agent", "bench", "opensearch", "opensearch-node", "ingest", "index", "store", "access")) {
            assertTrue(entries.stream().anyMatch(e -> e.contains("/" + module + "/target/") || e.contains("/" + module + "-0")),
                    module + " on the runtime classpath the jar is shaded from: " + entries);
        }
    }
}
