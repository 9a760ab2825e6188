package trailhound.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import trailhound.opensearch.node.OpenSearchNode;
import trailhound.opensearch.node.OpenSearchNodeExtension;

/**
 * {@code bench --peers} end to end on 20,000 events: DuckDB and OpenSearch (the test run's shared
 * node) loaded with the same snapshot, and every count of every engine equal to the index's. No
 * timing assertions.
 */
@ExtendWith(OpenSearchNodeExtension.class)
class PeersBenchTest {

    @Test
    void run_withPeers_everyEngineLoadsEveryEventAndAgreesOnEveryQuery(OpenSearchNode node, @TempDir Path tmp) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        BenchOptions options = new BenchOptions(20_000, 1, 1, 20, tmp.resolve("out"), tmp.resolve("work"), false, null, 0, 0, 0, 1,
                0, true, node.url()).withWarmupMillis(0);

        int status = Benchmark.run(options, new PrintWriter(out), new PrintWriter(err));

        assertEquals(0, status, () -> "exit status; stdout:\n" + out + "\nstderr:\n" + err);
        JsonNode report;
        try (Stream<Path> files = Files.list(tmp.resolve("out"))) {
            report = new ObjectMapper().readTree(files.findFirst().orElseThrow().toFile());
        }
        assertTrue(report.get("countsAgree").asBoolean());
        Map<String, JsonNode> loads = new TreeMap<>();
        for (JsonNode l : report.get("peers")) loads.put(l.get("name").asText(), l);
        assertEquals(List.of("duckdb", "opensearch"), List.copyOf(loads.keySet()));
        for (JsonNode l : loads.values()) {
            assertEquals(20_000, l.get("events").asLong(), l::toString);
            assertTrue(l.get("eventsPerSecond").asDouble() > 0, l::toString);
        }
        for (JsonNode q : report.get("queries")) {
            String name = q.get("name").asText();
            assertEquals(2, q.get("peers").size(), name);
            for (JsonNode p : q.get("peers")) {
                String where = name + " on " + p.get("name").asText();
                assertTrue(!p.get("latency").isNull(), "every engine answers every query (the histogram too): " + where);
                assertTrue(p.get("agree").asBoolean(), where);
                assertEquals(q.get("indexHits").asLong(), p.get("hits").asLong(), where);
                assertTrue(p.get("latency").get("runs").asInt() >= 3, where);
            }
        }
        String table = out.toString();
        assertTrue(table.contains("DUCKDB MED/P95 RATIO") && table.contains("OPENSEARCH MED/P95 RATIO"), table);
        assertTrue(table.contains("index ahead of duckdb on every query"), table);
        assertTrue(table.contains("index ahead of opensearch on every query"), table);
        assertTrue(table.contains("ingest ahead of opensearch"), table);
        assertTrue(table.contains("result: all hit counts agree"), table);
    }

    @Test
    void dialect_rewritesTheJoinsAndCaseForTheFlatTable() {
        String sql = "SELECT count(*)" + QuerySuite.PROCESS_JOIN + " WHERE lower(p.name) = ? AND pp.path LIKE ? ESCAPE '!'"
                + " AND e.dns_query REGEXP ?";
        assertEquals("SELECT count(*) FROM events e WHERE lower(e.process_name) = ? AND e.parent_path ILIKE ? ESCAPE '!'"
                + " AND regexp_full_match(lower(e.dns_query), ?)", DuckDbSide.dialect(sql));
    }
}
