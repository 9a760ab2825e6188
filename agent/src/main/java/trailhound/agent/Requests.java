package trailhound.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import trailhound.protocol.Message;
import trailhound.protocol.Protocol;

/*
 * Why two lanes: answered one at a time, a kill asked while a 2 GB file was being hashed waited minutes
 * for its turn and then ran, long after the server had told the analyst it failed. Kills, deletes and
 * the other quick requests now have a thread of their own (ACTIONS), so nothing long stands in front of
 * them; reads (listings, hashes, chunks, captures) share READERS threads, so one hash does not stop
 * browsing either. And a kill or delete whose turn comes after its deadline is refused, never done late.
 */

/**
 * The server's requests on one connection, answered on threads of their own while the connection's
 * loop keeps sending events and heartbeats: kills, deletes and other quick requests on one thread,
 * in the order received; reads on {@link #READERS} others. A state-changing request ({@link
 * Message.Request#deadline} set, protocol 4) whose turn comes after its deadline is answered
 * {@code failed {code: "expired"}} and not carried out. A reply that cannot be sent (the connection
 * ended) is dropped: the server asks again after it reconnects. Closed with its connection.
 */
final class Requests implements AutoCloseable {
    /** Threads answering reads: a big file hashed on one, the analyst browses on the other. */
    static final int READERS = 2;

    private final FileService files;
    private final Sender connection;
    private final PrintWriter log;
    private final LongSupplier serverClock;
    private final ExecutorService actions = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("requests-actions")
            .unstarted(r));
    private final ExecutorService readers = Executors.newFixedThreadPool(READERS, r -> Thread.ofPlatform().daemon().name("requests-reads")
            .unstarted(r));

    /** Where replies go: the connection. */
    interface Sender {
        void send(Message message) throws IOException;
    }

    /**
     * @param connection sends the replies
     * @param serverClock the server's time now (epoch ms), as the agent estimates it from the welcome's
     *     {@code server_time}; request deadlines are on that clock
     */
    Requests(FileService files, Sender connection, PrintWriter log, LongSupplier serverClock) {
        this.files = files;
        this.connection = connection;
        this.log = log;
        this.serverClock = serverClock;
    }

    void submit(Message.Request request) {
        try {
            (quick(request) ? actions : readers).execute(() -> answer(request));
        } catch (RejectedExecutionException closing) {
            // the connection is ending; the server's request times out or fails with the disconnect
        }
    }

    /** Whether {@code request} takes the quick lane: it changes state or takes no time. */
    static boolean quick(Message.Request request) {
        return switch (request) {
            case Message.DeleteFile r -> true;
            case Message.KillProcess r -> true;
            case Message.DescribeRecorder r -> true;
            case Message.ReleaseSnapshot r -> true;
            case Message.ListFiles r -> false;
            case Message.StatFile r -> false;
            case Message.ReadFile r -> false;
            case Message.CaptureSnapshot r -> false;
        };
    }

    /** The reply to {@code request} now: {@code expired} past its deadline, else the file service's. */
    Message.Reply reply(Message.Request request) {
        Long deadline = request.deadline();
        long now = serverClock.getAsLong();
        if (deadline != null && now > deadline) {
            return new Message.Failed(request.requestId(), Protocol.Failure.EXPIRED.code(), "its turn came "
                    + (now - deadline) + " ms after its deadline " + Instant.ofEpochMilli(deadline)
                    + ", when the server had stopped waiting: not carried out; ask again if it is still wanted");
        }
        return files != null ? files.answer(request) : new Message.Failed(request.requestId(),
                Protocol.Failure.BAD_REQUEST.code(), "this agent (replay) serves no file system");
    }

    private void answer(Message.Request request) {
        Message.Reply reply = reply(request);
        if (request instanceof Message.CaptureSnapshot c) {
            log.println(Instant.now() + " agent: " + (reply instanceof Message.SnapshotReady ready ? "copied the recorder database for the"
                    + " server at the request of " + c.user() + " (" + ready.name() + ", " + ready.size() + " bytes, deleted once fetched or at "
                    + Instant.ofEpochMilli(ready.keptUntil()) + ")" : reply instanceof Message.Failed f ? "could not copy the recorder database: "
                    + f.message() : reply));
            log.flush();
        }
        if (request instanceof Message.DeleteFile || request instanceof Message.KillProcess) {
            log.println(Instant.now() + " agent: " + (reply instanceof Message.Done d ? d.detail()
                    : reply instanceof Message.Failed f ? "refused " + request.getClass().getSimpleName() + ": " + f.message() : reply));
            log.flush();
        }
        try {
            connection.send(reply);
        } catch (IOException e) {
            // the connection ended: the loop sees it too and reconnects
        }
    }

    @Override
    public void close() {
        actions.shutdownNow();
        readers.shutdownNow();
    }
}
