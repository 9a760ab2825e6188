package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.protocol.Message;

/** Try-out of issue 16: an agent restricted by --allow-root killed /usr/bin/sleep anywhere. */
class KillRulesTest {
    @TempDir Path tmp;

    @Test
    void kill_onlyProcessesWhoseExecutableLiesUnderAnAllowedRootAndNotDenied() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path denied = Files.createDirectories(root.resolve("private"));
        Path sleep = Path.of(new ProcessBuilder("sleep", "0").start().info().command().orElse("/usr/bin/sleep"));
        Path allowedSleep = Files.copy(sleep, Files.createDirectories(root.resolve("bin")).resolve("sleep"), StandardCopyOption.COPY_ATTRIBUTES);
        Path deniedSleep = Files.copy(sleep, denied.resolve("sleep"), StandardCopyOption.COPY_ATTRIBUTES);
        Path state = tmp.resolve("state");
        Process outside = new ProcessBuilder(sleep.toString(), "600").start();
        Process inDenied = new ProcessBuilder(deniedSleep.toString(), "600").start();
        Process inside = new ProcessBuilder(allowedSleep.toString(), "600").start();
        try (LocalStore store = LocalStore.open(state, 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            FileService files = new FileService(FileRules.of(List.of(root), List.of(denied), state), store, "web-01", null);

            Message.Failed refused = assertInstanceOf(Message.Failed.class, files.answer(new Message.KillProcess(1, outside.pid(), null, "ana")));
            assertEquals("refused", refused.code());
            assertTrue(refused.message().contains("outside the agent's allowed roots") && refused.message().contains("nothing killed"),
                    refused.message());
            Message.Failed deny = assertInstanceOf(Message.Failed.class, files.answer(new Message.KillProcess(2, inDenied.pid(), null, "ana")));
            assertTrue(deny.message().contains("which the agent denies"), deny.message());
            assertTrue(outside.isAlive() && inDenied.isAlive(), "neither was killed");

            assertInstanceOf(Message.Done.class, files.answer(new Message.KillProcess(3, inside.pid(), null, "ana")));
            assertTrue(inside.waitFor(30, TimeUnit.SECONDS), "under an allowed root: killed");

            FileService everywhere = new FileService(FileRules.of(List.of(), List.of(), state), store, "web-01", null);
            assertInstanceOf(Message.Done.class, everywhere.answer(new Message.KillProcess(4, outside.pid(), null, "ana")),
                    "the default, the whole file system: any process");
            assertTrue(outside.waitFor(30, TimeUnit.SECONDS));
        } finally {
            for (Process p : List.of(outside, inDenied, inside)) p.destroyForcibly();
        }
    }
}
