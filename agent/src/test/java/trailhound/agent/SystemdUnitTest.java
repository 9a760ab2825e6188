package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Try-out of issue 16: the systemd unit made the file system read-only and /tmp private, so every delete
 * failed while the documentation says the agent reaches the whole file system by default; and without a
 * UTF-8 locale the agent could not reach files with non-ASCII names.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("src/dist/trailhound-agent.service");

    @Test
    void unit_leavesTheWholeFileSystemReachable_asDocumented_withAUtf8Locale() throws Exception {
        Map<String, List<String>> options = Files.readAllLines(UNIT).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("[") && l.contains("="))
                .collect(Collectors.groupingBy(l -> l.substring(0, l.indexOf('=')), Collectors.mapping(l -> l.substring(l.indexOf('=') + 1),
                        Collectors.toList())));
        // what would hide or freeze part of the file system the documentation says the server may reach
        for (String narrowing : List.of("ProtectSystem", "ProtectHome", "PrivateTmp", "ReadOnlyPaths", "InaccessiblePaths", "ReadWritePaths",
                "TemporaryFileSystem", "BindReadOnlyPaths", "RootDirectory", "RootImage", "DynamicUser", "User")) {
            assertTrue(!options.containsKey(narrowing), narrowing + "= contradicts the documented default: " + options.get(narrowing));
        }
        String docs = Files.readString(Path.of("../docs/file-system.md"));
        assertTrue(docs.contains("Default: every root of\n  the file system"), "the documented default this unit is checked against");
        assertEquals(List.of("yes"), options.get("NoNewPrivileges"), "hardening that narrows nothing stays");
        assertTrue(options.getOrDefault("Environment", List.of()).stream().anyMatch(e -> List.of(e.split(" ")).contains("LC_ALL=C.UTF-8")),
                "a UTF-8 locale, or Java cannot name files with non-ASCII characters: " + options.get("Environment"));
        // try-out: "WARNING: A restricted method in java.lang.System has been called" at every start (SQLite's native library)
        assertTrue(options.get("ExecStart").getFirst().startsWith("/usr/bin/java --enable-native-access=ALL-UNNAMED "), options.get("ExecStart")
                .toString());
    }
}
