package trailhound.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import trailhound.app.Main;
import trailhound.index.EventPage;
import trailhound.index.IndexBackend;
import trailhound.index.PageCursor;
import trailhound.ingest.DataDir;
import trailhound.recorder.RecorderReader;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * A snapshot of a running agent, end to end: a real server and a real agent recording this machine
 * (process polls and a watched folder kept busy), {@code trailhound agent snapshot} taken while it
 * records. The snapshot is the agent's database at one moment (a prefix of its rows, later copies
 * holding it unchanged); every event in it reached the server over the stream under the same uid with
 * the same time, type and what it is about; and ingesting the snapshot after the stream adds no event.
 */
@EnabledOnOs(OS.LINUX)
class AgentSnapshotTest {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final Pattern SECRET = Pattern.compile("secret: (te_\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINT = "snap-01";

    @TempDir Path tmp;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
    }

    private record Cli(int status, String out, String err) {}

    private static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(status, out.toString(), err.toString());
    }

    @Test
    void snapshot_ofARecordingAgent_isOneMomentOfItsDatabase_andAddsNothingAfterTheStream() throws Exception {
        Path data = tmp.resolve("data");
        Path watched = Files.createDirectories(tmp.resolve("watched"));
        Path state = tmp.resolve("agent-state");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process server = java(tmp.resolve("server.log"), "trailhound.app.Main", "serve", "--data", data.toString(), "--port",
                Integer.toString(port));
        waitFor("the server", () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(0, run("groups", "add", "--data", data.toString(), "--name", "Recorders", "--stream", "always").status());
        Cli token = run("tokens", "create", "--data", data.toString(), "--group", "Recorders");
        Matcher m = SECRET.matcher(token.out());
        assertTrue(m.find(), token.out() + token.err());
        Process agent = java(tmp.resolve("agent.log"), "trailhound.agent.AgentMain", "--server", "https://127.0.0.1:" + port, "--state",
                state.toString(), "--token", m.group(1), "--name", ENDPOINT, "--watch", watched.toString(), "--poll-interval", "250");
        waitFor("the agent's first events", () -> !journal(data).isEmpty());

        // the folder stays busy while the snapshot is taken: the recorder commits all the time
        Thread busy = Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                try {
                    Files.writeString(watched.resolve("f" + (i % 50)), "x" + i);
                    Thread.sleep(5);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        Thread.sleep(1_000);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Cli snap = run("agent", "snapshot", "--state", state.toString(), "--out", out.toString());
        Thread.sleep(1_000);
        busy.interrupt();
        busy.join();
        assertEquals(0, snap.status(), snap.err());
        Path file;
        try (var files = Files.list(out)) {
            file = files.findFirst().orElseThrow();
        }
        assertTrue(file.getFileName().toString().matches(ENDPOINT + "_\\d{4}_\\d\\d_\\d\\dT\\d\\d\\.\\d\\d\\.\\d\\d\\.\\d{3}Z\\.db"), file.toString());
        assertTrue(snap.out().startsWith(file.toString() + ": "), snap.out());
        Map<String, Event> snapshot = read(file);
        assertTrue(snapshot.values().stream().anyMatch(e -> "file".equals(e.type())), "the busy folder's events are in it");

        // every event of the snapshot streamed under the same uid: the same event
        waitFor("the stream to hold every event of the snapshot", () -> journal(data).keySet().containsAll(snapshot.keySet()));
        Map<String, Map<String, String>> streamed = journal(data);
        for (Event e : snapshot.values()) {
            Map<String, String> s = streamed.get(e.uid());
            for (Field f : List.of(Field.TS, Field.TYPE, Field.OPERATION, Field.PROCESS_KEY, Field.FILE_PATH, Field.FILE_NEW_PATH,
                    Field.LOCAL_PORT, Field.REMOTE_PORT)) {
                assertEquals(e.get(f), s.get(f.canonicalName()), f + " of " + e.uid() + ": " + e + " streamed as " + s);
            }
        }

        // a later copy holds this one unchanged, as its first rows: the snapshot was the database at one moment
        agent.destroy();
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, run("agent", "snapshot", "--state", state.toString(), "--out", tmp.resolve("later.db").toString()).status());
        Map<String, Event> later = read(tmp.resolve("later.db"));
        List<String> laterUids = List.copyOf(later.keySet());
        assertEquals(List.copyOf(snapshot.keySet()), laterUids.subList(0, snapshot.size()));
        for (Event e : snapshot.values()) assertEquals(later.get(e.uid()).toMap(), e.toMap());

        // ingested after the stream: nothing added (the hand-off to the running server)
        Cli ingest = run("ingest", "--data", data.toString(), file.toString());
        assertEquals(0, ingest.status(), ingest.out() + ingest.err());
        server.destroy();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        Map<String, Event> indexed = indexed(data);
        long fromSnapshot = indexed.values().stream().filter(e -> !"live".equals(e.get(Field.SOURCE))).count();
        assertEquals(0, fromSnapshot, "events the snapshot added: it held only what had streamed");
        assertTrue(indexed.keySet().containsAll(snapshot.keySet()));
    }

    private static Map<String, Event> read(Path db) {
        Map<String, Event> out = new LinkedHashMap<>();
        try (RecorderReader r = RecorderReader.open(db)) {
            r.read("snapshot", 0, e -> assertNull(out.put(e.uid(), e)));
        }
        return out;
    }

    private static Map<String, Map<String, String>> journal(Path data) throws IOException {
        Path journal = data.resolve("endpoints").resolve(ENDPOINT).resolve("journal.db");
        Map<String, Map<String, String>> out = new HashMap<>();
        if (!Files.exists(journal)) return out;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + journal);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT uid, ts, fields FROM events")) {
            while (rs.next()) {
                Map<String, String> f = new HashMap<>(JSON.readValue(rs.getString(3), new TypeReference<Map<String, String>>() {}));
                f.put("ts", Long.toString(rs.getLong(2)));
                out.put(rs.getString(1), f);
            }
        } catch (java.sql.SQLException e) {
            return new HashMap<>(); // being created
        }
        return out;
    }

    private static Map<String, Event> indexed(Path data) throws IOException {
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

    private Process java(Path log, String main, String... args) throws IOException {
        Process p = LiveTests.java(log, main, args);
        processes.add(p);
        return p;
    }

    private static void waitFor(String what, LiveTests.Check done) throws Exception {
        LiveTests.waitFor(what, PATIENCE, done);
    }
}
