package trailhound.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.bench.BenchReport.QueryResult;
import trailhound.bench.BenchReport.WebPage;
import trailhound.ingest.DataDir;
import trailhound.web.WebOptions;
import trailhound.web.WebServer;

/*
 * The pages an analyst waits for, through the real server on loopback: sign in as the admin the
 * server creates (login form with its double-submit token), then several clients request each
 * page at once, repeatedly. Server time comes from the Server-Timing header the app adds to every
 * response; the client's round trip is shown next to it.
 */
final class WebBench {
    private static final int REQUESTS_PER_CLIENT = 10;
    private static final int CATALOGUE = 5_000;
    private static final Pattern SERVER_TIMING = Pattern.compile("dur=([0-9.]+)");
    private static final Pattern LOGIN_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private WebBench() {}

    static BenchReport.Web run(DataDir data, String endpoint, List<QueryResult> queries, int clients, Benchmark.Log log)
            throws Exception {
        String processKey = queries.stream().filter(q -> q.name().startsWith("process history"))
                .map(QueryResult::indexQuery).findFirst().orElse("none");
        String containsQuery = queries.stream().filter(q -> q.name().startsWith("contains"))
                .map(QueryResult::indexQuery).findFirst().orElse("");
        String e = enc(endpoint);
        List<String[]> pages = List.of(
                new String[] {"events grid (newest 50)", "/endpoints/" + e + "/events"},
                new String[] {"events grid (contains)", "/endpoints/" + e + "/events?q=" + enc(containsQuery)},
                new String[] {"distribution page", "/endpoints/" + e + "/distribution"},
                new String[] {"process details page", "/endpoints/" + e + "/process/" + enc(processKey)});
        // a throw-away loopback folder: its first password is used as it is, as in demo
        try (WebServer server = WebServer.start(data, WebOptions.defaults().withPort(0).withTemplateSources(null)
                .withInitialPasswordChange(false))) {
            String password = server.initialAdminPassword()
                    .orElseThrow(() -> new IllegalStateException("the bench data folder already had users; cannot sign in"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            String session = signIn(http, server.url(), "admin", password);
            log.log("web: signed in; timing %d pages with %d concurrent clients", pages.size() + 1, clients);
            List<WebPage> results = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                for (String[] page : pages) results.add(time(http, pool, clients, server.url() + page[1], session, page));
                String analyst = analystWithARuleGroup(data, server, endpoint, http);
                results.add(time(http, pool, clients, server.url() + pages.get(0)[1], analyst,
                        new String[] {"events grid, analyst (rule group, " + String.format("%,d", CATALOGUE + 1) + " endpoints)",
                            pages.get(0)[1]}));
            } finally {
                pool.shutdownNow();
            }
            return new BenchReport.Web(clients, results);
        }
    }

    private static WebPage time(HttpClient http, ExecutorService pool, int clients, String url, String session, String[] page)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Cookie", "th_session=" + session).GET().build();
        http.send(request, HttpResponse.BodyHandlers.discarding()); // warm-up
        List<Future<List<long[]>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<long[]> samples = new ArrayList<>();
                for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                    long start = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long client = System.nanoTime() - start;
                    Matcher m = SERVER_TIMING.matcher(r.headers().firstValue("Server-Timing").orElse(""));
                    long server = m.find() ? (long) (Double.parseDouble(m.group(1)) * 1e6) : -1;
                    samples.add(new long[] {r.statusCode(), server, client});
                }
                return samples;
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<List<long[]>> f : futures) all.addAll(f.get());
        int status = (int) all.stream().mapToLong(s -> s[0]).max().orElse(0);
        long[] server = all.stream().mapToLong(s -> s[1]).filter(v -> v >= 0).toArray();
        long[] client = all.stream().mapToLong(s -> s[2]).toArray();
        return new WebPage(page[0], page[1], status, server.length == all.size() ? Latency.of(server) : null, Latency.of(client));
    }

    /**
     * An analyst whose group is a rule over a catalogue of {@value #CATALOGUE} more endpoints (without
     * events): every request of theirs asks which endpoints they may see. Returns the session id.
     */
    private static String analystWithARuleGroup(DataDir data, WebServer server, String endpoint, HttpClient http) throws Exception {
        for (int i = 0; i < CATALOGUE; i++) {
            data.catalogue().upsertEndpoint(String.format("bench-ws-%05d", i), "windows", null, "10.9." + (i >> 8) + "." + (i & 255));
        }
        Caller bench = Caller.commandLine();
        server.access().groups().create(bench, "bench", "name:\"" + endpoint + "\" OR tag:bench-vip OR ip:10.9.1.0/24", List.of());
        String password = "bench analyst password " + System.nanoTime();
        server.access().accounts().create(bench, "bench-analyst", Role.ANALYST, List.of("bench"), password, false);
        return signIn(http, server.url(), "bench-analyst", password);
    }

    /** Signs in and returns the session id. */
    static String signIn(HttpClient http, String base, String user, String password) throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = LOGIN_TOKEN.matcher(form.body());
        if (!token.find()) throw new IllegalStateException("no sign-in token in the login page (HTTP " + form.statusCode() + ")");
        String body = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(token.group(1));
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "th_login=" + token.group(1))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        for (String cookie : login.headers().allValues("Set-Cookie")) {
            if (cookie.startsWith("th_session=")) return cookie.substring("th_session=".length(), cookie.indexOf(';'));
        }
        throw new IllegalStateException("sign-in failed: HTTP " + login.statusCode());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
