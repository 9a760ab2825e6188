package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    @TempDir
    Path tmp;

    /** Try-out finding: server.db and endpoints/ were readable by every user of the machine. */
    @Test
    void aNewFolderIsTheOwnersAlone_anOpenOneIsNamedWithTheFix() throws Exception {
        Path root = tmp.resolve("parent/data");
        try (DataDir dir = DataDir.open(root)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
            assertEquals(Optional.empty(), dir.exposure());
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            String warning = dir.exposure().orElseThrow();
            assertTrue(warning.startsWith("the data folder " + root + " is open to other users of this machine (rwxr-xr-x)"), warning);
            assertTrue(warning.endsWith("close it with: chmod 700 " + root), warning);
        }
    }
}
