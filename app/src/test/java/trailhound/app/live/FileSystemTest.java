package trailhound.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.app.Main;
import trailhound.ingest.DataDir;
import trailhound.protocol.Message;

/**
 * The file system of a live endpoint, end to end with real processes: a server ({@code trailhound
 * serve}, HTTPS) and one agent ({@code trailhound agent}, recording this machine) on loopback through a
 * relay whose connections the test cuts, the agent's allowed root a temporary folder tree with a
 * 100,000-entry folder, a symbolic link pointing outside, a sparse file of 300 MB and the agent's own
 * state folder. Listing and paging, traversal refused, a download cut in the middle and resumed with
 * its checksum, the encrypted ZIP opened by 7-Zip, delete for administrators only, kill, an old agent,
 * and the Browse File System page in a real browser. One server and one agent for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FileSystemTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BIG = 100_000;
    private static final long SPARSE_BYTES = 300L << 20;
    private static final String ENDPOINT = "fs-01";
    private static final String PASSWORD = "a long enough password 7";

    @TempDir static Path tmp;
    private Path data;
    private Path tree;
    private Path outside;
    private int port;
    private Process server;
    private Process agent;
    private CuttableProxy proxy;
    private String admin;
    private String analyst;
    private String readOnly;
    private String connection;
    /** The analyst's own connection: a connection is its user's alone (another's answers 403). */
    private String analystConnection;
    /** The executable of the process the kill test ended: its event's process_path. */
    private String killedFrom;

    @BeforeAll
    void start() throws Exception {
        data = tmp.resolve("data");
        tree = Files.createDirectories(tmp.resolve("tree"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "outside the allowed root");
        Files.createSymbolicLink(tree.resolve("escape"), outside);
        Path big = Files.createDirectories(tree.resolve("big"));
        for (int i = 0; i < BIG; i++) Files.createFile(big.resolve(String.format("f%06d.txt", i)));
        try (RandomAccessFile sparse = new RandomAccessFile(tree.resolve("sparse.bin").toFile(), "rw")) {
            sparse.setLength(SPARSE_BYTES); // holes: several hundred MB that cost no disk
            Random random = new Random(16);
            byte[] block = new byte[1 << 20];
            for (long at : new long[] {0, 7L << 20, SPARSE_BYTES / 2 + 12345, SPARSE_BYTES - block.length}) {
                random.nextBytes(block);
                sparse.seek(at);
                sparse.write(block);
            }
        }
        Files.writeString(tree.resolve("small.txt"), "small");
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        server = java(tmp.resolve("server.log"), "trailhound.app.Main", "serve", "--data", data.toString(), "--port", Integer.toString(port),
                "--evidence-max-size", "500m");
        waitFor("the server to listen", () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                if (!server.isAlive()) throw new AssertionError("the server exited: " + read(tmp.resolve("server.log")));
                return false;
            }
        });
        proxy = new CuttableProxy(port);
        agent = java(tmp.resolve("agent.log"), "trailhound.agent.AgentMain", "--server", "https://127.0.0.1:" + proxy.port(), "--state",
                tree.resolve("state").toString(), "--token", enrolmentToken(), "--name", ENDPOINT, "--allow-root", tree.toString(),
                "--poll-interval", "60000");
        admin = apiToken("chief", Role.ADMINISTRATOR, null);
        waitFor("the agent online", () -> api("GET", "/api/v1/live/endpoints?q=" + ENDPOINT, admin, null).contains("\"online\":true"));
        analyst = apiToken("ana", Role.ANALYST, "FS");
        readOnly = apiToken("reader", Role.READ_ONLY, "FS");
        JsonNode opened = JSON.readTree(api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"" + ENDPOINT + "\"]}"));
        connection = opened.path("connections").get(0).path("id").asText();
        analystConnection = JSON.readTree(api("POST", "/api/v1/live/connections", analyst, "{\"endpoints\":[\"" + ENDPOINT + "\"]}"))
                .path("connections").get(0).path("id").asText();
        assertEquals("connected", opened.path("connections").get(0).path("state").asText(), opened.toString());
    }

    @AfterAll
    void stop() throws Exception {
        if (Boolean.getBoolean("trailhound.showLogs")) {
            System.out.println("==== server\n" + read(tmp.resolve("server.log")) + "\n==== agent\n" + read(tmp.resolve("agent.log")));
        }
        if (agent != null) agent.destroyForcibly().waitFor();
        if (proxy != null) proxy.close();
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
        }
    }

    private String files(String query) {
        return "/api/v1/live/connections/" + connection + "/files" + query;
    }

    /** As {@link #files}, through the analyst's own connection. */
    private String analystFiles(String query) {
        return "/api/v1/live/connections/" + analystConnection + "/files" + query;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void listing_aHundredThousandEntries_arriveInSortedPages_withEveryColumn() throws Exception {
        JsonNode root = JSON.readTree(api("GET", analystFiles("?path=" + q(tree.toString())), analyst, null));
        assertEquals(tree.toRealPath().toString(), root.path("path").asText());
        assertTrue(root.path("parent").isNull(), "the allowed root has no parent to show: " + root.path("parent"));
        List<String> names = new ArrayList<>();
        root.path("entries").forEach(e -> names.add(e.path("name").asText()));
        assertEquals(List.of("big", "escape", "small.txt", "sparse.bin", "state"), names, "sorted by name");
        JsonNode sparse = root.path("entries").get(3);
        assertEquals("file", sparse.path("type").asText());
        assertEquals(SPARSE_BYTES, sparse.path("size").asLong());
        assertEquals(Files.getPosixFilePermissions(tree.resolve("sparse.bin")),
                java.nio.file.attribute.PosixFilePermissions.fromString(sparse.path("permissions").asText()));
        assertEquals(System.getProperty("user.name"), sparse.path("owner").asText());
        assertEquals(java.time.Instant.ofEpochMilli(Files.getLastModifiedTime(tree.resolve("sparse.bin")).toMillis()).toString(),
                sparse.path("modified").asText());
        assertFalse(sparse.path("created").isMissingNode());
        JsonNode link = root.path("entries").get(1);
        assertEquals("link", link.path("type").asText(), "a link is described, not followed");
        assertEquals(outside.toString(), link.path("target").asText());

        JsonNode bySize = JSON.readTree(api("GET", analystFiles("?path=" + q(tree.toString()) + "&sort=size&order=desc"), analyst, null));
        assertEquals("sparse.bin", bySize.path("entries").get(0).path("name").asText(), "the largest first");

        // the 100,000-entry folder: page after page, every name once, in order, as an independent listing says
        List<String> expected;
        try (var s = Files.list(tree.resolve("big"))) {
            expected = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        JsonNode first = JSON.readTree(api("GET", analystFiles("?path=" + q(tree.resolve("big").toString())), analyst, null));
        assertEquals(BIG, first.path("total").asLong());
        int pages = first.path("pages").asInt();
        assertEquals(BIG / first.path("page_size").asInt(), pages);
        List<String> all = new ArrayList<>();
        for (int page = 1; page <= pages; page++) {
            JsonNode p = page == 1 ? first : JSON.readTree(api("GET", analystFiles("?path=" + q(tree.resolve("big").toString()) + "&page=" + page),
                    analyst, null));
            assertEquals(page, p.path("page").asInt());
            p.path("entries").forEach(e -> all.add(e.path("name").asText()));
        }
        assertEquals(expected, all);
        JsonNode past = JSON.readTree(api("GET", analystFiles("?path=" + q(tree.resolve("big").toString()) + "&page=" + (pages + 1)), analyst, null));
        assertEquals(0, past.path("entries").size(), "past the last page: empty");
        // try-out: past the last page said nothing, and page=3000000 gave an internal "offset must be..." 400
        assertTrue(past.path("message").asText().startsWith("there is nothing at page " + (pages + 1) + ": "), past.toString());
        assertTrue(past.path("last_page").asText().endsWith("&page=" + pages), past.toString());
        JsonNode far = JSON.readTree(api("GET", analystFiles("?path=" + q(tree.resolve("big").toString()) + "&page=3000000"), analyst, null));
        assertEquals(0, far.path("entries").size());
        assertEquals(BIG, far.path("total").asLong());
        assertTrue(far.path("message").asText().startsWith("there is nothing at page 3000000: ")
                && far.path("message").asText().endsWith("the last is page " + pages), far.toString());
        assertEquals(403, status("GET", files("?path=" + q(tree.toString())), readOnly, null), "browsing is an analyst's");
    }

    @Test
    @Order(2)
    void traversal_throughDotDotLinksOrIntoTheStateFolder_isRefusedWithAReason() throws Exception {
        for (String path : List.of(tree + "/..", tree + "/big/../../outside", tree + "/escape", tree + "/escape/secret.txt", "/etc")) {
            HttpResponse<String> r = send("GET", analystFiles("?path=" + q(path)), analyst, null);
            assertEquals(403, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("outside the agent's allowed roots"), r.body());
        }
        HttpResponse<String> state = send("GET", analystFiles("?path=" + q(tree.resolve("state").toString())), analyst, null);
        assertEquals(403, state.statusCode(), state.body());
        assertTrue(state.body().contains("its own state folder"), state.body());
        HttpResponse<String> relative = send("GET", analystFiles("?path=big"), analyst, null);
        assertEquals(403, relative.statusCode());
        assertTrue(relative.body().contains("is not absolute"), relative.body());
        HttpResponse<String> missing = send("GET", analystFiles("?path=" + q(tree.resolve("nope").toString())), analyst, null);
        assertEquals(404, missing.statusCode(), missing.body());

        // the same rules for evidence (refused at once, before any transfer is recorded) and deletion
        HttpResponse<String> kept = send("POST", analystFiles("/evidence"), analyst, "{\"path\":\"" + tree + "/escape/secret.txt\"}");
        assertEquals(403, kept.statusCode(), kept.body());
        assertTrue(kept.body().contains("outside the agent's allowed roots"), kept.body());
        HttpResponse<String> delete = send("DELETE", files("?path=" + q(tree + "/big/../escape/secret.txt")), admin, null);
        assertEquals(403, delete.statusCode(), delete.body());
        delete = send("DELETE", files("?path=" + q(tree.resolve("state").resolve("identity.properties").toString())), admin, null);
        assertEquals(403, delete.statusCode(), delete.body());
        assertTrue(Files.exists(outside.resolve("secret.txt")) && Files.exists(tree.resolve("state").resolve("identity.properties")));
    }

    @Test
    @Order(3)
    void download_cutInTheMiddle_resumes_matchesItsChecksum_andLeavesAsAnEncryptedZip() throws Exception {
        String expected = sha256(Files.newInputStream(tree.resolve("sparse.bin")));
        int connectionsBefore = proxy.accepted();
        JsonNode started = JSON.readTree(api("POST", analystFiles("/evidence"), analyst, "{\"path\":\"" + tree.resolve("sparse.bin") + "\"}"));
        long id = started.path("evidence_id").asLong();
        assertEquals("transferring", started.path("state").asText());
        waitFor("some of the file to arrive", () -> {
            JsonNode p = evidence(id, analyst).path("progress");
            return p.path("received").asLong() >= 4L << 20;
        });
        JsonNode midway = evidence(id, analyst);
        assertTrue(midway.path("progress").path("received").asLong() < SPARSE_BYTES, "cut in the middle: " + midway);
        proxy.cutAll(); // the network drops the agent's connection mid-transfer
        JsonNode done = waitForEvidence(id, analyst);
        assertEquals("complete", done.path("state").asText(), done.toString());
        assertTrue(proxy.accepted() > connectionsBefore, "the agent reconnected");
        assertEquals(expected, done.path("sha256").asText(), "the copy's SHA-256 is the file's");
        assertEquals(SPARSE_BYTES, done.path("size").asLong());
        assertEquals(tree.toRealPath().resolve("sparse.bin").toString(), done.path("path").asText());
        assertEquals("ana", done.path("created_by").asText());
        assertTrue(auditDetails("evidence.fetch").stream().anyMatch(d -> d.startsWith("evidence file " + id + ": ")
                && d.contains("SHA-256 " + expected) && d.contains("resumed after")), "resumed, not restarted: " + auditDetails("evidence.fetch"));
        Path stored = data.resolve("evidence").resolve("files").resolve(Long.toString(id));
        assertEquals(expected, sha256(Files.newInputStream(stored)));

        assertTrue(JSON.readTree(api("GET", "/api/v1/evidence", analyst, null)).path("files").toString().contains("\"id\":" + id));
        assertEquals(403, status("GET", "/api/v1/evidence/" + id + "/download", readOnly, null), "downloads are an analyst's");
        Path zip = tmp.resolve("evidence.zip");
        HttpResponse<Path> r = LiveTests.HTTPS.send(request("GET", "/api/v1/evidence/" + id + "/download", analyst, null).build(),
                HttpResponse.BodyHandlers.ofFile(zip));
        assertEquals(200, r.statusCode());
        String sevenZip = sevenZip();
        String listing = run(List.of(sevenZip, "l", "-slt", zip.toString()), null); // no password: names and methods are readable
        assertTrue(listing.contains("Path = sparse.bin"), listing);
        assertTrue(listing.contains("Encrypted = +") && listing.contains("AES-256"), listing);
        Process extract = new ProcessBuilder(sevenZip, "x", "-so", "-p" + "infected", zip.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String unzipped = sha256(extract.getInputStream());
        assertEquals(0, extract.waitFor());
        assertEquals(expected, unzipped, "7-Zip with the password gives back the file exactly");
        Process wrong = new ProcessBuilder(sevenZip, "t", "-pwrong", zip.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(wrong.waitFor() != 0, "a wrong password opens nothing");
    }

    @Test
    @Order(4)
    void download_largerThanTheCap_isRefusedBeforeItStarts_sizesReadable() throws Exception {
        try (RandomAccessFile huge = new RandomAccessFile(tree.resolve("huge.bin").toFile(), "rw")) {
            huge.setLength(600L << 20);
        }
        int before = JSON.readTree(api("GET", "/api/v1/evidence", analyst, null)).path("files").size();
        // try-out: 202, then a transfer that failed; the agent's stat gives the size before any answer
        HttpResponse<String> refused = send("POST", analystFiles("/evidence"), analyst, "{\"path\":\"" + tree.resolve("huge.bin") + "\"}");
        assertEquals(413, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("is 600.0 MiB (" + (600L << 20) + " bytes), more than the 500.0 MiB limit of evidence files"),
                refused.body());
        assertTrue(refused.body().contains("serve --evidence-max-size, or demo --evidence-max-size"), refused.body());
        assertEquals(before, JSON.readTree(api("GET", "/api/v1/evidence", analyst, null)).path("files").size(), "no evidence row");
        assertTrue(auditDetails("evidence.fetch").stream().anyMatch(d -> d.contains("more than the 500.0 MiB limit")));
        Files.delete(tree.resolve("huge.bin"));
    }

    @Test
    @Order(4)
    void keep_ofALogThatGrowsWhileItIsCopied_keepsItsFirstBytes_andSaysSo() throws Exception {
        Path log = tree.resolve("growing.log");
        byte[] start = new byte[6 << 20];
        new Random(10).nextBytes(start);
        Files.write(log, start);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().start(() -> { // an active log: a line every few ms until the copy is done
            try (var out = Files.newOutputStream(log, java.nio.file.StandardOpenOption.APPEND)) {
                for (int i = 0; writing.get(); i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(2);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode done;
        try {
            JsonNode started = JSON.readTree(api("POST", analystFiles("/evidence"), analyst, "{\"path\":\"" + log + "\"}"));
            done = waitForEvidence(started.path("evidence_id").asLong(), analyst);
        } finally {
            writing.set(false);
            writer.join();
        }
        assertEquals("complete", done.path("state").asText(), done.toString());
        long size = done.path("size").asLong();
        assertTrue(size >= start.length && size < Files.size(log), "the size at the start, less than it is now: " + done);
        assertEquals("kept the first " + size + " bytes: the file grew while it was copied", done.path("reason").asText(), done.toString());
        byte[] first = java.util.Arrays.copyOf(Files.readAllBytes(log), (int) size);
        assertEquals(sha256(new java.io.ByteArrayInputStream(first)), done.path("sha256").asText(), "exactly the first bytes, verified");
        Files.delete(log);
    }

    @Test
    @Order(5)
    void delete_byAnAdministrator_refusedToAnAnalyst_andAudited() throws Exception {
        Path victim = tree.resolve("small.txt");
        assertEquals(403, status("DELETE", analystFiles("?path=" + q(victim.toString())), analyst, null));
        assertTrue(Files.exists(victim), "an analyst deletes nothing");
        String real = victim.toRealPath().toString();
        JsonNode deleted = JSON.readTree(api("DELETE", files("?path=" + q(victim.toString())), admin, null));
        assertEquals(real, deleted.path("deleted").asText());
        assertFalse(Files.exists(victim));
        assertTrue(auditDetails("live.files.delete").stream().anyMatch(d -> d.equals("deleted " + deleted.path("deleted").asText())));
        assertEquals(404, status("DELETE", files("?path=" + q(victim.toString())), admin, null), "gone already");
        assertEquals(400, status("DELETE", files("?path=" + q(tree.resolve("big").toString())), admin, null), "a folder with files");

        // try-out: "dup " was trimmed to "dup", and the other file went
        Path plain = Files.writeString(tree.resolve("dup"), "A");
        Path spaced = Files.writeString(tree.resolve("dup "), "B");
        String spacedReal = spaced.toRealPath().toString();
        JsonNode spacedDeleted = JSON.readTree(api("DELETE", files("?path=" + q(spaced.toString())), admin, null));
        assertEquals(spacedReal, spacedDeleted.path("deleted").asText());
        assertFalse(Files.exists(spaced));
        assertTrue(Files.exists(plain), "the name without the space is another file");

        // try-out: deleting a link deleted what it points to
        Path link = Files.createSymbolicLink(tree.resolve("link-to-plain"), plain);
        JsonNode linkDeleted = JSON.readTree(api("DELETE", files("?path=" + q(link.toString())), admin, null));
        assertEquals(tree.toRealPath().resolve("link-to-plain").toString(), linkDeleted.path("deleted").asText());
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link itself is gone");
        assertTrue(Files.exists(plain), "what it pointed to stays");
    }

    @Test
    @Order(6)
    void kill_byAnAnalyst_endsTheProcess_isAuditedAndRecordedAsAnEvent() throws Exception {
        Process elsewhere = new ProcessBuilder("sleep", "600").start();
        Path sleep = Path.of(elsewhere.info().command().orElseThrow());
        Path underRoot = Files.copy(sleep, Files.createDirectories(tree.resolve("bin")).resolve("sleep"),
                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Process victim = new ProcessBuilder(underRoot.toString(), "600").start();
        try {
            // try-out: a restricted agent killed /usr/bin/sleep anywhere; kills obey the allowed roots as deletes do
            HttpResponse<String> outsideRoots = send("POST", "/api/v1/live/connections/" + analystConnection + "/processes/" + elsewhere.pid()
                    + "/kill", analyst, null);
            assertEquals(403, outsideRoots.statusCode(), outsideRoots.body());
            assertTrue(outsideRoots.body().contains("outside the agent's allowed roots"), outsideRoots.body());
            assertTrue(elsewhere.isAlive(), "a process whose executable lies outside the allowed roots is not killed");

            String path = victim.info().command().orElseThrow();
            killedFrom = path;
            assertEquals(403, status("POST", "/api/v1/live/connections/" + connection + "/processes/" + victim.pid() + "/kill", readOnly, null));
            HttpResponse<String> reused = send("POST", "/api/v1/live/connections/" + analystConnection + "/processes/" + victim.pid() + "/kill",
                    analyst, "{\"process_path\":\"/usr/bin/not-sleep\"}");
            assertEquals(403, reused.statusCode(), reused.body());
            assertTrue(reused.body().contains("its pid was reused; nothing killed"), reused.body());
            assertTrue(victim.isAlive());
            // third try-out: a body that was not JSON killed with no path check
            HttpResponse<String> garbage = LiveTests.HTTPS.send(request("POST", "/api/v1/live/connections/" + analystConnection
                    + "/processes/" + victim.pid() + "/kill", analyst, null).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("garbage")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, garbage.statusCode(), garbage.body());
            assertTrue(victim.isAlive(), "nothing killed on a body that could not be read");
            JsonNode killed = JSON.readTree(api("POST", "/api/v1/live/connections/" + analystConnection + "/processes/" + victim.pid() + "/kill",
                    analyst, "{\"process_path\":\"" + path + "\"}"));
            assertEquals(victim.pid(), killed.path("killed").asLong());
            assertTrue(victim.waitFor(30, TimeUnit.SECONDS), "the process ended");
            assertTrue(auditDetails("live.process.kill").stream().anyMatch(d -> d.startsWith("killed pid " + victim.pid() + " (" + path
                    + ") at the request of ana")), auditDetails("live.process.kill").toString());
            waitFor("the kill event from the agent", () -> count("type:agent AND operation:kill AND pid:" + victim.pid()) == 1);
            assertEquals(404, status("POST", "/api/v1/live/connections/" + analystConnection + "/processes/" + victim.pid() + "/kill", analyst, null));
        } finally {
            victim.destroyForcibly();
            elsewhere.destroyForcibly();
        }
    }

    @Test
    @Order(7)
    void agentOfProtocol3_unansweredKill_isOutcomeUnknown_protocol4_getsADeadline_protocol2_isRefused() throws Exception {
        try (RawAgent raw = new RawAgent(port)) {
            raw.send(new Message.Hello(2, "0.0.9"));
            Message.Error old = raw.next(Message.Error.class);
            assertEquals("version", old.code());
            assertTrue(old.message().contains("upgrade the agent"), old.message());
        }
        // try-out: a kill an agent could not withdraw was audited failed and the page said "try again"; it ran later
        Process victim = new ProcessBuilder("sleep", "600").start();
        try (RawAgent raw = new RawAgent(port)) {
            raw.send(new Message.Hello(3, "0.0.9"));
            Message.Welcome welcome = raw.next(Message.Welcome.class);
            assertEquals(3, welcome.protocol());
            assertEquals(null, welcome.serverTime(), "protocol 3: the welcome's shape is unchanged");
            raw.send(new Message.Enrol(enrolmentToken(), "old-03", "h", "os", "a00000000000000f3", "V".repeat(43)));
            raw.next(Message.Enrolled.class);
            raw.next(Message.Authenticated.class);
            JsonNode opened = JSON.readTree(api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"old-03\"]}"));
            String id = opened.path("connections").get(0).path("id").asText();
            var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return send("POST", "/api/v1/live/connections/" + id + "/processes/" + victim.pid() + "/kill", admin, null);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            raw.await(Message.KillProcess.class);
            raw.close(); // the agent is cut off before it answers: it may still kill later, as agents of protocol 3 do
            HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
            assertEquals(504, r.statusCode(), r.body());
            assertTrue(r.body().contains("outcome unknown") && r.body().contains("may still carry it out later"), r.body());
            assertFalse(r.body().contains("try again"), r.body());
            assertTrue(audit("live.process.kill").stream().anyMatch(e -> e.outcome().equals("unknown") && e.detail().contains("outcome unknown")),
                    audit("live.process.kill").toString());
        } finally {
            victim.destroyForcibly();
        }
        try (RawAgent raw = new RawAgent(port)) {
            raw.send(new Message.Hello(4, "0.2.0"));
            Message.Welcome welcome = raw.next(Message.Welcome.class);
            assertTrue(welcome.serverTime() != null && Math.abs(welcome.serverTime() - System.currentTimeMillis()) < 3_600_000, welcome.toString());
            raw.send(new Message.Enrol(enrolmentToken(), "new-04", "h", "os", "a00000000000000f4", "W".repeat(43)));
            raw.next(Message.Enrolled.class);
            raw.next(Message.Authenticated.class);
            JsonNode opened = JSON.readTree(api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"new-04\"]}"));
            String id = opened.path("connections").get(0).path("id").asText();
            long before = System.currentTimeMillis();
            var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return send("DELETE", "/api/v1/live/connections/" + id + "/files?path=" + q("/no/such/file"), admin, null);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            Message.DeleteFile delete = raw.await(Message.DeleteFile.class);
            assertTrue(delete.deadline() != null && delete.deadline() >= before + 30_000, delete.toString());
            raw.send(new Message.Failed(delete.requestId(), "expired", "its turn came after its deadline: not carried out"));
            HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
            assertEquals(504, r.statusCode(), r.body());
            assertTrue(r.body().contains("not carried out"), r.body());
        }
    }

    @Test
    @Order(8)
    void browseFileSystemPage_breadcrumbsTypedPathSortPages_keepDeleteKill_folderIcon() throws Exception {
        org.openqa.selenium.chrome.ChromeDriver driver = signedIn("profile");
        try {
            driver.get("https://127.0.0.1:" + port + "/live/connections/" + connection + "/files?path=" + q(tree.toString()));
            List<String> names = driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row:not(.up)")).stream()
                    .map(tr -> tr.getAttribute("data-name")).toList();
            assertTrue(names.containsAll(List.of("big", "escape", "sparse.bin", "state")), names.toString());
            List<String> crumbs = driver.findElements(org.openqa.selenium.By.cssSelector("#files-crumbs a.crumb")).stream()
                    .map(org.openqa.selenium.WebElement::getText).toList();
            assertEquals(List.of(tree.toRealPath().getFileName().toString()), crumbs, "no step above the allowed root");

            // sort by size, largest first: two clicks on the column
            driver.findElement(org.openqa.selenium.By.cssSelector("th[data-sort=size] a")).click();
            driver.findElement(org.openqa.selenium.By.cssSelector("th[data-sort=size][aria-sort=ascending]"));
            driver.findElement(org.openqa.selenium.By.cssSelector("th[data-sort=size] a")).click();
            driver.findElement(org.openqa.selenium.By.cssSelector("th[data-sort=size][aria-sort=descending]"));
            assertEquals("sparse.bin", driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row:not(.up)")).getFirst()
                    .getAttribute("data-name"));

            // into the big folder by name, then its pages
            driver.findElement(org.openqa.selenium.By.cssSelector("th[data-sort=name] a")).click();
            driver.findElement(org.openqa.selenium.By.cssSelector("th[data-sort=name][aria-sort=ascending]"));
            driver.findElement(org.openqa.selenium.By.cssSelector("tr.file-row[data-name=big] a.file-open")).click();
            assertEquals("100,000 entries · page 1 of 100", driver.findElement(org.openqa.selenium.By.id("files-total")).getText());
            assertEquals(List.of(tree.toRealPath().getFileName().toString(), "big"), driver.findElements(
                    org.openqa.selenium.By.cssSelector("#files-crumbs a.crumb")).stream().map(org.openqa.selenium.WebElement::getText).toList());
            driver.findElement(org.openqa.selenium.By.id("files-next")).click();
            assertEquals("100,000 entries · page 2 of 100", driver.findElement(org.openqa.selenium.By.id("files-total")).getText());
            assertEquals("f001000.txt", driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row:not(.up)")).getFirst()
                    .getAttribute("data-name"));
            // fourth try-out: page=500 of 100 said "page 500 of 100" with a Previous to 499; page=99999999999 a bare 400 in API words
            String bigPages = "https://127.0.0.1:" + port + "/live/connections/" + connection + "/files?path=" + q(tree.resolve("big").toString());
            driver.get(bigPages + "&page=500");
            driver.findElement(org.openqa.selenium.By.id("files-past-last"));
            assertEquals("100,000 entries · page 100 of 100", driver.findElement(org.openqa.selenium.By.id("files-total")).getText());
            assertTrue(driver.findElement(org.openqa.selenium.By.id("files-prev")).getAttribute("href").endsWith("&page=99"),
                    driver.findElement(org.openqa.selenium.By.id("files-prev")).getAttribute("href"));
            assertTrue(driver.findElements(org.openqa.selenium.By.id("files-next")).isEmpty(), "nothing after the last page");
            driver.get(bigPages + "&page=99999999999");
            String noPage = driver.findElement(org.openqa.selenium.By.id("files-error")).getText();
            assertTrue(noPage.startsWith("There is no page 99999999999 of this folder"), noPage);
            assertFalse(noPage.contains("parameter"), noPage);
            assertEquals("100,000 entries · page 1 of 100", driver.findElement(org.openqa.selenium.By.id("files-total")).getText());
            driver.findElement(org.openqa.selenium.By.id("files-up")).click();
            driver.findElement(org.openqa.selenium.By.cssSelector("tr.file-row[data-name=sparse\\.bin]"));

            // a typed path: allowed opens; outside says why, above the root's listing
            org.openqa.selenium.WebElement input = driver.findElement(org.openqa.selenium.By.id("files-path"));
            input.clear();
            input.sendKeys(tree.resolve("big").toString() + "/../escape");
            driver.findElement(org.openqa.selenium.By.id("files-go")).click();
            String error = driver.findElement(org.openqa.selenium.By.id("files-error")).getText();
            assertTrue(error.contains("outside the agent's allowed roots"), error);
            assertFalse(error.contains("\u2420"), "an error is a sentence: its spaces stay spaces (fourth try-out: 'lies in\u2420/'): " + error);
            trailhound.web.Browsers.screenshot(driver, "browse-file-system");

            // keep a file as evidence from the page: Saved evidence shows it until it is complete, then its download
            Path note = Files.writeString(tree.resolve("note.txt"), "keep me");
            Path doomed = Files.writeString(tree.resolve("doomed.txt"), "delete me");
            driver.get("https://127.0.0.1:" + port + "/live/connections/" + connection + "/files?path=" + q(tree.toString()));
            driver.findElement(org.openqa.selenium.By.cssSelector("tr.file-row[data-name=note\\.txt] button.keep-evidence")).click();
            driver.findElement(org.openqa.selenium.By.cssSelector("#evidence-files tr.evidence-row.highlight"));
            waitFor("the kept file complete on Saved evidence", () -> {
                driver.navigate().refresh();
                return !trailhound.web.Browsers.now(driver, driver, org.openqa.selenium.By.cssSelector("tr.evidence-row.highlight[data-state=complete] a.evidence-download"))
                        .isEmpty();
            });
            assertTrue(driver.findElement(org.openqa.selenium.By.cssSelector("tr.evidence-row.highlight")).getText()
                    .contains(sha256(Files.newInputStream(note))));

            // delete from the page: a confirmation naming the path and the host, then the folder without it
            driver.get("https://127.0.0.1:" + port + "/live/connections/" + connection + "/files?path=" + q(tree.toString()));
            driver.findElement(org.openqa.selenium.By.cssSelector("tr.file-row[data-name=doomed\\.txt] a.file-delete")).click();
            String host = ENDPOINT + " (" + java.net.InetAddress.getLocalHost().getHostName() + ")";
            String question = driver.findElement(org.openqa.selenium.By.id("confirm-question")).getText();
            assertTrue(question.startsWith("Delete " + tree.toRealPath().resolve("doomed.txt") + " on " + host + "?"), question);
            driver.findElement(org.openqa.selenium.By.id("confirm-yes")).click();
            assertEquals("Deleted " + tree.toRealPath().resolve("doomed.txt") + ".", driver.findElement(org.openqa.selenium.By.id("files-notice")).getText());
            assertFalse(Files.exists(doomed));

            // kill from a confirmation naming the process and the host (its executable under the allowed root)
            Process victim = new ProcessBuilder(tree.resolve("bin").resolve("sleep").toString(), "600").start();
            try {
                String exe = victim.info().command().orElseThrow();
                driver.get("https://127.0.0.1:" + port + "/endpoints/" + ENDPOINT + "/live/kill?pid=" + victim.pid() + "&path=" + q(exe));
                question = driver.findElement(org.openqa.selenium.By.id("confirm-question")).getText();
                assertTrue(question.startsWith("Kill process " + exe + " (pid " + victim.pid() + ") on " + host + "?"), question);
                driver.findElement(org.openqa.selenium.By.id("confirm-yes")).click();
                assertEquals("Process killed", trailhound.web.Browsers.awaitHeading(driver, "Process killed"));
                assertTrue(victim.waitFor(30, TimeUnit.SECONDS), "the process ended");
            } finally {
                victim.destroyForcibly();
            }

            // the grid: beside a process path, a folder icon (the endpoint is connected) opens the folder holding it
            driver.get("https://127.0.0.1:" + port + "/endpoints/" + ENDPOINT + "/events?q=" + q("operation:kill")
                    + "&cols=ts,type,operation,process_path,pid");
            org.openqa.selenium.WebElement folder = driver.findElement(org.openqa.selenium.By.cssSelector("#events td a.open-folder"));
            new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(15))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOf(folder));
            String killedPath = folder.getAttribute("href");
            assertTrue(killedPath.endsWith("/live/files?path=" + q(java.nio.file.Path.of(killedFrom).getParent().toString())), killedPath);
            folder.click();
            String browsing = "Browse file system: " + ENDPOINT + " (" + java.net.InetAddress.getLocalHost().getHostName() + ")";
            assertEquals(browsing, trailhound.web.Browsers.awaitHeading(driver, browsing));
            List<String> inFolder = driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row:not(.up)")).stream()
                    .map(tr -> tr.getAttribute("data-name")).toList();
            assertEquals(List.of("sleep"), inFolder, "the folder holding the killed process's executable, under the allowed root");
        } finally {
            driver.quit();
        }
    }

    @Test
    @Order(9)
    void keepAsEvidence_ofAFolderMissingRelativeOrNonStringPath_isRefusedAtOnce() throws Exception {
        // try-out: each of these answered 202, then failed in the background, leaving a row nobody could remove
        int rows = JSON.readTree(api("GET", "/api/v1/evidence", analyst, null)).path("files").size();
        HttpResponse<String> number = send("POST", analystFiles("/evidence"), analyst, "{\"path\":5}");
        assertEquals(400, number.statusCode(), number.body());
        assertTrue(number.body().contains("as a string, not 5"), number.body());
        HttpResponse<String> folder = send("POST", analystFiles("/evidence"), analyst, "{\"path\":\"" + tree.resolve("big") + "\"}");
        assertEquals(400, folder.statusCode(), folder.body());
        assertTrue(folder.body().contains("is not a regular file"), folder.body());
        HttpResponse<String> missing = send("POST", analystFiles("/evidence"), analyst, "{\"path\":\"" + tree.resolve("nope.txt") + "\"}");
        assertEquals(404, missing.statusCode(), missing.body());
        HttpResponse<String> relative = send("POST", analystFiles("/evidence"), analyst, "{\"path\":\"sparse.bin\"}");
        assertEquals(403, relative.statusCode(), relative.body());
        assertTrue(relative.body().contains("is not absolute"), relative.body());
        assertEquals(rows, JSON.readTree(api("GET", "/api/v1/evidence", analyst, null)).path("files").size(), "no row for any of them");
        assertTrue(auditDetails("evidence.fetch").stream().anyMatch(d -> d.startsWith(tree.resolve("nope.txt") + ": ")), "refusals audited");
    }

    @Test
    @Order(10)
    void evidence_cancelled_orFailedMidway_leavesNoFile_andOnlyItsOwnerOrAnAdministratorDeletesIt() throws Exception {
        Path evidenceFolder = data.resolve("evidence").resolve("files");
        String bob = apiToken("bob", Role.ANALYST, "FS");
        proxy.throttle(1L << 20); // a transfer of minutes: room to cancel it, and to change the file under it
        try {
            // try-out: nothing could be cancelled, and every failed transfer left its .part (450 MB) for good
            long id = JSON.readTree(api("POST", analystFiles("/evidence"), analyst, "{\"path\":\"" + tree.resolve("sparse.bin") + "\"}"))
                    .path("evidence_id").asLong();
            waitFor("some of it to arrive", () -> evidence(id, analyst).path("progress").path("received").asLong() > 0);
            assertTrue(Files.exists(evidenceFolder.resolve(id + ".part")));
            assertEquals(403, status("POST", "/api/v1/evidence/" + id + "/cancel", bob, null), "another analyst's transfer");
            proxy.throttle(16L << 10); // the chunk under way now arrives over a minute: the cancel waits for it
            assertEquals(202, status("POST", "/api/v1/evidence/" + id + "/cancel", analyst, null));
            // try-out: it stayed "transferring" until the agent answered
            assertEquals("cancelling", evidence(id, analyst).path("state").asText(), "at once, not when the agent answers");
            proxy.throttle(1L << 20);
            JsonNode cancelled = waitForEvidence(id, analyst);
            // fourth try-out: a cancel ended "failed"; it is an ending of its own
            assertEquals("cancelled", cancelled.path("state").asText());
            assertTrue(cancelled.path("reason").asText().startsWith("cancelled by ana"), cancelled.toString());
            assertFalse(Files.exists(evidenceFolder.resolve(id + ".part")), "the cancelled transfer's part is gone");
            assertFalse(Files.exists(evidenceFolder.resolve(Long.toString(id))));
            assertTrue(auditDetails("evidence.cancel").stream().anyMatch(d -> d.startsWith("evidence file " + id + ": ")));
            assertEquals(409, status("POST", "/api/v1/evidence/" + id + "/cancel", analyst, null), "ended: nothing to cancel");

            Path changing = tree.resolve("changing.bin");
            try (RandomAccessFile f = new RandomAccessFile(changing.toFile(), "rw")) {
                f.setLength(64L << 20);
            }
            long failing = JSON.readTree(api("POST", analystFiles("/evidence"), analyst, "{\"path\":\"" + changing + "\"}"))
                    .path("evidence_id").asLong();
            waitFor("some of it to arrive", () -> evidence(failing, analyst).path("progress").path("received").asLong() > 0);
            try (RandomAccessFile f = new RandomAccessFile(changing.toFile(), "rw")) {
                f.setLength(32L << 20); // shrinks: the bytes the agent hashed are gone (one that grows is kept: see the growing log)
            }
            JsonNode failed = waitForEvidence(failing, analyst);
            assertEquals("failed", failed.path("state").asText());
            assertTrue(failed.path("reason").asText().contains("changed while it was copied"), failed.toString());
            assertTrue(failed.path("reason").asText().matches(".*modified \\d{4}-\\d\\d-\\d\\dT[^ ]*Z -> .*"), "times in UTC ISO-8601: " + failed);
            assertFalse(Files.exists(evidenceFolder.resolve(failing + ".part")), "a failed transfer's part is gone");
            Files.delete(changing);

            // failed rows can be removed: by whoever kept them or an administrator, never by another analyst or a reader
            assertEquals(403, status("DELETE", "/api/v1/evidence/" + failing, bob, null));
            assertEquals(403, status("DELETE", "/api/v1/evidence/" + failing, readOnly, null));
            assertEquals(failing, JSON.readTree(api("DELETE", "/api/v1/evidence/" + failing, analyst, null)).path("deleted").asLong());
            assertEquals(404, status("GET", "/api/v1/evidence/" + failing, analyst, null));
            assertEquals(id, JSON.readTree(api("DELETE", "/api/v1/evidence/" + id, admin, null)).path("deleted").asLong());
            assertTrue(auditDetails("evidence.delete").stream().anyMatch(d -> d.startsWith("evidence file " + failing + ": ")));
        } finally {
            proxy.throttle(0);
        }
        // and a complete one, with its copy
        long complete = JSON.readTree(api("GET", "/api/v1/evidence", analyst, null)).path("files").findValues("id").stream()
                .map(JsonNode::asLong).filter(n -> {
                    JsonNode f = evidence(n, analyst);
                    return f.path("state").asText().equals("complete") && f.path("created_by").asText().equals("ana");
                }).findFirst().orElseThrow();
        assertTrue(Files.exists(evidenceFolder.resolve(Long.toString(complete))));
        assertEquals(complete, JSON.readTree(api("DELETE", "/api/v1/evidence/" + complete, analyst, null)).path("deleted").asLong());
        assertFalse(Files.exists(evidenceFolder.resolve(Long.toString(complete))), "its copy is deleted with it");
    }

    @Test
    @Order(11)
    void folderIcon_ofAnAdministrator_opensTheirOwnConnection_neverAReadOnlyUsers() throws Exception {
        // try-out: the grid's folder icon led an administrator into a read-only user's connection
        String theirs = JSON.readTree(api("POST", "/api/v1/live/connections", readOnly, "{\"endpoints\":[\"" + ENDPOINT + "\"]}"))
                .path("connections").get(0).path("id").asText();
        assertFalse(theirs.equals(connection));
        HttpResponse<String> opened = send("GET", "/endpoints/" + ENDPOINT + "/live/files?path=" + q(tree.toString()), admin, null);
        assertEquals(302, opened.statusCode(), opened.body());
        String location = opened.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/live/connections/" + connection + "/files"), location);
        HttpResponse<String> kill = send("GET", "/endpoints/" + ENDPOINT + "/live/kill?pid=1", admin, null);
        assertTrue(kill.headers().firstValue("Location").orElseThrow().startsWith("/live/connections/" + connection + "/processes/1/kill"));
    }

    @Test
    @Order(12)
    void namesWithLineBreaksBackslashesAndSpaces_areShownMarked_keptAndDeletedFromThePage_andDownloadedUnderTheirOwnName() throws Exception {
        Path odd = Files.createDirectories(tree.resolve("odd"));
        Path lineBreak = Files.writeString(odd.resolve("line\nbreak.txt"), "line break");
        Path carriage = Files.writeString(odd.resolve("carriage\rreturn.txt"), "carriage return");
        String spaced = " lead\\back é.txt";
        Path unusual = Files.writeString(odd.resolve(spaced), "unusual");
        org.openqa.selenium.chrome.ChromeDriver driver = signedIn("profile-names");
        try {
            driver.get("https://127.0.0.1:" + port + "/live/connections/" + connection + "/files?path=" + q(odd.toString()));
            List<String> shown = driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row .file-name")).stream()
                    .map(org.openqa.selenium.WebElement::getText).toList();
            assertTrue(shown.containsAll(List.of("line\u240abreak.txt", "carriage\u240dreturn.txt", "\u2420lead\\back é.txt")), shown.toString());
            assertEquals(3, driver.findElements(org.openqa.selenium.By.cssSelector("#files .odd-name")).size(), "all three marked (a leading space too)");

            // try-out: the form turned \n into \r\n and the agent answered "no such file"
            rowOf(driver, "line\u240abreak.txt").findElement(org.openqa.selenium.By.cssSelector("button.keep-evidence")).click();
            String kept = driver.findElement(org.openqa.selenium.By.cssSelector("#evidence-files tr.evidence-row.highlight")).getAttribute("data-id");
            JsonNode done = waitForEvidence(Long.parseLong(kept), admin);
            assertEquals("complete", done.path("state").asText(), done.toString());
            assertEquals(odd.toRealPath().resolve("line\nbreak.txt").toString(), done.path("path").asText());
            assertEquals(sha256(Files.newInputStream(lineBreak)), done.path("sha256").asText());

            driver.get("https://127.0.0.1:" + port + "/live/connections/" + connection + "/files?path=" + q(odd.toString()));
            rowOf(driver, "carriage\u240dreturn.txt").findElement(org.openqa.selenium.By.cssSelector("a.file-delete")).click();
            assertTrue(driver.findElement(org.openqa.selenium.By.id("confirm-question")).getText().contains("carriage\u240dreturn.txt"));
            driver.findElement(org.openqa.selenium.By.id("confirm-yes")).click();
            assertTrue(driver.findElement(org.openqa.selenium.By.id("files-notice")).getText().startsWith("Deleted "));
            assertFalse(Files.exists(carriage, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the file with the carriage return is gone");
            assertTrue(Files.exists(lineBreak) && Files.exists(unusual));
        } finally {
            driver.quit();
        }

        // try-out: the download was named "_lead_back__.txt.zip", the entry "lead_back é.txt", and the name cut at the backslash
        long id = JSON.readTree(api("POST", analystFiles("/evidence"), analyst, JSON.writeValueAsString(java.util.Map.of("path", unusual.toString()))))
                .path("evidence_id").asLong();
        JsonNode done = waitForEvidence(id, analyst);
        assertEquals("complete", done.path("state").asText(), done.toString());
        assertEquals(spaced, done.path("name").asText(), "a backslash is part of a Linux name");
        Path zip = tmp.resolve("names.zip");
        HttpResponse<Path> r = LiveTests.HTTPS.send(request("GET", "/api/v1/evidence/" + id + "/download", analyst, null).build(),
                HttpResponse.BodyHandlers.ofFile(zip));
        assertEquals(200, r.statusCode());
        String disposition = r.headers().firstValue("Content-Disposition").orElseThrow();
        assertTrue(disposition.contains("filename*=UTF-8''%20lead_back%20%C3%A9.txt.zip"), disposition);
        assertTrue(disposition.contains("filename=\" lead_back _.txt.zip\""), disposition);
        String listing = run(List.of(sevenZip(), "l", "-slt", zip.toString()), null);
        assertTrue(listing.contains("Path =  lead_back é.txt\n"), "the leading space and the é kept: " + listing);
        assertTrue(listing.contains("Path =  lead_back é.txt.name.txt"), listing);
        Path out = Files.createDirectories(tmp.resolve("names-out"));
        run(List.of(sevenZip(), "x", "-pinfected", "-o" + out, zip.toString()), null);
        assertEquals("unusual", Files.readString(out.resolve(" lead_back é.txt")));
        assertTrue(Files.readString(out.resolve(" lead_back é.txt.name.txt")).contains("\n" + spaced + "\n"), "the note gives the original");
    }

    /** A browser with its own profile, signed in as the administrator chief. */
    private org.openqa.selenium.chrome.ChromeDriver signedIn(String profile) {
        org.openqa.selenium.chrome.ChromeDriver driver = trailhound.web.Browsers.open(tmp.resolve(profile), tmp.resolve("downloads"));
        try {
            driver.get("https://127.0.0.1:" + port + "/login");
            driver.findElement(org.openqa.selenium.By.id("username")).sendKeys("chief");
            driver.findElement(org.openqa.selenium.By.id("password")).sendKeys(PASSWORD);
            driver.findElement(org.openqa.selenium.By.id("sign-in")).click();
            driver.findElement(org.openqa.selenium.By.id("logout"));
            return driver;
        } catch (RuntimeException e) {
            driver.quit();
            throw e;
        }
    }

    /** The row of the file shown as {@code shown} (an attribute cannot hold a carriage return: HTML reads it as a line break). */
    private static org.openqa.selenium.WebElement rowOf(org.openqa.selenium.WebDriver driver, String shown) {
        return driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row")).stream()
                .filter(tr -> trailhound.web.Browsers.now(driver, tr, org.openqa.selenium.By.cssSelector(".file-name")).stream().anyMatch(n -> n.getText().equals(shown)))
                .findFirst().orElseThrow(() -> new AssertionError("no row shown as " + shown));
    }

    @Test
    @Order(15)
    void hostileNames_bidiInvisibleAndEdgeSpaces_shownMarked_linksDeletable_noticesOurOwn_otherUsersConnectionRefused() throws Exception {
        Path hostile = Files.createDirectories(tree.resolve("hostile"));
        String bidi = "invoice\u202etxt.exe";
        for (String name : List.of(bidi, "zero\u200bwidth.txt", "dup", "dup ", " lead.txt", "target.txt")) {
            Files.writeString(hostile.resolve(name), name);
        }
        Path link = Files.createSymbolicLink(hostile.resolve("to-target"), hostile.resolve("target.txt"));
        Path lineBreak = Files.writeString(hostile.resolve("a\nb.txt"), "a line break");

        Path real = hostile.toRealPath();
        // try-out: "/" listed created 1970-01-01T00:00:00Z where the file system keeps no birth time (as overlayfs, tmpfs)
        for (String folder : List.of(tree.toString(), hostile.toString())) {
            for (JsonNode e : JSON.readTree(api("GET", files("?path=" + q(folder)), admin, null)).path("entries")) {
                assertFalse(e.path("created").asText("").startsWith("1970-01-01T00:00:00"), folder + ": " + e);
            }
        }
        // try-out: an analyst could act through the administrator's connection by its id
        HttpResponse<String> theirs = send("GET", files("?path=" + q(hostile.toString())), analyst, null);
        assertEquals(403, theirs.statusCode(), theirs.body());
        assertTrue(theirs.body().contains("live connection " + connection + " is chief's: open your own"), theirs.body());
        assertTrue(auditDetails("live.connection.use").contains("connection " + connection + " of chief"));

        long kept = JSON.readTree(api("POST", files("/evidence"), admin, JSON.writeValueAsString(java.util.Map.of("path", lineBreak.toString()))))
                .path("evidence_id").asLong();
        assertEquals("complete", waitForEvidence(kept, admin).path("state").asText());
        long keptBidi = JSON.readTree(api("POST", files("/evidence"), admin, JSON.writeValueAsString(java.util.Map.of("path",
                hostile.resolve(bidi).toString())))).path("evidence_id").asLong();
        assertEquals("complete", waitForEvidence(keptBidi, admin).path("state").asText());
        HttpResponse<String> download = send("GET", "/api/v1/evidence/" + keptBidi + "/download", admin, null);
        String disposition = download.headers().firstValue("Content-Disposition").orElseThrow();
        assertTrue(disposition.contains("filename*=UTF-8''invoicetxt.exe.zip"), "no bidi control in the download name: " + disposition);

        org.openqa.selenium.chrome.ChromeDriver driver = signedIn("profile-hostile");
        try {
            String page = "https://127.0.0.1:" + port + "/live/connections/" + connection + "/files?path=" + q(hostile.toString());
            driver.get(page);
            List<String> shown = driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row:not(.up) td:first-child")).stream()
                    .map(td -> td.findElement(org.openqa.selenium.By.cssSelector(".file-name, .file-open")).getText()).toList();
            assertTrue(shown.containsAll(List.of("invoice<U+202E>txt.exe", "zero<U+200B>width.txt", "dup", "dup\u2420", "\u2420lead.txt",
                    "a\u240ab.txt")), shown.toString());
            List<String> marked = driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row:not(.up)")).stream()
                    .filter(tr -> !trailhound.web.Browsers.now(driver, tr, org.openqa.selenium.By.cssSelector(".odd-name")).isEmpty())
                    .map(tr -> tr.findElement(org.openqa.selenium.By.cssSelector(".file-name, .file-open")).getText()).sorted().toList();
            assertEquals(List.of("a\u240ab.txt", "dup\u2420", "invoice<U+202E>txt.exe", "zero<U+200B>width.txt", "\u2420lead.txt"), marked);

            // try-out: a symbolic link had no Delete on the page
            org.openqa.selenium.WebElement linkRow = driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row[data-type=link]"))
                    .stream().filter(tr -> tr.getText().startsWith("to-target")).findFirst().orElseThrow();
            linkRow.findElement(org.openqa.selenium.By.cssSelector("a.file-delete")).click();
            String question = driver.findElement(org.openqa.selenium.By.id("confirm-question")).getText();
            assertTrue(question.startsWith("Delete the symbolic link " + real.resolve("to-target")), question);
            assertTrue(question.contains("The link itself is deleted, not the file or folder it points to"), question);
            driver.findElement(org.openqa.selenium.By.id("confirm-yes")).click();
            assertEquals("Deleted the symbolic link " + real.resolve("to-target") + "; its target is untouched.",
                    driver.findElement(org.openqa.selenium.By.id("files-notice")).getText());
            assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link is gone");
            assertEquals("target.txt", Files.readString(hostile.resolve("target.txt")), "its target is untouched");

            // a confirmation shows the name as the browse page does, and says it is unusual
            driver.get(page);
            driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row:not(.up)")).stream()
                    .filter(tr -> tr.findElement(org.openqa.selenium.By.cssSelector(".file-name, .file-open")).getText().equals("dup\u2420"))
                    .findFirst().orElseThrow().findElement(org.openqa.selenium.By.cssSelector("a.file-delete")).click();
            question = driver.findElement(org.openqa.selenium.By.id("confirm-question")).getText();
            assertTrue(question.startsWith("Delete " + real + "/dup\u2420 on "), question);
            assertTrue(question.contains("Its name is unusual"), question);

            // try-out: ?notice= put any text on the page
            driver.get(page + "&notice=" + q("Your session expired: sign in at evil.example"));
            driver.findElement(org.openqa.selenium.By.id("files"));
            assertTrue(trailhound.web.Browsers.now(driver, driver, org.openqa.selenium.By.id("files-notice")).isEmpty(),
                    "free text from a link is never shown");
            // third try-out: notice=deleted&name= still let a link put its own sentence on the page: only the server's
            // own redirect (signed) shows a notice
            driver.get(page + "&notice=deleted&name=" + q("/etc/passwd: all evidence was wiped, call +1-555-0100"));
            driver.findElement(org.openqa.selenium.By.id("files"));
            assertTrue(trailhound.web.Browsers.now(driver, driver, org.openqa.selenium.By.id("files-notice")).isEmpty(),
                    "a notice the server did not sign is never shown");
            driver.get(page);
            driver.findElements(org.openqa.selenium.By.cssSelector("#files tr.file-row:not(.up)")).stream()
                    .filter(tr -> tr.findElement(org.openqa.selenium.By.cssSelector(".file-name, .file-open")).getText()
                            .equals("invoice<U+202E>txt.exe"))
                    .findFirst().orElseThrow().findElement(org.openqa.selenium.By.cssSelector("a.file-delete")).click();
            driver.findElement(org.openqa.selenium.By.id("confirm-yes")).click();
            assertEquals("Deleted " + real + "/invoice<U+202E>txt.exe.", driver.findElement(org.openqa.selenium.By.id("files-notice")).getText(),
                    "the server's own notice names the file marked");

            // try-out: Saved evidence showed "a\nb.txt" with a raw line break
            driver.get("https://127.0.0.1:" + port + "/evidence/files");
            org.openqa.selenium.WebElement row = driver.findElement(org.openqa.selenium.By.cssSelector("#evidence-files tr[data-id='" + kept + "']"));
            assertEquals(real + "/a\u240ab.txt", row.findElement(org.openqa.selenium.By.cssSelector(".evidence-path")).getText());
            assertFalse(row.findElements(org.openqa.selenium.By.cssSelector(".odd-name")).isEmpty(), "marked unusual");
            row = driver.findElement(org.openqa.selenium.By.cssSelector("#evidence-files tr[data-id='" + keptBidi + "']"));
            assertTrue(row.findElement(org.openqa.selenium.By.cssSelector(".evidence-path")).getText().endsWith("/invoice<U+202E>txt.exe"));
        } finally {
            driver.quit();
        }
    }

    @Test
    @Order(13)
    void agentUnderLcAllC_throughTheLauncher_listsAndKeepsNonAsciiNames_withoutTheLauncher_saysItCannot() throws Exception {
        Path names = Files.createDirectories(tmp.resolve("names"));
        Files.writeString(names.resolve("café-ü.txt"), "non-ASCII name");
        Files.writeString(names.resolve("日本語.txt"), "CJK name");
        // the real bin/trailhound, beside a jar of this build: the launcher finds nothing newer to rebuild
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path launcher = Files.createDirectories(tmp.resolve("launcher"));
        Files.createDirectories(launcher.resolve("bin"));
        for (String f : List.of("trailhound", "find-jdk.sh")) {
            Files.copy(repo.resolve("bin").resolve(f), launcher.resolve("bin").resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "trailhound.app.Main");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, java.util.Arrays.stream(
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(java.io.File.pathSeparator))
                .map(e -> Path.of(e).toUri().toString()).collect(java.util.stream.Collectors.joining(" ")));
        Path jar = Files.createDirectories(launcher.resolve("app/target")).resolve("trailhound.jar");
        new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest).close();

        ProcessBuilder pb = new ProcessBuilder(launcher.resolve("bin/trailhound").toString(), "agent", "--server", "https://127.0.0.1:" + port,
                "--state", tmp.resolve("state-utf").toString(), "--token", enrolmentToken(), "--name", "utf-01", "--allow-root", names.toString(),
                "--poll-interval", "60000");
        pb.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_"));
        pb.environment().put("LC_ALL", "C"); // a systemd unit without LANG, or a minimal container
        pb.environment().put("JAVA_HOME", Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent().toString());
        pb.environment().put("TRAILHOUND_JAVA_OPTS", "-Xmx256m");
        Process utf = pb.redirectErrorStream(true).redirectOutput(tmp.resolve("agent-utf.log").toFile()).start();
        try {
            waitFor("the launched agent online", () -> {
                if (!utf.isAlive()) throw new AssertionError("the launched agent exited: " + read(tmp.resolve("agent-utf.log")));
                return api("GET", "/api/v1/live/endpoints?q=utf-01", admin, null).contains("\"online\":true");
            });
            JsonNode opened = JSON.readTree(api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"utf-01\"]}"));
            String id = opened.path("connections").get(0).path("id").asText();
            JsonNode listing = JSON.readTree(api("GET", "/api/v1/live/connections/" + id + "/files?path=" + q(names.toString()), admin, null));
            List<String> listed = new ArrayList<>();
            listing.path("entries").forEach(e -> listed.add(e.path("name").asText()));
            assertEquals(List.of("café-ü.txt", "日本語.txt"), listed, read(tmp.resolve("agent-utf.log")));
            JsonNode started = JSON.readTree(api("POST", "/api/v1/live/connections/" + id + "/files/evidence", admin,
                    JSON.writeValueAsString(java.util.Map.of("path", names.resolve("café-ü.txt").toString()))));
            JsonNode kept = waitForEvidence(started.path("evidence_id").asLong(), admin);
            assertEquals("complete", kept.path("state").asText(), kept.toString());
            assertEquals(sha256(Files.newInputStream(names.resolve("café-ü.txt"))), kept.path("sha256").asText());
            assertFalse(read(tmp.resolve("agent-utf.log")).contains("file names are encoded as"), read(tmp.resolve("agent-utf.log")));
        } finally {
            utf.destroy();
            if (!utf.waitFor(30, TimeUnit.SECONDS)) utf.destroyForcibly().waitFor();
        }

        // started some other way under LC_ALL=C, the agent says at once that it cannot reach such names
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "trailhound.agent.AgentMain",
                "--server", "https://127.0.0.1:1", "--state", tmp.resolve("state-ascii").toString(), "--token", "te_unused"));
        ProcessBuilder plain = new ProcessBuilder(command);
        plain.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_"));
        plain.environment().put("LC_ALL", "C");
        Process ascii = plain.redirectErrorStream(true).redirectOutput(tmp.resolve("agent-ascii.log").toFile()).start();
        try {
            waitFor("the agent's warning", () -> read(tmp.resolve("agent-ascii.log")).contains("file names are encoded as ANSI_X3.4-1968"));
            assertTrue(read(tmp.resolve("agent-ascii.log")).contains("start the agent with LC_ALL=C.UTF-8"), read(tmp.resolve("agent-ascii.log")));
        } finally {
            ascii.destroyForcibly().waitFor();
        }
    }

    /** {@code escapedName} (percent-escaped bytes, e.g. {@code bad%FF.bin}) in {@code folder}: a name that need not be UTF-8. */
    private static Path raw(Path folder, String escapedName) {
        return Path.of(URI.create(folder.toUri().toString().replaceFirst("/?$", "/") + escapedName));
    }

    /** The exact bytes of {@code p}, as the page carries them (base64url). */
    private static String carried(Path p) {
        return carried(decodePercent(p.toAbsolutePath().toUri().getRawPath().replaceFirst("(?<=.)/$", "")));
    }

    private static String carried(byte[] path) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(path);
    }

    private static byte[] decodePercent(String raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '%') {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(raw.charAt(i));
            }
        }
        return out.toByteArray();
    }

    @Test
    @Order(14)
    void nameThatIsNotUtf8_isShownWithAMarker_keptWithItsSha256_deletedFromThePageAndTheApi_andRefusedOutsideTheRoots() throws Exception {
        // try-out: bad\xff.bin was listed as bad�.bin and could not be kept, hashed or deleted (Java's names are text)
        Path folder = Files.createDirectories(tree.resolve("raw")).toRealPath();
        Path bad = Files.writeString(raw(folder, "bad%FF.bin"), "a name made to evade tools");
        Path ok = Files.writeString(folder.resolve("ok.txt"), "ok");
        Path doomed = Files.writeString(raw(folder, "api%FE%FF.bin"), "deleted through the API");
        Path refused = Files.writeString(raw(outside, "out%FF.bin"), "outside the allowed root");

        JsonNode listing = JSON.readTree(api("GET", analystFiles("?path=" + q(folder.toString())), analyst, null));
        JsonNode entry = null;
        for (JsonNode e : listing.path("entries")) if (e.path("name").asText().equals("bad\uFFFD.bin")) entry = e;
        assertTrue(entry != null, listing.toString());
        assertEquals(folder + "/bad\\xFF.bin", entry.path("path").asText(), "the bad byte shown as \\xFF");
        assertEquals(carried(bad), entry.path("path64").asText(), "and carried exactly");
        assertTrue(listing.toString().contains("\"name\":\"ok.txt\"") && !listing.toString().contains("ok.txt\",\"path64\""));

        org.openqa.selenium.chrome.ChromeDriver driver = signedIn("profile-bytes");
        try {
            driver.get("https://127.0.0.1:" + port + "/live/connections/" + connection + "/files?path=" + q(folder.toString()));
            org.openqa.selenium.WebElement row = rowOf(driver, "bad\\xFF.bin");
            assertEquals(List.of("\\xFF"), row.findElements(org.openqa.selenium.By.cssSelector(".file-name .bad-byte")).stream()
                    .map(org.openqa.selenium.WebElement::getText).toList(), "one marker, for the one bad byte");
            assertEquals(1, row.findElements(org.openqa.selenium.By.cssSelector(".odd-name")).size(), "marked unusual");
            assertEquals(0, trailhound.web.Browsers.now(driver, rowOf(driver, "ok.txt"), org.openqa.selenium.By.cssSelector(".bad-byte, .odd-name")).size());

            row.findElement(org.openqa.selenium.By.cssSelector("button.keep-evidence")).click();
            String kept = driver.findElement(org.openqa.selenium.By.cssSelector("#evidence-files tr.evidence-row.highlight")).getAttribute("data-id");
            JsonNode done = waitForEvidence(Long.parseLong(kept), admin);
            assertEquals("complete", done.path("state").asText(), done.toString());
            assertEquals(sha256(Files.newInputStream(bad)), done.path("sha256").asText(), "the file's own SHA-256");
            assertEquals("bad\\xFF.bin", done.path("name").asText());
            assertEquals(carried(bad), done.path("path64").asText());

            Path zip = tmp.resolve("bytes.zip");
            assertEquals(200, LiveTests.HTTPS.send(request("GET", "/api/v1/evidence/" + kept + "/download", admin, null).build(),
                    HttpResponse.BodyHandlers.ofFile(zip)).statusCode());
            Path out = Files.createDirectories(tmp.resolve("bytes-out"));
            run(List.of(sevenZip(), "x", "-pinfected", "-o" + out, zip.toString()), null);
            assertEquals("a name made to evade tools", Files.readString(out.resolve("bad_xFF.bin")), "the entry named with the escape");
            assertTrue(Files.readString(out.resolve("bad_xFF.bin.name.txt")).contains("62 61 64 ff 2e 62 69 6e"), "the note gives the bytes");

            driver.get("https://127.0.0.1:" + port + "/live/connections/" + connection + "/files?path=" + q(folder.toString()));
            rowOf(driver, "bad\\xFF.bin").findElement(org.openqa.selenium.By.cssSelector("a.file-delete")).click();
            assertTrue(driver.findElement(org.openqa.selenium.By.id("confirm-question")).getText().contains("bad\\xFF.bin"));
            driver.findElement(org.openqa.selenium.By.id("confirm-yes")).click();
            assertEquals("Deleted " + folder + "/bad\\xFF.bin.", driver.findElement(org.openqa.selenium.By.id("files-notice")).getText());
            assertFalse(Files.exists(bad, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the file itself is gone");
            assertTrue(Files.exists(ok), "not its neighbour");
            rowOf(driver, "ok.txt"); // back in its folder
        } finally {
            driver.quit();
        }

        assertEquals(403, status("DELETE", analystFiles("?path64=" + carried(doomed)), analyst, null), "deletion is an administrator's");
        JsonNode deleted = JSON.readTree(api("DELETE", files("?path64=" + carried(doomed)), admin, null));
        assertEquals(folder + "/api\\xFE\\xFF.bin", deleted.path("deleted").asText(), deleted.toString());
        assertFalse(Files.exists(doomed, java.nio.file.LinkOption.NOFOLLOW_LINKS));

        HttpResponse<String> outsideKeep = send("POST", analystFiles("/evidence"), analyst, "{\"path64\":\"" + carried(refused) + "\"}");
        assertEquals(403, outsideKeep.statusCode(), outsideKeep.body());
        assertTrue(outsideKeep.body().contains("is outside the agent's allowed roots"), outsideKeep.body());
        assertEquals(403, status("DELETE", files("?path64=" + carried(refused)), admin, null));
        byte[] via = decodePercent(folder.toUri().getRawPath().replaceFirst("/$", "") + "/../../outside/out%FF.bin");
        assertEquals(403, status("DELETE", files("?path64=" + carried(via)), admin, null), "'..' leads out: refused");
        assertTrue(Files.exists(refused), "nothing outside the roots touched");
    }

    /** Third try-out: a queued transfer said "starting" (size -1), and one whose agent was away showed its last percentage as if it moved. */
    @Test
    @Order(16)
    void progress_queuedBehindTwo_andWaitingForAnAwayAgent_sayTheTruth_onThePageAndInTheApi_andAPageOutOfRangeSaysTheRange() throws Exception {
        HttpResponse<String> far = send("GET", files("?path=" + q(tree.resolve("big").toString()) + "&page=99999999999"), admin, null);
        assertEquals(400, far.statusCode(), far.body());
        assertTrue(far.body().contains("parameter 'page' must be a whole number from 1 to 2,147,483,647, not '99999999999'"), far.body());

        // transfers of minutes (300 MB at 256 KB/s shared by two), the first 1 MB chunk in seconds even on a loaded
        // machine (64 KB/s made it ~40 s, past the patience under load): two run, the third waits for a worker
        proxy.throttle(256L << 10);
        String sparse = "{\"path\":\"" + tree.resolve("sparse.bin") + "\"}";
        List<Long> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) ids.add(JSON.readTree(api("POST", files("/evidence"), admin, sparse)).path("evidence_id").asLong());
            JsonNode third = evidence(ids.get(2), admin).path("progress");
            assertEquals("queued", third.path("state").asText(), third.toString());
            assertEquals(2, third.path("ahead").asInt(), third.toString());
            assertTrue(third.path("size").isNull(), "a size not known yet is null, not -1: " + third);
            assertEquals("queued (2 ahead)", third.path("text").asText());
            waitFor("the first to be under way", () -> evidence(ids.get(0), admin).path("progress").path("received").asLong() > 0);

            proxy.down(true); // the agent is away: its transfers wait for it (up to 2 minutes) and say so
            JsonNode[] waiting = new JsonNode[1];
            waitFor("the first to say it waits", () -> (waiting[0] = evidence(ids.get(0), admin).path("progress")).path("state").asText()
                    .equals("waiting"));
            java.time.Instant away = java.time.Instant.parse(waiting[0].path("away_since").asText());
            String since = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC).format(away);
            assertTrue(waiting[0].path("text").asText().startsWith("waiting for the agent (away since " + since + " UTC)"), waiting[0].toString());
            assertEquals(SPARSE_BYTES, waiting[0].path("size").asLong());
            org.openqa.selenium.chrome.ChromeDriver driver = signedIn("profile-progress");
            try {
                driver.get("https://127.0.0.1:" + port + "/evidence/files");
                String first = driver.findElement(org.openqa.selenium.By.cssSelector("tr.evidence-row[data-id='" + ids.get(0) + "'] .evidence-state"))
                        .getText();
                assertTrue(first.startsWith("waiting for the agent (away since " + since + " UTC)"), first);
                String queued = driver.findElement(org.openqa.selenium.By.cssSelector("tr.evidence-row[data-id='" + ids.get(2) + "'] .evidence-state"))
                        .getText();
                assertTrue(queued.startsWith("queued (2 ahead)"), queued);
            } finally {
                driver.quit();
            }
        } finally {
            proxy.down(false);
            proxy.throttle(0);
            for (long id : ids) send("POST", "/api/v1/evidence/" + id + "/cancel", admin, null);
        }
        for (long id : ids) assertEquals("cancelled", waitForEvidence(id, admin).path("state").asText());
        waitFor("the agent back", () -> api("GET", "/api/v1/live/endpoints?q=" + ENDPOINT, admin, null).contains("\"online\":true"));
    }

    // --- helpers

    private JsonNode evidence(long id, String token) {
        try {
            return JSON.readTree(api("GET", "/api/v1/evidence/" + id, token, null));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode waitForEvidence(long id, String token) throws Exception {
        JsonNode[] last = new JsonNode[1];
        waitFor("evidence " + id + " to complete or fail", () -> !List.of("transferring", "cancelling")
                .contains((last[0] = evidence(id, token)).path("state").asText()));
        return last[0];
    }

    private long count(String query) {
        HttpResponse<String> r;
        try {
            r = send("GET", "/api/v1/endpoints/" + ENDPOINT + "/count?q=" + q(query), admin, null);
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("total").asLong() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private List<trailhound.store.AuditTrail.Event> audit(String action) throws IOException {
        List<trailhound.store.AuditTrail.Event> out = new ArrayList<>();
        try (DataDir dir = DataDir.open(data)) {
            Access.over(dir, Clock.systemUTC()).audit().forEach(e -> {
                if (e.event().action().equals(action)) out.add(e.event());
            });
        }
        return out;
    }

    private List<String> auditDetails(String action) throws IOException {
        List<String> out = new ArrayList<>();
        try (DataDir dir = DataDir.open(data)) {
            Access.over(dir, Clock.systemUTC()).audit().forEach(e -> {
                if (e.event().action().equals(action)) out.add(e.event().detail());
            });
        }
        return out;
    }

    private static String sevenZip() {
        return trailhound.web.evidence.SevenZip.command();
    }

    private static String run(List<String> command, String input) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("LC_ALL", "C.UTF-8"); // 7-Zip prints and writes names as UTF-8
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** An API token of a new user of {@code role}, granted {@code group} (made with the endpoint) when given. */
    private String apiToken(String user, Role role, String group) {
        try (DataDir dir = DataDir.open(data)) {
            Access access = Access.over(dir, Clock.systemUTC());
            if (group != null && access.groups().find(group).isEmpty()) access.groups().create(Caller.commandLine(), group, null, List.of(ENDPOINT));
            access.accounts().create(Caller.commandLine(), user, role, group == null ? List.of() : List.of(group), PASSWORD, false);
            return access.tokens().create(Caller.commandLine(), user, "file system test", 1).secret();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String enrolmentToken() {
        return LiveTests.enrolmentToken(data);
    }

    private HttpRequest.Builder request(String method, String path, String token, String json) {
        return LiveTests.request(port, method, path, token, json);
    }

    private HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        return LiveTests.send(port, method, path, token, json);
    }

    private int status(String method, String path, String token, String json) throws Exception {
        return send(method, path, token, json).statusCode();
    }

    private String api(String method, String path, String token, String json) {
        return LiveTests.api(port, method, path, token, json);
    }

    private Process java(Path log, String main, String... args) throws IOException {
        return LiveTests.java(log, main, args);
    }

    private static void waitFor(String what, LiveTests.Check done) throws Exception {
        LiveTests.waitFor(what, PATIENCE, done);
    }

    private static String read(Path log) {
        return LiveTests.read(log);
    }
}
