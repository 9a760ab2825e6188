package trailhound.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.app.Main;
import trailhound.ingest.DataDir;

/**
 * Protection policies end to end: a real server ({@code trailhound serve}) and a real agent process
 * recording this machine on loopback. Policies made through the API reach the connected agent; a copy
 * of {@code sleep} under a name a block rule matches is stopped (SIGKILL) and the event recorded; an
 * alert rule records without stopping; a process no rule matches is left alone; a disabled policy stops
 * nothing more; the events are searchable ({@code type:policy}) through the API and alerted.
 *
 * <p>The endpoint's group streams only while an analyst is connected, and nobody connects: policy events
 * reach the server at once all the same (protocol 4's {@code priority}). When the group is later set to
 * stream, the same events come again in the batches and are held once, in journal and index alike.
 *
 * <p>No timing is asserted. "Left alone" is shown by order instead: the agent looks at new processes in
 * the order of its scans, so once it has recorded an event for a process started after another, it has
 * looked at the other too.
 */
@EnabledOnOs(OS.LINUX)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyEnforcementTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINT = "guard-01";
    private static final String GROUP = "Protected";
    private static final String PASSWORD = "a long enough password 7";

    @TempDir static Path tmp;
    private Path data;
    private Path bin;
    private int port;
    private Process server;
    private Process agent;
    private Path agentLog;
    private String admin;
    private String analyst;
    /** The administrator signed in (cookie and CSRF token): only a session changes what agents enforce. */
    private HttpClient session;
    private String csrf;
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        data = tmp.resolve("data");
        bin = Files.createDirectories(tmp.resolve("bin"));
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path log = tmp.resolve("server.log");
        server = java(log, "trailhound.app.Main", "serve", "--data", data.toString(), "--port", Integer.toString(port));
        waitFor("the server to listen on " + port, () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                if (!server.isAlive()) throw new AssertionError("the server exited: " + read(log));
                return false;
            }
        });
        String token = enrolmentToken();
        admin = apiToken("chief", Role.ADMINISTRATOR, null);
        analyst = apiToken("ana", Role.ANALYST, GROUP);
        signIn("chief");
        agentLog = tmp.resolve("agent.log");
        agent = java(agentLog, "trailhound.agent.AgentMain", "--server", "https://127.0.0.1:" + port, "--state",
                tmp.resolve("agent-state").toString(), "--token", token, "--name", ENDPOINT, "--poll-interval", "1000",
                "--enforce-interval", "100");
        waitFor("the agent to connect", () -> read(agentLog).contains("connected to"));
    }

    @AfterAll
    void stop() throws Exception {
        if (Boolean.getBoolean("trailhound.showLogs")) {
            System.out.println("==== server\n" + read(tmp.resolve("server.log")) + "\n==== agent\n" + read(agentLog));
        }
        for (Process p : started) p.destroyForcibly().waitFor();
        if (agent != null) agent.destroyForcibly().waitFor();
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
        }
    }

    @Test
    void blockStopsAMatchingChild_alertOnlyRecords_othersAreLeftAlone_andTheEventsAreSearchable() throws Exception {
        // an analyst proposes (disabled only); an administrator enables
        String blockBody = "{\"name\":\"No blockme\",\"action\":\"block\",\"enabled\":true,\"groups\":[\"" + GROUP + "\"],"
                + "\"rules\":[{\"path\":\"" + bin + "/th-blockme-*\"}]}";
        assertEquals(403, send("POST", "/api/v1/policies", analyst, blockBody).statusCode(), "only an administrator enables a policy");
        JsonNode proposed = JSON.readTree(api("POST", "/api/v1/policies", analyst, blockBody.replace("\"enabled\":true", "\"enabled\":false")));
        assertFalse(proposed.path("enabled").asBoolean());
        assertEquals(403, send("POST", "/api/v1/policies/" + proposed.path("id").asLong() + "/enable", analyst, null).statusCode());
        assertEquals(403, send("POST", "/api/v1/policies/" + proposed.path("id").asLong() + "/enable", admin, null).statusCode(),
                "never with an API token, even an administrator's");
        assertEquals(400, send("POST", "/api/v1/policies", admin, "{\"name\":\"Bad\",\"action\":\"block\",\"groups\":[\"" + GROUP + "\"],"
                + "\"rules\":[{\"command_line\":\"/(a/\"}]}").statusCode(), "a regex that does not parse is refused");

        JsonNode enabled = JSON.readTree(signedIn("/api/v1/policies/" + proposed.path("id").asLong() + "/enable", "{}"));
        assertTrue(enabled.path("enabled").asBoolean());
        waitFor("the agent to receive the block policy", () -> read(agentLog).contains("policies received: 1 (No blockme: block"));

        Path innocent = copyOfSleep("th-innocent-");
        Path blockme = copyOfSleep("th-blockme-");
        Process left = run(innocent, "300");
        Process victim = run(blockme, "300");
        assertTrue(victim.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the matching process was stopped");
        assertEquals(128 + 9, victim.exitValue(), "by SIGKILL");
        Map<String, String> stopped = one("the block event", e -> "policy".equals(e.get("type")) && blockme.toString().equals(e.get("process_path")));
        assertEquals("block", stopped.get("operation"));
        assertEquals("block", stopped.get("action"));
        assertEquals("stopped", stopped.get("outcome"));
        assertEquals("No blockme", stopped.get("policy"));
        assertTrue(stopped.get("rule").endsWith("path=" + bin + "/th-blockme-*"), stopped.get("rule"));
        assertEquals(Long.toString(victim.pid()), stopped.get("pid"));
        assertEquals(blockme + " 300", stopped.get("command_line"));
        assertEquals(Long.toString(ProcessHandle.current().pid()), stopped.get("ppid"));
        assertTrue(left.isAlive(), "a process no rule matches, started before the stopped one, is left alone");
        assertTrue(journal(e -> "policy".equals(e.get("type")) && innocent.toString().equals(e.get("process_path"))).isEmpty());

        // a policy change reaches the connected agent: an alert policy on the command line
        JsonNode alert = JSON.readTree(signedIn("/api/v1/policies", "{\"name\":\"Watch alertme\",\"action\":\"alert\","
                + "\"enabled\":true,\"groups\":[\"" + GROUP + "\"],\"rules\":[{\"command_line\":\"/.*th-alertme-\\\\d+ 3\\\\d\\\\d/\"}]}"));
        assertEquals("alert", alert.path("action").asText());
        waitFor("the agent to receive both policies", () -> read(agentLog).contains("policies received: 2"));
        Path alertme = copyOfSleep("th-alertme-");
        Process watched = run(alertme, "301");
        Map<String, String> alerted = one("the alert event", e -> "policy".equals(e.get("type")) && alertme.toString().equals(e.get("process_path")));
        assertEquals("alerted", alerted.get("outcome"));
        assertEquals("Watch alertme", alerted.get("policy"));
        assertEquals(Long.toString(watched.pid()), alerted.get("pid"));
        assertTrue(watched.isAlive(), "an alert does not stop the process");

        // disabled: the block policy stops nothing more (seen by order: the alert after it was recorded)
        signedIn("/api/v1/policies/" + proposed.path("id").asLong() + "/disable", "{}");
        waitFor("the agent to receive the alert policy alone", () -> read(agentLog).contains("policies received: 1 (Watch alertme"));
        Process spared = run(blockme, "302");
        Process second = run(alertme, "303");
        one("the second alert", e -> "policy".equals(e.get("type")) && Long.toString(second.pid()).equals(e.get("pid")));
        assertTrue(spared.isAlive(), "a disabled policy blocks nothing");
        assertTrue(journal(e -> "policy".equals(e.get("type")) && Long.toString(spared.pid()).equals(e.get("pid"))).isEmpty());

        // searchable through the API
        waitFor("the block event in the index", () -> count("type:policy AND outcome:stopped") == 1);
        waitFor("both alerts in the index", () -> count("type:policy AND action:alert AND policy:\"Watch alertme\"") == 2);
        assertEquals(0, count("type:policy AND process_path:*th-innocent*"));
        assertEquals(1, count("type:policy AND process_path:*th-blockme*"), "the stopped one only: the spared one left no event");
        JsonNode policies = JSON.readTree(api("GET", "/api/v1/policies", analyst, null));
        assertEquals(2, policies.path("policies").size(), policies.toString());

        // each block and alert event raised an alert under its policy (the Alerts page's list)
        waitFor("the policies' alerts", () -> policyAlertEvents("Watch alertme") == 2 && policyAlertEvents("No blockme") == 1);
        JsonNode alerts = JSON.readTree(api("GET", "/api/v1/alerts", analyst, null)).path("alerts");
        for (JsonNode a : alerts) {
            if (!"policy".equals(a.path("rule").path("kind").asText())) continue;
            String name = a.path("rule").path("name").asText();
            long id = StreamSupport.stream(policies.path("policies").spliterator(), false).filter(p -> p.path("name").asText().equals(name))
                    .findFirst().orElseThrow().path("id").asLong();
            assertEquals(id, a.path("rule").path("id").asLong(), a.toString());
            assertEquals(ENDPOINT, a.path("endpoint").asText(), a.toString());
        }
        assertTrue(positions().isEmpty() || positions().get(0) == 0, "nobody connected: the agent never streamed " + positions());

        // streaming later: the events sent at once come again in the batches and are held once
        Path later = copyOfSleep("th-later-");
        Process after = run(later, "304");
        assertEquals(0, Main.run(new String[] {"groups", "set-stream", "--data", data.toString(), "--name", GROUP, "--stream", "always"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true)));
        waitFor("the stream to catch up past a process started later", () -> {
            List<Long> p = positions();
            return !p.isEmpty() && p.get(0) > 0 && p.get(1) == 0
                    && !journal(e -> "process".equals(e.get("type")) && later.toString().equals(e.get("process_path"))).isEmpty();
        });
        after.destroyForcibly();
        long policyEvents = journal(e -> "policy".equals(e.get("type"))).size();
        assertEquals(3, policyEvents, "the block, the two alerts, each once");
        long journalled = journal(e -> true).size();
        waitFor("the index to take what the journal held then", () -> count("") >= journalled);
        assertEquals(policyEvents, count("type:policy"), "each policy event indexed once");
        assertEquals(1, count("type:policy AND outcome:stopped"));
        assertEquals(1, policyAlertEvents("No blockme"), "alerted once");
        assertEquals(2, policyAlertEvents("Watch alertme"));

        // a changed block rule stops blocking what it no longer names and blocks what it now names; a deleted policy ends
        // (try-out: policies could be neither changed nor deleted)
        long blockId = proposed.path("id").asLong();
        signedIn("/api/v1/policies/" + blockId + "/enable", "{}");
        waitFor("the agent to receive the block policy again", () -> lastReceived().startsWith("policies received: 2 ("));
        long ruleId = proposed.path("rules").get(0).path("id").asLong();
        JsonNode changed = JSON.readTree(signedIn("PUT", "/api/v1/policies/" + blockId, "{\"name\":\"No other\",\"rules\":[{\"id\":" + ruleId
                + ",\"path\":\"" + bin + "/th-other-*\"}]}"));
        assertEquals("No other", changed.path("name").asText());
        waitFor("the agent to receive the changed rule", () -> lastReceived().contains("No other: block"));
        Path other = copyOfSleep("th-other-");
        Process nowSpared = run(blockme, "305");
        Process nowBlocked = run(other, "306");
        assertTrue(nowBlocked.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the changed rule's process was stopped");
        assertEquals(128 + 9, nowBlocked.exitValue(), "by SIGKILL");
        Map<String, String> changedStop = one("the changed rule's block event", e -> "policy".equals(e.get("type"))
                && Long.toString(nowBlocked.pid()).equals(e.get("pid")));
        assertEquals("No other", changedStop.get("policy"));
        assertTrue(nowSpared.isAlive(), "what the rule no longer names runs on (started first, so seen first)");

        assertEquals(204, sendSignedIn("DELETE", "/api/v1/policies/" + blockId, null).statusCode());
        waitFor("the agent to receive the set without it", () -> lastReceived().startsWith("policies received: 1 (Watch alertme"));
        Process afterDelete = run(other, "307");
        Process marker = run(alertme, "308");
        one("the alert after the delete", e -> "policy".equals(e.get("type")) && Long.toString(marker.pid()).equals(e.get("pid")));
        assertTrue(afterDelete.isAlive(), "a deleted policy blocks nothing");
        assertTrue(journal(e -> "policy".equals(e.get("type")) && Long.toString(afterDelete.pid()).equals(e.get("pid"))).isEmpty());
    }

    /** The agent's last "policies received" log line, or "". */
    private String lastReceived() {
        String last = "";
        for (String line : read(agentLog).split("\n")) {
            int at = line.indexOf("policies received: ");
            if (at >= 0) last = line.substring(at);
        }
        return last;
    }

    /** The agent's positions in the endpoint's journal: acknowledged, backfill (empty: it never sent a batch). */
    private List<Long> positions() {
        Path journal = data.resolve("endpoints").resolve(ENDPOINT).resolve("journal.db");
        if (!Files.exists(journal)) return List.of();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + journal);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT acknowledged, backfill FROM positions")) {
            return rs.next() ? List.of(rs.getLong(1), rs.getLong(2)) : List.of();
        } catch (java.sql.SQLException e) {
            return List.of(); // being created
        }
    }

    /** Events named by the alerts of the policy {@code name}, over all its alerts. */
    private long policyAlertEvents(String name) {
        long n = 0;
        JsonNode alerts;
        try {
            alerts = JSON.readTree(api("GET", "/api/v1/alerts", analyst, null)).path("alerts");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (JsonNode a : alerts) {
            if ("policy".equals(a.path("rule").path("kind").asText()) && name.equals(a.path("rule").path("name").asText())) n += a.path("events").asLong();
        }
        return n;
    }

    private void signIn(String user) throws Exception {
        session = HttpClient.newBuilder().sslContext(tls()).cookieHandler(new java.net.CookieManager()).build();
        String form = session.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
        assertTrue(m.find(), form);
        String body = "_csrf=" + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8) + "&username=" + user + "&password="
                + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        HttpResponse<String> done = session.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, done.statusCode(), done.body());
        String page = session.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/policies")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page); // the sign-out form's
        assertTrue(token.find(), page);
        csrf = token.group(1);
    }

    /** POSTs JSON in the administrator's session; the body of a 2xx answer. */
    private String signedIn(String path, String json) throws Exception {
        return signedIn("POST", path, json);
    }

    /** Sends JSON with {@code method} in the administrator's session; the body of a 2xx answer. */
    private String signedIn(String method, String path, String json) throws Exception {
        HttpResponse<String> r = sendSignedIn(method, path, json);
        if (r.statusCode() / 100 != 2) throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private HttpResponse<String> sendSignedIn(String method, String path, String json) throws Exception {
        return session.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Path copyOfSleep(String prefix) throws IOException {
        Path copy = bin.resolve(prefix + System.nanoTime());
        Files.copy(Path.of("/bin/sleep").toRealPath(), copy, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }

    private Process run(Path program, String arg) throws IOException {
        Process p = new ProcessBuilder(program.toString(), arg).start();
        started.add(p);
        return p;
    }

    private long count(String query) {
        try {
            HttpResponse<String> r = send("GET", "/api/v1/endpoints/" + ENDPOINT + "/count?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8),
                    admin, null);
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("total").asLong() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Waits for the one journal event that {@code match} describes; fails if there are two. */
    private Map<String, String> one(String what, Predicate<Map<String, String>> match) throws Exception {
        waitFor(what, () -> !journal(match).isEmpty());
        Map<String, Map<String, String>> found = journal(match);
        assertEquals(1, found.size(), what + " once: " + found.values());
        return found.values().iterator().next();
    }

    /** The endpoint's journal events (uid -> fields) that match. */
    private Map<String, Map<String, String>> journal(Predicate<Map<String, String>> match) {
        Path journal = data.resolve("endpoints").resolve(ENDPOINT).resolve("journal.db");
        Map<String, Map<String, String>> out = new HashMap<>();
        if (!Files.exists(journal)) return out;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + journal);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT uid, ts, fields FROM events")) {
            while (rs.next()) {
                Map<String, String> f = new HashMap<>(JSON.readValue(rs.getString(3), new TypeReference<Map<String, String>>() {}));
                f.put("ts", Long.toString(rs.getLong(2)));
                if (match.test(f)) out.put(rs.getString(1), f);
            }
        } catch (java.sql.SQLException | IOException e) {
            return out; // being created
        }
        return out;
    }

    /** An API token of a new user of {@code role}, granted {@code group} when given. */
    private String apiToken(String user, Role role, String group) throws IOException {
        try (DataDir dir = DataDir.open(data)) {
            Access access = Access.over(dir, Clock.systemUTC());
            access.accounts().create(Caller.commandLine(), user, role, group == null ? List.of() : List.of(group), PASSWORD, false);
            return access.tokens().create(Caller.commandLine(), user, "policy test", 1).secret();
        }
    }

    /** A token into a group that streams only while an analyst is connected (nobody here is). */
    private String enrolmentToken() {
        LiveTests.cli("groups", "add", "--data", data.toString(), "--name", GROUP, "--stream", "connected");
        return LiveTests.enrolmentToken(data, "--group", GROUP);
    }

    private static javax.net.ssl.SSLContext tls() {
        return LiveTests.trusting();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().sslContext(tls()).build();

    private HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        return LiveTests.send(port, method, path, token, json);
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
