package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.tls.ServerCertificate;

/** {@code serve}'s refusals before it serves (a served folder is in HandOffTest, HTTPS itself in web's HttpsTest). */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void serve_withOnlyTheKey_exit2_saysWhichFileAndWhatToDo_noStackTrace_folderLeftUnlocked() throws Exception {
        Path data = tmp.resolve("data");
        Path other = tmp.resolve("other");
        ServerCertificate.forDataFolder(other);
        Files.createDirectories(data.resolve("certs"));
        Files.copy(other.resolve("certs/httpPrivKey.pem"), data.resolve("certs/httpPrivKey.pem"));
        Cli c = Cli.run("serve", "--data", data.toString(), "--port", "0");
        assertEquals(2, c.status(), c.err());
        assertEquals("trailhound: " + data.resolve("certs/httpPrivKey.pem") + " is there but its certificate "
                + data.resolve("certs/httpPublicCert.pem") + " is not: put the certificate (PEM, with its intermediates after it) there,"
                + " or delete " + data.resolve("certs/httpPrivKey.pem") + " to have the server make a self-signed pair",
                c.err().strip());
        assertFalse(Files.exists(data.resolve("certs/httpPublicCert.pem")), "nothing made beside an administrator's key");
        Cli sources = Cli.run("reindex", "--data", data.toString(), "--all");
        assertFalse(sources.err().contains("waiting"), "the writer lock was let go: " + sources.err());
    }

    /** Try-out finding: a port in use was an "internal error" with a stack trace and Javalin's own log line. */
    @Test
    void serve_portInUse_exit2_saysSo_folderUnlockedAndPrivate() throws Exception {
        Path data = tmp.resolve("fresh/data");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli c = Cli.run("serve", "--data", data.toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(2, c.status(), c.err());
            assertEquals("trailhound: cannot listen on 127.0.0.1: Port already in use. Make sure no other process is using port "
                    + taken.getLocalPort() + " and try again. (or choose another port with --port)", c.err().strip());
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)),
                "a folder serve makes is its owner's alone");
        Cli sources = Cli.run("reindex", "--data", data.toString(), "--all");
        assertFalse(sources.err().contains("waiting"), "the writer lock was let go: " + sources.err());
    }

    @Test
    void serve_httpPortIsTheHttpsPort_refused() {
        Cli c = Cli.run("serve", "--data", tmp.resolve("data").toString(), "--port", "8443", "--http-port", "8443");
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("--http-port 8443 is the HTTPS port (--port): pick another"), c.err());
    }

    @Test
    void serve_liveIdleNotADuration_refused() {
        Cli c = Cli.run("serve", "--data", tmp.resolve("data").toString(), "--port", "0", "--live-idle", "10 minutes");
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("--live-idle is a number and s, m or h, e.g. 90s, 10m, 1h; not '10 minutes'"), c.err());
    }

    @Test
    void serve_indexOpenSearchWithoutUrl_refused() {
        Cli c = Cli.run("serve", "--data", tmp.resolve("data").toString(), "--port", "0", "--index", "opensearch");
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("--index opensearch needs --opensearch URL"), c.err());
    }

    @Test
    void serve_unknownIndexBackend_refused() {
        Cli c = Cli.run("serve", "--data", tmp.resolve("data").toString(), "--port", "0", "--index", "elastic");
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("--index is local or opensearch, not 'elastic'"), c.err());
    }

    @Test
    void serve_openSearchOptionsWithLocalIndex_refused() {
        Cli c = Cli.run("serve", "--data", tmp.resolve("data").toString(), "--port", "0", "--opensearch", "http://127.0.0.1:9200");
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("--opensearch options need --index opensearch"), c.err());
    }

    @Test
    void serve_openSearchNotAnswering_exit2_namesTheUrl_noStackTrace() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        Cli c = Cli.run("serve", "--data", tmp.resolve("data").toString(), "--port", "0", "--index", "opensearch", "--opensearch", url);
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().startsWith("trailhound: cannot use OpenSearch at " + url + ": "), c.err());
        assertFalse(c.err().contains("\tat "), c.err());
    }

    @Test
    void serve_openSearchUserWithoutPasswordFile_refused() {
        Cli c = Cli.run("serve", "--data", tmp.resolve("data").toString(), "--port", "0", "--index", "opensearch",
                "--opensearch", "https://search.example:9200", "--opensearch-user", "trailhound");
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("give both --opensearch-user and --opensearch-password-file, or neither"), c.err());
    }
}
