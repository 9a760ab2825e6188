package trailhound.web.handoff;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code <data>/server.json}: left in the data folder by the server running on it, so that CLI
 * commands that write the folder hand their work to that server ({@link HandOff}).
 *
 * <pre>{@code {"protocol": 1, "url": "http://127.0.0.1:7070", "token": "<43 base64url chars>", "pid": 1234,
 *  "started_at": "2026-11-20T08:00:00Z"}}</pre>
 *
 * <p>{@code url} is where this machine reaches the server (loopback when it listens on loopback or on
 * every address); {@code token} is 256 random bits, new at every start, the only credential of the
 * hand-off API. The file is created readable and writable by its owner only, written whole under a
 * temporary name and moved into place, so a reader never sees half of it; the server deletes it when
 * it stops. A server that was killed leaves it behind: readers find it stale when nobody answers.
 */
public record ServerFile(
        int protocol, String url, String token, long pid, @JsonProperty("started_at") String startedAt) {
    public static final String NAME = "server.json";
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A new file for this process serving at {@code url}, with a fresh token. */
    static ServerFile forThisProcess(String url, String token) {
        return new ServerFile(HandOff.PROTOCOL, url, token, ProcessHandle.current().pid(), Instant.now().toString());
    }

    /** 256 random bits, base64url. */
    static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The file in {@code dataRoot}, or empty when there is none.
     *
     * @throws IOException when it cannot be read (e.g. another user's server wrote it) or is not such a file
     */
    public static Optional<ServerFile> read(Path dataRoot) throws IOException {
        Path file = dataRoot.resolve(NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        }
        try {
            ServerFile f = JSON.readValue(bytes, ServerFile.class);
            if (f.url() == null || f.token() == null) throw new IOException("no url or token");
            return Optional.of(f);
        } catch (IOException e) {
            throw new IOException(file + " is not a server file (" + e.getMessage() + ")", e);
        }
    }

    /** Writes this file into {@code dataRoot}, owner-only, replacing any left by an earlier server. */
    void write(Path dataRoot) throws IOException {
        Path target = dataRoot.resolve(NAME);
        Path tmp = dataRoot.resolve(NAME + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes the file in {@code dataRoot} if it is still this one (a later server may have replaced it):
     * by the server when it stops, and by a command holding the folder's writer lock, which proves the
     * server that wrote this file gone.
     */
    public void deleteIfOurs(Path dataRoot) {
        try {
            Optional<ServerFile> there = read(dataRoot);
            if (there.isPresent() && sameToken(there.get().token())) Files.deleteIfExists(dataRoot.resolve(NAME));
        } catch (IOException unreadable) {
            // not ours to delete
        }
    }

    /** Constant-time comparison with this file's token (no timing hint of how much of a guess was right). */
    boolean sameToken(String candidate) {
        return candidate != null && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** Never prints the token (this record may end up in a log or a message). */
    @Override
    public String toString() {
        return "ServerFile[url=" + url + ", pid=" + pid + ", started_at=" + startedAt + ", protocol=" + protocol + "]";
    }
}
