package trailhound.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/*
 * A file being received into the data folder: copied to incoming/ (the kernel's copy) and hashed,
 * each on a thread of its own, while the ingest already reads and indexes the original (a snapshot's
 * ingest starts them after its first, newest events, which they would otherwise slow down). A big
 * snapshot's newest events are then searchable seconds sooner than after a copy and a hash of
 * gigabytes. The ingest waits for both before anything of the source counts: its first checkpoint
 * or its completion keeps the copy (moved into place) and records the hash.
 */

/** A file's SHA-256 and copy in the data folder, made in the background while it is ingested; one use. */
final class Receiving implements AutoCloseable {
    private final CompletableFuture<String> sha256;
    private final CompletableFuture<Path> copy;
    private boolean taken;
    /** Starts the background work; null once started (or for a file hashed already). */
    private Runnable starter;
    /** The empty part file while the work has not started: deleted as it is, never copied first. */
    private Path unstarted;

    private Receiving(CompletableFuture<String> sha256, CompletableFuture<Path> copy) {
        this.sha256 = sha256;
        this.copy = copy;
    }

    /** A file hashed already, not copied: {@link #copy()} is then null and the caller copies it. */
    static Receiving hashed(String sha256) {
        return new Receiving(CompletableFuture.completedFuture(sha256), CompletableFuture.completedFuture(null));
    }

    /**
     * A file to copy into {@code incoming} (created when absent) and hash, on two threads of their own;
     * they start at {@link #begin()}, or when the hash or the copy is first asked for.
     */
    static Receiving start(Path file, Path incoming) throws IOException {
        Files.createDirectories(incoming);
        Path part = Files.createTempFile(incoming, "source-", ".part");
        CompletableFuture<Path> copy = new CompletableFuture<>();
        CompletableFuture<String> sha = new CompletableFuture<>();
        Receiving r = new Receiving(sha, copy);
        r.unstarted = part;
        r.starter = () -> {
            Thread.ofPlatform().name("receive-copy").daemon().start(() -> {
                try {
                    Files.copy(file, part, StandardCopyOption.REPLACE_EXISTING);
                    copy.complete(part);
                } catch (Throwable t) {
                    copy.completeExceptionally(t);
                }
            });
            Thread.ofPlatform().name("receive-sha256").daemon().start(() -> {
                try {
                    sha.complete(Ingestor.sha256(file));
                } catch (Throwable t) {
                    sha.completeExceptionally(t);
                }
            });
        };
        return r;
    }

    /**
     * Starts the copy and the hash, unless started. They take both cores of a small machine for
     * seconds, so a snapshot's ingest starts them once its newest events are indexed.
     */
    synchronized void begin() {
        Runnable s = starter;
        starter = null;
        unstarted = null;
        if (s != null) s.run();
    }

    /** The file's SHA-256 (lower-case hex), waiting for the hash when it is still running. */
    String sha256() throws IOException {
        begin();
        return await(sha256);
    }

    /**
     * The copy in {@code incoming/}, waiting for it; null for {@link #hashed}. The caller moves it into
     * place (then it is no longer this object's to delete).
     */
    Path copy() throws IOException {
        begin();
        Path p = await(copy);
        taken = true;
        return p;
    }

    private static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while receiving the file", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof UncheckedIOException u) throw u.getCause();
            throw new IOException("cannot receive the file: " + cause, cause);
        }
    }

    /** Waits for the background work and deletes a copy nobody took. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (starter != null) { // never started (the ingest failed early): nothing to wait for
                starter = null;
                Files.deleteIfExists(unstarted);
                return;
            }
        }
        Path p;
        try {
            sha256.handle((v, t) -> null).get();
            p = copy.handle((v, t) -> v).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            return; // handled above: never thrown
        }
        if (p != null && !taken) Files.deleteIfExists(p);
    }
}
