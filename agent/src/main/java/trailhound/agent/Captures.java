package trailhound.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/*
 * Why a handle and not a path: the copy is written inside the agent's state folder (outgoing/), which
 * the file rules deny to every path a request names, and must stay denied (identity and store live
 * there). A capture's reply gives a handle, "snapshot:" and 128 random bits, that reads that one copy
 * and nothing else: it names a folder outgoing/<token>/ holding exactly the copy, so the handle cannot
 * reach any other file whatever its text. The folders are on disk, not in memory, so a transfer cut by
 * an agent restart still resumes; each is deleted when the server releases it, or KEPT after it was
 * made (a server that never came back), checked whenever a capture is asked for and at start.
 */

/**
 * The recorder database copies an agent holds for the server to pull: {@link #capture} makes one
 * ({@link AgentSnapshot#capture}) under the state folder's {@code outgoing/}, {@link #file} finds it
 * by its handle, {@link #release} deletes it. Thread-safe.
 */
final class Captures {
    static final String PREFIX = "snapshot:";
    static final Duration KEPT = Duration.ofHours(6);
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path state;
    private final Path outgoing;

    /** A copy ready: its handle and what {@link AgentSnapshot} wrote, kept until {@code keptUntil} (epoch ms). */
    record Ready(String handle, AgentSnapshot.Captured copy, long keptUntil) {}

    Captures(Path state) {
        this.state = state;
        this.outgoing = state.resolve("outgoing");
        sweep();
    }

    /** The agent's state folder, whose recorder database is copied. */
    Path state() {
        return state;
    }

    /** Copies the recorder database now. */
    Ready capture() throws IOException {
        sweep();
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        String token = HexFormat.of().formatHex(bits);
        Path folder = Files.createDirectories(outgoing).resolve(token);
        Files.createDirectory(folder);
        try {
            AgentSnapshot.Captured c = AgentSnapshot.capture(state, folder);
            return new Ready(PREFIX + token, c, Files.getLastModifiedTime(folder).toMillis() + KEPT.toMillis());
        } catch (IOException | RuntimeException e) {
            delete(folder);
            throw e;
        }
    }

    /** Whether {@code path} is a handle rather than a path (it may still name no copy). */
    static boolean isHandle(String path) {
        return path != null && path.startsWith(PREFIX);
    }

    /** The copy a handle names; empty when it is malformed, released or expired. */
    Optional<Path> file(String handle) {
        Optional<Path> folder = folder(handle);
        if (folder.isEmpty()) return Optional.empty();
        try (var files = Files.list(folder.get())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".db") && Files.isRegularFile(f)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes the copy a handle names; false when there was none. */
    boolean release(String handle) throws IOException {
        Optional<Path> folder = folder(handle);
        if (folder.isEmpty() || !Files.isDirectory(folder.get())) return false;
        delete(folder.get());
        return true;
    }

    private Optional<Path> folder(String handle) {
        if (!isHandle(handle)) return Optional.empty();
        String token = handle.substring(PREFIX.length());
        return TOKEN.matcher(token).matches() ? Optional.of(outgoing.resolve(token)) : Optional.empty();
    }

    /** Deletes copies made more than {@link #KEPT} ago. */
    void sweep() {
        if (!Files.isDirectory(outgoing)) return;
        long before = System.currentTimeMillis() - KEPT.toMillis();
        try (var folders = Files.list(outgoing)) {
            for (Path f : folders.toList()) {
                if (Files.getLastModifiedTime(f).toMillis() < before) delete(f);
            }
        } catch (IOException e) {
            // unreadable now: the next capture sweeps again
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) return;
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
