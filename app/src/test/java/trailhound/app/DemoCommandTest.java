package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir Path tmp;

    /** Try-out finding: demo served any folder, serve's included, over plain HTTP on any address. */
    @Test
    void demo_onlyOnLoopback_neverAFolderServeKeeps() throws Exception {
        Cli wide = Cli.run("demo", "--data", tmp.resolve("data").toString(), "--host", "0.0.0.0", "--no-serve");
        assertEquals(2, wide.status(), wide.err());
        assertTrue(wide.err().contains("demo serves plain HTTP, so only on loopback"), wide.err());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("data")), "refused before anything is made");

        Path served = tmp.resolve("served");
        trailhound.web.tls.ServerCertificate.forDataFolder(served);
        Cli plain = Cli.run("demo", "--data", served.toString(), "--no-serve");
        assertEquals(2, plain.status(), plain.err());
        assertTrue(plain.err().contains("is served over HTTPS by serve"), plain.err());
        java.nio.file.Files.delete(served.resolve("certs/httpPublicCert.pem")); // second try-out: the key alone let demo in
        assertEquals(2, Cli.run("demo", "--data", served.toString(), "--no-serve").status());
        assertTrue(ListenOptions.isLoopback("127.0.0.2") && ListenOptions.isLoopback("::1") && !ListenOptions.isLoopback("10.0.0.1"));
    }

    /** Third try-out of #16: a 413 advised --upload-max-size, which only serve took. */
    @Test
    void demo_takesUploadMaxSize_asServeDoes_checkedBeforeAnythingIsMade() {
        Cli bad = Cli.run("demo", "--data", tmp.resolve("data").toString(), "--upload-max-size", "lots", "--no-serve");
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("--upload-max-size is a number of bytes, optionally with k, m or g, e.g. 500m; not 'lots'"), bad.err());
        assertFalse(Files.exists(tmp.resolve("data")), "refused before anything is made");
        assertTrue(Cli.run("demo", "--help").out().contains("--upload-max-size=SIZE"));
    }

    @Test
    void demo_emptyFolder_generatesIngestsAndKeepsTheIntelFile_thenReusesIt() throws Exception {
        Path data = tmp.resolve("data");
        Cli first = Cli.run("demo", "--data", data.toString(), "--endpoints", "3", "--events", "9000", "--no-serve");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("generating 3 sample endpoints"), first.out());
        assertTrue(Files.isRegularFile(data.resolve("intel.csv")), "intel.csv kept for the reputation badges");
        long endpoints = Cli.run("endpoints", "--data", data.toString()).out().lines().skip(1).count();
        assertEquals(3, endpoints);

        Cli second = Cli.run("demo", "--data", data.toString(), "--no-serve");
        assertEquals(0, second.status(), second.err());
        assertTrue(second.out().contains("Using the existing data folder"), second.out());
        assertEquals(3, Cli.run("endpoints", "--data", data.toString()).out().lines().skip(1).count());
    }

    @Test
    void demo_folderWithAnOlderIndexFormat_reindexesItFromTheKeptSnapshots() throws Exception {
        Path data = tmp.resolve("data");
        assertEquals(0, Cli.run("demo", "--data", data.toString(), "--endpoints", "1", "--events", "2000", "--no-serve").status());
        String endpoint = Cli.run("endpoints", "--data", data.toString()).out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        long events = Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--count").count();
        try (var generations = Files.walk(data.resolve("endpoints"))) {
            for (Path format : generations.filter(p -> p.getFileName().toString().equals("FORMAT")).toList()) {
                Files.writeString(format, "3\n"); // what the Trailhound before index format 4 wrote
            }
        }
        Cli again = Cli.run("demo", "--data", data.toString(), "--no-serve");
        assertEquals(0, again.status(), again.out() + again.err());
        assertEquals(events, Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--count").count());
    }
}
