package trailhound.app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import trailhound.index.IndexBackend;
import trailhound.opensearch.OpenSearchBackend;
import trailhound.opensearch.OpenSearchConnection;

/** {@code --index local|opensearch} and how to reach OpenSearch (docs/decisions.md, OpenSearch backend). */
final class IndexBackendOptions {
    /** The alias of the events index on the cluster. */
    static final String INDEX_NAME = "trailhound-events";

    @Option(names = "--index", paramLabel = "BACKEND", defaultValue = "local", description = {"Where the events are indexed:"
            + " local (per-endpoint Lucene indexes in the data folder) or opensearch (one index on the cluster --opensearch names)"
            + " (default: ${DEFAULT-VALUE})."})
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
     * The backend the options name: null for local (the data folder's own), else connected.
     *
     * @throws IllegalArgumentException for a bad combination of options
     * @throws IOException when the cluster cannot be reached or refuses (its answer in the message)
     */
    IndexBackend open() throws IOException {
        switch (index) {
            case "local" -> {
                if (url != null || user != null || passwordFile != null || ca != null) {
                    throw new IllegalArgumentException("--opensearch options need --index opensearch");
                }
                return null;
            }
            case "opensearch" -> {
                if (url == null) {
                    throw new IllegalArgumentException("--index opensearch needs --opensearch URL (e.g. https://search.example:9200)");
                }
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
            default -> throw new IllegalArgumentException("--index is local or opensearch, not '" + index + "'");
        }
    }
}
