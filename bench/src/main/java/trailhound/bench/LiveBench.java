package trailhound.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.bench.BenchReport.Check;
import trailhound.ingest.DataDir;
import trailhound.samples.SampleGenerator;
import trailhound.web.tls.ServerCertificate;

/*
 * Load and faults of live endpoints (issue #15): the real server (what serve runs, HTTPS) in a child
 * JVM so that it can be killed, and N replay agents on loopback, many to a JVM (ReplayAgent: the
 * agent's own session code, each agent with its own identity, state folder, store and WebSocket),
 * all enrolled into a computer group set to stream always. Every agent replays the same generated
 * recorder database (uids repeat across endpoints, as they may: a journal is per endpoint) at its
 * share of the total rate.
 *
 * Accounting: at the end the replays stop, the agents send what waits until every store is empty
 * (all acknowledged), and for every agent the events it put into its store (the source) must equal
 * its endpoint's journal rows, the journal's distinct uids and the index's count. Heap: the server
 * logs its garbage collections (-Xlog:gc); the heap after each collection, by thirds of the run,
 * must not keep growing (the last third's peak at most 20 % + 64 MB above the middle third's), nor come near the server's -Xmx (bin/trailhound's default, 4 GB). With faults, a second run on a fresh folder kills the server (-9) a third
 * of the way through and restarts it, and at two thirds kills (-9) the process of 20 agents (that
 * process holds exactly them) and restarts it; then the same accounting.
 */

/** {@code bench --live}: streams from many replay agents to one server, then accounts for every event. */
public final class LiveBench {
    static final double LAG_P95_TARGET_MS = 2_000;
    static final double THROUGHPUT_SHARE = 0.95;
    static final int MAX_AGENTS_PER_PROCESS = 50;
    static final int FAULT_AGENTS = 20;
    static final String GROUP = "Bench live";
    /** How long the agents may take to send what waits once the replays stop; beyond it the rest counts as not accounted for. */
    static final Duration DRAIN = Duration.ofMinutes(2);
    // 50 replay agents a process, each with its reader of the replayed recorder database: at 512 MB the
    // processes ran out of heap replaying the 19,000 events of a 10-minute run. With C2: limited to C1
    // (-XX:TieredStopAtLevel=1, until session 17) the agents' TLS ran the JDK's AES-GCM in Java, not
    // its intrinsics, a third of the agents' CPU (JFR), which took the server's cores
    private static final List<String> AGENT_JVM = List.of("-Xmx2g", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");
    /**
     * How the agent processes are started so that they take only the CPU the server leaves: the 200 agents stand
     * for 200 other machines, but here they share the server's cores. At the same priority, their hundreds of
     * threads (50 agents a process, each with its connection, replay and sender) outweighed the server's few:
     * the scheduler shares a core by thread, and at the start, when 140 agent threads were runnable at once,
     * the server's two indexing threads got an eighth of a core each while 200 endpoints' events waited for
     * them (session 19, docs/performance.md). {@code nice} alone did not change that (a hundred threads at
     * nice 19 still outweigh a few at 0). So on Linux the agents run under SCHED_IDLE ({@code chrt --idle 0},
     * no privilege needed), elsewhere at nice 19. A starved agent's replay stores its events late; the
     * probes time each lag from when the event was due in the replay's schedule, so that delay is counted.
     */
    record Priority(List<String> command, String describe) {}

    static final Priority LOW_PRIORITY = lowPriority();

    private static Priority lowPriority() {
        if (onPath("chrt") && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return new Priority(List.of("chrt", "--idle", "0"), "SCHED_IDLE (chrt --idle 0): they take the CPU the server leaves");
        }
        if (onPath("nice")) return new Priority(List.of("nice", "-n", "19"), "nice 19");
        return new Priority(List.of(), "the server's priority (neither chrt nor nice found)");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    /** The heap bin/trailhound gives the server by default. */
    static final int SERVER_HEAP_MB = 4096;
    private static final List<String> SERVER_JVM = List.of("-Xmx" + SERVER_HEAP_MB + "m", "--enable-native-access=ALL-UNNAMED",
            "--add-modules", "jdk.incubator.vector");

    /**
     * @param agents replay agents in all (at least 1)
     * @param rate events per second asked of all agents together
     * @param seconds how long the replays run, per run
     * @param faults also a second run with the server and some agents killed and restarted
     * @param work where data, state folders and logs go (kept), or null for a temporary folder (deleted)
     * @param idleAgents the agent processes at the lowest priority ({@link #LOW_PRIORITY}), as {@code bench --live}
     *     runs them; a test's few agents for a few seconds run at the server's, so that a machine busy with the test's
     *     own JVMs still lets them record something before a fault kills them
     */
    public record Options(int agents, double rate, int seconds, boolean faults, Path work, boolean idleAgents) {
        public Options {
            if (agents < 1) throw new IllegalArgumentException("--live-agents must be at least 1, was " + agents);
            if (!(rate > 0)) throw new IllegalArgumentException("--live-rate must be more than 0 events/s, was " + rate);
            if (seconds < 5) throw new IllegalArgumentException("--live-seconds must be at least 5, was " + seconds);
        }

        /** With the agent processes at the lowest priority. */
        public Options(int agents, double rate, int seconds, boolean faults, Path work) {
            this(agents, rate, seconds, faults, work, true);
        }
    }

    /** One agent's figures: events it recorded (source), its journal's rows and distinct uids, the index's count. */
    record Account(String endpoint, long source, long journal, long distinct, long index, long waiting) {
        boolean exact() {
            // an agent that recorded nothing (killed before its replay's first chunk, and drained as it restarted) has
            // an empty journal, or none, and no index to count (-1): nothing to account for
            if (source == 0 && waiting == 0 && journal <= 0 && distinct <= 0 && index <= 0) return true;
            return source == journal && journal == distinct && distinct == index && waiting == 0;
        }
    }

    /**
     * A run's figures. Heap after GC in MB by thirds of the run; lags in ms, and for each its stages in ms:
     * from when the event was due until sent, until held by the server, until a search found it (LiveProbes).
     */
    record Run(String name, int agents, int processes, double askedRate, double seconds, double drainSeconds, double catchUpSeconds,
            List<Account> accounts,
            long[] lagsMs,
            List<long[]> lagStagesMs,
            int lagMisses, double[] heapThirdsMb, double heapMaxMb, int collections, List<String> faults, List<String> failures) {
        long source() {
            return accounts.stream().mapToLong(Account::source).sum();
        }

        long journal() {
            return accounts.stream().mapToLong(Account::journal).sum();
        }

        long exact() {
            return accounts.stream().filter(Account::exact).count();
        }

        /** What the server took in, per second: every event, over the run and the time its backlog took to drain. */
        double achievedRate() {
            return journal() / (seconds + drainSeconds);
        }
    }

    private LiveBench() {}

    /** Runs the live benchmark and prints its report; returns the exit status (1 when an event is not accounted for). */
    public static int run(Options o, PrintWriter out, PrintWriter err) throws Exception {
        Path work = o.work() != null ? Files.createDirectories(o.work()) : Files.createTempDirectory("trailhound-bench-live");
        Benchmark.Log log = (format, args) -> {
            err.println(Instant.now().toString().substring(11, 19) + " bench --live: " + String.format(format, args));
            err.flush();
        };
        try {
            Machine machine = Machine.current();
            long perAgent = (long) Math.ceil(o.rate() / o.agents() * (o.seconds() + 30) * 1.2) + 100;
            log.log("generating a recorder database of %,d events to replay (every agent replays it)...", perAgent);
            Path replay = SampleGenerator.generate(work.resolve("samples"), 1, perAgent, 15, n -> {}).getFirst();
            List<Run> runs = new ArrayList<>();
            runs.add(runOnce(o, false, work.resolve("run"), replay, log));
            if (o.faults()) runs.add(runOnce(o, true, work.resolve("faults"), replay, log));
            List<Check> checks = new ArrayList<>();
            for (Run r : runs) checks.addAll(check(r));
            print(machine, o.idleAgents() ? LOW_PRIORITY.describe() : "the server's priority", runs, checks, out);
            return runs.stream().allMatch(r -> r.exact() == r.agents()) ? 0 : 1;
        } finally {
            if (o.work() == null) Benchmark.deleteTree(work);
        }
    }

    /** "; stages p50/p95: sent A/B, held C/D, found E/F ms", or "" without stages. */
    static String stages(List<long[]> stages) {
        if (stages.isEmpty()) return "";
        StringBuilder b = new StringBuilder("; stages p50/p95: ");
        String[] names = {"sent", "held", "found"};
        for (int k = 0; k < names.length; k++) {
            int stage = k;
            Latency l = Latency.of(stages.stream().mapToLong(t -> t[stage] * 1_000_000).toArray());
            b.append(k == 0 ? "" : ", ").append(String.format("%s %,.0f/%,.0f", names[k], l.medianMs(), l.p95Ms()));
        }
        return b.append(" ms").toString();
    }

    /** JVM options from an environment variable (space-separated), none when it is unset or blank. */
    private static List<String> optionsFrom(String variable) {
        String extra = System.getenv(variable);
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.strip().split("\\s+"));
    }

    static List<Check> check(Run r) {
        List<Check> checks = new ArrayList<>();
        String of = r.name().equals("faults") ? " (faults)" : "";
        checks.add(new Check("every event accounted for" + of, String.format("%d of %d agents exact: %,d recorded, %,d in journals"
                + " (source = journal = distinct uids = index)", r.exact(), r.agents(), r.source(), r.journal()), r.exact() == r.agents()));
        if (!r.name().equals("faults")) {
            Latency lag = r.lagsMs().length == 0 ? null : Latency.of(Arrays.stream(r.lagsMs()).map(ms -> ms * 1_000_000).toArray());
            checks.add(new Check("agent-to-searchable lag p95 < 2 s", lag == null ? "no probe answered"
                    : String.format("p50 %,.0f ms, p95 %,.0f ms, max %,d ms (%d probes, %d gave up after 30 s)%s", lag.medianMs(),
                            lag.p95Ms(), Arrays.stream(r.lagsMs()).max().orElse(0), r.lagsMs().length, r.lagMisses(), stages(r.lagStagesMs())),
                    lag != null && lag.p95Ms() < LAG_P95_TARGET_MS && r.lagMisses() == 0));
            double[] h = r.heapThirdsMb();
            checks.add(new Check("server heap bounded (after GC, by thirds)", String.format("%.0f / %.0f / %.0f MB, max %.0f MB of %d (%d GCs)",
                    h[0], h[1], h[2], r.heapMaxMb(), SERVER_HEAP_MB, r.collections()), r.collections() > 0
                            && h[2] <= 1.2 * h[1] + 64 && r.heapMaxMb() < 0.9 * SERVER_HEAP_MB));
            checks.add(new Check("server takes >= 95 % of the asked rate", String.format("%,.0f of %,.0f events/s (journal events over"
                    + " the run and its drain)", r.achievedRate(), r.askedRate()),
                    r.achievedRate() >= THROUGHPUT_SHARE * r.askedRate()));
        }
        return checks;
    }

    static void print(Machine machine, String agentPriority, List<Run> runs, List<Check> checks, PrintWriter out) {
        out.println("Trailhound live benchmark, " + Instant.now());
        out.println("machine:   " + machine.describe());
        out.println("agents:    " + agentPriority);
        for (Run r : runs) {
            out.printf("%s: %d replay agents in %d processes, asked %,.0f events/s for %.0f s: %,d events recorded, %,d in journals;"
                    + " the backlog drained %.0f s after the replays stopped, the index caught up %.0f s after that%n", r.name(), r.agents(),
                    r.processes(), r.askedRate(), r.seconds(), r.source(), r.journal(), r.drainSeconds(), r.catchUpSeconds());
            for (String f : r.faults()) out.println("  fault: " + f);
            for (String f : r.failures()) out.println("  agent failure: " + f);
            r.accounts().stream().filter(a -> !a.exact()).limit(10).forEach(a -> out.printf(
                    "  NOT EXACT %s: source %,d, journal %,d, distinct %,d, index %,d, still waiting %,d%n", a.endpoint(), a.source(),
                    a.journal(), a.distinct(), a.index(), a.waiting()));
        }
        out.println();
        out.println("targets:");
        for (Check c : checks) out.printf("  %-4s %-52s %s%n", c.pass() ? "PASS" : "MISS", c.target(), c.measured());
        out.flush();
    }

    private static Run runOnce(Options o, boolean faults, Path dir, Path replay, Benchmark.Log log) throws Exception {
        String name = faults ? "faults" : "run";
        Path data = Files.createDirectories(dir.resolve("data"));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String enrolment;
        String apiToken;
        try (DataDir d = DataDir.open(data)) {
            Access access = Access.over(d, Clock.systemUTC());
            Caller bench = Caller.commandLine();
            access.groups().create(bench, GROUP, null, List.of());
            access.groups().setStream(bench, GROUP, true);
            access.accounts().create(bench, "bench-probe", Role.ANALYST, List.of(GROUP), "bench-" + java.util.UUID.randomUUID(), false);
            apiToken = access.tokens().create(bench, "bench-probe", "bench --live probe", 1).secret();
            enrolment = access.agents().create(bench, GROUP, Duration.ofHours(2), o.agents()).secret();
            ServerCertificate.forDataFolder(data);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI server = URI.create("https://127.0.0.1:" + port);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= o.agents(); i++) names.add(String.format("bench-live-%03d", i));
        // the agents a fault kills are one process of their own, so that a kill -9 takes exactly them
        int faulty = faults ? Math.min(FAULT_AGENTS, Math.max(1, o.agents() / 10)) : 0;
        List<List<String>> groups = new ArrayList<>();
        List<String> steady = names.subList(0, o.agents() - faulty);
        int processes = Math.max(1, (int) Math.ceil(steady.size() / (double) MAX_AGENTS_PER_PROCESS));
        processes = Math.max(processes, Math.min(4, steady.size()));
        for (int i = 0; i < processes; i++) {
            List<String> g = new ArrayList<>();
            for (int j = i; j < steady.size(); j += processes) g.add(steady.get(j));
            if (!g.isEmpty()) groups.add(g);
        }
        if (faulty > 0) groups.add(names.subList(o.agents() - faulty, o.agents()));
        double perAgent = o.rate() / o.agents();
        List<String> faultLog = new ArrayList<>();
        Map<String, long[]> taken = new ConcurrentHashMap<>();
        LiveProbes probes = new LiveProbes(HttpClient.newBuilder().sslContext(LoadBench.trusting(ServerCertificate.forDataFolder(data)))
                .connectTimeout(Duration.ofSeconds(5)).build(), server, apiToken);
        List<String> failures = new CopyOnWriteArrayList<>();
        log.log("%s: server on %s, %d agents in %d processes, %,.1f events/s each", name, server, o.agents(), groups.size(), perAgent);
        List<AgentProcess> agentProcs = new CopyOnWriteArrayList<>();
        ServerProcess[] current = {null};
        Thread cleanUp = new Thread(() -> { // the bench stopped (Ctrl-C): no child JVM outlives it
            agentProcs.forEach(a -> a.process.destroyForcibly());
            if (current[0] != null) current[0].process.destroyForcibly();
        });
        Runtime.getRuntime().addShutdownHook(cleanUp);
        ServerProcess srv = ServerProcess.start(data, port, logs, 1);
        current[0] = srv;
        long started;
        try {
            for (int i = 0; i < groups.size(); i++) {
                Path props = writeProps(logs.resolve("agents-" + (i + 1) + ".properties"), server, enrolment, apiToken, data, replay,
                        perAgent, dir.resolve("agents"), groups.get(i));
                agentProcs.add(AgentProcess.start(props, logs.resolve("agents-" + (i + 1) + ".log"), probes, taken, failures, o.idleAgents()));
            }
            for (AgentProcess a : agentProcs) {
                if (!a.started.await(120, TimeUnit.SECONDS)) throw new IOException("an agent process did not start its agents within"
                        + " 120 s: see its log in " + logs);
            }
            started = System.nanoTime(); // the run's time counts from when every agent replays
            long killServerAt = o.seconds() / 3;
            long killAgentsAt = 2L * o.seconds() / 3;
            boolean serverKilled = false;
            boolean agentsKilled = false;
            long restartedAt = 0;
            while (true) {
                long elapsed = (System.nanoTime() - started) / 1_000_000_000L;
                // a slow server restart may pass the agents' kill point: the run ends only once both faults happened
                if (elapsed >= o.seconds() && (!faults || (serverKilled && agentsKilled && elapsed >= restartedAt + 2))) break;
                if (faults && !serverKilled && elapsed >= killServerAt) {
                    serverKilled = true;
                    srv.kill();
                    faultLog.add(String.format("server killed (-9) at %d s, restarted", elapsed));
                    log.log("faults: server killed (-9) at %d s; restarting", elapsed);
                    long down = System.nanoTime();
                    srv = ServerProcess.start(data, port, logs, 2);
                    current[0] = srv;
                    faultLog.add(String.format("server accepting connections again %.1f s after the kill", (System.nanoTime() - down) / 1e9));
                }
                if (faults && !agentsKilled && elapsed >= killAgentsAt) {
                    agentsKilled = true;
                    AgentProcess victim = agentProcs.getLast();
                    victim.kill();
                    faultLog.add(String.format("%d agents killed (-9) at %d s, restarted 2 s later", faulty, elapsed));
                    log.log("faults: %d agents killed (-9) at %d s; restarting them in 2 s", faulty, elapsed);
                    Thread.sleep(2_000);
                    AgentProcess restarted = AgentProcess.start(victim.props, logs.resolve("agents-" + groups.size()
                            + "-restarted.log"), probes, taken, failures, o.idleAgents());
                    agentProcs.set(agentProcs.size() - 1, restarted);
                    // the restarted agents replay a while before the run ends: a drain as they start stopped a replay
                    // before it read anything (a short run's restart falls at its end)
                    if (!restarted.started.await(120, TimeUnit.SECONDS)) throw new IOException("the restarted agent process did not"
                            + " start its agents within 120 s: see its log in " + logs);
                    restartedAt = (System.nanoTime() - started) / 1_000_000_000L;
                }
                Thread.sleep(250);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            log.log("%s: replays stop after %.0f s; waiting until every agent's store is empty", name, seconds);
            for (AgentProcess a : agentProcs) a.drain();
            long drainDeadline = System.nanoTime() + DRAIN.toNanos() + TimeUnit.SECONDS.toNanos(20);
            for (AgentProcess a : agentProcs) a.awaitDrained(Duration.ofNanos(Math.max(0, drainDeadline - System.nanoTime())));
            double drainSeconds = (System.nanoTime() - started) / 1e9 - seconds;
            long countsFrom = System.nanoTime();
            Map<String, Long> index = indexCounts(server, data, apiToken, names, taken);
            double catchUpSeconds = (System.nanoTime() - countsFrom) / 1e9;
            srv.stop();
            List<Account> accounts = new ArrayList<>();
            for (String n : names) {
                long[] t = taken.getOrDefault(n, new long[] {-1, -1});
                long[] j = journal(data, n);
                accounts.add(new Account(n, t[0], j[0], j[1], index.getOrDefault(n, -1L), t[1]));
            }
            long[] lagArray = probes.lagsMs.stream().mapToLong(Long::longValue).toArray();
            Files.write(logs.resolve("lags-ms.txt"), probes.lagsMs.stream().map(String::valueOf).toList());
            Files.write(logs.resolve("lag-stages-ms.txt"), probes.stagesMs.stream().map(t -> t[0] + " " + t[1] + " " + t[2]).toList());
            Heap heap = Heap.of(logs.resolve("gc-1.log"));
            log.log("%s: %d of %d agents exact", name, accounts.stream().filter(Account::exact).count(), accounts.size());
            return new Run(name, o.agents(), groups.size(), o.rate(), seconds, drainSeconds, catchUpSeconds, accounts, lagArray, List.copyOf(probes.stagesMs), probes.gaveUp.get(), heap.thirdsMb(),
                    heap.maxMb(), heap.collections(), faultLog, failures);
        } finally {
            for (AgentProcess a : agentProcs) a.kill();
            srv.kill();
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
    }

    /** How long the index may go without any endpoint's count rising before the rest count as not searchable. */
    private static final Duration INDEX_STALL = Duration.ofSeconds(60);

    /**
     * Each endpoint's searchable count, waited for until it reaches what its agent recorded. The index may
     * still be catching up when the agents' stores are empty (a 10-minute run ended 4,000 events behind
     * on some endpoints): it is waited for as long as some count keeps rising, and only a stall of
     * {@link #INDEX_STALL} (or 15 minutes in all) ends the wait. A fixed 60 s for every endpoint together
     * once left 54 of them uncounted ("index -1") while the index was still working through them.
     */
    private static Map<String, Long> indexCounts(URI server, Path data, String apiToken, List<String> names, Map<String, long[]> taken)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(LoadBench.trusting(ServerCertificate.forDataFolder(data))).build();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String n : names) counts.put(n, -1L);
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        long lastRise = System.nanoTime();
        while (true) {
            boolean behind = false;
            for (String n : names) {
                long want = taken.getOrDefault(n, new long[] {-1})[0];
                long had = counts.get(n);
                if (had >= want && had >= 0) continue;
                long c = LiveAgentsMain.count(http, server, apiToken, n);
                counts.put(n, c);
                if (c > had) lastRise = System.nanoTime();
                if (c < want) behind = true;
            }
            long now = System.nanoTime();
            if (!behind || now - lastRise > INDEX_STALL.toNanos() || now > end) return counts;
            Thread.sleep(500);
        }
    }

    /** The journal's rows and distinct uids of {@code endpoint}; -1, -1 when it has none. */
    static long[] journal(Path data, String endpoint) throws Exception {
        Path file = data.resolve("endpoints").resolve(trailhound.index.Indexes.folderName(endpoint)).resolve("journal.db");
        if (!Files.exists(file)) return new long[] {-1, -1};
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT uid) FROM events")) {
            return new long[] {r.getLong(1), r.getLong(2)};
        }
    }

    private static Path writeProps(Path file, URI server, String token, String apiToken, Path data, Path replay, double rate, Path state,
            List<String> names) throws IOException {
        Properties p = new Properties();
        p.setProperty("server", server.toString());
        p.setProperty("token", token);
        p.setProperty("api_token", apiToken);
        p.setProperty("data", data.toString());
        p.setProperty("replay", replay.toString());
        p.setProperty("rate", Double.toString(rate));
        p.setProperty("batch", "500");
        p.setProperty("drain_ms", Long.toString(DRAIN.toMillis()));
        p.setProperty("state", state.toString());
        p.setProperty("names", String.join(",", names));
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "bench --live agent process");
        }
        return file;
    }

    private static List<String> java(List<String> options, String main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return command;
    }

    /** The server child JVM; its GC log is gc-N.log in the logs folder. */
    private static final class ServerProcess {
        final Process process;

        private ServerProcess(Process process) {
            this.process = process;
        }

        static ServerProcess start(Path data, int port, Path logs, int n) throws Exception {
            List<String> options = new ArrayList<>(SERVER_JVM);
            options.add("-Xlog:gc:file=" + logs.resolve("gc-" + n + ".log") + ":uptime");
            // a server that runs out of heap leaves what filled it (a 10-minute run on a loaded machine did)
            options.addAll(List.of("-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + logs));
            // to profile the server: TRAILHOUND_LIVE_SERVER_OPTIONS="-XX:StartFlightRecording=filename=live.jfr,settings=profile"
            options.addAll(optionsFrom("TRAILHOUND_LIVE_SERVER_OPTIONS"));
            Process p = new ProcessBuilder(java(options, LiveServerMain.class.getName(), data.toString(), Integer.toString(port)))
                    .redirectErrorStream(true).redirectOutput(logs.resolve("server-" + n + ".log").toFile()).start();
            // after a kill it accepts connections while it still indexes what its journals hold beyond the index (minutes
            // with many endpoints), and only then says "listening": ready for the agents is when the port accepts
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) throw new IOException("the server stopped at its start: see " + logs.resolve("server-" + n + ".log"));
                if (Files.readString(logs.resolve("server-" + n + ".log")).contains("listening ") || accepts(port)) return new ServerProcess(p);
                Thread.sleep(200);
            }
            p.destroyForcibly();
            throw new IOException("the server did not listen within 10 minutes: see " + logs.resolve("server-" + n + ".log"));
        }

        private static boolean accepts(int port) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
        }
    }

    /** An agent child JVM; its stdout lines (see {@link LiveAgentsMain}) are read on a thread. */
    private static final class AgentProcess {
        final Path props;
        final Process process;
        private final CountDownLatch drained = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(1);

        private AgentProcess(Path props, Process process) {
            this.props = props;
            this.process = process;
        }

        static AgentProcess start(Path props, Path log, LiveProbes probes, Map<String, long[]> taken, List<String> failures, boolean idle)
                throws IOException {
            List<String> options = new ArrayList<>(AGENT_JVM);
            // to profile an agent process: TRAILHOUND_LIVE_AGENT_OPTIONS="-XX:StartFlightRecording=filename=agents.jfr,settings=profile"
            options.addAll(optionsFrom("TRAILHOUND_LIVE_AGENT_OPTIONS"));
            List<String> command = new ArrayList<>(idle ? LOW_PRIORITY.command() : List.of());
            command.addAll(java(options, LiveAgentsMain.class.getName(), props.toString()));
            Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
            AgentProcess a = new AgentProcess(props, p);
            Thread.ofPlatform().daemon().name("agents-out").start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        String[] w = line.split(" ", 3);
                        switch (w[0]) {
                            case "probe" -> { // probe ENDPOINT DUE_MS UID
                                String[] v = w[2].split(" ", 2);
                                probes.probe(w[1], Long.parseLong(v[0]), v[1], () -> a.tell("searched " + v[1]));
                            }
                            case "stamps" -> { // stamps UID SENT_MS HELD_MS
                                String[] v = w[2].split(" ");
                                probes.stamps(w[1], Long.parseLong(v[0]), Long.parseLong(v[1]));
                            }
                            case "taken" -> {
                                String[] v = w[2].split(" ");
                                taken.put(w[1], new long[] {Long.parseLong(v[0]), Long.parseLong(v[1])});
                            }
                            case "failed" -> failures.add(w[1] + ": " + w[2]);
                            case "drained" -> a.drained.countDown();
                            case "started" -> a.started.countDown();
                            default -> { }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the process was killed: its output ends
                }
            });
            return a;
        }

        void drain() throws IOException {
            tell("drain");
        }

        /** A line to the process's stdin ("drain", "searched UID"); lost when the process has ended. */
        synchronized void tell(String line) {
            try {
                process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().flush();
            } catch (IOException e) {
                // the process ended (killed by a fault, or drained): nobody waits for it
            }
        }

        void awaitDrained(Duration patience) throws InterruptedException {
            drained.await(patience.toMillis(), TimeUnit.MILLISECONDS);
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void kill() throws InterruptedException {
            if (process.isAlive()) process.destroyForcibly().waitFor();
        }
    }

    /**
     * Heap after each collection, from a -Xlog:gc log ("[12.345s] GC(3) Pause Young ... 120M->30M(256M) 5.1ms"): young,
     * mixed and full pauses only. G1's Remark and Cleanup pauses of a marking cycle log the heap too, but they collect
     * nothing (the garbage marked goes in the mixed pauses after them), so their figures are the heap at its fullest.
     */
    record Heap(double[] thirdsMb, double maxMb, int collections) {
        private static final Pattern LINE = Pattern.compile("\\[(\\d+[.,]\\d+)s].*GC\\(\\d+\\) Pause (?:Young|Full).*?\\d+M->(\\d+)M\\(");

        static Heap of(Path gcLog) throws IOException {
            if (!Files.exists(gcLog)) return new Heap(new double[3], 0, 0);
            List<double[]> points = new ArrayList<>();
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = LINE.matcher(line);
                if (m.find()) points.add(new double[] {Double.parseDouble(m.group(1).replace(',', '.')), Double.parseDouble(m.group(2))});
            }
            if (points.isEmpty()) return new Heap(new double[3], 0, 0);
            double end = points.getLast()[0];
            double startT = points.getFirst()[0];
            double[] thirds = new double[3];
            for (double[] p : points) {
                int t = (int) Math.min(2, Math.floor((p[0] - startT) / Math.max(1e-9, end - startT) * 3));
                thirds[t] = Math.max(thirds[t], p[1]);
            }
            return new Heap(thirds, points.stream().mapToDouble(p -> p[1]).max().orElse(0), points.size());
        }
    }
}
