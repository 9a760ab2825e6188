package trailhound.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import trailhound.app.Main;
import trailhound.index.EventPage;
import trailhound.index.IndexBackend;
import trailhound.index.PageCursor;
import trailhound.ingest.DataDir;
import trailhound.schema.Event;
import trailhound.telemetry.TelemetryImport;

/**
 * The agent recording this machine, end to end: a real server ({@code trailhound serve}) and a real
 * agent process ({@code trailhound agent} without {@code --replay}) on loopback. A marker process, a
 * loopback TCP connection and file changes in a watched folder each reach the endpoint's journal and
 * index once, with the fields an independent reading gives (sha256sum, /proc, the socket's own ports,
 * the auditd import's process key); after a kill -9 and restart of the agent nothing is reported twice.
 */
@EnabledOnOs(OS.LINUX)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinuxRecorderTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINT = "linux-01";

    @TempDir static Path tmp;
    private Path data;
    private Path watched;
    private int port;
    private Process server;
    private final List<Process> agents = new ArrayList<>();
    private Path agentLog;

    @BeforeAll
    void startServer() throws Exception {
        data = tmp.resolve("data");
        watched = Files.createDirectories(tmp.resolve("watched"));
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path log = tmp.resolve("server.log");
        server = java(log, "trailhound.app.Main", "serve", "--data", data.toString(), "--port", Integer.toString(port));
        waitFor("the server to listen on " + port, () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                if (!server.isAlive()) throw new AssertionError("the server exited: " + Files.readString(log));
                return false;
            }
        });
    }

    @AfterAll
    void stopAll() throws Exception {
        if (Boolean.getBoolean("trailhound.showLogs")) {
            try (var logs = Files.list(tmp)) {
                for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                    System.out.println("==== " + log.getFileName() + "\n" + Files.readString(log));
                }
            }
        }
        for (Process p : agents) p.destroyForcibly().waitFor();
        if (server != null && server.isAlive()) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    void recorder_processSocketAndFiles_reachTheIndexOnce_evenAcrossAKilledAgent() throws Exception {
        Path state = tmp.resolve("agent-state");
        List<String> recording = List.of("--name", ENDPOINT, "--watch", watched.toString(), "--poll-interval", "250");
        List<String> enrol = new ArrayList<>(List.of("--token", enrolmentToken()));
        enrol.addAll(recording);
        Process agent = agent(state, enrol);
        waitFor("the agent's first events", () -> !journal(e -> true).isEmpty());

        // a marker process, a loopback connection, and file changes in a folder made after the agent started
        String marker = "4." + Long.toString(System.nanoTime() % 1_000_000_000L);
        Process sleep = new ProcessBuilder("sleep", marker).start();
        long self = ProcessHandle.current().pid();
        Path sleepExe = Files.readSymbolicLink(Path.of("/proc/" + sleep.pid() + "/exe"));
        long sleepStart = startMillis(sleep.pid());
        Map<String, String> start;
        Map<String, String> connect;
        Map<String, String> accept;
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket served = listener.accept()) {
            String lport = Integer.toString(listener.getLocalPort());
            String cport = Integer.toString(client.getLocalPort());
            start = one("the marker's start", e -> "process".equals(e.get("type")) && "start".equals(e.get("operation"))
                    && ("sleep " + marker).equals(e.get("command_line")));
            connect = one("the outbound connection", e -> "connect".equals(e.get("operation")) && lport.equals(e.get("remote_port"))
                    && cport.equals(e.get("local_port")));
            accept = one("the inbound connection", e -> "accept".equals(e.get("operation")) && lport.equals(e.get("local_port"))
                    && cport.equals(e.get("remote_port")));
            one("the listener", e -> "listen".equals(e.get("operation")) && lport.equals(e.get("local_port")) && "tcp".equals(e.get("protocol")));
        }
        assertEquals(Long.toString(sleep.pid()), start.get("pid"));
        assertEquals(Long.toString(self), start.get("ppid"));
        assertEquals(System.getProperty("user.name"), start.get("user"));
        assertEquals(sleepExe.toString(), start.get("process_path"));
        assertEquals(sleepExe.getFileName().toString(), start.get("process_name"));
        assertEquals(sha256sum(sleepExe), start.get("hash_sha256"), "as sha256sum computes it");
        assertNull(start.get("hash_status"));
        assertEquals(Path.of("").toAbsolutePath().toString(), start.get("cwd"));
        assertEquals(Long.toString(sleepStart), start.get("ts"), "the start time from /proc/<pid>/stat and the boot time");
        assertEquals(auditKey(sleep.pid(), sleepStart), start.get("process_key"), "the auditd import's key for the same start");
        assertEquals(auditKey(self, startMillis(self)), start.get("parent_key"));

        for (Map<String, String> socket : List.of(connect, accept)) {
            assertEquals(Long.toString(self), socket.get("pid"), "this test's JVM holds both ends: " + socket);
            assertEquals(auditKey(self, startMillis(self)), socket.get("process_key"));
            assertEquals("tcp", socket.get("protocol"));
            assertEquals("127.0.0.1", socket.get("local_ip"), "IPv4-mapped addresses read as IPv4");
            assertEquals("127.0.0.1", socket.get("remote_ip"));
        }
        assertEquals("outbound", connect.get("direction"));
        assertEquals("inbound", accept.get("direction"));

        Path folder = Files.createDirectories(watched.resolve("made-later"));
        Path a = folder.resolve("a.txt");
        Path b = folder.resolve("b.txt");
        Files.writeString(a, "one");
        one("the file's create", e -> "create".equals(e.get("operation")) && a.toString().equals(e.get("file_path")));
        Files.writeString(a, "two", StandardOpenOption.APPEND);
        one("the file's modify", e -> "modify".equals(e.get("operation")) && a.toString().equals(e.get("file_path")));
        Files.move(a, b);
        Map<String, String> rename = one("the file's rename", e -> "rename".equals(e.get("operation")) && a.toString().equals(e.get("file_path")));
        assertEquals(b.toString(), rename.get("file_new_path"));
        assertNull(rename.get("pid"), "inotify does not say which process: none is named");
        Files.delete(b);
        one("the file's delete", e -> "delete".equals(e.get("operation")) && b.toString().equals(e.get("file_path")));

        // `echo > f1; mv f1 f2; rm f2; touch g`: the kernel may give g f1's inode; no rename is invented, and the
        // short-lived f2 (gone before it could be read) is still reported made and removed
        Path f1 = folder.resolve("f1");
        Path f2 = folder.resolve("f2");
        Path g = folder.resolve("g");
        Files.writeString(f1, "\n");
        one("f1's create", e -> "create".equals(e.get("operation")) && f1.toString().equals(e.get("file_path")));
        Files.move(f1, f2);
        Files.delete(f2);
        Files.createFile(g);
        one("g's create", e -> "create".equals(e.get("operation")) && g.toString().equals(e.get("file_path")));
        one("f2's delete", e -> "delete".equals(e.get("operation")) && f2.toString().equals(e.get("file_path")));
        Map<String, String> f1Gone = one("f1's end", e -> f1.toString().equals(e.get("file_path"))
                && ("delete".equals(e.get("operation")) || "rename".equals(e.get("operation"))));
        assertTrue(journal(e -> g.toString().equals(e.get("file_new_path"))).isEmpty(), "no rename into g was invented");
        if ("rename".equals(f1Gone.get("operation"))) { // seen whole before f2 went: the true history
            assertEquals(f2.toString(), f1Gone.get("file_new_path"));
        } else { // f2 gone before it was read: not certain, so a delete and a create, the create with what could be read (the name)
            assertEquals("delete", f1Gone.get("operation"));
            one("f2's create", e -> "create".equals(e.get("operation")) && f2.toString().equals(e.get("file_path")));
        }
        // a shell that runs execve without fork: the old program ends, the new one starts under a key of its own, so what
        // was reported of the shell (and the recorder database's row of its key, which snapshots copy) stays the shell's
        Process shell = new ProcessBuilder("sh", "-c", "sleep 1.5; exec sleep 17.25").start();
        try {
            Map<String, String> sh = one("the shell's start", e -> "start".equals(e.get("operation"))
                    && String.valueOf(shell.pid()).equals(e.get("pid")) && e.getOrDefault("command_line", "").startsWith("sh -c"));
            Map<String, String> execd = one("the new program's start", e -> "start".equals(e.get("operation"))
                    && String.valueOf(shell.pid()).equals(e.get("pid")) && "sleep 17.25".equals(e.get("command_line")));
            assertNotEquals(sh.get("process_key"), execd.get("process_key"), "a new program, a new key");
            assertEquals(sh.get("parent_key"), execd.get("parent_key"), "the same parent");
            one("the shell's end", e -> "end".equals(e.get("operation")) && sh.get("process_key").equals(e.get("process_key")));
        } finally {
            shell.destroyForcibly().waitFor();
        }

        assertTrue(sleep.waitFor(30, TimeUnit.SECONDS));
        Map<String, String> end = one("the marker's end", e -> "end".equals(e.get("operation"))
                && start.get("process_key").equals(e.get("process_key")));
        assertEquals(start.get("pid"), end.get("pid"));

        // kill -9 and restart: what was reported is not reported again
        agent.destroyForcibly().waitFor();
        Map<String, Map<String, String>> before = journal(e -> true);
        agent = agent(state, recording);
        waitFor("the restarted agent to watch and connect", () -> Files.readString(agentLog).contains("connected to"));
        Path c = watched.resolve("after-restart.txt");
        Files.writeString(c, "three");
        one("a file made after the restart", e -> "create".equals(e.get("operation")) && c.toString().equals(e.get("file_path")));
        Thread.sleep(1_500); // several polls: a duplicate would show by now
        Map<String, Map<String, String>> after = journal(e -> true);
        Map<List<String>, String> byWhat = new HashMap<>();
        for (Map.Entry<String, Map<String, String>> e : after.entrySet()) {
            Map<String, String> f = e.getValue();
            List<String> what = "file".equals(f.get("type")) ? List.of(e.getKey()) // file events are one each by nature
                    // a process's start and, after an execve without fork, its new program's start differ in path or command line
                    : java.util.Arrays.asList(f.get("type"), f.get("operation"), f.get("process_key"), f.get("process_path"),
                            f.get("command_line"), f.get("protocol"),
                            f.get("local_ip"), f.get("local_port"), f.get("remote_ip"), f.get("remote_port"));
            String other = byWhat.put(what, e.getKey());
            assertNull(other, "reported twice: " + f + " and " + after.get(other));
        }
        assertTrue(after.keySet().containsAll(before.keySet()));
        agent.destroy();
        agent.waitFor(30, TimeUnit.SECONDS);

        // the server's index holds each of them once
        server.destroy();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stops");
        Map<String, Event> indexed = indexed();
        for (Map<String, String> e : List.of(start, end, connect, accept, rename)) {
            Event i = indexed.get(e.get("event_uid"));
            assertTrue(i != null, "in the index: " + e);
            assertEquals(e.get("process_key"), i.get(trailhound.schema.Field.PROCESS_KEY));
            assertEquals("live", i.get(trailhound.schema.Field.SOURCE));
        }
        assertEquals(1, indexed.values().stream().filter(e -> ("sleep " + marker).equals(e.get(trailhound.schema.Field.COMMAND_LINE))
                && "start".equals(e.operation())).count(), "the marker started once");
    }

    /** The key the auditd import gives a process of this endpoint whose execve it saw at {@code startMs}. */
    private String auditKey(long pid, long startMs) throws IOException {
        String audit = String.format("type=SYSCALL msg=audit(%d.%03d:7): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=%d uid=0"
                + " comm=\"x\" exe=\"/usr/bin/x\"%ntype=EXECVE msg=audit(%d.%03d:7): argc=1 a0=\"x\"%ntype=EOE msg=audit(%d.%03d:7):%n",
                startMs / 1000, startMs % 1000, pid, startMs / 1000, startMs % 1000, startMs / 1000, startMs % 1000);
        Path file = tmp.resolve("audit-" + pid + ".log");
        Files.writeString(file, audit);
        List<Event> events = new ArrayList<>();
        TelemetryImport.read(file, ENDPOINT, events::add);
        assertEquals(1, events.size(), audit);
        return events.getFirst().get(trailhound.schema.Field.PROCESS_KEY);
    }

    /** A process's start: /proc/<pid>/stat's starttime (field 22, in clock ticks after boot) + /proc/stat's btime. */
    private static long startMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(after[19]);
        long btime = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.startsWith("btime ")).mapToLong(l -> Long.parseLong(l.substring(6)))
                .findFirst().orElseThrow();
        return btime * 1000 + ticks * 1000 / clockTicks();
    }

    private static long clockTicks() throws IOException {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static String sha256sum(Path file) throws Exception {
        Process p = new ProcessBuilder("sha256sum", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor());
        return out.substring(0, 64);
    }

    /** Waits for the one journal event that {@code match} describes; fails if there are two. */
    private Map<String, String> one(String what, Predicate<Map<String, String>> match) throws Exception {
        waitFor(what, () -> !journal(match).isEmpty());
        Map<String, Map<String, String>> found = journal(match);
        assertEquals(1, found.size(), what + " once: " + found.values());
        Map<String, String> e = new HashMap<>(found.values().iterator().next());
        e.put("event_uid", found.keySet().iterator().next());
        return e;
    }

    /** The endpoint's journal events (uid -> fields, ts included) that match. */
    private Map<String, Map<String, String>> journal(Predicate<Map<String, String>> match) throws IOException {
        Path journal = data.resolve("endpoints").resolve(ENDPOINT).resolve("journal.db");
        Map<String, Map<String, String>> out = new HashMap<>();
        if (!Files.exists(journal)) return out;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + journal);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT uid, ts, fields FROM events")) {
            while (rs.next()) {
                Map<String, String> f = new HashMap<>(JSON.readValue(rs.getString(3), new TypeReference<Map<String, String>>() {}));
                f.put("ts", Long.toString(rs.getLong(2)));
                if (match.test(f)) assertNull(out.put(rs.getString(1), f), "uid twice in the journal");
            }
        } catch (java.sql.SQLException e) {
            return out; // being created
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

    private Process agent(Path state, List<String> args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--server", "https://127.0.0.1:" + port, "--state", state.toString()));
        all.addAll(args);
        agentLog = tmp.resolve("agent-" + System.nanoTime() + ".log");
        Process p = java(agentLog, "trailhound.agent.AgentMain", all.toArray(String[]::new));
        agents.add(p);
        return p;
    }

    private Process java(Path log, String main, String... args) throws IOException {
        return LiveTests.java(log, main, args);
    }

    /** A token into a group set to stream: its endpoint sends all the time, no analyst connection needed. */
    private String enrolmentToken() {
        LiveTests.cli("groups", "add", "--data", data.toString(), "--name", "Recorders", "--stream", "always");
        return LiveTests.enrolmentToken(data, "--group", "Recorders");
    }

    private static void waitFor(String what, LiveTests.Check done) throws Exception {
        LiveTests.waitFor(what, PATIENCE, done);
    }
}
