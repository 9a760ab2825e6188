package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import trailhound.ingest.Ingestor;
import trailhound.opensearch.OpenSearchBackend;
import trailhound.opensearch.OpenSearchConnection;
import trailhound.opensearch.node.OpenSearchNode;
import trailhound.opensearch.node.OpenSearchNodeExtension;
import trailhound.recorder.RecorderReader;
import trailhound.samples.SampleGenerator;
import trailhound.web.WebTestSupport;

/**
 * The server on the opensearch backend answers as on the local one: the same data in two servers,
 * one on local indexes and one on the test run's OpenSearch node, and every reading API (counts, pages,
 * distribution, histogram, suggestions, the process view and tree, hunts) gives the same JSON on both,
 * before and after a re-index job of every endpoint; the pages that show them open on both.
 */
@ExtendWith(OpenSearchNodeExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenSearchServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenSearchBackend backend;
    private WebTestSupport local;
    private WebTestSupport remote;
    private String sample;

    private OpenSearchNode node;
    private Path dir;

    @BeforeAll
    void start(OpenSearchNode node, @TempDir Path dir) throws Exception {
        this.node = node;
        this.dir = dir;
        backend = OpenSearchBackend.open(OpenSearchConnection.of(node.url()), "serve-test", 1);
        local = WebTestSupport.start(dir.resolve("local"), o -> o).signIn();
        remote = WebTestSupport.start(dir.resolve("remote"), backend, o -> o).signIn();
        Path db = SampleGenerator.generate(dir.resolve("samples"), 1, 3_000, 11, n -> {}).getFirst();
        try (RecorderReader reader = RecorderReader.open(db)) {
            sample = reader.meta().host();
        }
        for (WebTestSupport web : List.of(local, remote)) new Ingestor(web.data(), 1).ingest(db, null);
    }

    @AfterAll
    void stop() throws IOException {
        if (local != null) local.close();
        if (backend != null) backend.deleteAll(); // the node is the run's: leave it as found
        if (remote != null) remote.close(); // and the backend with its data folder
    }

    private JsonNode json(WebTestSupport web, String path) throws IOException {
        HttpResponse<String> r = web.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** Process keys of an endpoint to look at: those that started others first, then any. */
    private Set<String> processKeys(String endpoint) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode e : json(local, "/api/v1/endpoints/" + endpoint + "/search?limit=20&q="
                + WebTestSupport.enc("type:process AND operation:start")).path("events")) {
            keys.add(e.path("parent_key").asText());
            keys.add(e.path("process_key").asText());
        }
        for (JsonNode e : json(local, "/api/v1/endpoints/" + endpoint + "/search?limit=10&q=" + WebTestSupport.enc("type:network")).path("events")) {
            keys.add(e.path("process_key").asText());
        }
        keys.remove("");
        return keys.stream().limit(8).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)); // each view is several requests
    }

    @Test
    void everyReadingApi_sameJsonOnBothBackends() throws IOException {
        assertEquals(List.of(), differences());
    }

    /** A re-index job of every endpoint ends done on both backends, and every answer is still the same. */
    @Test
    void reindexJob_onBothBackends_sameAnswersAfter() throws Exception {
        for (WebTestSupport web : List.of(local, remote)) {
            HttpResponse<String> started = web.postJson("/api/v1/jobs/reindex", "{\"all\":true}");
            assertEquals(202, started.statusCode(), started.body());
            long id = JSON.readTree(started.body()).path("id").asLong();
            JsonNode job = JSON.readTree(started.body());
            for (int i = 0; i < 600 && !job.path("state").asText().matches("done|failed|cancelled"); i++) {
                Thread.sleep(100);
                job = json(web, "/api/v1/jobs/" + id);
            }
            assertEquals("done", job.path("state").asText(), job.toString());
            assertEquals(WebTestSupport.TOTAL + 3_000, job.path("events_done").asLong(), job.toString());
        }
        assertEquals(List.of(), differences());
    }

    private List<String> differences() throws IOException {
        List<String> paths = new ArrayList<>();
        for (String endpoint : List.of(WebTestSupport.ENDPOINT, sample)) {
            String at = "/api/v1/endpoints/" + endpoint;
            for (String q : List.of("", "powershell OR remote_ip:10.0.0.0/8", "NOT type:process")) {
                String query = WebTestSupport.enc(q);
                paths.add(at + "/count?q=" + query);
                paths.add(at + "/search?limit=25&q=" + query);
                paths.add(at + "/distribution?q=" + query);
                paths.add(at + "/histogram?q=" + query);
            }
            paths.add(at + "/suggest?field=process_name&prefix=");
            Set<String> keys = processKeys(endpoint);
            assertTrue(keys.size() >= 3, endpoint + " has processes to compare: " + keys);
            for (String key : keys) {
                String process = at + "/process/" + WebTestSupport.enc(key);
                paths.add(process);
                paths.add(process + "/children");
            }
        }
        paths.add("/api/v1/hunt?q=" + WebTestSupport.enc("type:process"));
        paths.add("/api/v1/hunt?q=" + WebTestSupport.enc("powershell OR cmd.exe"));
        List<String> differences = new ArrayList<>();
        for (String path : paths) {
            JsonNode expected = json(local, path);
            JsonNode actual = json(remote, path);
            if (!expected.equals(actual)) differences.add(path + "\n  local:      " + expected + "\n  opensearch: " + actual);
        }
        return differences.stream().map(d -> d.length() > 1_500 ? d.substring(0, 1_500) + "..." : d).toList();
    }

    @Test
    void processPagesAndTree_openOnTheOpenSearchBackend() throws IOException {
        for (String key : List.of(WebTestSupport.POWERSHELL, WebTestSupport.EXPLORER)) {
            String page = "/endpoints/" + WebTestSupport.ENDPOINT + "/process/" + key;
            HttpResponse<String> r = remote.get(page);
            assertEquals(200, r.statusCode(), page + ": " + r.body());
            assertEquals(200, remote.get(page + "/children").statusCode(), page + "/children");
            assertEquals(200, remote.get(page + "/events").statusCode(), page + "/events");
        }
        assertTrue(remote.get("/endpoints/" + WebTestSupport.ENDPOINT + "/process/" + WebTestSupport.POWERSHELL).body()
                .contains("powershell.exe"));
    }

    /**
     * A data folder served on OpenSearch keeps that in server.db: the CLI's other commands (an ingest
     * without a server, search, endpoints, re-index) then read and write the events there, not the
     * folder's empty local indexes; a cluster that does not answer is an error naming the folder.
     */
    @Test
    void folderServedOnOpenSearch_cliCommandsUseItToo() throws Exception {
        Path data = dir.resolve("cli-data");
        IndexBackendOptions serve = new IndexBackendOptions();
        serve.index = "opensearch";
        serve.url = node.url();
        java.io.StringWriter said = new java.io.StringWriter();
        try (trailhound.index.IndexBackend recorded = serve.open(data, new java.io.PrintWriter(said, true))) {
            assertTrue(recorded instanceof OpenSearchBackend, "serve --index opensearch connects");
        }
        Path db = SampleGenerator.generate(dir.resolve("cli-samples"), 1, 2_000, 5, n -> {}).getFirst();
        String endpoint;
        try (RecorderReader reader = RecorderReader.open(db)) {
            endpoint = reader.meta().host();
        }
        OpenSearchBackend cluster = OpenSearchBackend.open(OpenSearchConnection.of(node.url()), IndexBackendOptions.INDEX_NAME, 1);
        try {
            Cli ingest = Cli.run("ingest", "--data", data.toString(), db.toString());
            assertEquals(0, ingest.status(), ingest.err());
            long all = Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--count").count();
            assertEquals(2_000, all, "the CLI counts the events on the cluster");
            try (var lease = cluster.acquire(endpoint)) {
                assertEquals(2_000, lease.index().count(null), "the ingest wrote them there");
            }
            assertTrue(Cli.run("endpoints", "--data", data.toString()).out().contains(endpoint));
            long processes = Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--count", "type:process").count();
            assertTrue(processes > 0);
            Cli reindex = Cli.run("reindex", "--data", data.toString(), "--endpoint", endpoint);
            assertEquals(0, reindex.status(), reindex.err());
            assertEquals(processes, Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--count", "type:process").count(),
                    "re-indexed on the cluster, the same events");
            try (var files = java.nio.file.Files.list(data.resolve("endpoints"))) {
                assertEquals(List.of(), files.filter(f -> java.nio.file.Files.isDirectory(f.resolve("index"))).toList(),
                        "no local index was made");
            }

            // the cluster gone: an error naming it and the folder, no stack trace
            int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            trailhound.store.Store.open(data.resolve("server.db")).indexBackend()
                    .set(new trailhound.store.IndexBackendSetting.Backend("opensearch", "http://127.0.0.1:" + port, null, null, null));
            Cli gone = Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--count");
            assertEquals(2, gone.status(), gone.err());
            assertTrue(gone.err().contains("cannot use OpenSearch at http://127.0.0.1:" + port) && gone.err().contains(data.toString()), gone.err());
            assertTrue(!gone.err().contains("\tat "), gone.err());
        } finally {
            cluster.deleteAll();
            cluster.close();
        }
    }
}
