package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.protocol.Message;
import trailhound.schema.Field;

/** Issue 16's second try-out: an analyst killed the server through the demo's agent, and a kill that did nothing said "killed". */
class KillProtectionTest {
    @TempDir Path tmp;

    @Test
    void kill_refusesInitTheAgentAndItsAncestors() throws Exception {
        // a stand-in for "server -> agent": sh (the agent's parent) runs sleep (the agent)
        Process parent = new ProcessBuilder("sh", "-c", "sleep 600 & wait").start();
        try (LocalStore store = LocalStore.open(tmp.resolve("state"), 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            ProcessHandle agent = awaitChild(parent);
            FileService files = new FileService(FileRules.of(List.of(), List.of(), tmp.resolve("state")), store, "web-01", null);
            files.self = agent;

            Message.Failed ancestor = assertInstanceOf(Message.Failed.class, files.answer(new Message.KillProcess(1, parent.pid(), null, "ana")));
            assertEquals("refused", ancestor.code());
            assertTrue(ancestor.message().contains("an ancestor of the agent") && ancestor.message().contains("nothing killed"),
                    ancestor.message());
            Message.Failed itself = assertInstanceOf(Message.Failed.class, files.answer(new Message.KillProcess(2, agent.pid(), null, "ana")));
            assertEquals("refused", itself.code());
            assertTrue(itself.message().contains("the agent itself"), itself.message());
            Message.Failed init = assertInstanceOf(Message.Failed.class, files.answer(new Message.KillProcess(3, 1, null, "ana")));
            assertEquals("refused", init.code());
            assertTrue(init.message().contains("init process (pid 1)"), init.message());
            assertTrue(parent.isAlive() && agent.isAlive(), "neither was killed");
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
        }
    }

    @Test
    void kill_thatLeavesTheProcessRunning_failsAndTheEventSaysSo() throws Exception {
        // a zombie: its parent (exec'd into sleep) never reaps it, so SIGKILL is delivered and it stays
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & exec sleep 600").start();
        try (LocalStore store = LocalStore.open(tmp.resolve("state"), 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            ProcessHandle zombie = awaitChild(parent);
            Thread.sleep(500); // until "sleep 0.1" has ended (the wait below would hide it otherwise)
            FileService files = new FileService(FileRules.of(List.of(), List.of(), tmp.resolve("state")), store, "web-01", null);

            Message.Failed failed = assertInstanceOf(Message.Failed.class, files.answer(new Message.KillProcess(1, zombie.pid(), null, "ana")));
            assertEquals("io", failed.code());
            assertTrue(failed.message().contains("signal sent but the process did not end"), failed.message());
            List<LocalStore.Stored> events = store.after(0, 10);
            assertTrue(events.stream().anyMatch(e -> "kill".equals(e.fields().get(Field.OPERATION.canonicalName()))
                    && e.fields().get(Field.COMMAND_LINE.canonicalName()).contains("did not end")), events.toString());
        } finally {
            parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static ProcessHandle awaitChild(Process parent) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<ProcessHandle> kids = parent.children().toList();
            if (!kids.isEmpty()) return kids.getFirst();
            Thread.sleep(50);
        }
        throw new AssertionError("the test's child process did not start");
    }
}
