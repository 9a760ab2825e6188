package trailhound.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import trailhound.web.handoff.HandOff;
import trailhound.web.handoff.HandOff.Failure;
import trailhound.web.handoff.HandOff.Line;
import trailhound.web.handoff.ServerFile;
import trailhound.web.tls.PinnedTrust;
import trailhound.web.tls.ServerCertificate;
import trailhound.web.tls.TlsException;

/**
 * The server running on a data folder, as a command that writes the folder sees it: found through the
 * folder's {@code server.json} and given the work instead of the command opening the folder's
 * indexes itself (one process writes a data folder; the protocol is {@link HandOff}).
 *
 * <pre>{@code
 * Optional<RunningServer> server = RunningServer.file(root).flatMap(f -> RunningServer.reach(root, f, err));
 * if (server.isPresent()) {
 *     HandOff.Line outcome = server.get().ingest(file, null, null, progress::update);
 * }
 * }</pre>
 * {@link WriteAccess} decides between this and writing the folder itself.
 *
 * <p>Not thread-safe; one per command.
 */
final class RunningServer {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** A live server answers a ping at once; one that takes longer is stuck, and nobody should write beside it. */
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    private final ServerFile file;
    private final Path fileName;
    private final PrintWriter err;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RunningServer(ServerFile file, Path root, PrintWriter err) {
        this.file = file;
        this.fileName = root.resolve(ServerFile.NAME);
        this.err = err;
        // HTTP/1.1: plain http with the default would first try an h2c upgrade the server does not offer
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
        if (file.url().startsWith("https:")) {
            // the server's certificate is in the folder this command reads anyway: trust exactly it, nothing else
            builder.sslContext(PinnedTrust.trustingOnly(certificate(root)));
        }
        this.http = builder.build();
    }

    private X509Certificate certificate(Path root) {
        try {
            return ServerCertificate.servedIn(root);
        } catch (TlsException e) {
            throw new HandOffException(describe() + " serves HTTPS, and its certificate cannot be read: " + e.getMessage(),
                    Main.BAD_INPUT);
        }
    }

    /**
     * The server file in the data folder {@code root}, or empty when there is none.
     *
     * @throws HandOffException when there is one that cannot be read: a server may be writing the folder
     */
    static Optional<ServerFile> file(Path root) {
        try {
            return ServerFile.read(root);
        } catch (IOException e) {
            throw new HandOffException("cannot tell whether a server writes " + root + ": cannot read "
                    + root.resolve(ServerFile.NAME) + " (" + e + "); if no Trailhound server runs on this folder, delete that file",
                    Main.BAD_INPUT);
        }
    }

    /**
     * The server that left {@code file} in {@code root}, when it runs and takes hand-offs. Empty when the
     * file is stale: nothing answers at its address, or a server that does not know its token (a later
     * one on the same port) does; that is said on {@code err}.
     *
     * @throws HandOffException when a server may be writing the folder but cannot take the work: it does
     *         not answer in time, answers something else than a Trailhound server, or speaks another
     *         hand-off protocol (another Trailhound version)
     */
    static Optional<RunningServer> reach(Path root, ServerFile file, PrintWriter err) {
        RunningServer server = new RunningServer(file, root, err);
        return server.ping() ? Optional.of(server) : Optional.empty();
    }

    /** True when the server is there and takes hand-offs; false when the file is stale; else a HandOffException. */
    private boolean ping() {
        String who = describe();
        HttpResponse<String> r;
        try {
            r = send(request(HandOff.PING).timeout(PING_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException gone) {
            err.println("trailhound: " + fileName + " names a server (pid " + file.pid() + ", " + file.url()
                    + ") that no longer runs: ignoring it");
            return false;
        } catch (SSLHandshakeException e) {
            throw new HandOffException(who + " does not serve the certificate in " + fileName.resolveSibling(ServerCertificate.FOLDER)
                    .resolve(ServerCertificate.CERTIFICATE) + " (" + e.getMessage() + "): if it was replaced after the server"
                    + " started, restart the server", Main.BAD_INPUT);
        } catch (HttpTimeoutException slow) {
            throw new HandOffException(who + " does not answer: not writing the folder beside it; try again, or stop it",
                    Main.BAD_INPUT);
        } catch (IOException e) {
            throw new HandOffException("cannot reach " + who + ": " + e, Main.BAD_INPUT);
        }
        if (r.statusCode() == 401) {
            err.println("trailhound: " + fileName + " is stale: the server at " + file.url()
                    + " does not know its token (the server that wrote it is gone): ignoring it");
            return false;
        }
        HandOff.Ping ping;
        try {
            if (r.statusCode() != 200) throw new IOException("status " + r.statusCode());
            ping = json.readValue(r.body(), HandOff.Ping.class);
        } catch (IOException e) {
            throw new HandOffException("the service at " + file.url() + ", named by " + fileName
                    + ", is no Trailhound server (" + e.getMessage() + "); if no Trailhound server runs on this folder, delete that file",
                    Main.BAD_INPUT);
        }
        if (ping.protocol() != HandOff.PROTOCOL) {
            throw new HandOffException(who + " speaks hand-off protocol " + ping.protocol() + ", this trailhound "
                    + HandOff.PROTOCOL + ": run the same Trailhound version as the server, or stop the server", Main.BAD_INPUT);
        }
        return true;
    }

    /** "the server running on this folder (pid N, URL)". */
    String describe() {
        return "the server running on this folder (pid " + file.pid() + ", " + file.url() + ")";
    }

    /** Has the server ingest {@code file} (read by the server, so sent as an absolute path); returns the outcome line. */
    Line ingest(Path file, String endpoint, java.time.ZoneId timeZone, LongConsumer progress) {
        String path = file.toAbsolutePath().normalize().toString();
        return work(HandOff.INGEST, new HandOff.IngestRequest(path, endpoint, osUser(), timeZone == null ? null : timeZone.getId()),
                progress);
    }

    /** Has the server rebuild one endpoint's index; returns the outcome line. */
    Line reindex(String endpoint, LongConsumer progress) {
        return work(HandOff.REINDEX, new HandOff.ReindexRequest(endpoint, null, osUser()), progress);
    }

    /** Has the server start one re-index job over the endpoints; returns the outcome line (the job id, or a failure). */
    Line reindexDetached(List<String> endpoints) {
        return work(HandOff.REINDEX, new HandOff.ReindexRequest(null, endpoints, osUser()), n -> {});
    }

    /** The endpoints in the server's catalogue, by name. */
    List<String> endpoints() {
        try {
            HttpResponse<String> r = send(request(HandOff.ENDPOINTS).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw refused(r.statusCode(), r.body());
            return List.of(json.readValue(r.body(), String[].class));
        } catch (IOException e) {
            throw new HandOffException("cannot ask " + describe() + " for its endpoints: " + e, 1);
        }
    }

    /**
     * The exception a failure other than {@link HandOff.Kind#FILE} becomes, so that the command ends as
     * it would have ended had it failed so locally: exit status 1 for a defect, else 2.
     */
    static HandOffException asException(Failure failure) {
        String advice = failure.kind() == HandOff.Kind.UNKNOWN_ENDPOINT ? Errors.LIST_ENDPOINTS : "";
        return new HandOffException(failure.message() + advice, failure.kind() == HandOff.Kind.INTERNAL ? 1 : Main.BAD_INPUT);
    }

    private Line work(String path, Object body, LongConsumer progress) {
        HttpResponse<Stream<String>> r;
        try {
            HttpRequest request = request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
            r = send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new HandOffException(describe() + " could not be reached (" + e + "); nothing was handed to it", 1);
        }
        try (Stream<String> lines = r.body()) {
            if (r.statusCode() != 200) throw refused(r.statusCode(), String.join("\n", lines.toList()));
            for (Iterator<String> it = lines.iterator(); it.hasNext();) {
                Line line = json.readValue(it.next(), Line.class);
                if (line.isOutcome()) return line;
                if (line.note() != null) err.println("trailhound: " + line.note());
                if (line.events() != null) progress.accept(line.events());
            }
        } catch (IOException | UncheckedIOException e) {
            // the connection broke: below
        }
        throw new HandOffException("the server stopped answering before the work was done; `sources` shows what"
                + " it kept, and running the command again completes it", 1);
    }

    /** A 400 carries the reason as the CLI would print it locally; anything else is unexpected. */
    private HandOffException refused(int status, String body) {
        String reason = body;
        try {
            JsonNode error = json.readTree(body).get("error");
            if (error != null) reason = error.asText();
        } catch (IOException notJson) {
            // keep the body as it is
        }
        return status == 400 ? new HandOffException(reason, Main.BAD_INPUT)
                : new HandOffException("the server refused the work (" + status + "): " + reason, 1);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException {
        try {
            return http.send(request, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HandOffException("interrupted while waiting for the server", 1);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(file.url() + path)).header("Authorization", "Bearer " + file.token());
    }

    private static String osUser() {
        return System.getProperty("user.name", "unknown");
    }
}
