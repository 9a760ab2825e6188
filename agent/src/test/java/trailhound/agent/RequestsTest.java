package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.protocol.Message;

/**
 * Try-out of issue 16: a kill queued behind a long hash ran minutes later, after the server had said it
 * failed. Kills now have a lane of their own and are refused past their deadline.
 */
class RequestsTest {
    @TempDir Path tmp;

    private FileService files(Path state, LocalStore store) throws Exception {
        return new FileService(FileRules.of(List.of(), List.of(), state), store, "web-01", null);
    }

    @Test
    void killPastItsDeadline_isRefusedExpired_andTheProcessLives_beforeItIsKilled() throws Exception {
        Path state = tmp.resolve("state");
        Process victim = new ProcessBuilder("sleep", "600").start();
        try (LocalStore store = LocalStore.open(state, 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            AtomicLong serverNow = new AtomicLong(1_000_000);
            Requests requests = new Requests(files(state, store), m -> {}, new PrintWriter(new StringWriter()), serverNow::get);
            Message.Failed late = assertInstanceOf(Message.Failed.class,
                    requests.reply(new Message.KillProcess(1, victim.pid(), null, "ana", 999_999L)));
            assertEquals("expired", late.code());
            assertTrue(late.message().contains("not carried out"), late.message());
            assertTrue(victim.isAlive(), "a kill past its deadline is never carried out");
            Path file = Files.writeString(tmp.resolve("keep.txt"), "x");
            assertEquals("expired", ((Message.Failed) requests.reply(new Message.DeleteFile(2, file.toString(), "ana", 999_999L))).code());
            assertTrue(Files.exists(file));

            assertInstanceOf(Message.Done.class, requests.reply(new Message.KillProcess(3, victim.pid(), null, "ana", 1_000_000L)),
                    "at its deadline, still in time");
            assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
            assertInstanceOf(Message.Done.class, requests.reply(new Message.DeleteFile(4, file.toString(), "ana")),
                    "protocol 3: no deadline, carried out");
            requests.close();
        } finally {
            victim.destroyForcibly();
        }
    }

    @Test
    void aKill_isAnsweredWhileLongHashesBusyTheReaders() throws Exception {
        Path state = tmp.resolve("state");
        Path huge = tmp.resolve("huge.bin");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(64L << 30); // 64 GB of holes: hashing it takes minutes, storing it nothing
        }
        Process victim = new ProcessBuilder("sleep", "600").start();
        BlockingQueue<Message> sent = new LinkedBlockingQueue<>();
        try (LocalStore store = LocalStore.open(state, 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT);
                Requests requests = new Requests(files(state, store), sent::add, new PrintWriter(new StringWriter()),
                        System::currentTimeMillis)) {
            for (int i = 0; i < Requests.READERS; i++) requests.submit(new Message.StatFile(10 + i, huge.toString(), true));
            requests.submit(new Message.KillProcess(20, victim.pid(), null, "ana", System.currentTimeMillis() + 30_000));
            Message first = sent.poll(60, TimeUnit.SECONDS);
            assertEquals(new Message.Done(20, ((Message.Done) first).detail()), first, "the kill is answered first");
            assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
            assertNull(sent.poll(), "the hashes still run");
        } finally {
            victim.destroyForcibly();
        }
    }

    @Test
    void quickLane_holdsKillsDeletesAndOtherShortRequests_only() {
        assertTrue(Requests.quick(new Message.KillProcess(1, 2, null, "a")));
        assertTrue(Requests.quick(new Message.DeleteFile(1, "/x", "a")));
        assertTrue(Requests.quick(new Message.ReleaseSnapshot(1, "snapshot:x")));
        assertFalse(Requests.quick(new Message.StatFile(1, "/x", true)));
        assertFalse(Requests.quick(new Message.ReadFile(1, "/x", 0, 1)));
        assertFalse(Requests.quick(new Message.ListFiles(1, "/", "name", false, 0, 10)));
        assertFalse(Requests.quick(new Message.CaptureSnapshot(1, "a")));
    }
}
