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
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import trailhound.agent.ReplayAgent;
import trailhound.web.tls.ServerCertificate;

/*
 * One agent process of `bench --live`: many replay agents in one JVM (ReplayAgent, the agent's own
 * session code), plus a probe of the lag. The probe waits for an agent's replay to put new events
 * into its store (t0; n0 events in all), then asks the server for the endpoint's count until it
 * reaches n0: the time from an event's recording to its being searchable, a little more than from
 * its sending. Each lag is also split into its stages, "stages A B C" in ms: until the agent sent the
 * event (its linger and window), until the server acknowledged holding it (journalled), until a count
 * saw it (indexed, refreshed, and the count request itself). Four probes at a
 * time per process, each counting every 50 ms for a second and then every 200 ms, so the probes
 * themselves add a few dozen requests/s.
 *
 * Lines on stdout, read by LiveBench: "started N", "lag MS", "lagmiss", "taken NAME N WAITING",
 * "failed NAME WHY", "drained". A line "drain" on stdin stops the replays, waits until every store
 * is empty (everything acknowledged) and reports each agent's count.
 */

/** Main of an agent process of {@code bench --live}; argument: a properties file written by {@link LiveBench}. */
public final class LiveAgentsMain {
    private static final long PROBE_GIVE_UP_MS = 30_000;
    /** Probes at a time per process, each over its own share of the agents. */
    private static final int PROBES = 4;

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
        HttpClient http = HttpClient.newBuilder().sslContext(LoadBench.trusting(ServerCertificate.forDataFolder(Path.of(p.getProperty("data")))))
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<Thread> probes = new ArrayList<>();
        for (int k = 0; k < Math.min(PROBES, agents.size()); k++) {
            List<Integer> mine = new ArrayList<>();
            for (int i = k; i < agents.size(); i += PROBES) mine.add(i);
            probes.add(Thread.ofPlatform().daemon().name("probe-" + k).start(() -> probe(http, server, p.getProperty("api_token"),
                    mine.stream().map(names::get).toList(), mine.stream().map(agents::get).toList(), out)));
        }
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null && !line.equals("drain")) {
            // only "drain" is understood
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

    private static void probe(HttpClient http, URI server, String apiToken, List<String> names, List<ReplayAgent> agents, PrintWriter out) {
        int next = 0;
        try {
            Thread.sleep(3_000); // the agents enrol first
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(500);
                int i = next++ % agents.size();
                // from the moment new events enter the store (the replay adds them in chunks), not from a moment after
                long before = agents.get(i).taken();
                long waitUntil = System.nanoTime() + 20_000_000_000L;
                while (agents.get(i).taken() == before && System.nanoTime() < waitUntil) Thread.sleep(2);
                long n0 = agents.get(i).taken();
                long t0 = System.nanoTime();
                if (n0 == before || agents.get(i).heldUpTo() == 0) continue; // not enrolled or sending yet
                long position;
                try {
                    position = agents.get(i).newest();
                } catch (java.io.IOException e) {
                    continue; // the store failed: the agent reports it
                }
                long deadline = t0 + PROBE_GIVE_UP_MS * 1_000_000;
                // the stages, polled in the agent's memory: sent in a batch, then held (journalled, acknowledged)
                while (agents.get(i).sentUpTo() < position && System.nanoTime() < deadline) Thread.sleep(1);
                long sent = System.nanoTime();
                while (agents.get(i).heldUpTo() < position && System.nanoTime() < deadline) Thread.sleep(1);
                long held = System.nanoTime();
                boolean seen = false;
                while (!seen && System.nanoTime() < deadline) {
                    // a server that is down (the fault run kills it) counts -1: this probe goes on trying until it gives up
                    seen = count(http, server, apiToken, names.get(i)) >= n0;
                    // every 50 ms for the first second, then every 200 ms: 16 probes polling every 50 ms while a lag lasted
                    // were 320 counts a second, a fifth of the server's CPU (docs/performance.md, session 16); a late
                    // poll only makes a lag look longer, by at most 200 ms
                    if (!seen) Thread.sleep(System.nanoTime() - held < 1_000_000_000L ? 50 : 200);
                }
                long visible = System.nanoTime();
                say(out, seen ? "lag " + (visible - t0) / 1_000_000 : "lagmiss");
                if (seen) say(out, "stages " + (sent - t0) / 1_000_000 + " " + (held - sent) / 1_000_000 + " " + (visible - held) / 1_000_000);
            }
        } catch (InterruptedException e) {
            // drained: the probe ends
        }
    }

    /** The endpoint's searchable events; -1 when it has none yet (404 before its first batch). */
    static long count(HttpClient http, URI server, String apiToken, String endpoint) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(server.resolve("/api/v1/endpoints/"
                    + URLEncoder.encode(endpoint, StandardCharsets.UTF_8) + "/count?q=")).header("Authorization", "Bearer " + apiToken)
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
