package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.ingest.DataDir;
import trailhound.ingest.WriterLock;
import trailhound.samples.SampleGenerator;
import trailhound.web.WebOptions;
import trailhound.web.WebServer;
import trailhound.web.handoff.ServerFile;
import trailhound.web.tls.ServerCertificate;

/**
 * One writer per data folder: while a server runs on a folder, CLI commands that write it hand their
 * work to that server (real server on a random port, the real command line in-process), and what
 * they add is searchable in the server at once; read-only commands keep working beside it.
 */
class HandOffTest {
    private static final String CLI_USER = "cli:" + System.getProperty("user.name");
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    Path data;
    /** Three sample endpoints' snapshots, by endpoint name; the first is ingested before each test. */
    final Map<String, Path> snapshots = new LinkedHashMap<>();
    List<String> endpoints;

    @BeforeEach
    void folderWithOneEndpoint() throws Exception {
        data = tmp.resolve("data");
        for (Path p : SampleGenerator.generate(tmp.resolve("samples"), 3, 9000, 11, n -> {})) {
            snapshots.put(p.getFileName().toString().replace(".db", ""), p);
        }
        endpoints = List.copyOf(snapshots.keySet());
        Cli first = Cli.run("ingest", "--data", data.toString(), snapshots.get(endpoints.get(0)).toString());
        assertEquals(0, first.status(), first.err());
    }

    @Test
    void ingest_intoAServedFolder_theServerIngests_searchableThereWithinASecond_noLockErrors() throws Exception {
        String a = endpoints.get(0);
        String b = endpoints.get(1);
        long expectedB = eventsOf(snapshots.get(b), null);
        long expectedC = eventsOf(snapshots.get(endpoints.get(2)), a);
        try (Served served = serve()) {
            long aBefore = served.analyst.count(a); // the server has a's index open now
            assertEquals(-1, served.analyst.count(b));

            Cli newEndpoint = Cli.run("ingest", "--data", data.toString(), snapshots.get(b).toString());
            long returned = System.nanoTime();
            assertEquals(0, newEndpoint.status(), newEndpoint.err());
            assertTrue(newEndpoint.err().contains("handing the work to the server running on this folder (pid " + PID + ", "
                    + served.server.url() + ")"), newEndpoint.err());
            assertFalse(newEndpoint.err().toLowerCase().contains("lock"), newEndpoint.err());
            assertTrue(newEndpoint.out().startsWith(snapshots.get(b) + " (recorder snapshot"), "the path as typed: " + newEndpoint.out());
            assertTrue(newEndpoint.out().contains("kept as source s2"), newEndpoint.out());
            assertSearchableWithinASecond(served.analyst, b, expectedB, returned);

            // into an endpoint whose index the server holds open
            Cli existing = Cli.run("ingest", "--data", data.toString(), "--endpoint", a, snapshots.get(endpoints.get(2)).toString());
            returned = System.nanoTime();
            assertEquals(0, existing.status(), existing.err());
            assertFalse(existing.err().toLowerCase().contains("lock"), existing.err());
            assertSearchableWithinASecond(served.analyst, a, aBefore + expectedC, returned);

            JsonNode listed = served.analyst.json("/api/v1/endpoints").get("endpoints");
            assertEquals(2, listed.size());
            for (JsonNode e : listed) {
                assertEquals(e.get("name").asText().equals(b) ? expectedB : aBefore + expectedC, e.get("event_count").asLong(), e.toString());
            }

            // read-only commands beside the server: they see what it committed and take no write lock
            JsonNode sources = new ObjectMapper().readTree(Cli.run("sources", "--data", data.toString(), "--format", "json").out());
            assertEquals(3, sources.size());
            for (JsonNode s : sources) {
                assertEquals(CLI_USER, s.get("ingested_by").asText(), s.toString());
                assertEquals("complete", s.get("state").asText(), s.toString());
            }

            // each ingest is in the audit trail as the command line's, here and handed off alike
            List<String> ingests = served.server.access().audit()
                    .list(new trailhound.store.AuditTrail.Filter(CLI_USER, "ingest", null, null, null), 0, 10).stream()
                    .map(e -> e.event().outcome() + " " + e.event().via() + " " + e.event().detail()).toList();
            assertEquals(3, ingests.size(), ingests.toString());
            for (int i = 0; i < 3; i++) {
                assertTrue(ingests.get(i).startsWith("ok cli ") && ingests.get(i).contains("source s" + (3 - i) + " "), ingests.toString());
            }
            assertEquals(expectedB, Cli.run("search", "--data", data.toString(), "--endpoint", b, "--count").count());
            assertEquals(aBefore + expectedC, Cli.run("search", "--data", data.toString(), "--endpoint", a, "--count").count());
            Cli list = Cli.run("endpoints", "--data", data.toString());
            assertEquals(0, list.status(), list.err());
            Cli verify = Cli.run("verify", "--data", data.toString());
            assertEquals(0, verify.status(), verify.out() + verify.err());
            // and the server goes on writing after them
            assertEquals(0, Cli.run("reindex", "--data", data.toString(), "--endpoint", b).status());
            assertEquals(expectedB, served.analyst.count(b));
        }
        assertFalse(Files.exists(data.resolve("server.json")), "removed when the server stops");
    }

    @Test
    void ingest_handedOff_printsAndExitsAsALocalIngest() throws Exception {
        Path local = tmp.resolve("local");
        assertEquals(0, Cli.run("ingest", "--data", local.toString(), snapshots.get(endpoints.get(0)).toString()).status());
        Path junk = Files.writeString(tmp.resolve("junk.log"), "not telemetry\n");
        String good = snapshots.get(endpoints.get(1)).toString();
        Cli here = Cli.run("ingest", "--data", local.toString(), junk.toString(), good);
        Cli badName = Cli.run("ingest", "--data", local.toString(), "--endpoint", "a/b", good);
        Cli reindexHere = Cli.run("reindex", "--data", local.toString(), "--endpoint", "no-such-host", "--endpoint", endpoints.get(1));
        try (Served served = serve()) {
            Cli there = Cli.run("ingest", "--data", data.toString(), junk.toString(), good);
            assertEquals(3, here.status(), "one file of two refused: exit status 3");
            assertEquals(3, there.status());
            assertEquals(normalized(here.out()), normalized(there.out()));
            assertEquals(withoutHandOffLine(here.err()), withoutHandOffLine(there.err()));
            assertTrue(there.err().contains("unknown format"), there.err());

            Cli badNameThere = Cli.run("ingest", "--data", data.toString(), "--endpoint", "a/b", good);
            assertEquals(badName.status(), badNameThere.status());
            assertEquals(withoutHandOffLine(badName.err()), withoutHandOffLine(badNameThere.err()));

            Cli reindexThere = Cli.run("reindex", "--data", data.toString(), "--endpoint", "no-such-host", "--endpoint", endpoints.get(1));
            assertEquals(2, reindexThere.status());
            assertEquals(normalized(reindexHere.out()), normalized(reindexThere.out()));
            assertEquals(withoutHandOffLine(reindexHere.err()).replace(local.toString(), "DIR"),
                    withoutHandOffLine(reindexThere.err()).replace(data.toString(), "DIR"));
        }
    }

    @Test
    void reindexDetached_theServerRunsOneJob_andWithoutAServerItSaysWhatToDo() throws Exception {
        Cli alone = Cli.run("reindex", "--data", data.toString(), "--all", "--detach");
        assertEquals(2, alone.status());
        assertTrue(alone.err().contains("none is running"), alone.err());
        try (Served served = serve()) {
            Cli detached = Cli.run("reindex", "--data", data.toString(), "--all", "--detach");
            assertEquals(0, detached.status(), detached.err());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("re-index job (\\d+) started on the server").matcher(detached.out());
            assertTrue(m.find(), detached.out());
            long id = Long.parseLong(m.group(1));
            trailhound.store.JobInfo job = served.dir().store().jobs().get(id).orElseThrow();
            for (int i = 0; i < 300 && !job.finished(); i++) {
                Thread.sleep(100);
                job = served.dir().store().jobs().get(id).orElseThrow();
            }
            assertEquals(trailhound.store.JobInfo.DONE, job.state(), job.toString());
            assertTrue(job.owner().startsWith("cli:"), job.owner());
            Cli unknown = Cli.run("reindex", "--data", data.toString(), "--endpoint", "no-such-host", "--detach");
            assertEquals(2, unknown.status());
            assertTrue(unknown.err().contains("unknown endpoint 'no-such-host'"), unknown.err());
        }
    }

    @Test
    void reindexAll_handedOff_searchesKeepAnsweringAndCountsStay() throws Exception {
        assertEquals(0, Cli.run("ingest", "--data", data.toString(), snapshots.get(endpoints.get(1)).toString()).status());
        try (Served served = serve()) {
            Map<String, Long> before = new LinkedHashMap<>();
            for (String e : endpoints.subList(0, 2)) before.put(e, served.analyst.count(e));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answers = new AtomicInteger();
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            Thread searcher = new Thread(() -> {
                while (!stop.get() && problems.isEmpty()) {
                    for (var e : before.entrySet()) {
                        try {
                            long n = served.analyst.count(e.getKey());
                            if (n != e.getValue()) problems.add(e.getKey() + ": " + n + " events during the re-index, " + e.getValue() + " before");
                            answers.incrementAndGet();
                        } catch (Exception | AssertionError ex) {
                            problems.add(ex.toString());
                        }
                    }
                }
            });
            searcher.start();
            Cli reindex = Cli.run("reindex", "--data", data.toString(), "--all");
            stop.set(true);
            searcher.join();
            assertEquals(0, reindex.status(), reindex.err());
            assertTrue(reindex.err().contains("handing the work to the server running on this folder"), reindex.err());
            for (String e : before.keySet()) assertTrue(reindex.out().contains(e), reindex.out());
            assertEquals(List.of(), problems);
            assertTrue(answers.get() > 0);
            for (var e : before.entrySet()) assertEquals(e.getValue(), served.analyst.count(e.getKey()));
            assertEquals(0, Cli.run("verify", "--data", data.toString()).status());
        }
    }

    @Test
    void ingest_staleServerFile_worksOnTheFolderItselfAndRemovesTheFile() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing answers there
        }
        Files.writeString(data.resolve("server.json"), "{\"protocol\": 1, \"url\": \"http://127.0.0.1:" + port
                + "\", \"token\": \"gone\", \"pid\": 999999, \"started_at\": \"2026-11-20T08:00:00Z\"}");
        String b = endpoints.get(1);
        Cli c = Cli.run("ingest", "--data", data.toString(), snapshots.get(b).toString());
        assertEquals(0, c.status(), c.err());
        assertTrue(c.err().contains("names a server (pid 999999, http://127.0.0.1:" + port + ") that no longer runs: ignoring it"), c.err());
        assertFalse(c.err().contains("handing"), c.err());
        assertTrue(c.out().contains("kept as source s2"), c.out());
        assertFalse(Files.exists(data.resolve("server.json")), "a stale file is removed by the folder's next writer");
        assertEquals(eventsOf(snapshots.get(b), null), Cli.run("search", "--data", data.toString(), "--endpoint", b, "--count").count());
    }

    @Test
    void ingest_serverFileWhoseServerRefusesItsToken_isStale() throws Exception {
        Path other = tmp.resolve("other");
        assertEquals(0, Cli.run("ingest", "--data", other.toString(), snapshots.get(endpoints.get(2)).toString()).status());
        try (DataDir otherDir = DataDir.open(other); WebServer otherServer = start(otherDir)) {
            // the server that wrote this file is gone and another one now listens on its port
            Files.writeString(data.resolve("server.json"), "{\"protocol\": 1, \"url\": \"" + otherServer.url()
                    + "\", \"token\": \"not-its-token\", \"pid\": 999999, \"started_at\": \"2026-11-20T08:00:00Z\"}");
            Cli c = Cli.run("ingest", "--data", data.toString(), snapshots.get(endpoints.get(1)).toString());
            assertEquals(0, c.status(), c.err());
            assertTrue(c.err().contains("does not know its token"), c.err());
            assertTrue(otherDir.catalogue().endpoint(endpoints.get(1)).isEmpty(), "nothing went to the other server");
            assertTrue(Cli.run("search", "--data", data.toString(), "--endpoint", endpoints.get(1), "--count").count() > 0);
        }
    }

    @Test
    void ingest_whileAServerStartsOnTheFolder_waitsThenHandsOffToIt() throws Exception {
        String b = endpoints.get(1);
        long expected = eventsOf(snapshots.get(b), null);
        try (WriterLock starting = WriterLock.tryAcquire(data, "serve").orElseThrow()) { // as `serve` does before it listens
            CompletableFuture<Cli> ingest = CompletableFuture.supplyAsync(() -> Cli.run("ingest", "--data", data.toString(),
                    snapshots.get(b).toString()));
            Thread.sleep(700);
            assertFalse(ingest.isDone(), "waits while another process writes the folder");
            try (Served served = serve()) {
                Cli c = ingest.get(60, TimeUnit.SECONDS);
                assertEquals(0, c.status(), c.err());
                assertTrue(c.err().contains("waiting for the other trailhound process writing " + data + " to finish (pid " + PID
                        + " serve since "), c.err());
                assertTrue(c.err().contains("handing the work to the server running on this folder"), c.err());
                assertEquals(expected, served.analyst.count(b));
            }
        }
    }

    @Test
    void ingest_whileAnotherCommandWritesTheFolder_waitsForItThenWorksItself() throws Exception {
        String b = endpoints.get(1);
        CompletableFuture<Cli> ingest;
        try (WriterLock other = WriterLock.tryAcquire(data, "ingest").orElseThrow()) {
            ingest = CompletableFuture.supplyAsync(() -> Cli.run("ingest", "--data", data.toString(), snapshots.get(b).toString()));
            Thread.sleep(500);
            assertFalse(ingest.isDone(), "waits while another process writes the folder");
        }
        Cli c = ingest.get(60, TimeUnit.SECONDS);
        assertEquals(0, c.status(), c.err());
        assertTrue(c.err().contains("waiting for the other trailhound process writing"), c.err());
        assertFalse(c.err().contains("handing"), c.err());
        assertEquals(eventsOf(snapshots.get(b), null), Cli.run("search", "--data", data.toString(), "--endpoint", b, "--count").count());
    }

    @Test
    void serveAndDemo_onAServedFolder_refused() throws Exception {
        try (Served served = serve()) {
            for (String command : new String[] {"serve", "demo"}) {
                Cli c = Cli.run(command, "--data", data.toString(), "--port", "0");
                assertEquals(2, c.status(), command + ": " + c.err());
                assertTrue(c.err().contains(data + " is served by the server running on this folder (pid " + PID), c.err());
                assertTrue(c.err().contains("use that server, or stop it first"), c.err());
            }
            assertEquals(1, served.analyst.json("/api/v1/endpoints").get("endpoints").size(), "the running server is untouched");
        }
    }

    @Test
    void ingest_intoAFolderServedOverHttps_handedOffTrustingOnlyTheCertificateInTheFolder() throws Exception {
        String b = endpoints.get(1);
        Path certificate = data.resolve("certs/httpPublicCert.pem");
        try (DataDir dir = DataDir.open(data);
                WebServer server = WebServer.start(dir, WebOptions.defaults().withPort(0).withTemplateSources(null).withVirusTotal(null)
                        .withHttps(ServerCertificate.forDataFolder(data)))) {
            assertTrue(server.url().startsWith("https://127.0.0.1:"), server.url());
            assertEquals(server.url(), ServerFile.read(data).orElseThrow().url());
            Cli c = Cli.run("ingest", "--data", data.toString(), snapshots.get(b).toString());
            assertEquals(0, c.status(), c.err());
            assertTrue(c.err().contains("handing the work to the server running on this folder (pid " + PID + ", " + server.url() + ")"),
                    c.err());
            assertEquals(eventsOf(snapshots.get(b), null), Cli.run("search", "--data", data.toString(), "--endpoint", b, "--count").count());

            // the folder's certificate replaced, the server not restarted: it is not the server the folder names, nothing handed
            Path other = tmp.resolve("other");
            ServerCertificate.forDataFolder(other);
            Files.copy(other.resolve("certs/httpPublicCert.pem"), certificate, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Cli refused = Cli.run("ingest", "--data", data.toString(), snapshots.get(endpoints.get(2)).toString());
            assertEquals(2, refused.status(), refused.err());
            assertTrue(refused.err().contains("does not serve the certificate in " + certificate) && refused.err().contains("restart the server"),
                    refused.err());
            assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.err());

            Files.delete(certificate);
            Cli unreadable = Cli.run("ingest", "--data", data.toString(), snapshots.get(endpoints.get(2)).toString());
            assertEquals(2, unreadable.status(), unreadable.err());
            assertTrue(unreadable.err().contains("serves HTTPS, and its certificate cannot be read: " + certificate + " does not exist"),
                    unreadable.err());
        }
    }

    /** Review finding: these said "handing the work to the server" and then refused, naming web pages that do not exist. */
    @Test
    void commandsTheServerDoesNotTake_refusedSayingWhereToDoThem() throws Exception {
        try (Served served = serve()) {
            String a = endpoints.get(0);
            Cli rename = Cli.run("endpoints", "rename", "--data", data.toString(), a, "other-name");
            assertEquals(2, rename.status(), rename.err());
            assertTrue(rename.err().contains("is served by the server running on this folder")
                    && rename.err().contains("do it on the server's Endpoints page (administrators) or with its API, or stop the server"
                            + " first"), rename.err());
            for (String[] command : List.of(new String[] {"sources", "remove", "--data", data.toString(), "s1", "--yes"},
                    new String[] {"retention", "set", "--data", data.toString(), "--default", "--days", "30"})) {
                Cli c = Cli.run(command);
                assertEquals(2, c.status(), String.join(" ", command) + ": " + c.err());
                assertTrue(c.err().contains("(one process writes a data folder): stop the server first"), c.err());
                assertFalse(c.err().contains("handing"), c.err());
            }
            assertEquals(1, served.analyst.json("/api/v1/endpoints").get("endpoints").size(), "the running server is untouched");
        }
    }

    /** The events a snapshot gives in a folder of its own (an independent count). */
    private long eventsOf(Path snapshot, String endpoint) throws IOException {
        Path reference = Files.createTempDirectory(tmp, "reference");
        Cli c = endpoint == null ? Cli.run("ingest", "--data", reference.toString(), snapshot.toString())
                : Cli.run("ingest", "--data", reference.toString(), "--endpoint", endpoint, snapshot.toString());
        assertEquals(0, c.status(), c.err());
        String name = endpoint != null ? endpoint : snapshot.getFileName().toString().replace(".db", "");
        return Cli.run("search", "--data", reference.toString(), "--endpoint", name, "--count").count();
    }

    private static void assertSearchableWithinASecond(AnalystClient analyst, String endpoint, long expected, long since)
            throws Exception {
        long n = analyst.count(endpoint);
        while (n != expected && System.nanoTime() - since < 1_000_000_000L) {
            Thread.sleep(20);
            n = analyst.count(endpoint);
        }
        assertEquals(expected, n, endpoint + " in the server, within a second of the command");
    }

    /** Timings differ from run to run. */
    private static String normalized(String out) {
        return out.replaceAll("[0-9.]+ s \\([0-9,]+ events/s\\)", "T");
    }

    /** Without the progress line (rewritten in place after carriage returns) and the line saying the work is handed off. */
    private static String withoutHandOffLine(String err) {
        return err.replaceAll("\r[^\r\n]*", "").lines().filter(l -> !l.startsWith("trailhound: handing the work to")).map(l -> l + System.lineSeparator())
                .reduce("", String::concat);
    }

    private record Served(DataDir dir, WebServer server, AnalystClient analyst) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            server.close();
            dir.close();
        }
    }

    private Served serve() throws Exception {
        DataDir dir = DataDir.open(data);
        WebServer server = start(dir);
        return new Served(dir, server, AnalystClient.signIn(server.url(), "admin", server.initialAdminPassword().orElseThrow()));
    }

    private static WebServer start(DataDir dir) {
        // VirusTotal off whatever the environment says: nothing in tests may reach the internet
        return WebServer.start(dir, WebOptions.defaults().withPort(0).withTemplateSources(null).withVirusTotal(null)
                .withInitialPasswordChange(false)); // tests sign in with the first password
    }
}
