package trailhound.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * audit-head, next to server.db: the newest audit entry's seq and hash as one line, "<seq> <hash>\n".
 * Kept outside server.db so that removing the newest entries and lowering SQLite's AUTOINCREMENT
 * counter to match (both inside server.db) still leaves a trace.
 *
 * Written after the entry's transaction commits, never before: a crash between the two leaves the
 * file one entry behind the table, which verify accepts (the file's seq may be lower than the table's
 * when the table holds that seq with that hash); a file ahead of the table would be a false report.
 * Concurrent appenders (threads here, other processes on the folder) may also leave it a few entries
 * behind, for the same reason harmless; within a process it never goes back. An append does not
 * rewrite it when the table no longer holds the entry it names (AuditTrail checks under the write
 * lock): that is the trace of removed entries, and the entries written after them would erase it.
 *
 * Moved into place whole (a temp file, then an atomic rename) so a reader never sees half a line.
 * Not fsync'ed: measured on an ext4 VM, the write and rename cost 0.2 ms and an fsync 0.3-0.8 ms more,
 * next to SQLite's own fsync at every commit. After a power loss the file may be older than the table
 * (accepted, as above) or, on some filesystems, empty or zero-filled: anything that is not a line of
 * that shape is read as "not kept" (like a folder from before the file existed), never as tampering.
 */
/** The audit trail's newest seq and hash, kept in a side file next to server.db. Thread-safe. */
final class AuditHead {
    static final String FILE = "audit-head";
    private static final Pattern LINE = Pattern.compile("([1-9][0-9]{0,17}) ([0-9a-f]{64})\n?");

    private final Path file;
    private final Object lock = new Object();
    private long written; // guarded by lock: the newest seq this process wrote

    AuditHead(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** What the file says; empty when it is missing or is not a line of its shape. */
    Optional<AuditTrail.Head> read() {
        String text;
        try {
            if (Files.size(file) > 200) return Optional.empty();
            text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII); // other bytes: U+FFFD, no match
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(file + ": cannot read the audit trail's head: " + e.getMessage(), e);
        }
        Matcher m = LINE.matcher(text);
        return m.matches() ? Optional.of(new AuditTrail.Head(Long.parseLong(m.group(1)), m.group(2))) : Optional.empty();
    }

    /** Records {@code seq} as the newest entry, unless this process already wrote a newer one. */
    void write(long seq, String hash) {
        synchronized (lock) {
            if (seq <= written) return;
            Path tmp = null;
            try {
                tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + FILE + "-", ".tmp");
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap((seq + " " + hash + "\n").getBytes(StandardCharsets.US_ASCII)));
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                tmp = null;
                written = seq;
            } catch (IOException e) {
                throw new StoreException(file + ": audit entry " + seq + " is written, but the trail's head file cannot be: "
                        + e.getMessage(), e);
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // the write already failed and says so; a leftover temp file is harmless
                    }
                }
            }
        }
    }
}
