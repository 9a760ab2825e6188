package trailhound.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
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
final class FileService {
    private final FileRules rules;
    private final LocalStore store;
    private final String endpoint;
    private final Captures captures;
    private final Listings listings = new Listings(FileService::entry);

    /** @param captures the recorder copies made for the server; null where the agent has no recorder database to copy */
    FileService(FileRules rules, LocalStore store, String endpoint, Captures captures) {
        this.rules = rules;
        this.store = store;
        this.endpoint = endpoint;
        this.captures = captures;
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
                page.total(), page.offset(), page.entries(), PathBytes.base64(at), PathBytes.base64(up));
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
        if (r.pathBytes() == null && Captures.isHandle(r.path())) {
            return new Message.FileInfo(r.requestId(), r.path(), a.size(), a.lastModifiedTime().toMillis(), r.hash() ? sha256(file) : null);
        }
        byte[] real = RawPaths.bytes(file);
        return new Message.FileInfo(r.requestId(), PathBytes.text(real), a.size(), a.lastModifiedTime().toMillis(),
                r.hash() ? sha256(file) : null, PathBytes.base64(real));
    }

    private Message.Reply read(Message.ReadFile r) throws IOException {
        if (r.offset() < 0 || r.length() < 1 || r.length() > Protocol.CHUNK_BYTES) {
            return failed(r, Protocol.Failure.BAD_REQUEST, "offset must be 0 or more and length 1 to " + Protocol.CHUNK_BYTES);
        }
        Path file = readable(r.path(), r.pathBytes());
        if (!Files.isRegularFile(file)) return failed(r, Protocol.Failure.WRONG_TYPE, RawPaths.shown(file) + " is not a regular file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(r.length(), size - r.offset())));
            while (buffer.hasRemaining()) {
                int n = ch.read(buffer, r.offset() + buffer.position());
                if (n < 0) break;
            }
            byte[] data = buffer.position() == buffer.capacity() ? buffer.array() : java.util.Arrays.copyOf(buffer.array(), buffer.position());
            return new Message.FileChunk(r.requestId(), r.offset(), data, size, Files.getLastModifiedTime(file).toMillis());
        }
    }

    private Message.Reply delete(Message.DeleteFile r) throws IOException {
        Path target = rules.resolveEntry(PathBytes.of(r.path(), r.pathBytes())); // a link is deleted itself, never what it points to
        String shown = RawPaths.shown(target); // a byte that is not UTF-8 as \xFF
        if (rules.isRoot(target)) return failed(r, Protocol.Failure.REFUSED, shown + " is an allowed root: the agent never deletes one");
        try {
            Files.delete(target);
        } catch (DirectoryNotEmptyException e) {
            return failed(r, Protocol.Failure.WRONG_TYPE, shown + " is a folder that is not empty: delete its files first");
        }
        record("delete_file", Field.FILE_PATH, shown, null, "deleted " + shown + " at the request of " + r.user() + " through the server");
        return new Message.Done(r.requestId(), "deleted " + shown);
    }

    private Message.Reply kill(Message.KillProcess r) throws IOException {
        if (r.pid() == ProcessHandle.current().pid()) {
            return failed(r, Protocol.Failure.REFUSED, "pid " + r.pid() + " is the agent itself: stop it on the endpoint instead");
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
        String what = "killed pid " + r.pid() + (path == null ? "" : " (" + path + ")") + " at the request of " + r.user()
                + " through the server";
        record("kill", Field.PROCESS_PATH, path, r.pid(), what);
        return new Message.Done(r.requestId(), what);
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
