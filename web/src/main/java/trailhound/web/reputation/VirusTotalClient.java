package trailhound.web.reputation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Lookups never block a request. lookup() answers from the Caffeine cache, or queues the hash and
 * answers PENDING; one worker thread drains the queue no faster than the budget allows (a sliding
 * window of send times: at most `requests` sends in any `per`), fetches GET files/{hash} and caches
 * the answer. The page's badge polls until the answer is there. Failed lookups (quota, network,
 * bad key) are cached only briefly so they are retried, and are shown as UNKNOWN with the reason.
 */

/** VirusTotal v3 file reports as a reputation source. Thread-safe; close it to stop the worker. */
final class VirusTotalClient implements ReputationProvider {
    static final String NAME = "VirusTotal";
    private static final Logger LOG = LoggerFactory.getLogger(VirusTotalClient.class);
    private static final Duration RETRY_FAILED_AFTER = Duration.ofMinutes(1);
    private static final int MAX_QUEUED = 10_000;
    /** Engines needed to call a file malicious: one engine alone is too often a false positive. */
    static final int MALICIOUS_ENGINES = 3;

    private final VirusTotalSettings settings;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Cache<String, Answer> cache;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private final Thread worker;

    VirusTotalClient(VirusTotalSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfter(Expiry.creating((String hash, Answer a) -> a.failed() ? RETRY_FAILED_AFTER : settings.cacheFor()))
                .build();
        this.worker = Thread.ofPlatform().name("virustotal-lookups").daemon().unstarted(this::drain);
        worker.start();
    }

    @Override
    public List<SourceVerdict> lookup(String hash) {
        Answer cached = cache.getIfPresent(hash);
        if (cached != null) {
            return cached.verdicts();
        }
        if (queued.add(hash) && !queue.offer(hash)) {
            queued.remove(hash);
            return List.of(new SourceVerdict(NAME, Verdict.UNKNOWN,
                    "lookup queue is full (" + MAX_QUEUED + " hashes); try again later", null, List.of()));
        }
        return List.of(new SourceVerdict(NAME, Verdict.PENDING,
                "lookup queued (" + settings.requests() + " requests per " + settings.per() + ")", null, List.of()));
    }

    @Override
    public void close() {
        worker.interrupt();
        http.shutdownNow();
    }

    private void drain() {
        try {
            while (true) {
                String hash = queue.take();
                try {
                    if (cache.getIfPresent(hash) == null) {
                        awaitBudget();
                        Answer answer = fetch(hash);
                        cache.put(hash, answer);
                        // VirusTotal names the file by all three hashes: the page asks for each of a
                        // process's hashes, and one request answers them all (the others queued behind
                        // it are then skipped), which matters at 4 requests a minute
                        for (String alias : answer.aliases()) cache.asMap().putIfAbsent(alias, answer);
                    }
                } finally {
                    queued.remove(hash);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitBudget() throws InterruptedException {
        long window = settings.per().toNanos();
        while (true) {
            long now = System.nanoTime();
            while (!sent.isEmpty() && now - sent.peekFirst() >= window) {
                sent.pollFirst();
            }
            if (sent.size() < settings.requests()) {
                sent.addLast(now);
                return;
            }
            long waitNanos = sent.peekFirst() + window - now;
            Thread.sleep(Duration.ofNanos(Math.max(waitNanos, 1_000_000)));
        }
    }

    private Answer fetch(String hash) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(settings.baseUrl().resolve("files/" + hash))
                .header("x-apikey", settings.apiKey())
                .header("accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 404) {
                return new Answer(List.of(new SourceVerdict(NAME, Verdict.UNKNOWN,
                        "VirusTotal has never seen this file", null, List.of())), false, List.of());
            }
            if (status != 200) {
                String code = errorCode(response.body());
                LOG.warn("VirusTotal lookup of {} failed: HTTP {} {}", hash, status, code);
                return failure("lookup failed: HTTP " + status + (code.isEmpty() ? "" : " " + code) + "; retried later");
            }
            JsonNode root = json.readTree(response.body());
            return new Answer(List.of(parse(root)), false, aliases(root, hash));
        } catch (IOException e) {
            LOG.warn("VirusTotal lookup of {} failed", hash, e);
            return failure("lookup failed: " + e.getClass().getSimpleName() + "; retried later");
        }
    }

    private static Answer failure(String detail) {
        return new Answer(List.of(new SourceVerdict(NAME, Verdict.UNKNOWN, detail, null, List.of())), true, List.of());
    }

    /** The file's other hashes (data.attributes md5, sha1, sha256), lower-case; only well-formed ones. */
    static List<String> aliases(JsonNode root, String asked) {
        JsonNode attributes = root.path("data").path("attributes");
        List<String> out = new ArrayList<>();
        for (String name : List.of("md5", "sha1", "sha256")) {
            String h = attributes.path(name).asText("").toLowerCase(java.util.Locale.ROOT);
            if (Hashes.isHash(h) && !h.equals(asked)) out.add(h);
        }
        return out;
    }

    private String errorCode(String body) {
        try {
            return json.readTree(body).path("error").path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /** Maps a v3 file object: data.attributes.last_analysis_stats and last_analysis_results. */
    static SourceVerdict parse(JsonNode root) {
        JsonNode attributes = root.path("data").path("attributes");
        JsonNode stats = attributes.path("last_analysis_stats");
        int malicious = stats.path("malicious").asInt(0);
        int suspicious = stats.path("suspicious").asInt(0);
        int harmless = stats.path("harmless").asInt(0);
        int undetected = stats.path("undetected").asInt(0);
        int engines = malicious + suspicious + harmless + undetected;
        Verdict verdict;
        if (malicious >= MALICIOUS_ENGINES) {
            verdict = Verdict.MALICIOUS;
        } else if (malicious > 0 || suspicious > 0) {
            verdict = Verdict.SUSPICIOUS;
        } else if (engines > 0) {
            verdict = Verdict.NON_MALICIOUS;
        } else {
            verdict = Verdict.UNKNOWN;
        }
        List<SourceVerdict.Finding> findings = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : attributes.path("last_analysis_results").properties()) {
            String category = e.getValue().path("category").asText("");
            Verdict v = switch (category) {
                case "malicious" -> Verdict.MALICIOUS;
                case "suspicious" -> Verdict.SUSPICIOUS;
                default -> null;
            };
            if (v != null) {
                String engine = e.getValue().path("engine_name").asText(e.getKey());
                findings.add(new SourceVerdict.Finding(engine, v, e.getValue().path("result").asText("")));
            }
        }
        findings.sort(Comparator.comparing((SourceVerdict.Finding f) -> f.verdict().ordinal())
                .thenComparing(SourceVerdict.Finding::engine));
        long analysed = attributes.path("last_analysis_date").asLong(0);
        String date = analysed > 0 ? Instant.ofEpochSecond(analysed).toString() : null;
        String detail = malicious + " malicious, " + suspicious + " suspicious of " + engines + " engines";
        return new SourceVerdict(NAME, verdict, detail, date, findings);
    }

    /** What VirusTotal said of a hash, whether the lookup failed (retried sooner), the file's other hashes. */
    private record Answer(List<SourceVerdict> verdicts, boolean failed, List<String> aliases) {}
}
