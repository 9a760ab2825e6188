package trailhound.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where an endpoint's index lives: {@code <endpoints>/<endpoint>/index/CURRENT} names the live
 * generation, whose folder {@code index/<generation>/} holds {@code events/} and {@code values/}.
 * A bulk re-index can build generation n+1 next to the live one and swap CURRENT atomically.
 */
final class IndexLayout {
    static final String CURRENT = "CURRENT";

    private final Path endpointsDir;

    IndexLayout(Path endpointsDir) {
        this.endpointsDir = endpointsDir;
    }

    /** Beside an endpoint's folder whose name differs from the endpoint's: the real name (UTF-8). */
    static final String NAME = "NAME";
    private static final int MAX_FOLDER_CHARS = 128;

    /**
     * The endpoint's folder name. Endpoint names come from the telemetry (an attacker can write any
     * host name), so a name that is not a plain, portable folder name (blank, '.', '..', '/', '\',
     * ':', '~', control characters, leading or trailing spaces, over 128 chars) gets one made of its
     * safe characters, '~' and 16 hex digits of its SHA-256; the real name stays in the events and
     * the catalogue and is written to {@link #NAME} beside the index. Fails only for a null or empty name.
     */
    static String folderName(String endpoint) {
        if (endpoint == null || endpoint.isEmpty()) throw new IllegalArgumentException("an endpoint needs a name");
        if (isPlain(endpoint)) return endpoint;
        String safe = endpoint.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 64) safe = safe.substring(0, 64);
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(endpoint.getBytes(StandardCharsets.UTF_8));
            return safe + "~" + java.util.HexFormat.of().formatHex(sha, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isPlain(String name) {
        if (name.length() > MAX_FOLDER_CHARS || name.equals(".") || name.equals("..") || name.isBlank()
                || !name.strip().equals(name)) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == ':' || c == '~' || Character.isISOControl(c) || Character.isSurrogate(c)) return false;
        }
        return true;
    }

    /** The endpoint a folder under {@code endpoints/} holds: its NAME file, or the folder's own name. */
    static String endpointOf(Path folder) throws IOException {
        Path name = folder.resolve(NAME);
        return Files.isRegularFile(name) ? Files.readString(name, StandardCharsets.UTF_8) : folder.getFileName().toString();
    }

    Path endpointsDir() {
        return endpointsDir;
    }

    Path indexDir(String endpoint) {
        return endpointsDir.resolve(folderName(endpoint)).resolve("index");
    }

    boolean exists(String endpoint) {
        return Files.isRegularFile(indexDir(endpoint).resolve(CURRENT));
    }

    /** The live generation folder; the endpoint must exist. */
    Path current(String endpoint) throws IOException {
        return indexDir(endpoint).resolve(Long.toString(currentGeneration(endpoint)));
    }

    /** The live generation's number; the endpoint must exist. */
    long currentGeneration(String endpoint) throws IOException {
        Path index = indexDir(endpoint);
        String generation = Files.readString(index.resolve(CURRENT), StandardCharsets.UTF_8).strip();
        if (!generation.matches("[0-9]{1,18}")) {
            throw new IOException("corrupt " + index.resolve(CURRENT) + ": expected a generation number, found '"
                    + generation + "'; write the number of the generation folder to use");
        }
        return Long.parseLong(generation);
    }

    /** Deletes a folder and everything in it; absent is fine. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The live generation folder, creating generation 1 when the endpoint has none. */
    synchronized Path currentOrCreate(String endpoint) throws IOException {
        if (exists(endpoint)) return current(endpoint);
        Path index = Files.createDirectories(indexDir(endpoint));
        if (!folderName(endpoint).equals(endpoint)) {
            Files.writeString(index.getParent().resolve(NAME), endpoint, StandardCharsets.UTF_8);
        }
        long generation = 1; // past any folder a deleted index of the same name may still be leaving
        try (java.util.stream.Stream<Path> dirs = Files.list(index)) {
            for (Path d : dirs.toList()) {
                String n = d.getFileName().toString();
                if (n.matches("[0-9]{1,18}")) generation = Math.max(generation, Long.parseLong(n) + 1);
            }
        }
        Files.createDirectories(index.resolve(Long.toString(generation)));
        swap(endpoint, generation);
        return index.resolve(Long.toString(generation));
    }

    /** Makes {@code generation} the live one (atomic rename of CURRENT). */
    void swap(String endpoint, long generation) throws IOException {
        Path index = indexDir(endpoint);
        Path tmp = index.resolve(CURRENT + ".tmp");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(Long.toString(generation).getBytes(StandardCharsets.UTF_8)));
            ch.force(true); // durable before it replaces CURRENT: a crash never leaves CURRENT empty
        }
        try {
            Files.move(tmp, index.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, index.resolve(CURRENT), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
