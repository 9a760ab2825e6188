package trailhound.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.evtx.EvtxHandler;
import trailhound.evtx.EvtxReader;
import trailhound.evtx.EvtxRecord;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Binary .evtx files (../shared/datasets/evtx/) go through the same mapping as Event XML: every
 * channel, and the same record gives the same event (uid and every field) whether it arrives as
 * .evtx or as the Event XML Windows renders for it.
 */
class EvtxImportTest {
    @TempDir
    Path dir;

    private static Path sample(String name) {
        return Datasets.root().resolve("evtx").resolve(name);
    }

    @Test
    void sysmonEvtx_mappedLikeEveryOtherSysmonForm() throws IOException {
        Path file = sample("sysmon.evtx");
        assertEquals(Optional.of(TelemetryFormat.WINDOWS_EVTX), TelemetryImport.detect(file));
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, null, events::add);
        assertEquals(TelemetryFormat.WINDOWS_EVTX, report.format());
        long records = EvtxReader.read(file, new EvtxHandler() {
            @Override
            public void record(EvtxRecord record) {}

            @Override
            public void damaged(long offset, String reason) {}
        }).records();
        assertEquals(records, events.size(), "an event per record");
        assertEquals(events.size(), report.distinctEvents(), "record ids are unique");
        assertTrue(report.countsByKind().getOrDefault("process/start", 0L) > 0, report.countsByKind().toString());
        assertTrue(events.stream().allMatch(e -> e.uid().startsWith("w")), "every record has its record id");
        Event start = events.stream().filter(e -> "process/start".equals(e.kind())).findFirst().orElseThrow();
        assertTrue(start.get(Field.PROCESS_KEY) != null && start.get(Field.PROCESS_PATH) != null && start.get(Field.COMMAND_LINE) != null,
                start.toMap().toString());
        assertEquals("windows", report.endpointOs().values().iterator().next());
    }

    @Test
    void everyRecord_theSameEventAsItsEventXml() throws IOException {
        for (String name : List.of("sysmon.evtx", "security.evtx", "system.evtx", "new-user-security.evtx")) {
            StringBuilder xml = new StringBuilder("<Events>\n");
            EvtxReader.read(sample(name), new EvtxHandler() {
                @Override
                public void record(EvtxRecord record) {
                    xml.append(record.event().toXml()).append('\n');
                }

                @Override
                public void damaged(long offset, String reason) {}
            });
            Path asXml = Files.writeString(dir.resolve(name + ".xml"), xml.append("</Events>\n"));
            Map<String, Map<String, String>> fromEvtx = byUid(sample(name));
            Map<String, Map<String, String>> fromXml = byUid(asXml);
            java.util.Set<String> missing = new java.util.TreeSet<>(fromEvtx.keySet());
            missing.removeAll(fromXml.keySet());
            assertEquals(java.util.Set.of(), missing, name + ": records read from .evtx but not from their XML");
            assertEquals(fromXml, fromEvtx, name + ": the same events, field for field");
        }
    }

    @Test
    void damagedFiles_everyReadableRecordImported_eachDamageReportedWithItsOffset() {
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(sample("sample_with_a_bad_chunk_magic.evtx"), null, events::add);
        assertEquals(298, events.size(), "as the evtx module reads it");
        assertTrue(report.malformed() > 0);
        assertTrue(report.firstMalformed().getFirst().startsWith("offset "), report.firstMalformed().toString());
    }

    private static Map<String, Map<String, String>> byUid(Path file) {
        Map<String, Map<String, String>> events = new TreeMap<>();
        TelemetryImport.read(file, null, e -> events.put(e.uid(), e.toMap()));
        return events;
    }
}
