package trailhound.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/*
 * SHA-256 of executables, off the poll thread: the poll asks, gets a future, and waits only a short
 * budget for it; a large or slow file is hashed while the poll goes on. Results are cached by
 * (device, inode, mtime, size), so a program started a thousand times is read once and a replaced file
 * is read again. The file is read through /proc/<pid>/exe, which is the image the process runs even
 * when its path was deleted, replaced or belongs to another mount namespace; the (device, inode) is
 * checked again after reading, so a file changed while it was read is not given a wrong hash.
 */

/**
 * Hashes executables with SHA-256 on one background thread, at most {@code maxBytes} a file, results
 * cached (the newest {@code capacity} files). A result without a hash carries a status instead:
 * {@code too_large}, {@code unreadable}, {@code changed} (while being read). Thread-safe.
 */
final class ExecutableHashes implements AutoCloseable {
    static final String TOO_LARGE = "too_large";
    static final String UNREADABLE = "unreadable";
    static final String CHANGED = "changed";
    /** Set by the caller when it stops waiting for a hash. */
    static final String TIMEOUT = "timeout";

    /** A SHA-256 (lower-case hex) or, when there is none, why. */
    record Result(String sha256, String status) {}

    private record FileId(Object dev, Object ino, Object mtime, long size) {}

    private final long maxBytes;
    private final int capacity;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("hash").unstarted(r));
    private final Map<FileId, CompletableFuture<Result>> cache;

    ExecutableHashes(long maxBytes, int capacity) {
        this.maxBytes = maxBytes;
        this.capacity = capacity;
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FileId, CompletableFuture<Result>> eldest) {
                return size() > ExecutableHashes.this.capacity;
            }
        };
    }

    /** The hash of the file {@code exe} (a /proc/<pid>/exe link or a path), from the cache or being computed. */
    CompletableFuture<Result> hash(Path exe) {
        FileId id;
        try {
            id = id(exe);
        } catch (IOException | UnsupportedOperationException e) {
            return CompletableFuture.completedFuture(new Result(null, UNREADABLE));
        }
        if (id.size() > maxBytes) return CompletableFuture.completedFuture(new Result(null, TOO_LARGE));
        synchronized (cache) {
            CompletableFuture<Result> known = cache.get(id);
            if (known != null) return known;
            CompletableFuture<Result> f = CompletableFuture.supplyAsync(() -> read(exe, id), worker);
            cache.put(id, f);
            return f;
        }
    }

    private Result read(Path exe, FileId id) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = Files.newInputStream(exe)) {
                for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
            }
            if (!id.equals(id(exe))) return forget(id, new Result(null, CHANGED));
            return new Result(HexFormat.of().formatHex(sha.digest()), null);
        } catch (IOException e) {
            return forget(id, new Result(null, UNREADABLE));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A failed read is not cached: the next process of the same file tries again. */
    private Result forget(FileId id, Result r) {
        synchronized (cache) {
            cache.remove(id);
        }
        return r;
    }

    private static FileId id(Path exe) throws IOException {
        Map<String, Object> a = Files.readAttributes(exe, "unix:dev,ino,lastModifiedTime,size");
        return new FileId(a.get("dev"), a.get("ino"), a.get("lastModifiedTime"), (Long) a.get("size"));
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
