package trailhound.web.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.ingest.DataDir;
import trailhound.web.WebOptions;
import trailhound.web.WebServer;

/**
 * The real server on random ports over HTTPS, reached by clients that trust one certificate the
 * JDK's ordinary way (a trust store, host name checked), never through the code under test.
 */
class HttpsTest {
    @TempDir
    Path dir;

    @Test
    void firstStart_selfSignedPairMade_servedAndTrustedOnlyByItself_pinMatchesOpenssl() throws Exception {
        Path data = dir.resolve("data");
        ServerCertificate made = ServerCertificate.forDataFolder(data);
        assertEquals(ServerCertificate.Origin.MADE, made.origin());
        Path certFile = data.resolve("certs/httpPublicCert.pem");
        Path keyFile = data.resolve("certs/httpPrivKey.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        X509Certificate cert = TestPki.read(certFile).get(0);
        List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
        assertTrue(names.containsAll(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1")), names.toString());
        String pin = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        assertEquals(pin, made.pin().hex());
        assertEquals(pin, Openssl.pinOf(certFile).orElse(pin), "as docs/https.md computes it");

        try (DataDir dataDir = DataDir.open(data); WebServer server = start(dataDir, made, WebOptions.NO_REDIRECT)) {
            assertTrue(server.url().startsWith("https://127.0.0.1:"), server.url());
            HttpResponse<String> login = get(TestPki.trusting(cert), "https://localhost:" + server.port() + "/login");
            assertEquals(200, login.statusCode());
            assertEquals("max-age=31536000", login.headers().firstValue("Strict-Transport-Security").orElseThrow());
            assertEquals(cert, login.sslSession().orElseThrow().getPeerCertificates()[0]);

            SSLContext otherCertificate = TestPki.trusting(TestPki.ca("someone else").certificate());
            assertThrows(SSLHandshakeException.class, () -> get(otherCertificate, server.url() + "/login"));
            assertThrows(SSLHandshakeException.class, () -> get(SSLContext.getDefault(), server.url() + "/login"));
        }
        ServerCertificate again = ServerCertificate.forDataFolder(data);
        assertEquals(ServerCertificate.Origin.LOADED, again.origin());
        assertEquals(made.pin(), again.pin());
    }

    @Test
    void signIn_overHttps_cookiesSecure() throws Exception {
        Path data = dir.resolve("data");
        ServerCertificate certificate = ServerCertificate.forDataFolder(data);
        try (DataDir dataDir = DataDir.open(data); WebServer server = start(dataDir, certificate, WebOptions.NO_REDIRECT)) {
            HttpClient client = client(TestPki.trusting(certificate.leaf()));
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/login")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String loginCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(loginCookie.contains("Secure"), loginCookie);
            String token = loginCookie.substring(loginCookie.indexOf('=') + 1, loginCookie.indexOf(';'));
            String form = "username=admin&password=" + URLEncoder.encode(server.initialAdminPassword().orElseThrow(), StandardCharsets.UTF_8)
                    + "&_csrf=" + token;
            HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "th_login=" + token)
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, signedIn.statusCode(), signedIn.body());
            String session = signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("th_session=")).findFirst().orElseThrow();
            assertTrue(session.contains("Secure") && session.contains("HttpOnly"), session);
            assertTrue(signedIn.headers().firstValue("Strict-Transport-Security").isPresent());
        }
    }

    @Test
    void plainHttpPort_redirectsEveryRequestToTheSamePathOnHttps_withoutHsts() throws Exception {
        Path data = dir.resolve("data");
        ServerCertificate certificate = ServerCertificate.forDataFolder(data);
        try (DataDir dataDir = DataDir.open(data); WebServer server = start(dataDir, certificate, 0)) {
            assertTrue(server.httpRedirectPort() > 0);
            HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            String base = "http://127.0.0.1:" + server.httpRedirectPort();
            HttpResponse<String> get = plain.send(HttpRequest.newBuilder(URI.create(base + "/search?q=image%3Dcmd.exe")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(308, get.statusCode());
            assertEquals("https://127.0.0.1:" + server.port() + "/search?q=image%3Dcmd.exe", get.headers().firstValue("Location").orElseThrow());
            assertTrue(get.headers().firstValue("Strict-Transport-Security").isEmpty(), "HSTS never on plain HTTP");
            assertTrue(get.headers().firstValue("Set-Cookie").isEmpty(), "nothing of the app on plain HTTP");
            HttpResponse<String> post = plain.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("username=admin")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(308, post.statusCode());
            assertEquals("https://127.0.0.1:" + server.port() + "/login", post.headers().firstValue("Location").orElseThrow());

            HttpResponse<String> followed = client(TestPki.trusting(certificate.leaf())).send(
                    HttpRequest.newBuilder(URI.create(get.headers().firstValue("Location").orElseThrow())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, followed.statusCode(), "to sign in first");
            assertTrue(followed.headers().firstValue("Strict-Transport-Security").isPresent());
        }
    }

    @Test
    void providedChain_servedWhole_replacedFilesServedAfterRestart() throws Exception {
        Path data = dir.resolve("data");
        Path certFile = data.resolve("certs/httpPublicCert.pem");
        Path keyFile = data.resolve("certs/httpPrivKey.pem");
        TestPki.Issued ca1 = TestPki.ca("Test CA 1");
        TestPki.Issued leaf1 = TestPki.leaf(ca1, TestPki.rsa(), "first");
        TestPki.pem(certFile, leaf1.certificate(), ca1.certificate());
        TestPki.pem(keyFile, leaf1.keys().getPrivate()); // PKCS#1: BEGIN RSA PRIVATE KEY
        assertTrue(Files.readString(keyFile).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        try (DataDir dataDir = DataDir.open(data)) {
            ServerCertificate first = ServerCertificate.forDataFolder(data);
            assertEquals(ServerCertificate.Origin.LOADED, first.origin());
            try (WebServer server = start(dataDir, first, WebOptions.NO_REDIRECT)) {
                HttpResponse<String> r = get(TestPki.trusting(ca1.certificate()), "https://localhost:" + server.port() + "/login");
                assertEquals(200, r.statusCode());
                var served = r.sslSession().orElseThrow().getPeerCertificates();
                assertEquals(List.of(leaf1.certificate(), ca1.certificate()), List.of(served), "the leaf, then the intermediate");
            }

            TestPki.Issued ca2 = TestPki.ca("Test CA 2");
            TestPki.Issued leaf2 = TestPki.leaf(ca2, TestPki.ec(), "second");
            TestPki.pem(certFile, leaf2.certificate(), ca2.certificate());
            TestPki.pem(keyFile, leaf2.keys().getPrivate()); // SEC1: BEGIN EC PRIVATE KEY
            assertTrue(Files.readString(keyFile).startsWith("-----BEGIN EC PRIVATE KEY-----"));
            ServerCertificate second = ServerCertificate.forDataFolder(data);
            assertNotEquals(first.pin(), second.pin());
            try (WebServer server = start(dataDir, second, WebOptions.NO_REDIRECT)) {
                HttpResponse<String> r = get(TestPki.trusting(ca2.certificate()), "https://localhost:" + server.port() + "/login");
                assertEquals(leaf2.certificate(), r.sslSession().orElseThrow().getPeerCertificates()[0]);
                assertThrows(SSLHandshakeException.class,
                        () -> get(TestPki.trusting(ca1.certificate()), "https://localhost:" + server.port() + "/login"));
            }
        }
    }

    @Test
    void plainServer_noHsts_cookiesNotSecure() throws Exception {
        try (DataDir dataDir = DataDir.open(dir.resolve("data"));
                WebServer server = WebServer.start(dataDir, WebOptions.defaults().withPort(0).withTemplateSources(null).withVirusTotal(null))) {
            assertTrue(server.url().startsWith("http://"));
            assertEquals(-1, server.httpRedirectPort());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/login")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(r.headers().firstValue("Strict-Transport-Security").isEmpty());
            assertFalse(r.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"));
        }
    }

    private static WebServer start(DataDir data, ServerCertificate certificate, int redirectPort) {
        return WebServer.start(data, WebOptions.defaults().withPort(0).withTemplateSources(null).withVirusTotal(null)
                .withHttps(certificate).withHttpRedirectPort(redirectPort));
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static HttpResponse<String> get(SSLContext tls, String url) throws Exception {
        return client(tls).send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
