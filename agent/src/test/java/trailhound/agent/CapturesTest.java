package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.protocol.Message;
import trailhound.recorder.RecorderReader;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * A capture's handle reads its one copy, which the file rules deny to every path: the state folder stays
 * closed to ordinary requests, a handle reaches nothing else, and a released copy is gone.
 */
class CapturesTest {
    @TempDir Path tmp;

    private static Event event(int i) {
        return Event.builder().set(Field.EVENT_UID, "e" + i).ts(1_764_590_400_000L + i).set(Field.TYPE, "process")
                .set(Field.OPERATION, "start").set(Field.PROCESS_PATH, "/usr/bin/p" + i).set(Field.PID, Integer.toString(100 + i)).build();
    }

    @Test
    void captureHandle_readsItsCopyOnly_pathsIntoTheStateFolderStayDenied_releaseDeletesIt() throws Exception {
        Path state = tmp.resolve("state");
        try (LocalStore store = LocalStore.open(state, 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            for (int i = 0; i < 5; i++) store.record(List.of(event(i)), c -> null);
            FileService files = new FileService(FileRules.of(List.of(tmp), List.of(), state), store, "web-01", new Captures(state));

            Message.RecorderInfo info = (Message.RecorderInfo) files.answer(new Message.DescribeRecorder(1));
            assertEquals(5, info.events());
            assertTrue(info.bytes() > 0 && info.freeDiskBytes() > 0, info.toString());

            Message.SnapshotReady ready = (Message.SnapshotReady) files.answer(new Message.CaptureSnapshot(2, "ana"));
            assertTrue(ready.handle().matches("snapshot:[0-9a-f]{32}"), ready.handle());
            assertTrue(ready.name().matches("web-01_\\d{4}_\\d\\d_\\d\\dT\\d\\d\\.\\d\\d\\.\\d\\d\\.\\d{3}Z\\.db"), ready.name());
            assertEquals(5, ready.events());

            Message.FileInfo stat = (Message.FileInfo) files.answer(new Message.StatFile(3, ready.handle(), true));
            assertEquals(ready.handle(), stat.path(), "the copy is named by its handle, not its place");
            assertEquals(ready.size(), stat.size());
            Message.FileChunk chunk = (Message.FileChunk) files.answer(new Message.ReadFile(4, ready.handle(), 0, 16));
            assertEquals("SQLite format 3\0", new String(chunk.data(), java.nio.charset.StandardCharsets.US_ASCII));

            // the copy's own path, and the rest of the state folder, stay denied
            Path copy = state.resolve("outgoing").resolve(ready.handle().substring("snapshot:".length())).resolve(ready.name());
            assertTrue(Files.isRegularFile(copy));
            try (RecorderReader r = RecorderReader.open(copy)) {
                assertEquals(ready.capturedAt(), r.capturedMs().orElseThrow(), "the copy says when it was taken");
            }
            assertEquals("refused", failed(files.answer(new Message.ReadFile(5, copy.toString(), 0, 16))).code());
            assertEquals("refused", failed(files.answer(new Message.StatFile(6, state.resolve(LocalStore.FILE).toString(), false))).code());
            // a handle reaches nothing but a copy
            for (String bad : List.of("snapshot:../store.db", "snapshot:" + "0".repeat(32), "snapshot:", "snapshot:" + ready.handle()
                    .substring(9).toUpperCase())) {
                assertEquals("not_found", failed(files.answer(new Message.ReadFile(7, bad, 0, 16))).code(), bad);
            }

            assertInstanceOf(Message.Done.class, files.answer(new Message.ReleaseSnapshot(8, ready.handle())));
            assertFalse(Files.exists(copy.getParent()), "released: the copy and its folder are gone");
            Message.Failed gone = failed(files.answer(new Message.StatFile(9, ready.handle(), false)));
            assertTrue(gone.message().contains("released or expired"), gone.message());
        }
    }

    /** Third try-out of #16: {@code agent snapshot --out /nonexistent/x.db} said SQLite's raw SQLITE_CANTOPEN. */
    @Test
    void snapshotCommand_intoAFolderThatDoesNotExist_saysWhichFolder_andWritesNothing() throws Exception {
        Path state = tmp.resolve("state");
        try (LocalStore store = LocalStore.open(state, 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            store.record(List.of(event(1)), c -> null);
            Path missing = tmp.resolve("nonexistent");
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> AgentSnapshot.capture(state, missing.resolve("x.db")));
            assertEquals("cannot write " + missing.resolve("x.db") + ": the folder " + missing + " does not exist; create it first, or give"
                    + " --out an existing folder or a file in one", e.getMessage());
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cli = new picocli.CommandLine(new SnapshotCommand()).setOut(new java.io.PrintWriter(out, true))
                    .setErr(new java.io.PrintWriter(err, true));
            assertEquals(2, cli.execute("--state", state.toString(), "--out", missing.resolve("x.db").toString()));
            assertTrue(err.toString().contains("the folder " + missing + " does not exist"), err.toString());
            assertFalse(err.toString().contains("SQLITE"), err.toString());
            assertFalse(Files.exists(missing));
        }
    }

    /** Fourth try-out of #16: "--out snaps/" for a missing folder wrote a file named snaps; /proc gave raw SQLITE_CANTOPEN. */
    @Test
    void snapshotCommand_trailingSlashMeansAFolder_andAFolderThatTakesNoFileIsNamed() throws Exception {
        Path state = tmp.resolve("state");
        try (LocalStore store = LocalStore.open(state, 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            store.record(List.of(event(1)), c -> null);
            Path snaps = tmp.resolve("x").resolve("snaps");
            Files.createDirectories(snaps.getParent());
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cli = new picocli.CommandLine(new SnapshotCommand()).setOut(new java.io.PrintWriter(out, true))
                    .setErr(new java.io.PrintWriter(err, true));
            assertEquals(2, cli.execute("--state", state.toString(), "--out", snaps + "/"));
            assertTrue(err.toString().contains("the folder " + snaps + " does not exist"), err.toString());
            assertFalse(Files.exists(snaps), "no file named after the folder");

            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "/proc is Linux's");
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> AgentSnapshot.capture(state, Path.of("/proc/x.db")));
            assertTrue(e.getMessage().startsWith("cannot write /proc/x.db: the folder /proc "), e.getMessage());
            assertFalse(e.getMessage().contains("SQLITE"), e.getMessage());
            assertFalse(e.getMessage().contains(".part"), e.getMessage());
        }
    }

    private static Message.Failed failed(Message.Reply reply) {
        return assertInstanceOf(Message.Failed.class, reply, String.valueOf(reply));
    }
}
