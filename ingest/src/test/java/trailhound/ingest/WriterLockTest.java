package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder's writer lock, checked from another process too: the OS lock is what other processes see. */
class WriterLockTest {
    @TempDir
    Path tmp;

    @Test
    void tryAcquire_heldInThisProcess_emptyAndTheLockStaysHeldForOtherProcesses() throws Exception {
        Path data = tmp.resolve("data");
        try (WriterLock held = WriterLock.tryAcquire(data, "serve").orElseThrow()) {
            // a second try in the holding process must not open and close the file: POSIX would drop the lock
            assertEquals(Optional.empty(), WriterLock.tryAcquire(data, "ingest"));
            assertTrue(WriterLock.holder(data).startsWith("pid " + ProcessHandle.current().pid() + " serve since "),
                    WriterLock.holder(data));
            assertEquals("held", otherProcessTries(data));
        }
        assertEquals("acquired", otherProcessTries(data));
        try (WriterLock again = WriterLock.tryAcquire(data, "ingest").orElseThrow()) {
            assertTrue(WriterLock.holder(data).contains(" ingest since "));
        }
    }

    @Test
    void tryAcquire_dataPathIsAFile_saysSo() throws Exception {
        Path file = Files.writeString(tmp.resolve("data"), "x");
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> WriterLock.tryAcquire(file, "ingest"));
        assertEquals("data folder " + file + " is a file, not a folder", e.getMessage());
    }

    /** Runs a second JVM that tries the lock once: "held" or "acquired". */
    private String otherProcessTries(Path data) throws Exception {
        Path program = tmp.resolve("TryLock.java");
        Files.writeString(program, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class TryLock {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                            System.out.print(c.tryLock() == null ? "held" : "acquired");
                        }
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, program.toString(), data.resolve(WriterLock.NAME).toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the other process finished");
        return new String(p.getInputStream().readAllBytes()).strip();
    }
}
