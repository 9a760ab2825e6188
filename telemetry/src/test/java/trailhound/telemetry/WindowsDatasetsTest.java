package trailhound.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Every OTRF dataset zip: the endpoints and the counts per kind equal what this test derives from
 * the raw lines itself (distinct lines by Channel and EventID, with DESIGN.md's table restated
 * here), never by calling the importer's mapping code.
 */
class WindowsDatasetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** DESIGN.md "Types and operations", restated independently of the importer. */
    private static final Map<Integer, String> SYSMON = Map.ofEntries(
            Map.entry(1, "process/start"), Map.entry(5, "process/end"), Map.entry(8, "process/remote_thread"),
            Map.entry(10, "process/access"), Map.entry(25, "process/tamper"),
            Map.entry(2, "file/create_time_changed"), Map.entry(9, "file/raw_read"), Map.entry(11, "file/create"),
            Map.entry(15, "file/stream_create"), Map.entry(17, "file/pipe_create"),
            Map.entry(18, "file/pipe_connect"), Map.entry(23, "file/delete"), Map.entry(26, "file/delete"),
            Map.entry(22, "dns/query"), Map.entry(13, "registry/set_value"), Map.entry(14, "registry/rename"),
            Map.entry(7, "image/load"), Map.entry(6, "driver/load"));

    @Test
    void read_everyOtrfZip_endpointsAndKindCountsMatchRawLines() throws IOException {
        List<Path> zips = Datasets.files("otrf", ".zip");
        assertFalse(zips.isEmpty(), "no otrf/*.zip in " + Datasets.root());
        for (Path zip : zips) {
            List<String> lines = rawLines(zip);
            Set<String> distinct = new LinkedHashSet<>(lines);
            Map<String, Long> expectedKinds = new TreeMap<>();
            Set<String> expectedHosts = new TreeSet<>();
            for (String line : distinct) {
                JsonNode o = JSON.readTree(line);
                expectedHosts.add(o.get("Hostname").asText());
                expectedKinds.merge(expectedKind(o), 1L, Long::sum);
            }

            List<Event> events = new ArrayList<>();
            ImportReport report = TelemetryImport.read(zip, null, events::add);

            Map<String, Set<String>> uidsByKind = new TreeMap<>();
            for (Event e : events) {
                String kind = e.type().equals("other")
                        ? "other/" + e.get(Field.CHANNEL) + "/" + e.get(Field.EVENT_ID)
                        : e.type() + "/" + e.operation();
                uidsByKind.computeIfAbsent(kind, k -> new TreeSet<>()).add(e.get(Field.ENDPOINT) + "|" + e.uid());
            }
            Map<String, Long> actualKinds = new TreeMap<>();
            uidsByKind.forEach((k, v) -> actualKinds.put(k, (long) v.size()));

            assertEquals(TelemetryFormat.WINDOWS_JSON_LINES, report.format(), zip.toString());
            assertEquals(expectedKinds, actualKinds, zip + ": distinct events per kind");
            assertEquals(expectedHosts, new TreeSet<>(report.endpoints()), zip + ": endpoints");
            assertEquals(lines.size(), report.recordsRead(), zip + ": records");
            assertEquals(lines.size(), report.eventsEmitted(), zip + ": duplicates are emitted again");
            assertEquals(distinct.size(), report.distinctEvents(), zip + ": distinct");
            assertEquals(0, report.malformed(), zip + ": malformed");
        }
    }

    @Test
    void read_psexecDataset_recordAndDistinctCountsMatchDatasetReadme() {
        Path zip = Datasets.root().resolve("otrf/cmd_psexec_lsa_secrets_dump.zip");
        ImportReport report = TelemetryImport.read(zip, null, e -> { });
        assertEquals(286, report.recordsRead());
        assertEquals(277, report.distinctEvents());
        assertEquals(List.of("WORKSTATION5"), report.endpoints());
        assertEquals(List.of("cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json: TimeCreated is 4h behind UtcTime on "
                + "241 events of WORKSTATION5; events without UtcTime (Security, System...) are timed by TimeCreated "
                + "and may be off by as much"), report.warnings());
    }

    @Test
    void read_schtaskDataset_twoHostsFillTwoEndpoints() {
        Path zip = Datasets.root().resolve("otrf/schtask_create.zip");
        Map<String, Long> perHost = new TreeMap<>();
        TelemetryImport.read(zip, null, e -> perHost.merge(e.get(Field.ENDPOINT), 1L, Long::sum));
        assertEquals(Map.of("WORKSTATION5.theshire.local", 546L, "WORKSTATION6.theshire.local", 495L), perHost);
    }

    @Test
    void read_endpointOverride_everyEventCarriesIt() {
        Path zip = Datasets.root().resolve("otrf/schtask_create.zip");
        Set<String> endpoints = new TreeSet<>();
        ImportReport report = TelemetryImport.read(zip, "case-42", e -> endpoints.add(e.get(Field.ENDPOINT)));
        assertEquals(Set.of("case-42"), endpoints);
        assertEquals(List.of("case-42"), report.endpoints());
    }

    private static String expectedKind(JsonNode o) {
        String channel = o.get("Channel").asText();
        int id = o.get("EventID").asInt();
        if (channel.toLowerCase(Locale.ROOT).equals("microsoft-windows-sysmon/operational")) {
            if (id == 3) {
                return o.get("Initiated").asText().equals("true") ? "network/connect" : "network/accept";
            }
            if (id == 12) {
                return switch (o.get("EventType").asText()) {
                    case "DeleteKey" -> "registry/delete_key";
                    case "DeleteValue" -> "registry/delete_value";
                    default -> "registry/create_key";
                };
            }
            return SYSMON.getOrDefault(id, "other/" + channel + "/" + id);
        }
        if (channel.toLowerCase(Locale.ROOT).equals("security")) {
            return "security/" + switch (id) {
                case 4624 -> "logon";
                case 4625 -> "logon_failed";
                case 4634 -> "logoff";
                default -> "event_" + id;
            };
        }
        return "other/" + channel + "/" + id;
    }

    /** The non-blank lines of every zip entry, trailing whitespace removed. */
    static List<String> rawLines(Path zip) throws IOException {
        List<String> lines = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        lines.add(line.stripTrailing());
                    }
                }
            }
        }
        return lines;
    }
}
