package trailhound.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCaptureLogTest {
    @TempDir Path dir;

    @Test
    void captures_surviveReopening_runningOnesBecomeInterrupted_idsNeverReused() {
        long done;
        long running;
        {
            SnapshotCaptureLog log = Store.open(dir.resolve("server.db")).snapshotCaptures();
            done = log.begin("ws-1", "ana", 1_000);
            log.save(new SnapshotCaptureLog.Capture(done, "ws-1", "ana", 1_000, "done", 4_096, 4_096, 1, "ws-1_2026.db", 900L, "s3", 12L,
                    2L, null, 2_000L));
            running = log.begin("ws-2", "bob", 3_000);
            log.save(new SnapshotCaptureLog.Capture(running, "ws-2", "bob", 3_000, "transferring", 10, 100, 0, "ws-2_2026.db", 2_900L, null,
                    null, null, null, null));
        }
        { // a server restart: server.db opened afresh
            SnapshotCaptureLog log = Store.open(dir.resolve("server.db")).snapshotCaptures();
            assertEquals(1, log.interruptUnfinished("the server stopped", 5_000));
            assertEquals(List.of(running, done), log.newest(10).stream().map(SnapshotCaptureLog.Capture::id).toList(), "newest first");
            assertEquals(new SnapshotCaptureLog.Capture(done, "ws-1", "ana", 1_000, "done", 4_096, 4_096, 1, "ws-1_2026.db", 900L, "s3", 12L,
                    2L, null, 2_000L), log.find(done).orElseThrow());
            SnapshotCaptureLog.Capture cut = log.find(running).orElseThrow();
            assertEquals("interrupted", cut.state());
            assertEquals("the server stopped", cut.reason());
            assertEquals(5_000L, cut.endedAt());
            assertTrue(log.begin("ws-1", "ana", 6_000) > running, "ids go on");
            assertEquals(1, log.interruptUnfinished("again", 7_000), "only the new one was still running");
        }
    }
}
