package trailhound.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * A closed-loop HTTP load: each client (its own HttpClient, so its own connections and TLS
 * session, and its own session cookie) runs on a virtual thread and repeats until the duration
 * is over: pick a page by weight, request it, wait a random think time. A request started before
 * the end is waited for and counted, so the requests per page add up to the total. Client time is
 * the round trip with the body read; server time comes from the Server-Timing header when present.
 * Knows nothing of Trailhound beyond that header, so its own test runs against any HTTP server.
 */
final class LoadGenerator {
    private static final Pattern SERVER_TIMING = Pattern.compile("dur=([0-9.]+)");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** A page of the mix: {@code path} below the base URL, picked with probability {@code weight} / sum of weights. */
    record Page(String name, String path, int weight) {
        Page {
            if (weight < 1) throw new IllegalArgumentException("a page's weight must be at least 1, was " + weight + " for " + name);
        }
    }

    /** One simulated analyst: their HTTP client and the Cookie header of their session. */
    record Client(HttpClient http, String cookie) {}

    /** Think time between a response and the client's next request, drawn uniformly from [min, max] ms; 0, 0: none. */
    record Think(long minMs, long maxMs) {
        static final Think NONE = new Think(0, 0);

        Think {
            if (minMs < 0 || maxMs < minMs) throw new IllegalArgumentException("think time must be 0 <= min <= max ms, was " + minMs + ".." + maxMs);
        }
    }

    /**
     * One page's figures: requests answered 200 and the rest ({@code errors}: another status or no
     * answer), latencies over all of them (null when none; server null when a response lacked the header).
     */
    record PageResult(String name, String path, long requests, long errors, Latency client, Latency server) {}

    /**
     * A whole run: {@code seconds} from the start until the last request ended, every page's figures,
     * the totals, the rate (requests / seconds) and the latency over every request of the mix.
     */
    record Result(int clients, double seconds, List<PageResult> pages, long requests, long errors, double requestsPerSecond,
            Latency all) {}

    private LoadGenerator() {}

    /**
     * Runs {@code clients} against {@code base} + each page's path for {@code duration}; blocks until
     * every client has stopped. {@code seed} makes the page choices and think times repeatable.
     */
    static Result run(String base, List<Page> pages, List<Client> clients, Duration duration, Think think, long seed)
            throws Exception {
        if (pages.isEmpty() || clients.isEmpty()) throw new IllegalArgumentException("a load needs pages and clients");
        int[] cumulative = new int[pages.size()];
        int sum = 0;
        for (int i = 0; i < pages.size(); i++) cumulative[i] = sum += pages.get(i).weight();
        int totalWeight = sum;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<List<long[]>>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients.size(); c++) {
                Client client = clients.get(c);
                Random random = new Random(seed * 1_000_003 + c);
                futures.add(threads.submit(() -> {
                    List<long[]> samples = new ArrayList<>();
                    while (System.nanoTime() < end) {
                        int pick = Arrays.binarySearch(cumulative, random.nextInt(totalWeight) + 1);
                        int page = pick >= 0 ? pick : -pick - 1;
                        samples.add(request(client, base + pages.get(page).path(), page));
                        long wait = think.minMs() + (think.maxMs() > think.minMs()
                                ? (long) (random.nextDouble() * (think.maxMs() - think.minMs())) : 0);
                        long left = (end - System.nanoTime()) / 1_000_000;
                        if (wait > 0 && left > 0) Thread.sleep(Math.min(wait, left));
                    }
                    return samples;
                }));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<long[]> all = new ArrayList<>();
        for (Future<List<long[]>> f : futures) all.addAll(f.get());
        List<PageResult> results = new ArrayList<>();
        long errors = 0;
        for (int p = 0; p < pages.size(); p++) {
            int page = p;
            List<long[]> of = all.stream().filter(s -> s[0] == page).toList();
            long failed = of.stream().filter(s -> s[1] != 200).count();
            errors += failed;
            long[] client = of.stream().mapToLong(s -> s[2]).toArray();
            long[] server = of.stream().mapToLong(s -> s[3]).filter(v -> v >= 0).toArray();
            results.add(new PageResult(pages.get(p).name(), pages.get(p).path(), of.size() - failed, failed,
                    client.length == 0 ? null : Latency.of(client),
                    server.length == 0 || server.length < of.size() ? null : Latency.of(server)));
        }
        Latency overall = all.isEmpty() ? null : Latency.of(all.stream().mapToLong(s -> s[2]).toArray());
        return new Result(clients.size(), seconds, results, all.size() - errors, errors, all.size() / seconds, overall);
    }

    /** {page, status (-1: no answer), client nanos, server nanos (-1: no header)}. */
    static long[] request(Client client, String url, int page) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .header("Cookie", client.cookie()).GET().build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<byte[]> r = client.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
            long nanos = System.nanoTime() - t0;
            Matcher m = SERVER_TIMING.matcher(r.headers().firstValue("Server-Timing").orElse(""));
            long server = m.find() ? (long) (Double.parseDouble(m.group(1)) * 1e6) : -1;
            return new long[] {page, r.statusCode(), nanos, server};
        } catch (java.io.IOException e) {
            return new long[] {page, -1, System.nanoTime() - t0, -1};
        }
    }
}
