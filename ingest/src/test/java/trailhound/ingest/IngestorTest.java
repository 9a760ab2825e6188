package trailhound.ingest;

import trailhound.store.EndpointInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.Distribution;
import trailhound.telemetry.Datasets;
import trailhound.samples.SampleGenerator;

/**
 * The Ingestor end to end: real files into a real data folder. For the Sysmon datasets the expected
 * endpoints and counts are derived here from the raw lines (distinct lines per host, and per Sysmon
 * EventID through DESIGN.md's table written out below), never through the importer's own mapping.
 */
class IngestorTest {
    @TempDir Path tmp;

    /** DESIGN.md's Sysmon table, for the event ids whose operation needs no other field. */
    private static final Map<Integer, String> SYSMON = Map.ofEntries(
            Map.entry(1, "process/start"), Map.entry(5, "process/end"), Map.entry(8, "process/remote_thread"),
            Map.entry(10, "process/access"), Map.entry(2, "file/create_time_changed"), Map.entry(11, "file/create"),
            Map.entry(15, "file/stream_create"), Map.entry(17, "file/pipe_create"), Map.entry(18, "file/pipe_connect"),
            Map.entry(23, "file/delete"), Map.entry(22, "dns/query"), Map.entry(13, "registry/set_value"),
            Map.entry(14, "registry/rename"), Map.entry(7, "image/load"), Map.entry(6, "driver/load"));

    @TestFactory
    List<DynamicTest> sysmonDataset_endpointsAndCountsMatchTheRawFile() {
        return Datasets.files("otrf", ".zip").stream().map(zip -> DynamicTest.dynamicTest(zip.getFileName().toString(), () -> {
            Map<String, Set<String>> linesByHost = new TreeMap<>();
            Map<String, Long> expectedOps = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            Set<String> all = new HashSet<>();
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                while (in.getNextEntry() != null) {
                    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.isBlank() || !all.add(line)) continue;
                        JsonNode n = json.readTree(line);
                        linesByHost.computeIfAbsent(n.get("Hostname").asText(), h -> new HashSet<>()).add(line);
                        String channel = n.path("Channel").asText("");
                        int id = n.path("EventID").asInt();
                        if (channel.toLowerCase().contains("sysmon") && SYSMON.containsKey(id)) {
                            expectedOps.merge(SYSMON.get(id), 1L, Long::sum);
                        }
                    }
                }
            }
            try (DataDir data = DataDir.open(tmp.resolve(zip.getFileName().toString()))) {
                IngestReport report = new Ingestor(data).ingest(zip, null);
                assertEquals(linesByHost.keySet(), Set.copyOf(data.indexes().endpoints()), "endpoints created");
                assertEquals(linesByHost.keySet(), new HashSet<>(data.catalogue().endpoints().stream().map(EndpointInfo::name).toList()));
                Map<String, Long> actualOps = new HashMap<>();
                for (var host : linesByHost.entrySet()) {
                    try (var lease = data.indexes().acquire(host.getKey())) {
                        Distribution d = lease.index().distribution(null);
                        assertEquals(host.getValue().size(), d.total(), "distinct events of " + host.getKey());
                        d.operations().forEach((op, n) -> actualOps.merge(op, n, Long::sum));
                    }
                }
                expectedOps.forEach((op, n) -> assertEquals(n, actualOps.getOrDefault(op, 0L), op));
                assertEquals(all.size(), report.added(), "added = distinct lines");

                IngestReport again = new Ingestor(data).ingest(zip, null);
                assertEquals(0, again.added(), "re-import adds nothing");
            }
        })).toList();
    }

    @Test
    void snapshot_ingestedTwice_addsNothingAndIsCatalogued() throws Exception {
        List<Path> files = SampleGenerator.generate(tmp.resolve("samples"), 1, 20_000, 5, n -> {});
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport first = new Ingestor(data).ingest(files.get(0), null);
            assertEquals(first.read(), first.added());
            assertTrue(first.added() > 0);
            IngestReport second = new Ingestor(data).ingest(files.get(0), null);
            assertTrue(second.known());
            assertEquals(0, second.added());
            String endpoint = first.endpoints().keySet().iterator().next();
            var snapshots = data.catalogue().snapshots(endpoint);
            assertEquals(1, snapshots.size());
            assertTrue(Files.isRegularFile(snapshots.get(0).file()), "snapshot kept in the data folder");
            assertTrue(snapshots.get(0).id().startsWith(endpoint + "_"), snapshots.get(0).id());
            assertEquals(first.read(), snapshots.get(0).eventCount());
        }
    }

    @Test
    void unknownFormat_failsNamingTheFileAndFormats() throws Exception {
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "hello\n");
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestException e = assertThrows(IngestException.class, () -> new Ingestor(data).ingest(notes, null));
            assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
            assertTrue(e.getMessage().contains("accepted formats"), e.getMessage());
            assertTrue(data.indexes().endpoints().isEmpty());
        }
    }

    @Test
    void endpointNameOutsideTheDataFolder_staysInside() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            for (String name : List.of("../etc", "a/b", "..", "/abs")) {
                Path dir = data.endpointDir(name);
                assertEquals(data.root().resolve("endpoints"), dir.getParent(), name + " -> " + dir);
            }
            assertThrows(IllegalArgumentException.class, () -> data.endpointDir(""));
        }
    }
}
