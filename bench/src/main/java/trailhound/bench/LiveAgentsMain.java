package trailhound.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import trailhound.agent.ReplayAgent;

/*
 * One agent process of `bench --live`: many replay agents in one JVM (ReplayAgent, the agent's own
 * session code), plus the agents' half of the lag probes. A probe waits for an agent's replay to put new
 * events into its store and takes the newest: when it was due in the replay's schedule (t0, the time it
 * carries) and its uid. It says "probe NAME T0 UID"; the bench's JVM, which runs at the server's priority
 * where this one runs at the lowest, searches the endpoint for that uid (LiveProbes) and answers
 * "searched UID" on stdin. Meanwhile the probe times the first stages in the agent's memory and says
 * "stamps UID SENT HELD" (wall ms): when the agent sent the event (its linger and window) and when the
 * server acknowledged holding it (journalled). Four probes at a time per process, one event each.
 *
 * Lines on stdout, read by LiveBench: "started N", "probe NAME T0 UID", "stamps UID SENT HELD",
 * "taken NAME N WAITING", "failed NAME WHY", "drained". On stdin: "searched UID", and "drain", which stops
 * the replays, waits until every store is empty (everything acknowledged) and reports each agent's count.
 */

/** Main of an agent process of {@code bench --live}; argument: a properties file written by {@link LiveBench}. */
public final class LiveAgentsMain {
    /** Probes at a time per process, each over its own share of the agents. */
    private static final int PROBES = 4;

    /** Probes whose event the bench searches for, by uid; counted down when it says "searched UID". */
    private static final Map<String, CountDownLatch> SEARCHED = new ConcurrentHashMap<>();

    private LiveAgentsMain() {}

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(Path.of(args[0]))) {
            p.load(in);
        }
        URI server = URI.create(p.getProperty("server"));
        Path stateRoot = Path.of(p.getProperty("state"));
        List<String> names = List.of(p.getProperty("names").split(","));
        double rate = Double.parseDouble(p.getProperty("rate"));
        PrintWriter log = new PrintWriter(System.err, true);
        PrintWriter out = new PrintWriter(System.out, true);
        List<ReplayAgent> agents = new ArrayList<>();
        for (String name : names) {
            agents.add(ReplayAgent.start(new ReplayAgent.Options(server, p.getProperty("token"), name, stateRoot.resolve(name), null,
                    Path.of(p.getProperty("replay")), rate, Integer.parseInt(p.getProperty("batch"))), log));
        }
        say(out, "started " + agents.size());
        List<Thread> probes = new ArrayList<>();
        for (int k = 0; k < Math.min(PROBES, agents.size()); k++) {
            List<Integer> mine = new ArrayList<>();
            for (int i = k; i < agents.size(); i += PROBES) mine.add(i);
            probes.add(Thread.ofPlatform().daemon().name("probe-" + k).start(() -> probe(
                    mine.stream().map(names::get).toList(), mine.stream().map(agents::get).toList(), out)));
        }
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null && !line.equals("drain")) {
            if (line.startsWith("searched ")) { // the bench found a probe's event, or gave up on it
                CountDownLatch l = SEARCHED.get(line.substring(9));
                if (l != null) l.countDown();
            }
        }
        probes.forEach(Thread::interrupt);
        for (ReplayAgent a : agents) a.stopReplay();
        long deadline = System.currentTimeMillis() + Long.parseLong(p.getProperty("drain_ms", "180000"));
        while (System.currentTimeMillis() < deadline && waiting(agents) > 0) Thread.sleep(200);
        for (int i = 0; i < agents.size(); i++) {
            ReplayAgent a = agents.get(i);
            if (a.failure() != null) say(out, "failed " + names.get(i) + " " + a.failure());
            say(out, "taken " + names.get(i) + " " + a.taken() + " " + a.waiting());
        }
        for (ReplayAgent a : agents) a.close();
        say(out, "drained");
    }

    private static long waiting(List<ReplayAgent> agents) throws java.io.IOException {
        long n = 0;
        for (ReplayAgent a : agents) n += a.waiting();
        return n;
    }

    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

    private static void probe(List<String> names, List<ReplayAgent> agents, PrintWriter out) {
        int next = 0;
        try {
            Thread.sleep(3_000); // the agents enrol first
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(500);
                int i = next++ % agents.size();
                // from when the newest event stored was due (its slot in the replay's schedule, which its time stamp
                // carries): a replay that fell behind, its process short of CPU, counts its delay too
                long before = agents.get(i).taken();
                long waitUntil = System.nanoTime() + 20_000_000_000L;
                while (agents.get(i).taken() == before && System.nanoTime() < waitUntil) Thread.sleep(2);
                ReplayAgent.Progress p0 = agents.get(i).progress();
                long n0 = p0.taken();
                long t0 = p0.newestSlotMs();
                if (n0 == before || t0 == 0 || agents.get(i).heldUpTo() == 0) continue; // not enrolled or sending yet
                long position;
                String uid;
                try {
                    position = agents.get(i).newest();
                    uid = agents.get(i).uidAt(position);
                } catch (java.io.IOException e) {
                    continue; // the store failed: the agent reports it
                }
                if (uid == null) continue; // sent and dropped from the store already
                CountDownLatch searched = new CountDownLatch(1);
                SEARCHED.put(uid, searched);
                say(out, "probe " + names.get(i) + " " + t0 + " " + uid); // searched for by the bench's JVM (LiveProbes)
                long deadline = t0 + LiveProbes.GIVE_UP_MS;
                // the first stages, polled in the agent's memory: sent in a batch, then held (journalled, acknowledged); wall ms
                while (agents.get(i).sentUpTo() < position && System.currentTimeMillis() < deadline) Thread.sleep(1);
                long sent = System.currentTimeMillis();
                while (agents.get(i).heldUpTo() < position && System.currentTimeMillis() < deadline) Thread.sleep(1);
                long held = System.currentTimeMillis();
                if (held < deadline) say(out, "stamps " + uid + " " + sent + " " + held);
                // one probe at a time per thread, as when this thread searched itself: a lag does not multiply the searches
                searched.await(Math.max(0, deadline - System.currentTimeMillis()) + 5_000, TimeUnit.MILLISECONDS);
                SEARCHED.remove(uid);
            }
        } catch (InterruptedException e) {
            // drained: the probe ends
        }
    }

    /** The endpoint's searchable events; -1 when it has none yet (404 before its first batch). */
    static long count(HttpClient http, URI server, String apiToken, String endpoint) throws InterruptedException {
        return count(http, server, apiToken, endpoint, "");
    }

    /** The endpoint's searchable events matching {@code query}; -1 as {@link #count(HttpClient, URI, String, String)}. */
    static long count(HttpClient http, URI server, String apiToken, String endpoint, String query) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(server.resolve("/api/v1/endpoints/"
                    + URLEncoder.encode(endpoint, StandardCharsets.UTF_8) + "/count?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + apiToken)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return -1; // a server that does not answer: not searchable now (a run once ended here without its report)
        }
        Matcher m = TOTAL.matcher(r.body());
        return r.statusCode() == 200 && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static synchronized void say(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
