package trailhound.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.app.Main;
import trailhound.index.EventPage;
import trailhound.index.IndexBackend;
import trailhound.index.PageCursor;
import trailhound.ingest.DataDir;
import trailhound.recorder.RecorderReader;
import trailhound.schema.Event;

/**
 * A snapshot captured over the live connection, end to end with real processes: a server
 * ({@code trailhound serve}, HTTPS) and an agent recording this machine (process polls, a watched folder
 * kept busy) on loopback through a relay the test slows down and cuts. An analyst captures from the
 * endpoint's grid in a real browser (the confirmation names both sizes; the progress shows under Saved
 * evidence); the transfer is cut in the middle and resumes; the snapshot is named from its capture
 * time, listed, opens its grid, holds the agent's database at one moment, and its ingest after the
 * stream adds no duplicate. Read-only users are refused, and so is a capture the server lacks room for.
 */
@EnabledOnOs(OS.LINUX)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotCaptureTest {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINT = "cap-01";
    private static final String PASSWORD = "a long enough password 7";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy_MM_dd'T'HH.mm.ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Long file paths make the recorder database a few MiB quickly: a transfer of several chunks, cut between them. */
    private static final int LEVELS = 12;
    private static final int FILES = 2_500;

    @TempDir static Path tmp;
    private Path data;
    private Path state;
    private Path watched;
    private Path deep;
    private int port;
    private Process server;
    private Process agent;
    private CuttableProxy proxy;
    private String analyst;
    private String readOnly;
    /** The capture the browser made, as the API last showed it. */
    private JsonNode captured;

    @BeforeAll
    void start() throws Exception {
        data = tmp.resolve("data");
        state = tmp.resolve("agent-state");
        watched = Files.createDirectories(tmp.resolve("watched"));
        Path d = watched;
        for (int i = 0; i < LEVELS; i++) d = d.resolve(i + "d".repeat(230));
        deep = Files.createDirectories(d);
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        startServer();
        proxy = new CuttableProxy(port);
        analyst = user("ana", Role.ANALYST, "Cap");
        readOnly = user("reader", Role.READ_ONLY, "Cap");
        startAgent(enrolmentToken());
        waitFor("the agent online", () -> api("GET", "/api/v1/live/endpoints?q=" + ENDPOINT, analyst, null).contains("\"online\":true"));
    }

    private void startServer(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--data", data.toString(), "--port", Integer.toString(port)));
        args.addAll(List.of(more));
        server = java(tmp.resolve("server.log"), "trailhound.app.Main", args.toArray(String[]::new));
        waitFor("the server to listen", () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                if (!server.isAlive()) throw new AssertionError("the server exited: " + read(tmp.resolve("server.log")));
                return false;
            }
        });
    }

    private void startAgent(String token) throws IOException {
        List<String> args = new ArrayList<>(List.of("--server", "https://127.0.0.1:" + proxy.port(), "--state", state.toString(), "--name",
                ENDPOINT, "--watch", watched.toString(), "--poll-interval", "250"));
        if (token != null) args.addAll(List.of("--token", token));
        agent = java(tmp.resolve("agent.log"), "trailhound.agent.AgentMain", args.toArray(String[]::new));
    }

    @AfterAll
    void stop() throws Exception {
        if (Boolean.getBoolean("trailhound.showLogs")) {
            System.out.println("==== server\n" + read(tmp.resolve("server.log")) + "\n==== agent\n" + read(tmp.resolve("agent.log")));
        }
        if (agent != null) agent.destroyForcibly().waitFor();
        if (proxy != null) proxy.close();
        stopServer();
    }

    private void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
        }
    }

    /** The analyst's open connection to the endpoint (opened when none is). */
    private String connection(String token) throws Exception {
        JsonNode opened = JSON.readTree(api("POST", "/api/v1/live/connections", token, "{\"endpoints\":[\"" + ENDPOINT + "\"]}"));
        return opened.path("connections").get(0).path("id").asText();
    }

    @Test
    @Order(1)
    void capture_byAReadOnlyUser_isRefused() throws Exception {
        String c = connection(analyst);
        assertEquals(403, status("POST", "/api/v1/live/connections/" + c + "/snapshots", readOnly, null));
        assertEquals(403, status("GET", "/api/v1/live/connections/" + c + "/snapshots/room", readOnly, null));
        assertTrue(JSON.readTree(api("GET", "/api/v1/snapshots", readOnly, null)).path("captures").isEmpty(), "nothing started");
    }

    @Test
    @Order(2)
    void capture_fromTheGrid_whileRecording_cutInTheTransfer_resumes_isNamedListedAndOpens() throws Exception {
        // thousands of files with long paths: a recorder database of several MiB
        for (int i = 0; i < FILES; i++) {
            Files.writeString(deep.resolve(String.format("%05d", i) + "f".repeat(200)), "x");
            if (i % 100 == 99) Thread.sleep(20); // inotify's queue keeps up
        }
        String c = connection(analyst);
        waitFor("the recorder to hold the files", () -> JSON.readTree(api("GET", "/api/v1/live/connections/" + c + "/snapshots/room", analyst,
                null)).path("recorder_bytes").asLong() > 6L << 20);
        // and the recorder keeps recording while the copy is taken
        Thread busy = Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                try {
                    Files.writeString(watched.resolve("busy" + (i % 20)), "x" + i);
                    Thread.sleep(10);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        ChromeDriver browser = trailhound.web.Browsers.open(tmp.resolve("profile"), tmp.resolve("downloads"));
        try {
            browser.get("https://127.0.0.1:" + port + "/login");
            browser.findElement(By.id("username")).sendKeys("ana");
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.id("sign-in")).click();
            browser.findElement(By.id("logout"));
            browser.get("https://127.0.0.1:" + port + "/endpoints/" + ENDPOINT + "/events");
            waitFor("Capture snapshot to show on a connected endpoint", () -> browser.findElement(By.id("capture-snapshot")).isDisplayed());

            // No: back to the grid, nothing captured
            browser.findElement(By.id("capture-snapshot")).click();
            String question = browser.findElement(By.id("confirm-question")).getText();
            assertTrue(question.matches("The recorder database of " + ENDPOINT + "( \\(.*\\))? is [0-9.]+ MiB; the server has [0-9.]+ [KMGT]iB free in its"
                    + " data folder\\. Capture a copy of it now\\?.*"), question);
            browser.findElement(By.id("confirm-no")).click();
            // the click loads another page: wait for it (on a loaded machine the old URL was read, then the new one reported)
            awaitUrl(browser, u -> u.endsWith("/endpoints/" + ENDPOINT + "/events"));
            assertTrue(JSON.readTree(api("GET", "/api/v1/snapshots", analyst, null)).path("captures").isEmpty(), "No captures nothing");

            // Yes, over a slow link: the progress shows under Saved evidence, and the transfer is cut in its middle
            int connectionsBefore = proxy.accepted();
            proxy.throttle(1L << 20);
            browser.findElement(By.id("capture-snapshot")).click();
            browser.findElement(By.id("confirm-yes")).click();
            awaitUrl(browser, u -> u.contains("/evidence/captures?new=c"));
            String id = browser.findElement(By.cssSelector("tr.capture-row.highlight")).getAttribute("data-id");
            assertEquals("true", browser.findElement(By.cssSelector("details.capture-endpoint[data-endpoint=" + ENDPOINT + "]"))
                    .getAttribute("open"), "the endpoint's captures are open under its name");
            waitFor("part of the copy to arrive", () -> {
                JsonNode p = capture(id);
                return p.path("state").asText().equals("transferring") && p.path("received").asLong() >= 1L << 20;
            });
            String shown = browser.findElement(By.cssSelector("tr.capture-row[data-id=" + id + "] .capture-state")).getText();
            JsonNode midway = capture(id);
            assertTrue(midway.path("received").asLong() < midway.path("size").asLong(), "cut in the middle: " + midway);
            proxy.cutAll();
            proxy.throttle(0);
            waitFor("the capture to end", () -> !List.of("copying", "transferring", "checking", "ingesting").contains(capture(id).path("state")
                    .asText()));
            busy.interrupt();
            busy.join();
            captured = capture(id);
            assertEquals("done", captured.path("state").asText(), captured.toString());
            assertTrue(proxy.accepted() > connectionsBefore, "the agent reconnected");
            assertTrue(captured.path("resumes").asInt() >= 1, "resumed, not restarted: " + captured);
            assertTrue(shown.startsWith("copying") || shown.startsWith("transferring"), "the page followed the capture: " + shown);

            // named from the capture time, kept as a source, listed
            Instant at = Instant.parse(captured.path("captured_at").asText());
            String name = ENDPOINT + "_" + NAME_TIME.format(at);
            assertEquals(name + ".db", captured.path("name").asText());
            assertEquals(name, captured.path("snapshot").asText(), "kept under its capture-time name");
            assertTrue(Files.isRegularFile(data.resolve("endpoints").resolve(ENDPOINT).resolve("snapshots").resolve(name + ".db")));
            JsonNode listed = JSON.readTree(api("GET", "/api/v1/snapshots", analyst, null));
            JsonNode mine = null;
            for (JsonNode e : listed.path("endpoints")) if (e.path("endpoint").asText().equals(ENDPOINT)) mine = e;
            assertEquals(1, mine.path("count").asInt(), listed.toString());
            assertEquals(name, mine.path("snapshots").get(0).path("id").asText());
            assertEquals(at.toString(), mine.path("snapshots").get(0).path("taken_at").asText());
            assertEquals(id, listed.path("captures").get(0).path("id").asText());

            // the page shows it done; its link opens the snapshot's grid
            browser.navigate().refresh();
            waitFor("the page to show it done", () -> browser.findElement(By.cssSelector("tr.capture-row[data-id=" + id + "]"))
                    .getAttribute("data-state").equals("done"));
            browser.findElement(By.cssSelector("tr.capture-row[data-id=" + id + "] a.capture-open")).click();
            String heading = trailhound.web.Browsers.awaitHeading(browser, "snapshot " + name);
            assertTrue(heading.contains("snapshot " + name), heading);
        } finally {
            browser.quit();
        }
        List<String> audit = auditDetails("snapshot.capture");
        assertTrue(audit.stream().anyMatch(d -> d.startsWith(name(captured) + ".db: source s") && d.endsWith(String.format(", %,d bytes",
                captured.path("size").asLong()))), audit.toString());
        assertTrue(Files.exists(state.resolve("outgoing")), "the agent's folder for copies");
        try (var left = Files.list(state.resolve("outgoing"))) {
            assertEquals(0, left.count(), "the agent deleted its copy once the server had it");
        }
    }

    private static String name(JsonNode capture) {
        return capture.path("snapshot").asText();
    }

    @Test
    @Order(3)
    void capturedSnapshot_isOneMomentOfTheAgentsDatabase_andAddsNoDuplicateToTheStream() throws Exception {
        Path kept = data.resolve("endpoints").resolve(ENDPOINT).resolve("snapshots").resolve(name(captured) + ".db");
        Map<String, Event> snapshot = readRecorder(kept);
        assertEquals(captured.path("events_read").asLong(), snapshot.size());
        assertTrue(snapshot.values().stream().anyMatch(e -> e.get(trailhound.schema.Field.FILE_PATH) != null
                && e.get(trailhound.schema.Field.FILE_PATH).contains("busy")), "the busy folder's events are in it");

        // a later copy holds the capture unchanged, as its first rows: the capture was the database at one moment
        agent.destroy();
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new String[] {"agent", "snapshot", "--state", state.toString(), "--out", tmp.resolve("later.db").toString()},
                new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
        Map<String, Event> later = readRecorder(tmp.resolve("later.db"));
        assertEquals(List.copyOf(snapshot.keySet()), List.copyOf(later.keySet()).subList(0, snapshot.size()));
        for (Event e : snapshot.values()) assertEquals(later.get(e.uid()).toMap(), e.toMap());

        // what streamed and what the capture ingested: each event once
        stopServer();
        Map<String, Event> indexed = indexed();
        assertTrue(indexed.keySet().containsAll(snapshot.keySet()), "every event of the capture is searchable");
        long added = captured.path("events_added").asLong();
        assertTrue(added < snapshot.size(), "most of it had streamed, and was not added again: " + added + " of " + snapshot.size());
    }

    @Test
    @Order(4)
    void capture_whenTheServerLacksRoom_isRefusedWithBothFigures() throws Exception {
        stopServer();
        startServer("--snapshot-reserve", "100000000g"); // more than any disk: the free-space check refuses
        startAgent(null);
        String[] open = {connection(analyst)};
        waitFor("the agent back", () -> {
            HttpResponse<String> r = send("GET", "/api/v1/live/connections/" + open[0] + "/snapshots/room", analyst, null);
            if (r.statusCode() == 409 && r.body().contains("connect again")) open[0] = connection(analyst); // asked before the agent was back
            return r.statusCode() == 200;
        });
        String c = open[0];
        // try-out: captures were kept in memory, and ids began again at c1 after a restart
        JsonNode before = JSON.readTree(api("GET", "/api/v1/snapshots", analyst, null)).path("captures");
        assertEquals(1, before.size(), before.toString());
        assertEquals(captured.path("id").asText(), before.get(0).path("id").asText(), "the capture survives the restart");
        assertEquals("done", before.get(0).path("state").asText(), before.toString());
        assertEquals(captured.path("snapshot").asText(), before.get(0).path("snapshot").asText());
        JsonNode room = JSON.readTree(api("GET", "/api/v1/live/connections/" + c + "/snapshots/room", analyst, null));
        assertFalse(room.path("enough").asBoolean(), room.toString());
        assertEquals(2 * room.path("recorder_bytes").asLong() + (100_000_000L << 30), room.path("needed_bytes").asLong());
        HttpResponse<String> refused = send("POST", "/api/v1/live/connections/" + c + "/snapshots", analyst, null);
        assertEquals(507, refused.statusCode(), refused.body());
        assertTrue(refused.body().matches("(?s).*the server has [0-9,]+ bytes free in its data folder, and a capture of this recorder"
                + " database \\([0-9,]+ bytes\\) needs [0-9,]+ .*"), refused.body());
        assertEquals(before, JSON.readTree(api("GET", "/api/v1/snapshots", analyst, null)).path("captures"), "nothing started");
        assertTrue(auditDetails("snapshot.capture").stream().anyMatch(d -> d.startsWith("the server has ")), "the refusal is audited");
    }

    private String reconnected() throws Exception {
        String[] open = {connection(analyst)};
        waitFor("the agent back", () -> {
            HttpResponse<String> r = send("GET", "/api/v1/live/connections/" + open[0] + "/snapshots/room", analyst, null);
            if (r.statusCode() == 409 && r.body().contains("connect again")) open[0] = connection(analyst); // asked before the agent was back
            return r.statusCode() == 200;
        });
        return open[0];
    }

    private static final List<String> RUNNING = List.of("copying", "transferring", "checking", "ingesting", "cancelling");

    private static long number(String captureId) {
        return Long.parseLong(captureId.substring(1));
    }

    @Test
    @Order(5)
    void capture_secondWhileOneRuns_is409_cancelKeepsNothing_oneCutByAStopShowsInterrupted_idsNeverReused() throws Exception {
        stopServer();
        startServer();
        String c = reconnected();
        proxy.throttle(1L << 20); // a transfer of several seconds: room to ask twice and to cancel
        try {
            JsonNode first = JSON.readTree(api("POST", "/api/v1/live/connections/" + c + "/snapshots", analyst, null));
            String id = first.path("capture_id").asText();
            assertTrue(number(id) > number(captured.path("id").asText()), "ids go on after a restart: " + id);
            // try-out: a double POST made two captures
            HttpResponse<String> twice = send("POST", "/api/v1/live/connections/" + c + "/snapshots", analyst, null);
            assertEquals(409, twice.statusCode(), twice.body());
            assertTrue(twice.body().contains("capture " + id + " of " + ENDPOINT + " is under way"), twice.body());
            waitFor("the transfer to begin", () -> capture(id).path("received").asLong() > 0);

            // try-out: nothing could be cancelled
            assertEquals(403, status("POST", "/api/v1/snapshots/captures/" + id + "/cancel", readOnly, null));
            proxy.throttle(16L << 10); // the chunk under way now arrives over a minute: the cancel waits for it
            JsonNode cancelling = JSON.readTree(api("POST", "/api/v1/snapshots/captures/" + id + "/cancel", analyst, null));
            assertEquals(id, cancelling.path("id").asText());
            // try-out: the state stayed "transferring" (or "copying") until the agent answered
            assertEquals("cancelling", cancelling.path("state").asText(), cancelling.toString());
            assertEquals("cancelling", capture(id).path("state").asText(), "at once, not when the agent answers");
            assertEquals(202, status("POST", "/api/v1/snapshots/captures/" + id + "/cancel", analyst, null), "cancelling: asked again, no error");
            proxy.throttle(1L << 20);
            waitFor("the capture to end", () -> !RUNNING.contains(capture(id).path("state").asText()));
            JsonNode cancelled = capture(id);
            assertEquals("cancelled", cancelled.path("state").asText(), cancelled.toString());
            assertTrue(cancelled.path("reason").asText().startsWith("cancelled by ana"), cancelled.toString());
            assertTrue(cancelled.path("snapshot").isNull(), "nothing kept: " + cancelled);
            assertEquals(List.of(), filesUnder(data.resolve("incoming")), "no copy left behind");
            assertEquals(409, status("POST", "/api/v1/snapshots/captures/" + id + "/cancel", analyst, null), "ended: nothing to cancel");
            assertTrue(auditDetails("snapshot.cancel").stream().anyMatch(d -> d.startsWith("capture " + id + " ")),
                    auditDetails("snapshot.cancel").toString());

            // a capture under way when the server stops shows as interrupted after its restart, under its own id
            String cut = JSON.readTree(api("POST", "/api/v1/live/connections/" + c + "/snapshots", analyst, null)).path("capture_id").asText();
            assertTrue(number(cut) > number(id));
            waitFor("the transfer to begin", () -> capture(cut).path("received").asLong() > 0);
            // fourth try-out: an evidence transfer the stop ended was not audited, and the capture's row was ended (received 0)
            // only at the next start
            Path kept = Files.write(tmp.resolve("kept-at-stop.bin"), new byte[4 << 20]);
            long evidenceId = JSON.readTree(api("POST", "/api/v1/live/connections/" + c + "/files/evidence", analyst,
                    "{\"path\":\"" + kept + "\"}")).path("evidence_id").asLong();
            assertTrue(evidenceId > 0);
            stopServer();
            try (DataDir dir = DataDir.open(data)) {
                var row = dir.store().snapshotCaptures().find(number(cut)).orElseThrow();
                assertEquals("interrupted", row.state(), row.toString());
                assertTrue(row.received() > 0, "ended at the stop with what had arrived: " + row);
                assertTrue(row.endedAt() != null, row.toString());
                assertTrue(row.resumes() == 0, "a cut that never resumed is no resume: " + row);
            }
            List<String> fetches = auditDetails("evidence.fetch");
            assertTrue(fetches.stream().anyMatch(d -> d.startsWith("evidence file " + evidenceId + ": the server stopped during the transfer")
                    && d.endsWith("keep it as evidence again after the restart")), fetches.toString());
            String stopLog = read(tmp.resolve("server.log"));
            startServer();
            assertFalse(read(tmp.resolve("server.log")).contains("cut by the server's stop; marked"), "nothing left for the start to end: "
                    + stopLog);
            JsonNode interrupted = capture(cut);
            assertEquals("interrupted", interrupted.path("state").asText(), interrupted.toString());
            assertTrue(interrupted.path("reason").asText().contains("the server stopped during the capture"), interrupted.toString());
            // third try-out: what the cut capture had received stayed in incoming/ (212 MB) until a day had passed
            try (var left = Files.newDirectoryStream(data.resolve("incoming"), "capture-*")) {
                assertFalse(left.iterator().hasNext(), "the cut capture's folder is removed at the start");
            }
            List<String> ids = new ArrayList<>();
            JSON.readTree(api("GET", "/api/v1/snapshots", analyst, null)).path("captures").forEach(x -> ids.add(x.path("id").asText()));
            assertEquals(List.of(cut, id, captured.path("id").asText()), ids, "newest first, every one kept");
        } finally {
            proxy.throttle(0);
        }
    }

    @Test
    @Order(6)
    void capture_ofAReplayAgent_isRefusedSayingItRecordsNothingOfItsOwn() throws Exception {
        String admin = user("boss", Role.ADMINISTRATOR, "Cap");
        Path replayState = tmp.resolve("replay-state");
        Process replay = java(tmp.resolve("replay-agent.log"), "trailhound.agent.AgentMain", "--server", "https://127.0.0.1:" + port,
                "--state", replayState.toString(), "--name", "replay-01", "--token", enrolmentToken(), "--replay",
                tmp.resolve("later.db").toString(), "--rate", "1000");
        try {
            waitFor("the replay agent online", () -> api("GET", "/api/v1/live/endpoints?q=replay-01", admin, null).contains("\"online\":true"));
            String c = JSON.readTree(api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"replay-01\"]}")).path("connections")
                    .get(0).path("id").asText();
            HttpResponse<String>[] refused = new HttpResponse[1];
            waitFor("the capture answered", () -> (refused[0] = send("POST", "/api/v1/live/connections/" + c + "/snapshots", admin, null))
                    .statusCode() != 409 || !refused[0].body().contains("connect again"));
            assertEquals(422, refused[0].statusCode(), refused[0].body());
            assertTrue(refused[0].body().contains("holds no events of its own") && refused[0].body().contains("--replay records nothing"),
                    refused[0].body());
            assertTrue(stream(JSON.readTree(api("GET", "/api/v1/snapshots", admin, null)).path("captures")).noneMatch(x -> x.path(
                    "endpoint").asText().equals("replay-01")), "nothing started");
        } finally {
            replay.destroyForcibly().waitFor();
        }
    }

    /**
     * Third try-out: a server stopped while a capture's snapshot was indexed wrote no end of the capture to the audit trail
     * and printed Lucene's ClosedByInterruptException and AlreadyClosedException. The stop is orderly now: the ingest stops,
     * the capture ends interrupted in its record and the audit trail, no snapshot of it is served, stderr says one line.
     */
    @Test
    @Order(7)
    void serverStoppedDuringACapturesIngest_endsItInterrupted_auditedAndSaidInOneLine_nothingHalfMadeServed() throws Exception {
        String stoppedWhy = trailhound.access.Snapshots.STOPPED_INGEST;
        for (int attempt = 1; ; attempt++) {
            stopServer();
            startServer(); // a log of this server alone
            String c = reconnected();
            String id = JSON.readTree(api("POST", "/api/v1/live/connections/" + c + "/snapshots", analyst, null)).path("capture_id").asText();
            String state;
            do { // as often as it answers: the ingest of a few MiB lasts well under a second
                state = capture(id).path("state").asText();
            } while (List.of("copying", "transferring", "checking").contains(state));
            if (!state.equals("ingesting")) {
                assertEquals("done", state, "the capture was not ingested: " + capture(id));
                assertTrue(attempt < 8, "the ingest ended before it could be seen " + attempt + " times");
                continue;
            }
            stopServer();
            String log = read(tmp.resolve("server.log"));
            startServer();
            JsonNode ended = capture(id);
            if (ended.path("state").asText().equals("done")) { // it ended in the moment before the stop: try again
                assertTrue(attempt < 8, "the ingest ended before the stop " + attempt + " times");
                continue;
            }
            assertEquals("interrupted", ended.path("state").asText(), ended.toString());
            assertEquals(stoppedWhy, ended.path("reason").asText(), ended.toString());
            assertTrue(ended.path("snapshot").isNull(), ended.toString());
            String name = ended.path("name").asText();
            assertTrue(auditDetails("snapshot.capture").contains(name + ": " + stoppedWhy), auditDetails("snapshot.capture").toString());
            assertFalse(api("GET", "/api/v1/snapshots", analyst, null).contains(name.replaceFirst("\\.db$", "\"")), "no snapshot of it listed");
            assertFalse(Files.exists(data.resolve("endpoints").resolve(ENDPOINT).resolve("snapshots").resolve(name)), "none kept");
            assertFalse(log.contains("Exception") || log.contains("\tat "), log);
            assertEquals(1, log.lines().filter(l -> l.contains("during its ingest")).count(), log);
            assertTrue(log.contains("trailhound: stopped a snapshot capture during its ingest; nothing of it is kept"), log);
            return;
        }
    }

    /**
     * Fourth try-out: a capture still queued ("queued (2 ahead)") waited ~30 s in "cancelling: waiting for the endpoint to
     * stop", though its endpoint was never asked. Two agents that never answer the copy hold both workers; the third waits.
     */
    @Test
    @Order(8)
    void cancellingAQueuedCapture_endsItAtOnce() throws Exception {
        String admin = user("queue-boss", Role.ADMINISTRATOR, "Cap");
        List<RawAgent> agents = new ArrayList<>();
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                RawAgent raw = new RawAgent(port);
                agents.add(raw);
                raw.hello();
                raw.send(new trailhound.protocol.Message.Enrol(enrolmentToken(), "queue-0" + i, "h", "os", "a0000000000000" + "0c" + i,
                        String.valueOf((char) ('Q' + i)).repeat(43)));
                raw.await(trailhound.protocol.Message.Authenticated.class);
                String c = JSON.readTree(api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"queue-0" + i + "\"]}"))
                        .path("connections").get(0).path("id").asText();
                var started = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return api("POST", "/api/v1/live/connections/" + c + "/snapshots", admin, null);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                long asked = raw.await(trailhound.protocol.Message.DescribeRecorder.class).requestId();
                raw.send(new trailhound.protocol.Message.RecorderInfo(asked, 4096, 10, 1L << 40));
                ids.add(JSON.readTree(started.get(30, TimeUnit.SECONDS)).path("capture_id").asText());
                if (i < 3) raw.await(trailhound.protocol.Message.CaptureSnapshot.class); // taken by a worker, never answered
            }
            String third = ids.get(2);
            java.util.function.Function<String, JsonNode> asAdmin = id -> {
                try {
                    return JSON.readTree(api("GET", "/api/v1/snapshots/captures/" + id, admin, null));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            JsonNode waiting = asAdmin.apply(third);
            assertEquals(2, waiting.path("ahead").asInt(-1), "queued behind the two: " + waiting);
            JsonNode cancelled = JSON.readTree(api("POST", "/api/v1/snapshots/captures/" + third + "/cancel", admin, null));
            assertEquals("cancelled", cancelled.path("state").asText(), "at once, not cancelling: " + cancelled);
            assertEquals("cancelled", asAdmin.apply(third).path("state").asText());
            JsonNode ended = asAdmin.apply(third);
            assertTrue(ended.path("reason").asText().startsWith("cancelled by queue-boss while queued"), ended.toString());
            for (String id : ids.subList(0, 2)) api("POST", "/api/v1/snapshots/captures/" + id + "/cancel", admin, null);
        } finally {
            agents.forEach(RawAgent::close);
        }
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        if (!Files.exists(folder)) return List.of();
        try (var s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    // --- helpers

    private JsonNode capture(String id) {
        try {
            return JSON.readTree(api("GET", "/api/v1/snapshots/captures/" + id, analyst, null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Event> readRecorder(Path db) {
        Map<String, Event> out = new LinkedHashMap<>();
        try (RecorderReader r = RecorderReader.open(db)) {
            r.read("snapshot", 0, e -> assertNull(out.put(e.uid(), e)));
        }
        return out;
    }

    private Map<String, Event> indexed() throws IOException {
        Map<String, Event> out = new HashMap<>();
        try (DataDir dir = DataDir.open(data); IndexBackend.Lease lease = dir.indexes().acquire(ENDPOINT)) {
            PageCursor after = null;
            do {
                EventPage page = lease.index().search(null, 1_000, after);
                for (Event e : page.events()) assertNull(out.put(e.uid(), e), "uid " + e.uid() + " twice in the index");
                after = page.next();
            } while (after != null);
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

    /** An API token of a new user of {@code role}, granted {@code group} (made with the endpoint). */
    private String user(String name, Role role, String group) {
        try (DataDir dir = DataDir.open(data)) {
            Access access = Access.over(dir, Clock.systemUTC());
            if (access.groups().find(group).isEmpty()) access.groups().create(Caller.commandLine(), group, null, List.of(ENDPOINT));
            access.accounts().create(Caller.commandLine(), name, role, List.of(group), PASSWORD, false);
            return access.tokens().create(Caller.commandLine(), name, "capture test", 1).secret();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String enrolmentToken() {
        return LiveTests.enrolmentToken(data);
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

    /** Waits (60 s at most) until the browser's URL is one {@code wanted} accepts; fails naming the last URL. */
    private static void awaitUrl(ChromeDriver browser, java.util.function.Predicate<String> wanted) {
        String[] last = {null};
        try {
            new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> wanted.test(last[0] = d.getCurrentUrl()));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the page did not load; the browser is at " + last[0], e);
        }
    }

    private static void waitFor(String what, LiveTests.Check done) throws Exception {
        LiveTests.waitFor(what, PATIENCE, done);
    }

    private static String read(Path log) {
        return LiveTests.read(log);
    }
}
