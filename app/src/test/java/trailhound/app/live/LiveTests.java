package trailhound.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import trailhound.app.Main;

/**
 * What the tests of live features share: the server and agents as child JVMs on this test's class
 * path, waiting for a condition, and the JSON API over HTTPS with a bearer token (the test's own
 * server on loopback: its self-signed certificate is trusted).
 */
final class LiveTests {
    private static final Pattern SECRET = Pattern.compile("secret: (te_\\S+)");

    private LiveTests() {}

    /** A child JVM running {@code main} with {@code args} (256 MB of heap), its output and errors into {@code log}. */
    static Process java(Path log, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A condition waited for; it may throw (a refused connection while a server starts, say). */
    interface Check {
        boolean done() throws Exception;
    }

    /** Polls {@code done} every 50 ms; fails naming {@code what} after {@code patience}. */
    static void waitFor(String what, Duration patience, Check done) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!done.done()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    /** The text of a child's log, or why there is none. */
    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Runs the command line ({@code trailhound args...}) in this JVM; fails with its stderr unless it exits 0. Answers its stdout. */
    static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
        return out.toString();
    }

    /** A new enrolment token of the data folder ({@code tokens create}, plus {@code options} such as --group or --uses). */
    static String enrolmentToken(Path data, String... options) {
        List<String> all = new ArrayList<>(List.of("tokens", "create", "--data", data.toString()));
        all.addAll(List.of(options));
        String out = cli(all.toArray(String[]::new));
        Matcher m = SECRET.matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    /** TLS that trusts the test's own server on loopback: what these tests check is not the certificate. */
    static SSLContext trusting() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new RawAgent.TrustAny()}, new SecureRandom());
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static final HttpClient HTTPS = HttpClient.newBuilder().sslContext(trusting()).build();

    /** A request to the server on {@code port} with the bearer {@code token}; {@code json} the body, or null for none. */
    static HttpRequest.Builder request(int port, String method, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        return b;
    }

    static HttpResponse<String> send(int port, String method, String path, String token, String json) throws Exception {
        return HTTPS.send(request(port, method, path, token, json).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a 2xx answer; any other answer, or none, fails naming the request. */
    static String api(int port, String method, String path, String token, String json) {
        try {
            HttpResponse<String> r = send(port, method, path, token, json);
            if (r.statusCode() / 100 != 2) throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
            return r.body();
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        }
    }
}
