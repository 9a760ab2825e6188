package trailhound.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import trailhound.protocol.Message;
import trailhound.protocol.PathBytes;
import trailhound.protocol.Protocol;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Answers the server's {@link Message.Request}s (protocol 3): folder listings in pages, file
 * descriptions and chunks, deletions and kills, every path through {@link FileRules}. Kills and
 * deletions are recorded as events in the agent's store (type {@code agent}, operation {@code kill} or
 * {@code delete_file}). Thread-safe: {@link Requests} answers reads on several threads while a kill or a
 * delete runs on another; folder reads are kept for paging by {@link Listings}.
 */
final class FileService implements AutoCloseable {
    private final FileRules rules;
    private final LocalStore store;
    private final String endpoint;
    private final Captures captures;
    final Listings listings = new Listings(FileService::entry); // package-private: tests set its cap
    /** How long a kill waits for the process to end after the signal. */
    static final java.time.Duration KILL_WAIT = java.time.Duration.ofSeconds(2);
    /** The process whose ancestors are never killed: the agent; tests set another. */
    ProcessHandle self = ProcessHandle.current();

    /** @param captures the recorder copies made for the server; null where the agent has no recorder database to copy */
    FileService(FileRules rules, LocalStore store, String endpoint, Captures captures) {
        this.rules = rules;
        this.store = store;
        this.endpoint = endpoint;
        this.captures = captures;
    }

    /**
     * As {@link #FileService(FileRules, LocalStore, String, Captures)}, the copies of pseudo files kept in {@code copies}
     * (in the agent's state folder, so the deny list covers them): emptied now, as a killed agent's copies are stale,
     * and removed at {@link #close}. Without it they go to a temporary folder of their own, removed at close.
     */
    FileService(FileRules rules, LocalStore store, String endpoint, Captures captures, Path copies) throws IOException {
        this(rules, store, endpoint, captures);
        deleteTree(copies);
        this.copiesFolder = Files.createDirectories(copies);
    }

    /** Removes the copies of pseudo files (the agent stops). */
    @Override
    public synchronized void close() throws IOException {
        copies.clear();
        if (copiesFolder != null) deleteTree(copiesFolder);
        copiesFolder = null;
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) return;
        try (var all = Files.walk(folder)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The reply to {@code request}: its own kind, or {@link Message.Failed} saying why not. */
    Message.Reply answer(Message.Request request) {
        try {
            return switch (request) {
                case Message.ListFiles r -> list(r);
                case Message.StatFile r -> stat(r);
                case Message.ReadFile r -> read(r);
                case Message.DeleteFile r -> delete(r);
                case Message.KillProcess r -> kill(r);
                case Message.DescribeRecorder r -> describe(r);
                case Message.CaptureSnapshot r -> capture(r);
                case Message.ReleaseSnapshot r -> release(r);
            };
        } catch (FileRules.Refused e) {
            return failed(request, e.missing ? Protocol.Failure.NOT_FOUND : Protocol.Failure.REFUSED, e.getMessage());
        } catch (NoSuchFileException e) {
            return failed(request, Protocol.Failure.NOT_FOUND, e.getFile() + ": no such file or folder (gone meanwhile?)");
        } catch (AccessDeniedException e) {
            return failed(request, Protocol.Failure.IO, e.getFile() + ": the operating system refused the agent access"
                    + " (the agent runs as " + System.getProperty("user.name") + ")");
        } catch (FileSystemException e) { // the operating system's own words, never a Java class name
            return failed(request, Protocol.Failure.IO, (e.getFile() == null ? "" : e.getFile() + ": ") + (e.getReason() == null
                    ? "the operating system refused" : e.getReason()) + " (the agent runs as " + System.getProperty("user.name") + ")");
        } catch (IOException | RuntimeException e) {
            return failed(request, Protocol.Failure.IO, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Message.Failed failed(Message.Request r, Protocol.Failure code, String message) {
        return new Message.Failed(r.requestId(), code.code(), message);
    }

    private Message.Reply list(Message.ListFiles r) throws IOException {
        String sort = r.sort() == null ? "name" : r.sort();
        if (!Protocol.SORT_KEYS.contains(sort)) {
            return failed(r, Protocol.Failure.BAD_REQUEST, "cannot sort by '" + sort + "': sort by one of " + Protocol.SORT_KEYS);
        }
        if (r.offset() < 0 || r.limit() < 1 || r.limit() > Protocol.MAX_PAGE_ENTRIES) {
            return failed(r, Protocol.Failure.BAD_REQUEST, "offset must be 0 or more and limit 1 to " + Protocol.MAX_PAGE_ENTRIES);
        }
        Path folder = r.path() == null && r.pathBytes() == null ? rules.resolve(rules.roots().getFirst().toString())
                : rules.resolve(PathBytes.of(r.path(), r.pathBytes()));
        if (!Files.isDirectory(folder)) {
            return failed(r, Protocol.Failure.WRONG_TYPE, RawPaths.shown(folder) + " is a file, not a folder: keep it as evidence to see it");
        }
        Listings.Page page = listings.page(folder, sort, r.descending(), r.offset(), r.limit());
        Path parent = rules.parent(folder);
        byte[] at = RawPaths.bytes(folder);
        byte[] up = parent == null ? null : RawPaths.bytes(parent);
        return new Message.Listing(r.requestId(), PathBytes.text(at), PathBytes.text(up), rules.roots().stream().map(Path::toString).toList(),
                page.total(), page.offset(), page.entries(), PathBytes.base64(at), PathBytes.base64(up), page.note());
    }

    /** How many times a folder was read from disk for a listing (tests: paging reads none). */
    int directoryReads() {
        return listings.directoryReads();
    }

    /** An entry's own attributes: a symbolic link is described, not followed. */
    private static Message.FileEntry entry(Path p) {
        byte[] raw = RawPaths.nameBytes(p); // a name need not be UTF-8: its bytes travel beside its text
        String name = PathBytes.text(raw);
        String nameBytes = PathBytes.base64(raw);
        try {
            BasicFileAttributes a;
            String permissions = null;
            String owner = null;
            try {
                PosixFileAttributes posix = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                a = posix;
                permissions = PosixFilePermissions.toString(posix.permissions());
                owner = posix.owner().getName();
            } catch (UnsupportedOperationException notPosix) {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
            }
            String type = a.isSymbolicLink() ? "link" : a.isDirectory() ? "directory" : a.isRegularFile() ? "file" : "other";
            String target = a.isSymbolicLink() ? Files.readSymbolicLink(p).toString() : null;
            return new Message.FileEntry(name, type, a.size(), millis(a.creationTime()), millis(a.lastModifiedTime()), permissions, owner,
                    target, nameBytes);
        } catch (IOException e) {
            return new Message.FileEntry(name, "other", null, null, null, null, null, null, nameBytes); // gone or unreadable meanwhile
        }
    }

    private static Long millis(FileTime t) {
        return t == null ? null : t.toMillis();
    }

    /** A path through the rules, or a snapshot handle to the one copy it names (which the rules deny to paths). */
    private Path readable(String path, String pathBytes) throws IOException {
        if (pathBytes != null || !Captures.isHandle(path)) return rules.resolve(PathBytes.of(path, pathBytes));
        if (captures == null) throw new FileRules.Refused("this agent makes no snapshots, so " + path + " names none", true);
        return captures.file(path).orElseThrow(() -> new FileRules.Refused(path + " names no snapshot copy: it was released or"
                + " expired (copies are kept " + Captures.KEPT.toHours() + " h); capture again", true));
    }

    private Message.Reply stat(Message.StatFile r) throws IOException {
        Path file = readable(r.path(), r.pathBytes());
        if (!Files.isRegularFile(file)) return failed(r, Protocol.Failure.WRONG_TYPE, RawPaths.shown(file) + " is not a regular file");
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        long size = a.size();
        long modified = a.lastModifiedTime().toMillis();
        String sha = null;
        if (pseudo(file, a)) { // its stated size says nothing of its content: served from one read of it
            Copy copy = copy(file, r.hash());
            size = copy.size;
            modified = copy.made;
            sha = r.hash() ? sha256(copy.file, size) : null;
        } else if (r.hash()) {
            sha = sha256(file, size); // exactly the bytes the size states: a log that grows meanwhile keeps its first `size` bytes
        }
        if (r.pathBytes() == null && Captures.isHandle(r.path())) {
            return new Message.FileInfo(r.requestId(), r.path(), size, modified, sha);
        }
        byte[] real = RawPaths.bytes(file);
        return new Message.FileInfo(r.requestId(), PathBytes.text(real), size, modified, sha, PathBytes.base64(real));
    }

    private Message.Reply read(Message.ReadFile r) throws IOException {
        if (r.offset() < 0 || r.length() < 1 || r.length() > Protocol.CHUNK_BYTES) {
            return failed(r, Protocol.Failure.BAD_REQUEST, "offset must be 0 or more and length 1 to " + Protocol.CHUNK_BYTES);
        }
        Path file = readable(r.path(), r.pathBytes());
        if (!Files.isRegularFile(file)) return failed(r, Protocol.Failure.WRONG_TYPE, RawPaths.shown(file) + " is not a regular file");
        Copy copy = pseudo(file, Files.readAttributes(file, BasicFileAttributes.class)) ? copy(file, false) : null;
        try (FileChannel ch = FileChannel.open(copy == null ? file : copy.file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(r.length(), size - r.offset())));
            while (buffer.hasRemaining()) {
                int n = ch.read(buffer, r.offset() + buffer.position());
                if (n < 0) break;
            }
            byte[] data = buffer.position() == buffer.capacity() ? buffer.array() : java.util.Arrays.copyOf(buffer.array(), buffer.position());
            return new Message.FileChunk(r.requestId(), r.offset(), data, size, copy == null ? Files.getLastModifiedTime(file).toMillis()
                    : copy.made);
        }
    }

    /*
     * Files whose content the kernel makes as they are read (/proc/version, /proc/PID/maps, sysfs) state
     * size 0 or a size unrelated to it, and may differ at every read: the stated size and hash would never
     * match what is read. Such a file is read once into a copy, and its size, hash and chunks are served
     * from that copy (a stat with hash makes a fresh one; chunks use the latest).
     */
    private static final java.util.Set<String> PSEUDO_FILE_SYSTEMS = java.util.Set.of("proc", "sysfs", "debugfs", "tracefs", "securityfs",
            "configfs", "cgroup", "cgroup2", "efivarfs", "bpf");
    /** The largest pseudo file copied, in bytes. */
    static final long MAX_PSEUDO_BYTES = 64L << 20;
    /** How long a copy stays after it was made, in ms. */
    static final long COPY_KEPT_MS = 10 * 60_000;

    private record Copy(Path file, long size, long made) {}

    private final java.util.Map<Path, Copy> copies = new java.util.HashMap<>();
    private Path copiesFolder;

    private static boolean pseudo(Path file, BasicFileAttributes a) throws IOException {
        return a.size() == 0 || PSEUDO_FILE_SYSTEMS.contains(Files.getFileStore(file).type());
    }

    /** The latest copy of {@code file} (made now when {@code fresh}, none exists or it expired); older copies deleted. */
    private synchronized Copy copy(Path file, boolean fresh) throws IOException {
        long now = System.currentTimeMillis();
        for (var it = copies.entrySet().iterator(); it.hasNext(); ) {
            Copy c = it.next().getValue();
            if (now - c.made > COPY_KEPT_MS) {
                Files.deleteIfExists(c.file);
                it.remove();
            }
        }
        Copy kept = copies.get(file);
        if (kept != null && !fresh) return kept;
        if (copiesFolder == null) copiesFolder = Files.createTempDirectory("trailhound-agent-copies");
        Path to = Files.createTempFile(copiesFolder, "copy", ".bin");
        long size = 0;
        try (InputStream in = Files.newInputStream(file); var out = Files.newOutputStream(to)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                size += n;
                if (size > MAX_PSEUDO_BYTES) break;
                out.write(buffer, 0, n);
            }
        } catch (AccessDeniedException e) {
            Files.deleteIfExists(to);
            throw e;
        } catch (IOException e) {
            Files.deleteIfExists(to);
            throw new FileRules.Refused(RawPaths.shown(file) + " cannot be read as a file (the kernel answered: " + e.getMessage()
                    + "); it is not kept", false);
        }
        if (size > MAX_PSEUDO_BYTES) {
            Files.deleteIfExists(to);
            throw new FileRules.Refused(RawPaths.shown(file) + " is a file the kernel makes as it is read, and it reads as more than "
                    + (MAX_PSEUDO_BYTES >> 20) + " MiB: the agent keeps such files up to that size only", false);
        }
        if (kept != null) Files.deleteIfExists(kept.file);
        Copy made = new Copy(to, size, now);
        copies.put(file, made);
        return made;
    }

    private Message.Reply delete(Message.DeleteFile r) throws IOException {
        Path target = rules.resolveEntry(PathBytes.of(r.path(), r.pathBytes())); // a link is deleted itself, never what it points to
        String shown = RawPaths.shown(target); // a byte that is not UTF-8 as \xFF
        if (rules.isRoot(target)) return failed(r, Protocol.Failure.REFUSED, shown + " is an allowed root: the agent never deletes one");
        try {
            Files.delete(target);
        } catch (DirectoryNotEmptyException e) {
            return failed(r, Protocol.Failure.WRONG_TYPE, shown + " is a folder that is not empty: delete its files first");
        } catch (NoSuchFileException e) {
            throw e;
        } catch (FileSystemException e) { // EPERM, EACCES, EROFS, EBUSY: the operating system's refusal, in its own words
            String os = e.getReason() == null ? e instanceof AccessDeniedException ? "Permission denied" : "refused" : e.getReason();
            return failed(r, Protocol.Failure.REFUSED, "the agent's account (" + System.getProperty("user.name") + ") may not delete " + shown
                    + ": " + os + " (the operating system refused; nothing deleted)");
        }
        record("delete_file", Field.FILE_PATH, shown, null, "deleted " + shown + " at the request of " + r.user() + " through the server");
        return new Message.Done(r.requestId(), "deleted " + shown);
    }

    private Message.Reply kill(Message.KillProcess r) throws IOException {
        String protectedWhy = protectedProcess(r.pid());
        if (protectedWhy != null) {
            return failed(r, Protocol.Failure.REFUSED, "pid " + r.pid() + " is " + protectedWhy + ": the agent never kills it; nothing killed");
        }
        Optional<ProcessHandle> found = ProcessHandle.of(r.pid());
        if (found.isEmpty() || !found.get().isAlive()) {
            return failed(r, Protocol.Failure.NOT_FOUND, "no process " + r.pid() + " runs on " + endpoint + " (it has ended)");
        }
        ProcessHandle p = found.get();
        String path = p.info().command().orElse(null);
        rules.checkExecutable(r.pid(), path); // the allowed roots bound kills as they bound deletes
        if (r.expectedPath() != null && path != null && !path.equals(r.expectedPath())) {
            return failed(r, Protocol.Failure.REFUSED, "pid " + r.pid() + " now runs " + path + ", not " + r.expectedPath()
                    + ": the process has ended and its pid was reused; nothing killed");
        }
        if (!p.destroyForcibly()) {
            return failed(r, Protocol.Failure.IO, "the operating system refused to kill pid " + r.pid() + " (the agent runs as "
                    + System.getProperty("user.name") + ")");
        }
        String shown = "pid " + r.pid() + (path == null ? "" : " (" + path + ")");
        if (!ended(p)) { // a signal that was sent is not a process that ended: init ignores SIGKILL, a zombie waits for its parent
            String what = "sent SIGKILL to " + shown + " at the request of " + r.user() + " through the server, but the process did not end"
                    + " within " + KILL_WAIT.toSeconds() + " s";
            record("kill", Field.PROCESS_PATH, path, r.pid(), what);
            return failed(r, Protocol.Failure.IO, "signal sent but the process did not end within " + KILL_WAIT.toSeconds() + " s: " + shown
                    + " is still running (a process in uninterruptible I/O, or a zombie its parent has not reaped); look at it on the endpoint");
        }
        String what = "killed " + shown + " at the request of " + r.user() + " through the server";
        record("kill", Field.PROCESS_PATH, path, r.pid(), what);
        return new Message.Done(r.requestId(), what);
    }

    /** Why {@code pid} must never be killed (pid 1, the agent, a process the agent descends from), or null. */
    private String protectedProcess(long pid) {
        if (pid == 1) return "the endpoint's init process (pid 1)";
        if (pid == self.pid()) return "the agent itself (stop it on the endpoint instead)";
        for (Optional<ProcessHandle> up = self.parent(); up.isPresent(); up = up.get().parent()) {
            if (up.get().pid() == pid) return "an ancestor of the agent (killing it could stop the agent or the server that started it)";
            if (up.get().pid() <= 1) break;
        }
        return null;
    }

    private static boolean ended(ProcessHandle p) {
        try {
            p.onExit().get(KILL_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !p.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private Message.Reply describe(Message.DescribeRecorder r) throws IOException {
        if (captures == null) return failed(r, Protocol.Failure.BAD_REQUEST, "this agent keeps no recorder database to capture");
        return new Message.RecorderInfo(r.requestId(), store.bytes(), store.recorderEvents(),
                Files.getFileStore(captures.state()).getUsableSpace());
    }

    private Message.Reply capture(Message.CaptureSnapshot r) throws IOException {
        if (captures == null) return failed(r, Protocol.Failure.BAD_REQUEST, "this agent keeps no recorder database to capture");
        Captures.Ready ready = captures.capture();
        AgentSnapshot.Captured c = ready.copy();
        return new Message.SnapshotReady(r.requestId(), ready.handle(), c.file().getFileName().toString(), c.size(), c.capturedAt(),
                c.host(), c.events(), ready.keptUntil());
    }

    private Message.Reply release(Message.ReleaseSnapshot r) throws IOException {
        if (captures == null || !Captures.isHandle(r.handle())) {
            return failed(r, Protocol.Failure.BAD_REQUEST, "'" + r.handle() + "' is not a snapshot handle");
        }
        return new Message.Done(r.requestId(), captures.release(r.handle()) ? "deleted the copy " + r.handle() : "no copy " + r.handle()
                + " (released or expired already)");
    }

    /** An event of the agent's own action, as gap events are: type agent, the sentence in command_line. */
    private void record(String operation, Field pathField, String path, Long pid, String what) throws IOException {
        long now = System.currentTimeMillis();
        Event.Builder b = Event.builder().set(Field.EVENT_UID, "k" + Long.toHexString(now) + "-" + Long.toHexString(System.nanoTime()))
                .ts(now).set(Field.TYPE, "agent").set(Field.OPERATION, operation)
                .set(Field.COMMAND_LINE, what);
        if (path != null) b.set(pathField, path);
        if (pid != null) b.set(Field.PID, Long.toString(pid));
        store.append(List.of(b.build()), -1);
    }

    /** The SHA-256 (hex) of the first {@code size} bytes of {@code file} (all of them when it holds fewer). */
    static String sha256(Path file, long size) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        long left = size;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; left -= n) sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
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
