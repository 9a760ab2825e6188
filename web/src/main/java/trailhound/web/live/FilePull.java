package trailhound.web.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import trailhound.protocol.Message;
import trailhound.protocol.PathBytes;
import trailhound.protocol.Protocol;

/*
 * Pull, not push: the server asks for each chunk by offset (Message.ReadFile) and the agent answers
 * from the file as it is, keeping no transfer state. What the server holds is the truth about where a
 * transfer stands: the `.part` file's length. After a cut it waits for the agent to reconnect and asks
 * from that length again, which makes resuming the ordinary path rather than a special one. WINDOW
 * chunks are asked ahead, so the agent reads and sends the next while one travels and is written (one
 * at a time ran at half the speed on loopback), and the server holds at most WINDOW chunks of a
 * transfer in memory whatever the file's size.
 *
 * Integrity: the agent states the file's SHA-256 first (StatFile with hash, of exactly the size it
 * states); every chunk carries the file's size and mtime at that moment, so a file that shrinks or is
 * rewritten while it is copied fails at once, and one that grows keeps the bytes the hash covers; at
 * the end the server hashes what it holds and compares (a replaced file fails there). The snapshot capture reuses this as it is: the
 * agent prepares a consistent copy of its recorder database, then the server pulls that file.
 */

/**
 * Pulls one file from a connected agent into a server file, in chunks of {@link Protocol#CHUNK_BYTES},
 * resuming after a cut and verified by SHA-256 at the end. Thread-safe (each {@link #pull} on its own
 * destination).
 */
public final class FilePull {
    /**
     * Where a transfer stands: {@code received} of {@code size} bytes ({@code size} -1 until the agent has said it),
     * {@code resumes} cuts survived so far; {@code awaySince} (epoch ms) while it waits for its agent to come back
     * after a cut, else null.
     */
    public record Progress(long received, long size, int resumes, Long awaySince) {
        public Progress(long received, long size, int resumes) {
            this(received, size, resumes, null);
        }
    }

    /** A file pulled and verified: the agent's resolved path, its size in bytes and SHA-256 (hex), the cuts survived. */
    public record Pulled(String agentPath, long size, String sha256, int resumes, byte[] agentPathBytes, boolean grew) {
        /** What the evidence row says of a file that grew while it was copied; null otherwise. */
        public String grewNote() {
            return grew ? "kept the first " + size + " bytes: the file grew while it was copied" : null;
        }

        /** The agent's resolved path as people read it: {@code \xFF} for each byte that is not UTF-8. */
        public String shownPath() {
            return agentPathBytes == null ? agentPath : PathBytes.escaped(agentPathBytes);
        }
    }

    /** A transfer that cannot complete: the message says why and what to do. */
    public static class PullException extends IOException {
        public PullException(String message) {
            super(message);
        }
    }

    /** A transfer stopped because it was cancelled. */
    public static final class CancelledException extends PullException {
        public CancelledException(String message) {
            super(message);
        }
    }

    static final Duration STAT_TIMEOUT = Duration.ofMinutes(5); // hashing several GB on a slow disk
    static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(60);
    /** Chunks asked ahead: at most this many MiB of a transfer in the server's memory at once. */
    static final int WINDOW = 4;

    private final AgentRequests requests;
    private final Duration reconnectWait;

    /** @param reconnectWait how long a cut transfer waits for the agent to come back before it fails */
    public FilePull(AgentRequests requests, Duration reconnectWait) {
        this.requests = requests;
        this.reconnectWait = reconnectWait;
    }

    /**
     * Pulls {@code path} from the endpoint's agent into {@code destination}, written first as
     * {@code destination.part}. The part is kept only while the pull can still resume it: through cuts
     * while the agent comes back within the reconnect wait; a pull that fails or is cancelled deletes it.
     *
     * @param maxBytes the largest file accepted
     * @param progress told after every chunk
     * @param cancelled asked between chunks and while waiting for the agent; true stops the pull
     * @throws CancelledException when {@code cancelled} said so
     * @throws PullException when the file is larger than {@code maxBytes}, changes while it is copied, does
     *     not match its SHA-256, or the agent stays away longer than the reconnect wait
     * @throws AgentRequests.RequestException when the agent refuses (rules, no such file) or is too old
     */
    public Pulled pull(String endpoint, String path, Path destination, long maxBytes, Consumer<Progress> progress,
            BooleanSupplier cancelled) throws IOException {
        return pull(endpoint, path.getBytes(java.nio.charset.StandardCharsets.UTF_8), destination, maxBytes, progress, cancelled);
    }

    /** As {@link #pull(String, String, Path, long, Consumer, BooleanSupplier)}, of the exact bytes of a path (they need not be UTF-8). */
    public Pulled pull(String endpoint, byte[] path, Path destination, long maxBytes, Consumer<Progress> progress,
            BooleanSupplier cancelled) throws IOException {
        Path part = destination.resolveSibling(destination.getFileName() + ".part");
        try {
            return pullOnce(endpoint, path, destination, part, maxBytes, progress, cancelled);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part); // nothing resumes it now: a later pull is a new transfer
            throw e;
        }
    }

    private static void checkCancelled(BooleanSupplier cancelled, String what) throws CancelledException {
        if (cancelled.getAsBoolean()) throw new CancelledException("the transfer of " + what + " was cancelled");
    }

    /**
     * Why a file of {@code size} bytes is refused under the cap {@code maxBytes}, sizes readable:
     * "/x is 3.0 GiB (3221225472 bytes), more than the 2.0 GiB limit of evidence files: ...".
     */
    public static String tooLarge(String path, long size, long maxBytes) {
        return path + " is " + trailhound.web.evidence.EvidencePages.bytes(size) + " (" + size + " bytes), more than the "
                + trailhound.web.evidence.EvidencePages.bytes(maxBytes) + " limit of evidence files (" + maxBytes + " bytes): raise it"
                + " (serve --evidence-max-size, or demo --evidence-max-size) or copy the file off the endpoint another way";
    }

    private Pulled pullOnce(String endpoint, byte[] exact, Path destination, Path part, long maxBytes, Consumer<Progress> progress,
            BooleanSupplier cancelled) throws IOException {
        String path = PathBytes.escaped(exact);
        Consumer<Long> awayBeforeSize = since -> progress.accept(new Progress(0, -1, 0, since));
        Message.FileInfo first = retrying(endpoint, () -> requests.ask(endpoint, id -> new Message.StatFile(id, PathBytes.text(exact), false,
                PathBytes.base64(exact)), Message.FileInfo.class, CHUNK_TIMEOUT), new int[1], cancelled, path, awayBeforeSize);
        if (first.size() > maxBytes) { // before the agent spends time hashing it
            throw new PullException(tooLarge(first.path(), first.size(), maxBytes));
        }
        Message.FileInfo info = retrying(endpoint, () -> requests.ask(endpoint, id -> new Message.StatFile(id, first.path(), true,
                first.pathBytes()), Message.FileInfo.class, STAT_TIMEOUT), new int[1], cancelled, path, awayBeforeSize);
        Files.createDirectories(destination.getParent());
        int[] resumes = {0};
        long received = Files.exists(part) ? Files.size(part) : 0;
        if (received > info.size()) {
            Files.delete(part);
            received = 0;
        }
        progress.accept(new Progress(received, info.size(), 0));
        // a window of chunks asked ahead: the agent reads and sends the next while this one travels and is written
        java.util.ArrayDeque<java.util.concurrent.CompletableFuture<Message.FileChunk>> inFlight = new java.util.ArrayDeque<>();
        long asked = received;
        long outageSince = 0;
        long awaySince = 0;
        boolean grew = false;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (received < info.size()) {
                checkCancelled(cancelled, info.path());
                while (inFlight.size() < WINDOW && asked < info.size()) {
                    long offset = asked;
                    int length = (int) Math.min(Protocol.CHUNK_BYTES, info.size() - offset);
                    inFlight.add(requests.askAsync(endpoint, id -> new Message.ReadFile(id, info.path(), offset, length, info.pathBytes()),
                            Message.FileChunk.class, CHUNK_TIMEOUT));
                    asked += length;
                }
                Message.FileChunk chunk;
                try {
                    chunk = AgentRequests.await(inFlight.peek()); // a stop's interrupt ends the wait
                    inFlight.poll();
                    outageSince = 0;
                    awaySince = 0;
                } catch (AgentRequests.RequestException e) {
                    if (!e.retryable()) throw e;
                    inFlight.clear(); // asked on a connection that is gone: asked again from what is held
                    asked = received;
                    if (outageSince == 0) {
                        outageSince = System.nanoTime();
                        awaySince = System.currentTimeMillis();
                    }
                    long held = received;
                    long since = awaySince;
                    awaitAgent(endpoint, e, outageSince, resumes, cancelled, info.path(),
                            r -> progress.accept(new Progress(held, info.size(), r, since)));
                    progress.accept(new Progress(received, info.size(), resumes[0])); // back (or it never left: a timeout)
                    continue;
                }
                long offset = received;
                // a file that grows (an active log) keeps its first info.size() bytes, which the agent hashed; one that
                // shrank, or was rewritten at the same size, cannot give them back
                if (chunk.size() < info.size() || chunk.size() == info.size() && chunk.modified() != info.modified()) {
                    throw new PullException(info.path() + " changed while it was copied (size " + info.size() + " -> " + chunk.size()
                            + " bytes, modified " + java.time.Instant.ofEpochMilli(info.modified()) + " -> "
                            + java.time.Instant.ofEpochMilli(chunk.modified()) + "): keep it as evidence again");
                }
                if (chunk.size() > info.size()) grew = true;
                if (chunk.offset() != offset || chunk.data().length == 0) {
                    throw new PullException("the agent sent " + chunk.data().length + " bytes at offset " + chunk.offset() + " for offset "
                            + offset + " of " + info.path() + ": upgrade the agent to the server's version");
                }
                out.write(chunk.data());
                out.flush();
                received += chunk.data().length;
                progress.accept(new Progress(received, info.size(), resumes[0]));
            }
        }
        String sha = sha256(part);
        if (!sha.equals(info.sha256())) {
            Files.delete(part);
            throw new PullException("the copy of " + info.path() + " has SHA-256 " + sha + " but the agent stated " + info.sha256()
                    + ": the copy is discarded; try again");
        }
        Files.move(part, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Pulled(info.path(), info.size(), sha, resumes[0], info.pathBytes() == null ? null : PathBytes.of(null, info.pathBytes()),
                grew);
    }

    private interface Ask<T> {
        T ask();
    }

    /** Asks; after a cut (disconnected, offline, no answer) waits for the agent to come back and asks again. */
    private <T> T retrying(String endpoint, Ask<T> ask, int[] resumes, BooleanSupplier cancelled, String path, Consumer<Long> away)
            throws PullException {
        long outageSince = 0;
        long awaySince = 0;
        while (true) {
            try {
                return ask.ask();
            } catch (AgentRequests.RequestException e) {
                if (!e.retryable()) throw e;
                if (outageSince == 0) {
                    outageSince = System.nanoTime();
                    awaySince = System.currentTimeMillis();
                }
                long since = awaySince;
                awaitAgent(endpoint, e, outageSince, resumes, cancelled, path, r -> away.accept(since));
                away.accept(null);
            }
        }
    }

    /**
     * After a cut: waits for the agent to be connected again and counts a resume once it is, telling {@code away} (with
     * the resumes so far) before it waits while the agent is not connected, so that the progress says it waits rather than
     * moves; fails when the outage begun at
     * {@code outageSince} (nanoTime) has lasted longer than the reconnect wait.
     */
    private void awaitAgent(String endpoint, AgentRequests.RequestException e, long outageSince, int[] resumes,
            BooleanSupplier cancelled, String path, java.util.function.IntConsumer away) throws PullException {
        long deadline = outageSince + reconnectWait.toNanos();
        boolean said = false; // a timeout with the agent still connected is no absence
        try {
            while (!requests.online(endpoint) && System.nanoTime() < deadline) {
                if (!said) away.accept(resumes[0]);
                said = true;
                checkCancelled(cancelled, path);
                Thread.sleep(250);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new PullException("the transfer from " + endpoint + " was interrupted (the server is stopping)");
        }
        if (System.nanoTime() >= deadline) {
            throw new PullException("the transfer from " + endpoint + " stopped: " + e.getMessage() + "; the agent did not come back"
                    + " within " + reconnectWait.toSeconds() + " s; keep the file as evidence again once the endpoint is connected");
        }
        // counted as it resumes, not as it is cut (fourth try-out: a cut never resumed showed "resumed 1 time")
        if (e.code() != AgentRequests.Code.TIMEOUT) resumes[0]++;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
