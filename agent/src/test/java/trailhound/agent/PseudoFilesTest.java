package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.protocol.Message;

/** Issue 16's second try-out: /proc files stated size 0 and never matched their hash; a log that grew could never be kept. */
class PseudoFilesTest {
    @TempDir Path tmp;

    @Test
    void procFiles_areKeptFromOneRead_sizeHashAndChunksAgree() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/version")), "no /proc on this system");
        FileService files = new FileService(FileRules.of(List.of(), List.of(), tmp.resolve("state")), null, "web-01", null);
        for (String proc : List.of("/proc/version", "/proc/self/maps", "/proc/self/cmdline")) {
            Message.FileInfo info = assertInstanceOf(Message.FileInfo.class, files.answer(new Message.StatFile(1, proc, true)), proc);
            assertTrue(info.size() > 0, proc + " states its content's size, not 0");
            Message.FileChunk chunk = assertInstanceOf(Message.FileChunk.class, files.answer(new Message.ReadFile(2, proc, 0,
                    (int) info.size())), proc);
            assertEquals(info.size(), chunk.data().length, proc);
            assertEquals(info.size(), chunk.size(), proc);
            assertEquals(info.modified(), chunk.modified(), proc + ": unchanged while it is copied");
            assertEquals(info.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chunk.data())), proc);
        }
        Message.Failed mem = assertInstanceOf(Message.Failed.class, files.answer(new Message.StatFile(3, "/proc/self/mem", true)));
        assertTrue(mem.message().contains("cannot be read as a file"), mem.message());
    }

    /** Fourth try-out of #16: the copies stayed in /tmp after the agent stopped, and a killed agent's for good. */
    @Test
    void copies_liveInTheGivenFolder_aKilledAgentsAreRemovedAtStart_andAllAtClose() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/version")), "no /proc on this system");
        Path copies = Files.createDirectories(tmp.resolve("state").resolve("copies"));
        Path stale = Files.writeString(copies.resolve("copy123.bin"), "a killed agent's copy");
        FileService files = new FileService(FileRules.of(List.of(), List.of(), tmp.resolve("state")), null, "web-01", null, copies);
        assertFalse(Files.exists(stale), "a killed agent's copy is removed at start");
        assertInstanceOf(Message.FileInfo.class, files.answer(new Message.StatFile(1, "/proc/version", true)));
        try (var inside = Files.list(copies)) {
            assertEquals(1, inside.count(), "the copy made for the stat");
        }
        files.close();
        assertFalse(Files.exists(copies), "removed when the agent stops");
    }

    /** Third try-out of #16: deleting /proc/1/status said "FileSystemException ... Operation not permitted". */
    @Test
    void delete_thatTheOperatingSystemRefuses_saysTheAccountThePathAndTheSystemsWords_noClassName() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/1/status")), "no /proc on this system");
        FileService files = new FileService(FileRules.of(List.of(), List.of(), tmp.resolve("state")), null, "web-01", null);
        Message.Failed refused = assertInstanceOf(Message.Failed.class, files.answer(new Message.DeleteFile(1, "/proc/1/status", "ana",
                System.currentTimeMillis() + 30_000, null)));
        assertEquals("refused", refused.code(), refused.message());
        assertTrue(refused.message().startsWith("the agent's account (" + System.getProperty("user.name") + ") may not delete /proc/1/status: "),
                refused.message());
        assertTrue(refused.message().matches(".*: (Operation not permitted|Permission denied) \\(the operating system refused; nothing deleted\\)"),
                refused.message());
        assertFalse(refused.message().contains("Exception"), refused.message());
        assertTrue(Files.exists(Path.of("/proc/1/status")));
    }

    @Test
    void aGrowingFile_isHashedUpToItsStatedSize() throws Exception {
        Path log = Files.write(tmp.resolve("app.log"), "first line\n".getBytes());
        FileService files = new FileService(FileRules.of(List.of(), List.of(), tmp.resolve("state")), null, "web-01", null);
        Message.FileInfo info = assertInstanceOf(Message.FileInfo.class, files.answer(new Message.StatFile(1, log.toString(), true)));
        assertEquals(11, info.size());
        Files.writeString(log, "second line\n", java.nio.file.StandardOpenOption.APPEND);
        Message.FileChunk chunk = assertInstanceOf(Message.FileChunk.class, files.answer(new Message.ReadFile(2, log.toString(), 0, 11)));
        assertEquals(23, chunk.size(), "the chunk says the file grew");
        assertEquals(info.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chunk.data())),
                "the stated hash is of the first 11 bytes, what is copied");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("first line\n".getBytes())),
                FileService.sha256(log, 11));
    }
}
