package trailhound.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock that makes one process the writer of a data folder: an OS lock on {@code <data>/writer.lock},
 * held by a server for as long as it runs and by a command that writes the folder itself (ingest,
 * reindex) while it works. Readers never take it. The operating system releases it when its process
 * ends, however it ends, so a crash leaves no stale lock. The file says who holds it
 * ({@code pid 1234 serve since 2026-11-20T08:00:00Z}), for messages; it stays when the lock is released.
 *
 * <pre>{@code
 * try (WriterLock lock = WriterLock.tryAcquire(root, "ingest").orElseThrow(); DataDir dir = DataDir.open(root)) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Within one JVM it is held once too: a second {@code tryAcquire} in the holding process answers
 * empty, as for another process. Thread-safe.
 */
public final class WriterLock implements Closeable {
    public static final String NAME = "writer.lock";

    /*
     * The locks this process holds, by lock file, with their holder text. Process-wide state on purpose: it
     * mirrors the OS lock, which belongs to the process. POSIX releases every lock a process holds on a
     * file when the process closes *any* descriptor of that file, so while the lock is held here, this
     * process must neither open the file again (to try the lock or to read the holder) nor close one.
     */
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private WriterLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder's writer lock when no other process (or user of this one) holds it; creates
     * the folder when absent. {@code what} names the holder's job in the file ("serve", "ingest").
     */
    public static synchronized Optional<WriterLock> tryAcquire(Path root, String what) throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IOException("data folder " + root + " is a file, not a folder");
        }
        if (!Files.exists(root)) DataDir.createPrivate(root.toAbsolutePath().normalize());
        Path file = root.toRealPath().resolve(NAME);
        if (HELD_HERE.containsKey(file)) return Optional.empty();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        String holder = "pid " + ProcessHandle.current().pid() + " " + what + " since " + Instant.now();
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        HELD_HERE.put(file, holder);
        deleteIncoming(file.getParent());
        return Optional.of(new WriterLock(file, channel, lock));
    }

    /** Files a writer that crashed left half-received in {@code incoming/}: only a writer copies files there. */
    private static void deleteIncoming(Path root) throws IOException {
        Path incoming = root.resolve("incoming");
        if (!Files.isDirectory(incoming)) return;
        try (var parts = Files.newDirectoryStream(incoming, "*.part")) {
            for (Path part : parts) Files.deleteIfExists(part);
        }
    }

    /** Who holds (or last held) the folder's lock, as written in the file: "pid 1234 serve since ...", or "unknown". */
    public static String holder(Path root) {
        try {
            Path file = root.toRealPath().resolve(NAME);
            String here = HELD_HERE.get(file);
            if (here != null) return here; // reading the file would release this process's lock (see HELD_HERE)
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "unknown" : text;
        } catch (NoSuchFileException e) {
            return "unknown";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() throws IOException {
        synchronized (WriterLock.class) {
            if (closed) return;
            closed = true;
            try (FileChannel c = channel) {
                if (lock.isValid()) lock.release();
            } finally {
                HELD_HERE.remove(file);
            }
        }
    }
}
