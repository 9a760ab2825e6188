package trailhound.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import trailhound.bench.LoadGenerator.Client;
import trailhound.bench.LoadGenerator.Page;
import trailhound.bench.LoadGenerator.PageResult;
import trailhound.bench.LoadGenerator.Result;
import trailhound.bench.LoadGenerator.Think;

/**
 * The load generator's own logic against a real HTTP server (the JDK's) that counts what it is
 * asked: every request is counted once, per page and per session, errors apart. No timing assertions.
 */
class LoadGeneratorTest {
    private HttpServer server;
    private String base;
    private final Map<String, AtomicLong> byPath = new ConcurrentHashMap<>();
    private final Set<String> cookies = ConcurrentHashMap.newKeySet();
    private final List<HttpClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
            cookies.add(exchange.getRequestHeaders().getFirst("Cookie"));
            byte[] body = ("page " + path).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Server-Timing", "app;dur=1.5");
            exchange.sendResponseHeaders(path.equals("/broken") ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        clients.forEach(HttpClient::close);
    }

    private List<Client> clients(int n) {
        List<Client> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpClient http = HttpClient.newHttpClient();
            clients.add(http);
            out.add(new Client(http, "th_session=s" + i));
        }
        return out;
    }

    @Test
    void run_fewClientsShortDuration_countsAddUp() throws Exception {
        List<Page> mix = List.of(new Page("grid", "/grid", 3), new Page("process", "/process", 1), new Page("broken", "/broken", 1));

        Result r = LoadGenerator.run(base, mix, clients(3), Duration.ofMillis(600), new Think(5, 20), 7);

        long served = byPath.values().stream().mapToLong(AtomicLong::get).sum();
        assertEquals(served, r.requests() + r.errors(), "every request the server saw is counted once");
        assertEquals(r.requests(), r.pages().stream().mapToLong(PageResult::requests).sum());
        assertEquals(r.errors(), r.pages().stream().mapToLong(PageResult::errors).sum());
        for (PageResult p : r.pages()) {
            long seen = byPath.getOrDefault(p.path(), new AtomicLong()).get();
            assertEquals(seen, p.requests() + p.errors(), p.name());
            if (seen > 0) {
                assertEquals(seen, p.client().runs(), p.name() + ": one latency per request");
                assertNotNull(p.server(), p.name() + ": the Server-Timing header was read");
                assertEquals(1.5, p.server().medianMs(), 1e-9);
            }
        }
        PageResult broken = r.pages().get(2);
        assertEquals(0, broken.requests(), "HTTP 500 is an error, not an answer");
        assertEquals(byPath.getOrDefault("/broken", new AtomicLong()).get(), broken.errors());
        assertTrue(byPath.get("/grid").get() > 0 && r.pages().getFirst().errors() == 0);
        assertEquals(Set.of("th_session=s0", "th_session=s1", "th_session=s2"), cookies, "each client its own session");
        assertEquals(3, r.clients());
        assertEquals(served, r.all().runs());
        assertEquals(served / r.seconds(), r.requestsPerSecond(), 1e-9);
    }

    @Test
    void run_onePageNoThinkTime_everyRequestAnswered() throws Exception {
        Result r = LoadGenerator.run(base, List.of(new Page("only", "/only", 1)), clients(2), Duration.ofMillis(300), Think.NONE, 1);

        assertEquals(byPath.get("/only").get(), r.requests());
        assertEquals(0, r.errors());
        assertTrue(r.requests() >= 2, "each client asks at least once before the end: " + r.requests());
    }

    @Test
    void arguments_badWeightOrThinkOrEmpty_rejectedWithTheValue() {
        var weight = assertThrows(IllegalArgumentException.class, () -> new Page("p", "/p", 0));
        assertTrue(weight.getMessage().contains("was 0"), weight.getMessage());
        var think = assertThrows(IllegalArgumentException.class, () -> new Think(3, 1));
        assertTrue(think.getMessage().contains("3..1"), think.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LoadGenerator.run(base, List.of(), clients(1), Duration.ofMillis(10), Think.NONE, 1));
    }

    @Test
    void saturation_highestRateWithinTheTarget() {
        Result fast = new Result(2, 1, List.of(), 40, 0, 40, new Latency(100, 200, 40));
        Result faster = new Result(4, 1, List.of(), 90, 0, 90, new Latency(150, 480, 90));
        Result over = new Result(8, 1, List.of(), 95, 0, 95, new Latency(300, 900, 95));

        assertEquals(90, LoadBench.saturation(List.of(fast, faster, over)), 1e-9);
        assertEquals(0, LoadBench.saturation(List.of(over)), 1e-9);
        assertEquals(List.of(2, 4, 8, 16, 32, 64), LoadBench.saturationSteps(50));
        assertEquals(List.of(2), LoadBench.saturationSteps(1));
    }
}
