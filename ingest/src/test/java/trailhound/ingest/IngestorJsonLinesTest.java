package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JSON-lines file several parsing batches long, ingested with parsing and indexing spread over threads. */
class IngestorJsonLinesTest {
    private static final String LINE = "{\"EventID\":11,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"Hostname\":\"%s\",\"UtcTime\":\"2020-10-19 07:30:46.251\",\"ProcessGuid\":\"{AB-CD}\","
            + "\"ProcessId\":\"7\",\"Image\":\"C:\\\\x\\\\a.exe\",\"TargetFilename\":\"C:\\\\f%d.txt\",\"Message\":\"%s\"}";

    @TempDir
    Path tmp;

    @Test
    void ingest_multiBatchFileOnTwoThreads_perHostCountsMalformedLinesAndNothingAddedTwice() throws Exception {
        Path file = file();
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport first = new Ingestor(data, 2).ingest(file, null);
            assertEquals(Set.of("WS1", "WS2"), first.endpoints().keySet());
            assertEquals(2500, first.endpoints().get("WS1").added());
            assertEquals(2500, first.endpoints().get("WS2").added());
            assertEquals(2500, first.endpoints().get("WS2").duplicates(), "each WS2 line is there twice");
            assertEquals(20, first.rejected());
            assertEquals(List.of(700L, 1400L, 2100L, 2800L, 3500L, 4200L, 4900L, 5600L, 6300L, 7000L), first.rejectedAt());
            assertEquals(Map.of("file/create", new KindCounts(7500, 5000, 2500, 0)), first.kinds(), "per kind: read, added, duplicates");
            assertTrue(first.firstRejections().getFirst().startsWith("line 700: "), first.firstRejections().toString());
            assertEquals(false, first.whole());

            Path renamed = Files.copy(file, tmp.resolve("renamed.json"));
            IngestReport again = new Ingestor(data, 2).ingest(renamed, null);
            assertTrue(again.known(), "the same bytes under another name are the same source");
            assertEquals(0, again.added());
            assertEquals(first.sourceId(), again.sourceId());
            assertTrue(again.warnings().getFirst().startsWith("already ingested as source s" + first.sourceId()),
                    again.warnings().toString());
        }
    }

    @Test
    void ingest_endpointOverride_everyEventToThatEndpoint() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport report = new Ingestor(data, 2).ingest(file(), "case-7");
            assertEquals(Set.of("case-7"), report.endpoints().keySet());
            assertEquals(5000, report.added());
        }
    }

    /** Fourth try-out of #16: a server stop stopped only recorder snapshots; a telemetry file ran on under the closing folder. */
    @Test
    void ingest_stopAsked_stopsATelemetryFileToo_nothingKept_andTheSameFileIngestsWholeAfter() throws Exception {
        Path file = file();
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
            IngestException stopped = org.junit.jupiter.api.Assertions.assertThrows(IngestException.class,
                    () -> new Ingestor(data, 2).stopWhen(() -> asked.incrementAndGet() > 2).ingest(file, null));
            assertTrue(stopped.stopped(), stopped.getMessage());
            assertTrue(asked.get() > 2, "asked while it read: " + asked.get());
            for (String endpoint : data.indexes().endpoints()) {
                try (var lease = data.indexes().acquire(endpoint)) {
                    assertEquals(0, lease.index().distribution(null).total(), "nothing of the stopped ingest kept in " + endpoint);
                }
            }
            assertEquals(5000, new Ingestor(data, 2).ingest(file, null).added(), "the same file again: all of it");
        }
    }

    /** 7,520 lines (about 4 MB): 2,500 WS1 lines, 2,500 WS2 lines each twice, 20 malformed lines. */
    private Path file() throws Exception {
        List<String> lines = new ArrayList<>();
        String prose = "m".repeat(400);
        int ws1 = 0;
        int ws2 = 0;
        for (int n = 1; n <= 7520; n++) {
            if (n % 700 == 0 || n > 7500 && n <= 7510) {
                lines.add(n % 2 == 0 ? "{\"EventID\":" : "not json at all");
            } else if (n % 3 == 0) {
                lines.add(String.format(LINE, "WS2", ws2++ % 2500, prose));
            } else if (ws1 < 2500) {
                lines.add(String.format(LINE, "WS1", ws1++, prose));
            } else {
                lines.add(String.format(LINE, "WS2", ws2++ % 2500, prose));
            }
        }
        return Files.write(tmp.resolve("events.json"), lines);
    }
}
