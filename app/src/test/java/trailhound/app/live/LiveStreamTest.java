package trailhound.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import java.time.Clock;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.app.Main;
import trailhound.protocol.Message;
import trailhound.protocol.Protocol;
import trailhound.ingest.DataDir;
import trailhound.index.EventPage;
import trailhound.index.IndexBackend;
import trailhound.index.PageCursor;
import trailhound.recorder.RecorderReader;
import trailhound.samples.SampleGenerator;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Live streaming end to end, with real processes: a server ({@code trailhound serve}, HTTPS) and
 * agents ({@code trailhound agent --replay}) on loopback, a relay between them whose connections the
 * test cuts, a real journal and index. The agent is killed (-9) and restarted, the server is killed
 * (-9) and restarted, the connection is cut; in the end the endpoint's events are exactly the
 * replayed file's: every uid once, every field as in the file (times shifted). An agent sends only
 * while an analyst's live connection is open on its endpoint (or its group streams), newest first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveStreamTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    /** The server's live idle time here (serve --live-idle): short, so that the test sees a connection close. */
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Pattern SECRET = Pattern.compile("secret: (te_\\S+)");

    @TempDir static Path tmp;
    private Path data;
    private Path sample;
    private int port;
    private Process server;
    private CuttableProxy proxy;
    private final List<Process> agents = new ArrayList<>();

    @BeforeAll
    void startServer() throws Exception {
        data = tmp.resolve("data");
        List<Path> made = SampleGenerator.generate(tmp.resolve("samples"), 1, 4_000, 15, n -> {});
        sample = made.getFirst();
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        server = startServer(port);
        proxy = new CuttableProxy(port);
    }

    @AfterAll
    void stopAll() throws Exception {
        if (Boolean.getBoolean("trailhound.showLogs")) {
            try (var logs = Files.list(tmp)) {
                for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                    System.out.println("==== " + log.getFileName() + "\n" + read(log));
                }
            }
        }
        for (Process p : agents) p.destroyForcibly().waitFor();
        if (proxy != null) proxy.close();
        if (server != null && server.isAlive()) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    @Order(5)
    void stream_killAgentAndServer_cutSocket_eventsEqualTheSourceExactly() throws Exception {
        // a group set to stream: its endpoints send all the time, no analyst connection needed
        StringWriter groupOut = new StringWriter();
        assertEquals(0, Main.run(new String[] {"groups", "add", "--data", data.toString(), "--name", "Streamers", "--stream", "always"},
                new PrintWriter(groupOut, true), new PrintWriter(groupOut, true)), groupOut.toString());
        String token = enrolmentToken("--uses", "1", "--group", "Streamers");
        Path state = tmp.resolve("agent-ws");
        Process agent = agent(state, "--token", token, "--name", "replay-01", "--replay", sample.toString(), "--rate", "500",
                "--batch", "100");
        long total = sourceEvents();

        waitFor("the first events to arrive", () -> journalCount("replay-01") > 300);
        Path identity = state.resolve("identity.properties");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)), "the secret is owner-only");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));

        agent.destroyForcibly().waitFor(); // kill -9 mid-stream
        long afterKill = journalCount("replay-01");
        assertTrue(afterKill < total, "killed mid-stream: " + afterKill + " of " + total);
        // no token: it is enrolled. Slower now: the cut, the sign-in and the server's kill below must all come before its last
        // event, also on a loaded machine (at 500 events/s a busy run once finished the replay first)
        agent = agent(state, "--replay", sample.toString(), "--rate", "200", "--batch", "100");

        long mark = journalCount("replay-01");
        waitFor("more events after the agent restart", () -> journalCount("replay-01") > mark + 300);
        int before = proxy.accepted();
        proxy.cutAll(); // the network drops the connection
        waitFor("the agent to reconnect", () -> proxy.accepted() > before);

        long mark2 = journalCount("replay-01");
        waitFor("more events after the cut", () -> journalCount("replay-01") > mark2 + 200);
        // a browser signed in and an analyst's live connection: both survive the restart
        String admin = apiToken("chief-5", null);
        String cookie = signIn("chief-5", "a long enough password 7");
        assertEquals(200, web("/api/v1/live/connections", cookie).statusCode());
        String conn = field(api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"replay-01\"]}"), "id");
        waitFor("the connection connected", () -> field(row(api("GET", "/api/v1/live/connections", admin, null), conn), "state")
                .equals("connected"));
        server.destroyForcibly().waitFor(); // kill -9 the server mid-stream
        assertTrue(journalCount("replay-01") < total, "the server was killed mid-stream");
        server = startServer(port, "10m"); // an idle time longer than the rest of this test

        java.net.http.HttpResponse<String> listed = web("/api/v1/live/connections", cookie);
        assertEquals(200, listed.statusCode(), "still signed in after the restart: " + listed.body());
        String state0 = field(row(listed.body(), conn), "state");
        String reason0 = field(row(listed.body(), conn), "reason");
        assertTrue(state0.equals("attempted") && reason0.contains("the server restarted at ")
                || state0.equals("connected") && reason0.contains("(re)connected"), listed.body());
        waitFor("connected again when the agent reconnects", () -> {
            try {
                return field(row(web("/api/v1/live/connections", cookie).body(), conn), "state").equals("connected");
            } catch (Exception e) {
                return false;
            }
        });

        waitFor("every event", () -> journalCount("replay-01") >= total);
        Thread.sleep(1_500); // a duplicate would arrive with the next batches: give it the chance to show
        assertEquals(total, journalCount("replay-01"), "no event lost or duplicated in the journal");
        agent.destroyForcibly().waitFor();
        // with the agent gone quiet, the running server still commits its last events (within 5 s)
        waitFor("the index committed through the journal's end", () -> indexedThrough("replay-01") == lastSeq("replay-01"));

        stopServer(); // the server commits the index; then it is read here
        Map<String, Map<String, String>> indexed = indexedEvents("replay-01");
        Map<String, Map<String, String>> source = sourceEvents("replay-01");
        assertEquals(source.keySet(), indexed.keySet(), "the same uids");
        assertEquals(source, indexed, "every field as in the source, times shifted alike");

        // the journal is a source of truth: a re-index rebuilds the same events from it
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new String[] {"reindex", "--data", data.toString(), "--endpoint", "replay-01"}, new PrintWriter(out, true),
                new PrintWriter(err, true)), out + "\n" + err);
        assertEquals(source, indexedEvents("replay-01"), "rebuilt from the journal");

        // live events have the recorder's own uids: a snapshot of the same recorder adds nothing
        assertEquals(0, Main.run(new String[] {"ingest", "--data", data.toString(), "--endpoint", "replay-01", sample.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true)), out + "\n" + err);
        assertEquals(source.keySet(), indexedEvents("replay-01").keySet(), "no duplicates from the snapshot");
        assertEquals(0, Main.run(new String[] {"verify", "--data", data.toString()}, new PrintWriter(out, true),
                new PrintWriter(err, true)), "verify accounts for live events: " + out + "\n" + err);
    }

    private RawAgent enrolAgain(String token, String agentId, String secret) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            RawAgent raw = new RawAgent(port);
            raw.hello();
            raw.send(new Message.Enrol(token, "raw-01", "raw-host", "test OS", agentId, secret));
            Message answer = raw.next(Message.class);
            if (answer instanceof Message.Enrolled enrolled) {
                assertEquals(new Message.Enrolled(agentId, "raw-01"), enrolled, "the same agent asking again");
                return raw;
            }
            raw.close();
            assertTrue(answer instanceof Message.Error error && error.code().equals("agent_taken") && System.nanoTime() < deadline,
                    "expected Enrolled, got " + answer);
            Thread.sleep(200);
        }
    }

    @Test
    @Order(1)
    void batchSentTwice_isStoredAndAcknowledgedOnce_andTheAgentResumesAfterIt() throws Exception {
        String token = enrolmentToken();
        List<java.util.Map<String, String>> events = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            events.add(trailhound.protocol.Protocol.toWire(Event.builder().set(Field.EVENT_UID, "t-" + i).ts(1_800_000_000_000L + i)
                    .set(Field.TYPE, "process").set(Field.OPERATION, "start").set(Field.COMMAND_LINE, "cmd " + i).build()));
        }
        String agentId = "a0123456789abcdef";
        String secret = "S".repeat(43);
        try (RawAgent raw = new RawAgent(port)) { // killed before it heard the answer, say
            raw.hello();
            raw.send(new Message.Enrol(token, "raw-01", "raw-host", "test OS", agentId, secret));
            assertEquals(new Message.Enrolled(agentId, "raw-01"), raw.next(Message.Enrolled.class));
        }
        // the one-use token, again; the server may not have seen the aborted connection close yet ("agent_taken"):
        // a real agent retries then, and so does this one
        try (RawAgent raw = enrolAgain(token, agentId, secret)) {
            assertEquals(0, raw.next(Message.Authenticated.class).acknowledged());
            raw.send(new Message.Batch(1, 1, 3, events.subList(0, 3)));
            assertEquals(new Message.Ack(1, 3), raw.next(Message.Ack.class));
            raw.send(new Message.Batch(1, 1, 3, events.subList(0, 3))); // its ack was lost, say: sent again
            assertEquals(new Message.Ack(1, 3), raw.next(Message.Ack.class));
            raw.send(new Message.Heartbeat("Linux 6.8 amd64", List.of("10.1.2.3", "fd00::7"), "0.1.0", 0, 4096, 123_456_789,
                    System.currentTimeMillis()));
            raw.send(new Message.Batch(2, 2, 5, events.subList(1, 5))); // overlapping the first
            assertEquals(new Message.Ack(2, 5), raw.next(Message.Ack.class)); // frames are handled in order: the heartbeat too
        }
        assertEquals(5, journalCount("raw-01"));
        try (DataDir dir = DataDir.open(data)) {
            Access access = Access.over(dir, Clock.systemUTC());
            List<trailhound.access.Agents.Endpoint> found = access.agents().endpoints(access.scope(Caller.commandLine()), "10.1.2");
            assertEquals(1, found.size(), found.toString());
            trailhound.access.Agents.Endpoint e = found.getFirst();
            assertEquals("raw-01", e.name());
            assertTrue(e.online(), "a heartbeat in the last 30 s");
            assertEquals(List.of("10.1.2.3", "fd00::7"), e.addresses());
            assertEquals("Linux 6.8 amd64", e.os());
            assertEquals("0.1.0", e.agentVersion());
            assertEquals(123_456_789L, e.freeDisk());
            assertEquals(List.of(), access.agents().endpoints(access.scope(Caller.commandLine()), "no-such"));
        }
        try (RawAgent raw = new RawAgent(port)) {
            raw.hello();
            raw.send(new Message.Authenticate(agentId, secret));
            assertEquals(new Message.Authenticated("raw-01", 5), raw.next(Message.Authenticated.class));
            // a second agent with the same identity (a copied state folder) is refused while the first is connected
            try (RawAgent copy = new RawAgent(port)) {
                copy.hello();
                copy.send(new Message.Authenticate(agentId, secret));
                Message.Error taken = copy.next(Message.Error.class);
                assertEquals("agent_taken", taken.code(), taken.message());
                assertTrue(taken.message().contains("another agent with this identity (agent " + agentId + ", endpoint raw-01) is connected"
                        + " from 127.0.0.1 since 20"), taken.message());
                assertTrue(taken.message().contains("enrol this machine again with a new --token"), taken.message());
            }
            raw.send(new Message.Batch(3, 5, 5, events.subList(4, 5)));
            assertEquals(new Message.Ack(3, 5), raw.next(Message.Ack.class), "the first goes on undisturbed");
        }
        List<String> audited = new ArrayList<>();
        try (DataDir dir = DataDir.open(data)) {
            Access.over(dir, Clock.systemUTC()).audit().forEach(e -> audited.add(e.event().actor() + " " + e.event().action() + " "
                    + e.event().outcome() + " " + e.event().endpoint() + " " + e.event().detail()));
        }
        for (String expected : List.of("agent:" + agentId + " agent.enrol ok raw-01 endpoint raw-01 bound",
                "agent:" + agentId + " agent.authenticate failed raw-01 agent_taken: another agent with this identity")) {
            assertTrue(audited.stream().anyMatch(a -> a.startsWith(expected)), expected + " in " + audited);
        }
    }

    @Test
    @Order(2)
    void refusals_sayWhyAndAreAudited() throws Exception {
        refused(new Message.Hello(99, "future"), null, "version", "upgrade the server");
        refused(new Message.Hello(Protocol.CURRENT, "t"), enrol("te_nonsense", "x-01"), "bad_token", "malformed");
        refused(new Message.Hello(Protocol.CURRENT, "t"), enrol("te_0123456789abcdef_" + "A".repeat(43), "x-01"),
                "bad_token", "unknown enrolment token");
        String once = enrolmentToken("--uses", "1");
        try (RawAgent raw = new RawAgent(port)) {
            raw.hello();
            raw.send(enrol(once, "x-02"));
            raw.next(Message.Enrolled.class);
        }
        refused(new Message.Hello(Protocol.CURRENT, "t"), enrol(once, "x-03"), "bad_token", "used up");
        String expired;
        try (DataDir dir = DataDir.open(data)) {
            Access past = Access.over(dir, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
            expired = past.agents().create(Caller.commandLine(), null, Duration.ofHours(1), 1).secret();
        }
        refused(new Message.Hello(Protocol.CURRENT, "t"), enrol(expired, "x-04"), "bad_token", "is expired");
        refused(new Message.Hello(Protocol.CURRENT, "t"), new Message.Authenticate("a0000000000000000", "nope"), "unknown_agent",
                "unknown agent");
        refused(new Message.Hello(Protocol.CURRENT, "t"), new Message.Enrol(enrolmentToken(), "x-05", "h", "os", "a0123456789abcdef",
                "T".repeat(43)), "agent_taken", "is enrolled already");
        refused(new Message.Hello(Protocol.CURRENT, "t"), enrol(enrolmentToken(), "raw-01"), "name_taken",
                "belongs to another agent");

        // a wrong pin: the agent refuses the server in the TLS handshake, says why and stops
        Process wrongPin = agent(tmp.resolve("agent-pin"), "--token", enrolmentToken(), "--name", "pin-01", "--server-pin", "0".repeat(64));
        assertTrue(wrongPin.waitFor(60, TimeUnit.SECONDS), "the agent stops");
        assertEquals(2, wrongPin.exitValue());
        assertTrue(agentLogs().contains("is not the pinned sha256/AAAA"), agentLogs());
        assertTrue(Files.notExists(tmp.resolve("agent-pin").resolve("identity.properties")), "not enrolled");

        List<String> audited = new ArrayList<>();
        try (DataDir dir = DataDir.open(data)) {
            Access.over(dir, Clock.systemUTC()).audit().forEach(e -> audited.add(e.event().action() + " " + e.event().outcome() + " "
                    + e.event().detail()));
        }
        for (String expected : List.of("agent.connect failed protocol version 99", "agent.enrol failed malformed enrolment token",
                "agent.enrol failed unknown enrolment token", "agent.enrol failed enrolment token", "agent.authenticate failed unknown agent",
                "agent.enrol failed endpoint 'raw-01' belongs to another agent", "agent.enrol ok endpoint x-02",
                "agent.enrol failed agent id a0123456789abcdef is enrolled already",
                "enrolment-token.create ok")) {
            assertTrue(audited.stream().anyMatch(a -> a.startsWith(expected)), expected + " in " + audited);
        }
        assertTrue(audited.stream().anyMatch(a -> a.startsWith("agent.enrol failed") && a.contains("used up")), audited.toString());
        assertTrue(audited.stream().anyMatch(a -> a.startsWith("agent.enrol failed") && a.contains("is expired")), audited.toString());
    }

    @Test
    @Order(3)
    void connectingToAnOfflineOrRefusedAgent_failsSayingWhyAndWhatToCheck() throws Exception {
        String token = enrolmentToken("--uses", "3");
        String refusedId = "a00000000000000c1";
        String oldId = "a00000000000000c2";
        try (RawAgent raw = new RawAgent(port)) {
            raw.hello();
            raw.send(new Message.Enrol(token, "refused-01", "h", "os", refusedId, "R".repeat(43)));
            raw.next(Message.Enrolled.class);
        }
        try (RawAgent raw = new RawAgent(port)) {
            raw.hello();
            raw.send(new Message.Enrol(token, "old-01", "h", "os", oldId, "O".repeat(43)));
            raw.next(Message.Enrolled.class);
        }
        try (RawAgent raw = new RawAgent(port)) {
            raw.hello();
            raw.send(new Message.Enrol(token, "never-01", "h", "os", "a00000000000000c3", "N".repeat(43)));
            raw.next(Message.Enrolled.class);
        }
        try (DataDir dir = DataDir.open(data)) { // old-01 was last heard of an hour ago, from this address
            Access.over(dir, Clock.offset(Clock.systemUTC(), Duration.ofHours(-1))).agents().heartbeat(oldId, "Linux", List.of("127.0.0.1"),
                    "0.0.9", 0, 0);
        }
        refused(new Message.Hello(Protocol.CURRENT, "t"), new Message.Authenticate(refusedId, "W".repeat(43)), "unknown_agent",
                "wrong secret");
        refused(new Message.Hello(Protocol.CURRENT + 1, "9.0"), null, "version", "upgrade the server");

        String admin = apiToken("chief", null);
        String body = api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"never-01\",\"refused-01\",\"old-01\"]}");
        List<String> reasons = new ArrayList<>();
        Matcher m = Pattern.compile("\"state\":\"failed\",\"since\":\"[^\"]+\",\"reason\":\"([^\"]+)\"").matcher(body);
        while (m.find()) reasons.add(m.group(1));
        assertEquals(3, reasons.size(), body);
        assertTrue(reasons.get(0).startsWith("the endpoint is offline (its agent never connected): check that its agent runs"),
                reasons.get(0));
        assertTrue(reasons.get(1).contains("the server refused its agent: unknown agent"), reasons.get(1));
        assertTrue(reasons.get(2).startsWith("the endpoint is offline since ") && reasons.get(2).contains(
                "refused its agent (version 9.0) for a version mismatch: protocol version " + (Protocol.CURRENT + 1)), reasons.get(2));
        Matcher ids = Pattern.compile("\"id\":\"(c[0-9a-f]+)\"").matcher(body);
        while (ids.find()) assertEquals(204, status("DELETE", "/api/v1/live/connections/" + ids.group(1), admin, null));
        assertTrue(api("GET", "/api/v1/live/connections", admin, null).startsWith("{\"connections\":[]"));

        // revoked by the command line beside the running server: refused at its next heartbeat (audited), and connecting says so
        String revokedAgent = "a00000000000000c4";
        try (RawAgent raw = new RawAgent(port)) {
            raw.hello();
            raw.send(new Message.Enrol(enrolmentToken(), "revoked-01", "h", "os", revokedAgent, "K".repeat(43)));
            raw.next(Message.Enrolled.class);
            raw.next(Message.Authenticated.class);
            StringWriter out = new StringWriter();
            assertEquals(0, Main.run(new String[] {"agents", "revoke", "--data", data.toString(), revokedAgent}, new PrintWriter(out, true),
                    new PrintWriter(out, true)), out.toString());
            raw.send(new Message.Heartbeat("Linux", List.of(), "0.1.0", 0, 0, 0, System.currentTimeMillis()));
            Message.Error error = raw.next(Message.Error.class);
            assertEquals("unknown_agent", error.code(), error.message());
        }
        String revoked = api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"revoked-01\"]}");
        assertEquals("failed", field(revoked, "state"), revoked);
        String why = field(revoked, "reason");
        assertTrue(why.contains("agent " + revokedAgent + " (endpoint revoked-01) was revoked by ") && why.contains(" at 20")
                && why.contains("enrol with a new --token"), why);
        assertTrue(!why.contains("systemctl"), "nothing to check on the endpoint: " + why);
        assertEquals(204, status("DELETE", "/api/v1/live/connections/" + field(revoked, "id"), admin, null));
        List<String> audited = new ArrayList<>();
        try (DataDir dir = DataDir.open(data)) {
            Access.over(dir, Clock.systemUTC()).audit().forEach(e -> audited.add(e.event().actor() + " " + e.event().action() + " "
                    + e.event().outcome() + " " + e.event().endpoint() + " " + e.event().detail()));
        }
        String expected = "agent:" + revokedAgent + " agent.heartbeat failed revoked-01 unknown_agent: agent " + revokedAgent;
        assertTrue(audited.stream().anyMatch(a -> a.startsWith(expected)), expected + " in " + audited);
    }

    @Test
    @Order(3)
    void protocol1Agent_isRefusedSinceVersion3_sayingUpgradeTheAgent() throws Exception {
        // a server accepts the current version and the one before: version 3 (requests) leaves version 1 behind
        refused(new Message.Hello(1, "0.0.9"), null, "version", "upgrade the agent");
    }

    @Test
    @Order(4)
    void connection_catchesUpNewestFirst_resumesBothEnds_closesWhenIdle_andOnlyForTheCallersGroups() throws Exception {
        Path state = tmp.resolve("agent-conn");
        Process agent = agent(state, "--token", enrolmentToken(), "--name", "conn-01", "--replay", sample.toString(), "--rate", "100000",
                "--batch", "20");
        long total = sourceEvents();
        List<String> order = sourceUids();
        String admin = apiToken("chief-2", null);
        waitFor("the replay into the agent's store", () -> logs().contains("complete (" + total + " events)"));
        waitFor("the agent online", () -> api("GET", "/api/v1/live/endpoints?q=conn-0", admin, null).contains("\"online\":true"));
        Thread.sleep(1_000); // a stream would show by now
        assertEquals(0, journalCount("conn-01"), "no events leave the endpoint before an analyst connects");

        // an analyst outside the endpoint's groups can neither find it nor connect to it
        String outsider = apiToken("outsider", "Elsewhere");
        assertEquals("{\"endpoints\":[]}", api("GET", "/api/v1/live/endpoints?q=conn-0", outsider, null));
        assertEquals(404, status("POST", "/api/v1/live/connections", outsider, "{\"endpoints\":[\"conn-01\"]}"));
        assertEquals(0, journalCount("conn-01"));

        String opened = api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"conn-01\"]}");
        String id = field(opened, "id");
        assertEquals("connected", field(opened, "state"), opened);
        assertEquals("{\"connections\":[],\"idle_seconds\":" + IDLE.toSeconds() + "}",
                api("GET", "/api/v1/live/connections", outsider, null), "not listed for the outsider");
        assertEquals(404, status("DELETE", "/api/v1/live/connections/" + id, outsider, null));
        Thread activity = Thread.ofPlatform().daemon().start(() -> { // an analyst searching: keeps the connection open
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    status("GET", "/api/v1/endpoints/conn-01/count?q=type:process", admin, null);
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the index does not exist yet: try again
                }
            }
        });
        try {
            waitFor("the first events", () -> journalCount("conn-01") > 0);
            agent.destroyForcibly().waitFor(); // kill -9 during the catch-up
            long afterKill = journalCount("conn-01");
            assertTrue(afterKill < total, "killed during the catch-up: " + afterKill + " of " + total);
            List<String> first = journalUids("conn-01", 20);
            assertEquals(order.subList(order.size() - 20, order.size()), first, "the newest events arrive first");
            waitFor("the newest event searchable", () -> count("conn-01", "event_uid:" + order.getLast(), admin) == 1);
            assertEquals(0, count("conn-01", "event_uid:" + order.getFirst(), admin), "the oldest not yet: it comes last");
            String during = api("GET", "/api/v1/live/connections", admin, null);
            assertTrue(during.contains("\"running\":true") && during.contains("\"total\":" + total), during);

            agent = agent(state, "--replay", sample.toString(), "--rate", "100000", "--batch", "20");
            waitFor("more of the catch-up after the restart", () -> journalCount("conn-01") > afterKill + 300);
            int before = proxy.accepted();
            proxy.cutAll();
            waitFor("the agent to reconnect", () -> proxy.accepted() > before);
            waitFor("every event", () -> journalCount("conn-01") >= total);
            Thread.sleep(1_500); // a duplicate would arrive with the next batches: give it the chance to show
            assertEquals(total, journalCount("conn-01"), "no event lost or duplicated across the kill and the cut");
            assertEquals(new java.util.TreeSet<>(order), new java.util.TreeSet<>(journalUids("conn-01", Integer.MAX_VALUE)));
            waitFor("all searchable", () -> count("conn-01", "", admin) == total);
            String done = api("GET", "/api/v1/live/connections", admin, null);
            assertTrue(done.contains("\"done\":" + total + ",\"total\":" + total + ",\"running\":false"), done);
            assertEquals("connected", field(done, "state"), done);
        } finally {
            activity.interrupt();
            activity.join();
        }

        // no analyst activity: the connection closes, says why, and the agent stops sending; its events stay on it
        assertEquals("{\"events\":" + total + ",\"connected\":true}", api("GET", "/api/v1/live/endpoints/conn-01/journal", admin, null),
                "what an open grid polls for its \"n new events\"");
        waitFor("the idle connection to close", () -> { // the pages' polling meanwhile is not activity
            api("GET", "/api/v1/live/endpoints/conn-01/journal", admin, null);
            return api("GET", "/api/v1/live/connections", admin, null).contains("\"state\":\"closed\"");
        });
        assertEquals("{\"events\":" + total + ",\"connected\":false}", api("GET", "/api/v1/live/endpoints/conn-01/journal", admin, null));
        String closed = api("GET", "/api/v1/live/connections", admin, null);
        assertTrue(field(closed, "reason").contains("closed after " + IDLE.toSeconds() + " seconds without analyst activity"), closed);
        waitFor("the agent to hear stop", () -> logs().contains("stream stopped"));
        addToAgentStore(state, "late-1", "late-2", "late-3");
        Thread.sleep(1_500);
        assertEquals(total, journalCount("conn-01"), "nothing sent after the connection closed");
        String reopened = api("POST", "/api/v1/live/connections", admin, "{\"endpoints\":[\"conn-01\"]}");
        Thread searching = keepActive("conn-01", admin); // the analyst works on it: it stays open for what follows
        assertEquals(id, field(reopened, "id"), "the analyst's row on this endpoint is reused, not a second one: " + reopened);
        assertTrue(!reopened.contains("\"total\":" + total), "the previous catch-up's figures are not this connection's: " + reopened);
        waitFor("the events recorded meanwhile", () -> journalCount("conn-01") == total + 3);
        waitFor("this connection's own catch-up", () -> api("GET", "/api/v1/live/connections", admin, null)
                .contains("\"done\":3,\"total\":3,\"running\":false"));
        assertEquals(1, Pattern.compile("\"endpoint\":\"conn-01\"").matcher(api("GET", "/api/v1/live/connections", admin, null)).results()
                .count(), "one row for the analyst on conn-01");

        // the state folder copied to another machine: the copy is refused while the original is connected, audited, and backs off
        Path copy = Files.createDirectories(tmp.resolve("agent-copy"));
        Files.copy(state.resolve("identity.properties"), copy.resolve("identity.properties"));
        Process copied = agent(copy, "--replay", sample.toString(), "--rate", "1");
        // twice refused and twice told when it retries: the second "reconnecting" line comes just after the refusal's
        Pattern refusedThenWait = Pattern.compile("agent_taken\\).*\\n.*reconnecting in (\\d+) ms");
        waitFor("the copy refused twice", () -> refusedThenWait.matcher(logs()).results().count() >= 2);
        assertTrue(copied.isAlive(), "it retries: the other may be the one to go");
        List<Long> waits = refusedThenWait.matcher(logs()).results().map(r -> Long.parseLong(r.group(1))).toList();
        assertTrue(waits.size() >= 2 && waits.get(1) >= 1_000, "backing off, not a tight loop: " + waits);
        copied.destroyForcibly().waitFor();
        assertEquals("connected", field(row(api("GET", "/api/v1/live/connections", admin, null), id), "state"), "the original stays connected");

        // SIGTERM: the agent finishes, closes with 1001 (going away), and the server calls it a clean disconnect
        agent.destroy();
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "the agent stops on SIGTERM");
        assertTrue(logs().contains("closing the connection (1001, going away)"), logs());
        waitFor("the server to hear it", () -> field(row(api("GET", "/api/v1/live/connections", admin, null), id), "state").equals("attempted"));
        String left = row(api("GET", "/api/v1/live/connections", admin, null), id);
        assertTrue(field(left, "reason").contains("the agent stopped: it closed its connection cleanly (1001, going away"), left);
        searching.interrupt();
        searching.join();
        assertEquals(204, status("DELETE", "/api/v1/live/connections/" + id, admin, null));
        assertEquals(404, status("DELETE", "/api/v1/live/connections/" + id, admin, null));
        assertTrue(api("GET", "/api/v1/live/connections", admin, null).startsWith("{\"connections\":[]"));

        List<String> audited = new ArrayList<>();
        try (DataDir dir = DataDir.open(data)) {
            Access.over(dir, Clock.systemUTC()).audit().forEach(e -> audited.add(e.event().actor() + " " + e.event().action() + " "
                    + e.event().outcome() + " " + e.event().endpoint() + " " + e.event().detail()));
        }
        for (String expected : List.of("chief-2 live.connect ok conn-01", "server live.disconnect ok null conn-01: connection " + id,
                "chief-2 live.disconnect ok conn-01 connection " + id + " deleted", "outsider access.denied denied conn-01",
                "agent:" + agentIdOf(state) + " agent.authenticate failed conn-01 agent_taken: another agent with this identity")) {
            assertTrue(audited.stream().anyMatch(a -> a.startsWith(expected)), expected + " in " + audited);
        }
    }

    /** Searches on the endpoint every 300 ms until interrupted: analyst activity, which keeps its connections open. */
    private Thread keepActive(String endpoint, String token) {
        return Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    status("GET", "/api/v1/endpoints/" + endpoint + "/count?q=type:process", token, null);
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // not answered now: try again
                }
            }
        });
    }

    private static String agentIdOf(Path state) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(state.resolve("identity.properties"))) {
            p.load(r);
        }
        return p.getProperty("agent_id");
    }

    /** Events put into the agent's send queue meanwhile (the store is SQLite; the agent sends what its queue holds). */
    private static void addToAgentStore(Path state, String... uids) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + state.resolve("store.db"));
             java.sql.PreparedStatement p = c.prepareStatement("INSERT INTO queue(fields) VALUES (?)")) {
            for (String uid : uids) {
                p.setString(1, "{\"event_uid\":\"" + uid + "\",\"ts\":\"" + System.currentTimeMillis()
                        + "\",\"type\":\"process\",\"operation\":\"start\"}");
                p.executeUpdate();
            }
        }
    }

    /** The source's uids in the order the replay reads (and the agent numbers) them. */
    private List<String> sourceUids() {
        List<String> out = new ArrayList<>();
        try (RecorderReader reader = RecorderReader.open(sample)) {
            reader.read("x", 0, e -> out.add(e.uid()));
        }
        return out;
    }

    /** The uids of the journal's first {@code n} rows, in the order they arrived (batch by batch). */
    private List<String> journalUids(String endpoint, int n) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("endpoints").resolve(endpoint).resolve("journal.db"));
             java.sql.PreparedStatement p = c.prepareStatement("SELECT uid FROM events ORDER BY seq LIMIT ?")) {
            p.setInt(1, n);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** An API token of a new user: an administrator, or (with {@code group}) an analyst granted that group (made, empty). */
    private String apiToken(String user, String group) {
        try (DataDir dir = DataDir.open(data)) {
            Access access = Access.over(dir, Clock.systemUTC());
            if (group != null) access.groups().create(Caller.commandLine(), group, null, List.of());
            access.accounts().create(Caller.commandLine(), user, group == null ? trailhound.access.Role.ADMINISTRATOR
                    : trailhound.access.Role.ANALYST, group == null ? List.of() : List.of(group), "a long enough password 7", false);
            return access.tokens().create(Caller.commandLine(), user, "live test", 1).secret();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long count(String endpoint, String query, String token) {
        try {
            String body = api("GET", "/api/v1/endpoints/" + endpoint + "/count?q=" + java.net.URLEncoder.encode(query,
                    java.nio.charset.StandardCharsets.UTF_8), token, null);
            return Long.parseLong(field(body, "total"));
        } catch (AssertionError e) {
            return -1; // no index yet
        }
    }

    private static final java.net.http.HttpClient HTTP = LiveTests.HTTPS;

    private java.net.http.HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        return LiveTests.send(port, method, path, token, json);
    }

    /** Signs in as a browser does (the login form's double-submit token, then the form); returns the session cookie. */
    private String signIn(String user, String password) throws Exception {
        java.net.http.HttpResponse<String> form = HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("https://127.0.0.1:" + port + "/login")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(token.find(), form.body());
        String body = "username=" + user + "&password=" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
                + "&_csrf=" + java.net.URLEncoder.encode(token.group(1), java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> in = HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("https://127.0.0.1:" + port + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "th_login=" + token.group(1)).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(303, in.statusCode(), in.body());
        String cookie = in.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("th_session=")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie: " + in.headers()));
        return cookie.substring(0, cookie.indexOf(';'));
    }

    /** A GET as the browser with {@code cookie} sends it. */
    private java.net.http.HttpResponse<String> web(String path, String cookie) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + port + path))
                .header("Cookie", cookie).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private int status(String method, String path, String token, String json) throws Exception {
        return send(method, path, token, json).statusCode();
    }

    /** The body of a 2xx answer (an AssertionError otherwise). */
    private String api(String method, String path, String token, String json) {
        return LiveTests.api(port, method, path, token, json);
    }

    /** The first value of {@code "name"} in a JSON text (a string's content, or a number). */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([-0-9.]+))").matcher(json);
        if (!m.find()) throw new AssertionError("no " + name + " in " + json);
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The connection {@code id}'s object in a listing (an AssertionError when it is not listed). */
    private static String row(String listing, String id) {
        int at = listing.indexOf("{\"id\":\"" + id + "\"");
        if (at < 0) throw new AssertionError("connection " + id + " not listed: " + listing);
        int next = listing.indexOf("{\"id\":", at + 1);
        return listing.substring(at, next < 0 ? listing.length() : next);
    }

    /** An enrolment with a new identity. */
    private static Message.Enrol enrol(String token, String name) {
        return new Message.Enrol(token, name, "h", "os", "a" + java.util.HexFormat.of().toHexDigits(System.nanoTime()),
                "x".repeat(43));
    }

    private void refused(Message hello, Message admission, String code, String reason) throws Exception {
        try (RawAgent raw = new RawAgent(port)) {
            raw.send(hello);
            if (admission != null) {
                raw.next(Message.Welcome.class);
                raw.send(admission);
            }
            Message.Error error = raw.next(Message.Error.class);
            assertEquals(code, error.code(), error.message());
            assertTrue(error.message().contains(reason), error.message());
        }
    }

    private String logs() {
        try {
            return agentLogs();
        } catch (IOException e) {
            return "";
        }
    }

    private String agentLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var logs = Files.list(tmp)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("agent-") && f.toString().endsWith(".log")).toList()) {
                all.append(read(log));
            }
        }
        return all.toString();
    }

    // --- helpers

    private Process startServer(int port) throws Exception {
        return startServer(port, IDLE.toSeconds() + "s");
    }

    private Process startServer(int port, String idle) throws Exception {
        Path log = tmp.resolve("server-" + System.nanoTime() + ".log");
        Process p = java(log, "trailhound.app.Main", "serve", "--data", data.toString(), "--port", Integer.toString(port),
                "--live-idle", idle);
        waitFor("the server to listen on " + port, () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                if (!p.isAlive()) throw new AssertionError("the server exited: " + read(log));
                return false;
            }
        });
        return p;
    }

    /** Stops the server (the last test does; the class's end kills what is left). */
    private void stopServer() throws InterruptedException {
        server.destroy(); // SIGTERM: the shutdown hook closes the server and the data folder
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stops");
    }

    private Process agent(Path state, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("agent", "--server", "https://127.0.0.1:" + proxy.port(), "--state", state.toString()));
        all.addAll(List.of(args));
        Process p = java(tmp.resolve("agent-" + System.nanoTime() + ".log"), "trailhound.agent.AgentMain",
                all.subList(1, all.size()).toArray(String[]::new));
        agents.add(p);
        return p;
    }

    private Process java(Path log, String main, String... args) throws IOException {
        return LiveTests.java(log, main, args);
    }

    private String enrolmentToken(String... args) {
        List<String> all = new ArrayList<>(List.of("tokens", "create", "--data", data.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        Matcher m = SECRET.matcher(out.toString());
        assertTrue(m.find(), out.toString());
        assertTrue(out.toString().startsWith("enrolment token "), out.toString());
        return m.group(1);
    }

    private long journalCount(String endpoint) {
        Path journal = data.resolve("endpoints").resolve(endpoint).resolve("journal.db");
        if (!Files.exists(journal)) return 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + journal);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // being created
        }
    }

    private long indexedThrough(String endpoint) {
        return journalLong(endpoint, "SELECT coalesce(max(seq), 0) FROM indexed");
    }

    private long lastSeq(String endpoint) {
        return journalLong(endpoint, "SELECT coalesce(max(seq), 0) FROM events");
    }

    private long journalLong(String endpoint, String sql) {
        Path journal = data.resolve("endpoints").resolve(endpoint).resolve("journal.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + journal);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // busy: asked again
        }
    }

    private long sourceEvents() {
        try (RecorderReader reader = RecorderReader.open(sample)) {
            return reader.eventCount();
        }
    }

    /** The replayed file's events by uid, as they should arrive: endpoint and source the live ones, ts left out. */
    private Map<String, Map<String, String>> sourceEvents(String endpoint) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (RecorderReader reader = RecorderReader.open(sample)) {
            reader.read("x", 0, e -> out.put(e.uid(), comparable(e.toBuilder().set(Field.ENDPOINT, endpoint).set(Field.SOURCE, "live").build())));
        }
        return out;
    }

    private Map<String, Map<String, String>> indexedEvents(String endpoint) throws IOException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (DataDir dir = DataDir.open(data); IndexBackend.Lease lease = dir.indexes().acquire(endpoint)) {
            PageCursor after = null;
            do {
                EventPage page = lease.index().search(null, 1_000, after);
                for (Event e : page.events()) {
                    assertTrue(out.put(e.uid(), comparable(e)) == null, "uid " + e.uid() + " twice in the index");
                }
                after = page.next();
            } while (after != null);
        }
        return out;
    }

    private static Map<String, String> comparable(Event e) {
        Map<String, String> m = new HashMap<>(e.toMap());
        m.remove(Field.TS.canonicalName());
        return new TreeMap<>(m);
    }

    private static void waitFor(String what, LiveTests.Check done) throws Exception {
        LiveTests.waitFor(what, PATIENCE, done);
    }

    private static String read(Path log) {
        return LiveTests.read(log);
    }
}
