package trailhound.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import trailhound.protocol.Message;
import trailhound.protocol.Protocol;

/**
 * The server's requests on one connection, answered one at a time on a thread of their own while the
 * connection's loop keeps sending events and heartbeats: a chunk being read never holds a batch up.
 * A reply that cannot be sent (the connection ended) is dropped: the server asks again after it
 * reconnects. Closed with its connection.
 */
final class Requests implements AutoCloseable {
    private final FileService files;
    private final Connection connection;
    private final PrintWriter log;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("requests").unstarted(r));

    Requests(FileService files, Connection connection, PrintWriter log) {
        this.files = files;
        this.connection = connection;
        this.log = log;
    }

    void submit(Message.Request request) {
        try {
            worker.execute(() -> answer(request));
        } catch (RejectedExecutionException closing) {
            // the connection is ending; the server's request times out or fails with the disconnect
        }
    }

    private void answer(Message.Request request) {
        Message.Reply reply = files != null ? files.answer(request) : new Message.Failed(request.requestId(),
                Protocol.Failure.BAD_REQUEST.code(), "this agent (replay) serves no file system");
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
        worker.shutdownNow();
    }
}
