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

    /** Endpoint names become folder names: anything that could leave the data folder is refused. */
    static String checkName(String endpoint) {
        if (endpoint == null || endpoint.isBlank() || endpoint.equals(".") || endpoint.contains("..")
                || endpoint.indexOf('/') >= 0 || endpoint.indexOf('\\') >= 0 || endpoint.indexOf(':') >= 0) {
            throw new IllegalArgumentException("bad endpoint name '" + endpoint
                    + "': names must not be blank or contain '/', '\\', ':' or '..'");
        }
        for (int i = 0; i < endpoint.length(); i++) {
            if (Character.isISOControl(endpoint.charAt(i))) {
                throw new IllegalArgumentException("bad endpoint name '" + endpoint.replaceAll("\\p{Cntrl}", "?")
                        + "': names must not contain control characters");
            }
        }
        return endpoint;
    }

    Path endpointsDir() {
        return endpointsDir;
    }

    Path indexDir(String endpoint) {
        return endpointsDir.resolve(checkName(endpoint)).resolve("index");
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
        Files.createDirectories(index.resolve("1"));
        swap(endpoint, 1);
        return index.resolve("1");
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
