package trailhound.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized benchmark (200,000 events): it must complete and every index count must equal the
 * SQLite count. No timing assertions: the figures depend on the machine.
 */
class BenchmarkTest {

    @Test
    void run_ciSizedEvents_completesAndEveryCountAgreesWithSqlite(@TempDir Path tmp) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        BenchOptions options = new BenchOptions(200_000, 1, 1, 20, tmp.resolve("out"), tmp.resolve("work"), false,
                null, 5_000, 1).withWarmupMillis(0); // no timing is asserted: the fixed warm-up runs only

        int status = Benchmark.run(options, new PrintWriter(out), new PrintWriter(err));

        assertEquals(0, status, () -> "exit status; stdout:\n" + out + "\nstderr:\n" + err);
        assertTrue(out.toString().contains("result: all hit counts agree"), out::toString);
        List<Path> json;
        try (Stream<Path> files = Files.list(tmp.resolve("out"))) {
            json = files.toList();
        }
        assertEquals(1, json.size(), "one JSON report");
        JsonNode report = new ObjectMapper().readTree(json.getFirst().toFile());
        assertTrue(report.get("countsAgree").asBoolean());
        assertEquals(20, report.get("queries").size(), "the whole suite ran");
        for (JsonNode q : report.get("queries")) {
            assertEquals(q.get("sqliteHits").asLong(), q.get("indexHits").asLong(), q.get("name").asText());
            // 20 timed runs, or (the Excel row) as many as fit in the 10 s budget, at least 3
            JsonNode index = q.get("index");
            assertTrue(index.get("runs").asInt() >= 20 || index.get("runs").asInt() >= 3 && index.get("totalMs").asDouble() >= 10_000,
                    q.get("name").asText() + " repeated 20 times, or at least 3 filling the budget: " + index);
        }
        assertTrue(report.get("machine").get("cores").asInt() >= 1);
        JsonNode ingest = report.get("ingest");
        assertEquals(200_000, ingest.get("events").asLong());
        // where ingest CPU goes: figures present, not their size (no timing assertions)
        assertTrue(ingest.get("cpuMicrosPerEvent").asDouble() > 0, ingest::toString);
        assertTrue(ingest.get("readCpuMicrosPerEvent").asDouble() > 0, ingest::toString);
        assertEquals(report.get("machine").get("cores").asInt() * 10.0, ingest.get("budgetMicrosPerEvent").asDouble(), 1e-9,
                "100,000 events/s leave 10 us per core per event");
        JsonNode telemetry = report.get("telemetry");
        if (!telemetry.isNull()) {
            assertTrue(telemetry.get("parseCpuMicrosPerEvent").asDouble() > 0, telemetry::toString);
            assertTrue(telemetry.get("importCpuMicrosPerEvent").asDouble() > 0, telemetry::toString);
            JsonNode evtx = telemetry.get("evtx");
            assertTrue(evtx.get("records").asLong() > 0 && evtx.get("readerRecordsPerSecond").asDouble() > 0
                    && evtx.get("eventsPerSecond").asDouble() > 0, evtx::toString);
        }
        assertTrue(out.toString().contains("ingest CPU: "), out::toString);
        // the newest event of the snapshot was found by a search while it was ingested (no timing asserted)
        JsonNode newest = ingest.get("newest");
        assertEquals(200_000, newest.get("snapshotEvents").asLong(), ingest::toString);
        assertTrue(newest.get("eventsSearchable").asLong() > 0, ingest::toString);
        assertTrue(out.toString().contains("searchable"), out::toString);
    }

    @Test
    void run_twoEndpoints_reportsTheHuntAcrossBothAndAShortLoadRow(@TempDir Path tmp) throws Exception {
        StringWriter out = new StringWriter();
        // the load row for 2 s with 2 analysts on an endpoint of 5,000 events made for it (the full row: 60 s, 50, 2M)
        BenchOptions options = new BenchOptions(20_000, 2, 1, 20, null, tmp, true, null, 0, 0, 2, 2, 5_000).withWarmupMillis(0);

        int status = Benchmark.run(options, new PrintWriter(out), new PrintWriter(new StringWriter()));

        assertEquals(0, status, out::toString);
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertEquals(2, report.get("hunt").get("endpoints").asInt());
        assertFalse(report.get("hunt").isNull());
        JsonNode reindex = report.get("reindex");
        assertTrue(reindex.get("oneEvents").asLong() > 0 && reindex.get("oneEventsPerSecond").asDouble() > 0, reindex::toString);
        assertEquals(2, reindex.get("allEndpoints").asInt());
        assertEquals(20_000, reindex.get("allEvents").asLong(), "the job rebuilt every event of both endpoints");
        assertTrue(reindex.get("allSeconds").asDouble() > 0, reindex::toString);
        JsonNode load = report.get("load");
        assertEquals(2, load.get("analysts").asInt());
        assertEquals("LOAD-5000", load.get("endpoint").asText(), "the queried endpoints have 10,000 events each");
        assertEquals(5_000, load.get("events").asLong());
        JsonNode analysts = load.get("analystsRun");
        long perPage = 0;
        for (JsonNode p : analysts.get("pages")) perPage += p.get("requests").asLong();
        assertEquals(analysts.get("requests").asLong(), perPage, load::toString);
        assertTrue(analysts.get("requests").asLong() > 0, load::toString);
        assertEquals(0, analysts.get("errors").asLong(), "every page answers 200 over HTTPS: " + load);
        assertEquals(6, analysts.get("pages").size(), "grid, grid under contains, process, distribution, histogram, hunt");
        assertTrue(load.get("saturation").size() >= 1, load::toString);
        assertEquals(load.get("saturation").get(0).get("clients").asInt(), 2);
    }
}
