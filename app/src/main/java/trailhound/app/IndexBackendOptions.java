package trailhound.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import trailhound.index.IndexBackend;
import trailhound.opensearch.OpenSearchBackend;
import trailhound.opensearch.OpenSearchConnection;
import trailhound.store.IndexBackendSetting.Backend;
import trailhound.store.Store;

/**
 * {@code --index local|opensearch} and how to reach OpenSearch (docs/decisions.md, OpenSearch backend).
 * {@code serve} records the backend it was given in the data folder (server.db), so that every other
 * command on the folder ({@link #recorded}) reads and writes the same events without being told again,
 * and a later {@code serve} without {@code --index} keeps it.
 */
final class IndexBackendOptions {
    /** The alias of the events index on the cluster. */
    static final String INDEX_NAME = "trailhound-events";

    @Option(names = "--index", paramLabel = "BACKEND", description = {"Where the events are indexed:"
            + " local (per-endpoint Lucene indexes in the data folder) or opensearch (one index on the cluster --opensearch names)."
            + " Recorded in the data folder, which every command then uses (default: the folder's, else local)."})
    String index;

    @Option(names = "--opensearch", paramLabel = "URL", description = {"The OpenSearch cluster for --index opensearch,"
            + " e.g. https://search.example:9200."})
    String url;

    @Option(names = "--opensearch-user", paramLabel = "USER", description = {"User for OpenSearch's basic authentication."})
    String user;

    @Option(names = "--opensearch-password-file", paramLabel = "FILE", description = {"File whose first line is that user's password."})
    Path passwordFile;

    @Option(names = "--opensearch-ca", paramLabel = "PEM", description = {"Trust only the CA certificates in this PEM file for https."})
    Path ca;

    /**
     * The backend for {@code serve} on the folder {@code root}: the one the options name (then recorded in
     * the folder), else the one the folder recorded, else null (local).
     *
     * @throws IllegalArgumentException for a bad combination of options
     * @throws IOException when the cluster cannot be reached or refuses (its answer in the message)
     */
    IndexBackend open(Path root, PrintWriter err) throws IOException {
        if (index == null) {
            if (url != null || user != null || passwordFile != null || ca != null) {
                throw new IllegalArgumentException("--opensearch options need --index opensearch");
            }
            return recorded(root);
        }
        switch (index) {
            case "local" -> {
                if (url != null || user != null || passwordFile != null || ca != null) {
                    throw new IllegalArgumentException("--opensearch options need --index opensearch");
                }
                Backend was = setting(root);
                if (was != null && !was.kind().equals("local")) {
                    err.println("trailhound: this data folder's events were indexed on OpenSearch at " + was.url()
                            + "; its local indexes may be empty or old: bin/trailhound reindex --data " + root + " --all rebuilds them");
                }
                if (was != null || Files.isRegularFile(root.resolve("server.db"))) record(root, Backend.LOCAL);
                return null;
            }
            case "opensearch" -> {
                if (url == null) {
                    throw new IllegalArgumentException("--index opensearch needs --opensearch URL (e.g. https://search.example:9200)");
                }
                IndexBackend backend = connect(url, user, passwordFile, ca);
                Files.createDirectories(root);
                record(root, new Backend("opensearch", url, user, absolute(passwordFile), absolute(ca)));
                return backend;
            }
            default -> throw new IllegalArgumentException("--index is local or opensearch, not '" + index + "'");
        }
    }

    /**
     * The backend the data folder recorded (a {@code serve --index opensearch} on it), connected; null
     * when it records none or local, or is no data folder yet.
     *
     * @throws IOException when the recorded cluster cannot be reached (the message names it and the folder)
     */
    static IndexBackend recorded(Path root) throws IOException {
        Backend b = setting(root);
        if (b == null || !b.kind().equals("opensearch")) return null;
        try {
            return connect(b.url(), b.user(), b.passwordFile() == null ? null : Path.of(b.passwordFile()), b.ca() == null ? null : Path.of(b.ca()));
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (the data folder " + root + " keeps its events there since serve --index"
                    + " opensearch; serve --index local makes it use its own indexes again)", e);
        }
    }

    private static Backend setting(Path root) {
        if (!Files.isRegularFile(root.resolve("server.db"))) return null;
        return Store.open(root.resolve("server.db")).indexBackend().get().orElse(null);
    }

    private static void record(Path root, Backend backend) {
        Store.open(root.resolve("server.db")).indexBackend().set(backend);
    }

    private static String absolute(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize().toString();
    }

    private static IndexBackend connect(String url, String user, Path passwordFile, Path ca) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--opensearch must be a URL like https://search.example:9200, not '" + url + "'");
        }
        OpenSearchConnection connection = new OpenSearchConnection(uri, user, passwordFile, ca);
        try {
            return OpenSearchBackend.open(connection, INDEX_NAME, 1);
        } catch (IOException | org.opensearch.client.opensearch._types.OpenSearchException e) {
            throw new IOException("cannot use OpenSearch at " + url + ": " + e.getMessage()
                    + "; check --opensearch and that the cluster answers there", e);
        }
    }
}
