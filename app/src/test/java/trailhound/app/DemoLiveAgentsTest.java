package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's live agents, for real: {@code demo} runs in its own JVM (as bin/trailhound runs it),
 * starts its replay agents as child JVMs, and Live Endpoints sees them online with events arriving;
 * stopping the demo (SIGTERM, as Ctrl-C) stops them, leaving no JVM behind. Then an agent revoked
 * from the command line is refused with the reason.
 */
class DemoLiveAgentsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void demo_startsReplayAgentsThatStream_stoppingTheDemoStopsThem_aRevokedAgentIsRefused() throws Exception {
        Path data = tmp.resolve("data");
        Cli prepared = Cli.run("demo", "--data", data.toString(), "--endpoints", "2", "--events", "4000", "--no-serve");
        assertEquals(0, prepared.status(), prepared.err());
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path out = tmp.resolve("demo.out");
        Path err = tmp.resolve("demo.err");
        Process demo = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "--add-modules", "jdk.incubator.vector", "-Xmx384m", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "trailhound.app.Main", "demo", "--data", data.toString(), "--port", Integer.toString(port))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        List<ProcessHandle> agents = new ArrayList<>();
        try {
            waitFor("the demo to start its agents", () -> read(out).contains("Press Ctrl-C"), demo, err);
            assertTrue(read(out).contains("Live agents: demo-live-1"), read(out));
            List<String> names = DemoAgents.RECORD_THIS_MACHINE ? List.of("demo-live-1", "demo-live-2", DemoAgents.THIS_MACHINE)
                    : List.of("demo-live-1", "demo-live-2");
            for (String name : names) {
                long pid = Long.parseLong(Files.readString(data.resolve("demo-agents/" + name + ".pid")).strip());
                agents.add(ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(name + " is not running: "
                        + read(data.resolve("demo-agents/" + name + ".log")))));
            }
            for (ProcessHandle agent : agents) { // the server's data folder is out of every demo agent's reach
                String args = String.join(" ", agent.info().arguments().orElseThrow());
                assertTrue(args.contains("--deny " + data.toAbsolutePath()), args);
            }
            Cli token = Cli.run("tokens", "create", "--data", data.toString(), "--user", "admin", "--name", "demo test");
            assertEquals(0, token.status(), token.err());
            Matcher m = Pattern.compile("secret: (th_\\S+)").matcher(token.out());
            assertTrue(m.find(), token.out());
            String admin = m.group(1);
            String base = "http://127.0.0.1:" + port;

            waitFor("every agent online", () -> {
                JsonNode list = get(base + "/api/v1/agents", admin).path("agents");
                int online = 0;
                for (JsonNode a : list) if (a.path("online").asBoolean() && a.path("endpoint").asText().startsWith("demo-live-")) online++;
                return online == names.size();
            }, demo, err);
            // demo-live-1 is in a group that streams always: its events arrive with no analyst connected
            waitFor("demo-live-1's events", () -> journal(base, "demo-live-1", admin) > 0, demo, err);
            long first = journal(base, "demo-live-1", admin);
            waitFor("more of demo-live-1's events", () -> journal(base, "demo-live-1", admin) > first, demo, err);
            // demo-live-2 sends once an analyst connects
            HttpResponse<String> connect = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/live/connections"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"endpoints\":[\"demo-live-2\"]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, connect.statusCode(), connect.body());
            waitFor("demo-live-2's events once connected", () -> journal(base, "demo-live-2", admin) > 0, demo, err);

            demo.destroy(); // SIGTERM, as Ctrl-C: the shutdown hook stops the agents first
            assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "the demo stops");
            for (ProcessHandle agent : agents) {
                assertTrue(agent.onExit().orTimeout(1, TimeUnit.SECONDS).handle((h, t) -> !agent.isAlive()).join(),
                        "agent " + agent.pid() + " stopped with the demo");
            }
            assertEquals("", read(err).lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n"),
                    "the demo's stderr stays quiet");

            // revoked from the command line: the next start refuses it, saying why
            Cli list = Cli.run("agents", "--data", data.toString(), "--format", "json");
            assertEquals(0, list.status(), list.err());
            String id = null;
            for (JsonNode a : JSON.readTree(list.out())) if (a.path("endpoint").asText().equals("demo-live-2")) id = a.path("id").asText();
            Cli revoke = Cli.run("agents", "revoke", "--data", data.toString(), id);
            assertEquals(0, revoke.status(), revoke.err());
            assertTrue(Cli.run("audit", "--data", data.toString()).out().contains("agent.revoke"), "audited");
            Cli again = Cli.run("agents", "--data", data.toString());
            assertTrue(again.out().lines().anyMatch(l -> l.contains("demo-live-2") && l.contains("revoked")), again.out());
            assertTrue(again.out().lines().anyMatch(l -> l.contains("demo-live-1") && l.contains("enrolled")), again.out());
        } finally {
            demo.destroyForcibly().waitFor();
            for (ProcessHandle agent : agents) agent.destroyForcibly();
        }
        assertFalse(agents.stream().anyMatch(ProcessHandle::isAlive), "no agent JVM left");
    }

    private static long journal(String base, String endpoint, String token) {
        return get(base + "/api/v1/live/endpoints/" + endpoint + "/journal", token).path("events").asLong();
    }

    private static JsonNode get(String url, String token) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new AssertionError(url + ": " + r.statusCode() + " " + r.body());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void waitFor(String what, BooleanSupplier done, Process demo, Path err) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (!demo.isAlive()) throw new AssertionError("the demo exited while waiting for " + what + ": " + read(err));
            if (System.nanoTime() > deadline) throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what);
            Thread.sleep(250);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
