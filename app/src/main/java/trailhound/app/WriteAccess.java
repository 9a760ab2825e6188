package trailhound.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import trailhound.ingest.WriterLock;
import trailhound.web.handoff.ServerFile;

/**
 * How a command that writes a data folder gets to write it, since one process writes a data folder:
 * by handing its work to the server running on the folder ({@link RunningServer}), or by holding the
 * folder's {@link WriterLock} and doing the work itself. While another process holds the lock without
 * serving (another command's ingest, or a server still starting), it waits, and says so once.
 *
 * <pre>{@code
 * try (WriteAccess access = WriteAccess.forWork(data.dir, "ingest", err)) {
 *     if (access.server().isPresent()) return handOff(access.server().get());
 *     try (DataDir dir = DataDir.open(data.dir)) { ... }
 * }
 * }</pre>
 *
 * <p>Holding the lock proves that no server started by {@code serve} or {@code demo} runs on the
 * folder (they hold it while they run), so a server file found then is stale and is deleted.
 */
final class WriteAccess implements AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private final RunningServer server;
    private final WriterLock lock;

    private WriteAccess(RunningServer server, WriterLock lock) {
        this.server = server;
        this.lock = lock;
    }

    /** For {@code ingest} and {@code reindex}: the server running on the folder, else the folder's lock (waiting for it). */
    static WriteAccess forWork(Path dataDir, String what, PrintWriter err) throws IOException, InterruptedException {
        return obtain(dataDir, what, err, null);
    }

    /**
     * For work the server does not take from the command line: the folder's lock (waiting for it).
     *
     * @param elsewhere where to do it while a server runs, e.g. "rename it from the server's endpoint
     *                  list", or null when only stopping the server will do
     * @throws HandOffException when a server runs on the folder
     */
    static WriterLock forLocalWork(Path dataDir, String what, String elsewhere, PrintWriter err)
            throws IOException, InterruptedException {
        return obtain(dataDir, what, err, (elsewhere == null ? "" : elsewhere + ", or ") + "stop the server first").lock;
    }

    /**
     * For {@code serve} and {@code demo}: the folder's lock, to hold while serving.
     *
     * @throws HandOffException when a server runs on the folder already
     */
    static WriterLock forServer(Path dataDir, String what, PrintWriter err) throws IOException, InterruptedException {
        return obtain(dataDir, what, err, "use that server, or stop it first").lock;
    }

    /** The server to hand the work to; empty when this process holds the lock and works on the folder itself. */
    Optional<RunningServer> server() {
        return Optional.ofNullable(server);
    }

    /** @param refusal null: hand the work to a running server; else what to do instead, told when one runs */
    private static WriteAccess obtain(Path dataDir, String what, PrintWriter err, String refusal)
            throws IOException, InterruptedException {
        Path root = dataDir.toAbsolutePath().normalize();
        ServerFile stale = null;
        boolean saidWaiting = false;
        while (true) {
            // the server file first: a server started without the lock (embedded, tests) still gets the work
            Optional<ServerFile> file = RunningServer.file(root);
            if (file.isPresent() && !file.get().equals(stale)) {
                Optional<RunningServer> running = RunningServer.reach(root, file.get(), err);
                if (running.isPresent()) {
                    if (refusal != null) {
                        throw new HandOffException(root + " is served by " + running.get().describe()
                                + " (one process writes a data folder): " + refusal, Main.BAD_INPUT);
                    }
                    err.println("trailhound: handing the work to " + running.get().describe());
                    return new WriteAccess(running.get(), null);
                }
                stale = file.get();
            }
            Optional<WriterLock> lock = WriterLock.tryAcquire(root, what);
            if (lock.isPresent()) {
                if (stale != null) stale.deleteIfOurs(root);
                return new WriteAccess(null, lock.get());
            }
            if (!saidWaiting) {
                err.println("trailhound: waiting for the other trailhound process writing " + root + " to finish ("
                        + WriterLock.holder(root) + ")");
                saidWaiting = true;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Releases the folder's lock, when this process held it. */
    @Override
    public void close() throws IOException {
        if (lock != null) lock.close();
    }
}
