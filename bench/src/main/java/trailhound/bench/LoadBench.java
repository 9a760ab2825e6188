package trailhound.bench;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.bench.LoadGenerator.Client;
import trailhound.bench.LoadGenerator.Page;
import trailhound.bench.LoadGenerator.Result;
import trailhound.bench.LoadGenerator.Think;
import trailhound.ingest.DataDir;
import trailhound.web.WebOptions;
import trailhound.web.WebServer;
import trailhound.web.tls.ServerCertificate;

/*
 * Speed under load (issue #14): the real server over HTTPS on loopback, in this process, with
 * many simulated analysts, each signed in with an account and a session of their own, asking for
 * a realistic mix of pages with a think time of 1-3 s between requests. Then the saturation point:
 * clients without any think time, doubled step by step until the p95 of the mix crosses 500 ms;
 * the highest rate still under it is the saturation rate. The load generator shares the machine
 * with the server, as a browser on the analyst's own workstation would not: the figures are a
 * floor of what the server alone can do.
 */
final class LoadBench {
    static final double TARGET_P95_MS = 500;
    static final Think ANALYST_THINK = new Think(1_000, 3_000);
    /** Peers the process page's process should have: a busy parent's child (services.exe, a build agent...). */
    static final int PEERS = 1_000;
    private static final long SEED = 14;

    private LoadBench() {}

    /** What the mix needs from the snapshot: a process whose parent has about {@value #PEERS} children, and a contains query. */
    record Targets(String processKey, long peers, String containsQuery) {}

    /**
     * Runs the analysts for {@code seconds}, then the saturation steps ({@code seconds} / 6 each, at
     * least 2 s), against {@code endpoint} of {@code data} (its snapshot {@code snapshot}).
     */
    static BenchReport.Load run(DataDir data, String endpoint, long events, Path snapshot, int analysts, int seconds,
            Benchmark.Log log) throws Exception {
        Targets targets;
        try (SnapshotSql sql = new SnapshotSql(snapshot, endpoint)) {
            targets = targets(sql);
        }
        List<Page> mix = mix(endpoint, targets);
        ServerCertificate certificate = ServerCertificate.forDataFolder(data.root());
        try (WebServer server = WebServer.start(data, WebOptions.defaults().withPort(0).withTemplateSources(null)
                .withInitialPasswordChange(false).withHttps(certificate))) {
            SSLContext tls = trusting(certificate);
            List<Integer> stepClients = saturationSteps(analysts);
            int most = Math.max(analysts, stepClients.getLast());
            log.log("load: signing in %d analysts over HTTPS (%s)...", most, server.url());
            List<Client> clients = signIn(server, endpoint, tls, most);
            try {
                LoadGenerator.run(server.url(), mix, clients.subList(0, 1), Duration.ofSeconds(3), Think.NONE, SEED); // warm-up
                log.log("load: %d analysts, think %d-%d s, for %d s: %s", analysts, ANALYST_THINK.minMs() / 1000,
                        ANALYST_THINK.maxMs() / 1000, seconds, mix.stream().map(Page::name).toList());
                Result busy = LoadGenerator.run(server.url(), mix, clients.subList(0, analysts), Duration.ofSeconds(seconds),
                        ANALYST_THINK, SEED);
                log.log("load: %,d requests (%,.1f/s), p95 of the mix %s ms, %d errors", busy.requests(), busy.requestsPerSecond(),
                        busy.all() == null ? "n/a" : ReportTable.ms(busy.all().p95Ms()), busy.errors());
                Duration step = Duration.ofSeconds(Math.max(2, seconds / 6));
                List<Result> steps = new ArrayList<>();
                for (int n : stepClients) {
                    Result r = LoadGenerator.run(server.url(), mix, clients.subList(0, n), step, Think.NONE, SEED + n);
                    steps.add(r);
                    log.log("load: saturation, %d clients without waiting: %,.1f requests/s, p50/p95 %s / %s ms", n,
                            r.requestsPerSecond(), ReportTable.ms(r.all().medianMs()), ReportTable.ms(r.all().p95Ms()));
                    if (r.all().p95Ms() > TARGET_P95_MS) break;
                }
                return new BenchReport.Load(endpoint, events, targets.processKey(), targets.peers(), analysts,
                        ANALYST_THINK.minMs() / 1e3, ANALYST_THINK.maxMs() / 1e3, busy, steps, saturation(steps));
            } finally {
                for (Client c : clients) c.http().close();
            }
        }
    }

    /** Clients of each saturation step: 2, 4, 8... up to twice the analysts (2, 4, 8, 16, 32, 64 for 50). */
    static List<Integer> saturationSteps(int analysts) {
        List<Integer> steps = new ArrayList<>();
        for (int n = 2; n <= Math.max(2, 2 * analysts); n *= 2) steps.add(n);
        return steps;
    }

    /** The highest rate of a step whose p95 stayed within the target (0 when even the first crossed it). */
    static double saturation(List<Result> steps) {
        return steps.stream().filter(r -> r.all() != null && r.all().p95Ms() <= TARGET_P95_MS)
                .mapToDouble(Result::requestsPerSecond).max().orElse(0);
    }

    /**
     * The mix, weighted as an analyst's hour goes: mostly the events grid (plain and filtered) and
     * processes opened from it, now and then the overview pages and a hunt.
     */
    static List<Page> mix(String endpoint, Targets t) {
        String e = "/endpoints/" + enc(endpoint);
        return List.of(
                new Page("events grid (newest 50)", e + "/events", 3),
                new Page("events grid (contains)", e + "/events?q=" + enc(t.containsQuery()), 2),
                new Page(String.format("process page (%,d peers)", t.peers()), e + "/process/" + enc(t.processKey()), 2),
                new Page("distribution page", e + "/distribution", 1),
                new Page("histogram", "/api/v1/endpoints/" + enc(endpoint) + "/histogram", 1),
                new Page("hunt", "/hunt?q=" + enc(HuntBench.QUERY), 1));
    }

    /**
     * The child with the most events of the parent whose number of children is nearest {@value #PEERS},
     * and the suite's contains query on command lines.
     */
    static Targets targets(SnapshotSql sql) throws Exception {
        String parent = sql.stringOf("SELECT parent_key FROM processes WHERE parent_key IS NOT NULL GROUP BY parent_key"
                + " ORDER BY abs(count(*) - ?) LIMIT 1", List.of(PEERS));
        if (parent == null) throw new IllegalStateException("the snapshot has no process with a parent: cannot pick a busy process");
        long children = sql.longOf("SELECT count(*) FROM processes WHERE parent_key = ?", List.of(parent));
        String key = sql.stringOf("SELECT e.process_key FROM events e JOIN processes p ON p.process_key = e.process_key"
                + " WHERE p.parent_key = ? GROUP BY e.process_key ORDER BY count(*) DESC LIMIT 1", List.of(parent));
        String contains = null;
        for (String candidate : List.of("-enc", "powershell", "cmd", ".exe")) {
            if (sql.longOf("SELECT count(*) FROM processes WHERE command_line LIKE ? ESCAPE '!'",
                    List.of("%" + QuerySuite.like(candidate) + "%")) > 0) {
                contains = candidate;
                break;
            }
        }
        return new Targets(key, children - 1, "command_line:*" + QuerySuite.escape(contains == null ? ".exe" : contains) + "*");
    }

    /** A group seeing the endpoint, and {@code n} analysts in it, each signed in on a client of their own. */
    static List<Client> signIn(WebServer server, String endpoint, SSLContext tls, int n) throws Exception {
        Caller bench = Caller.commandLine();
        String group = "load-" + System.nanoTime();
        server.access().groups().create(bench, group, "name:\"" + endpoint + "\"", List.of());
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = String.format("%s-analyst-%02d", group, i);
            String password = "load analyst password " + System.nanoTime();
            server.access().accounts().create(bench, name, Role.ANALYST, List.of(group), password, false);
            HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            clients.add(new Client(http, "th_session=" + WebBench.signIn(http, server.url(), name, password)));
        }
        return clients;
    }

    /** Trusts the server's own (self-signed) certificate and nothing else. */
    static SSLContext trusting(ServerCertificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("trailhound", certificate.leaf());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return tls;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
