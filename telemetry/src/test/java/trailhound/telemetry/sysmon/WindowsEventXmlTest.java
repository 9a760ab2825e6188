package trailhound.telemetry.sysmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.telemetry.ImportReport;
import trailhound.telemetry.TelemetryFormat;
import trailhound.telemetry.TelemetryImport;
import trailhound.schema.Event;
import trailhound.schema.Field;

/** Event Viewer / wevtutil XML, written here in the shape those tools produce. */
class WindowsEventXmlTest {
    private static final String NS = "http://schemas.microsoft.com/win/2004/08/events/event";

    @TempDir
    Path dir;

    @Test
    void read_eventsRoot_mapsSysmonAndSecurityEvents() throws IOException {
        Path file = write("export.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Events>\n"
                + processStart(101) + "\n" + networkConnect(102) + "\n" + logon(9001) + "\n</Events>\n");
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, null, events::add);

        assertEquals(TelemetryFormat.WINDOWS_EVENT_XML, report.format());
        assertEquals(Map.of("process/start", 1L, "network/connect", 1L, "security/logon", 1L), report.countsByKind());
        Event start = events.get(0);
        assertEquals("wworkstation5:microsoft-windows-sysmon/operational:101", start.uid());
        assertEquals("39e4a257-40a6-5f8d-a205-000000000700", start.get(Field.PROCESS_KEY));
        assertEquals("39e4a257-40a6-5f8d-a105-000000000700", start.get(Field.PARENT_KEY));
        assertEquals("reg.exe", start.get(Field.PROCESS_NAME));
        assertEquals("\"reg\" save HKLM\\security\\policy\\secrets", start.get(Field.COMMAND_LINE));
        assertEquals("eb3b03616eee42f16d0703f64de23e7e34fe8524", start.get(Field.HASH_SHA1));
        assertEquals(1603092646660L, start.ts(), "UtcTime wins over SystemTime");
        Event connect = events.get(1);
        assertEquals("192.168.2.5", connect.get(Field.LOCAL_IP));
        assertEquals("168.63.129.16", connect.get(Field.REMOTE_IP));
        assertEquals("80", connect.get(Field.REMOTE_PORT));
        assertEquals("outbound", connect.get(Field.DIRECTION));
        Event logon = events.get(2);
        assertEquals("WORKSTATION5\\wardog", logon.get(Field.TARGET_USER));
        assertEquals(1603092646251L, logon.ts(), "SystemTime with 100 ns digits");
        assertEquals("WORKSTATION5", logon.get(Field.ENDPOINT));
    }

    @Test
    void read_bareEventsWithoutRoot_readsEveryEvent() throws IOException {
        Path file = write("bare.xml", processStart(1) + "\r\n" + processStart(2) + "\r\n" + logon(3) + "\r\n");
        ImportReport report = TelemetryImport.read(file, "override", e -> { });
        assertEquals(3, report.recordsRead());
        assertEquals(3, report.distinctEvents());
        assertEquals(List.of("override"), report.endpoints());
        assertEquals(Optional.of(TelemetryFormat.WINDOWS_EVENT_XML), TelemetryImport.detect(file));
    }

    @Test
    void read_sameRecordIdTwice_sameUid() throws IOException {
        Path file = write("dup.xml", "<Events>" + processStart(7) + processStart(7) + "</Events>");
        List<String> uids = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, null, e -> uids.add(e.uid()));
        assertEquals(2, uids.size());
        assertEquals(uids.get(0), uids.get(1));
        assertEquals(1, report.distinctEvents());
    }

    @Test
    void read_utf16WithBom_readsEvents() throws IOException {
        byte[] text = ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Events>" + logon(5) + "</Events>")
                .getBytes(StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[text.length + 2];
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xFE;
        System.arraycopy(text, 0, bytes, 2, text.length);
        Path file = Files.write(dir.resolve("utf16.xml"), bytes);
        assertEquals(1, TelemetryImport.read(file, null, e -> { }).eventsEmitted());
    }

    @Test
    void read_eventWithoutIdThenBrokenXml_reportsLinesAndReadsOn() throws IOException {
        String noId = processStart(4).replace("<EventID>1</EventID>", "");
        Path file = write("broken.xml", "<Events>\n" + processStart(1) + "\n" + noId + "\n" + logon(2)
                + "\n<Event><System><EventID>1</Event>\n" + logon(3) + "\n</Events>\n");
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, null, events::add);

        assertEquals(3, events.size(), "one broken event costs only itself");
        assertEquals(2, report.malformed());
        assertEquals(List.of(3L, 5L), report.firstMalformedLines());
        assertEquals(1, report.warnings().size());
        assertTrue(report.warnings().getFirst().startsWith("2 XML events could not be read and were skipped (line 3: no EventID or"
                + " time; line 5: "), report.warnings().toString());
    }

    /** One record in two forms (Event XML, a forwarder's JSON that kept its record id) is one event: one uid. */
    @Test
    void read_sameRecordAsXmlAndAsJson_sameUid() throws IOException {
        List<String> uids = new ArrayList<>();
        TelemetryImport.read(write("one.xml", processStart(42)), null, e -> uids.add(e.uid()));
        Path json = write("one.json", "{\"EventID\":1,\"Channel\":\"microsoft-windows-sysmon/operational\",\"Hostname\":\"workstation5\","
                + "\"EventRecordID\":42,\"UtcTime\":\"2020-10-19 07:30:46.660\",\"Image\":\"C:\\\\reg.exe\"}\n");
        TelemetryImport.read(json, null, e -> uids.add(e.uid()));
        assertEquals(2, uids.size());
        assertEquals(uids.get(0), uids.get(1));
    }

    /** Kind: localized exports (case 02): RenderingInfo's translated channel never replaces System's. */
    @Test
    void read_renderingInfoInAnotherLanguage_ignored() throws IOException {
        String german = logon(5).replace("</EventData></Event>", "</EventData><RenderingInfo Culture='de-DE'><Message>Ein Konto"
                + "</Message><Channel>Sicherheit</Channel><Task>Anmelden</Task></RenderingInfo></Event>");
        List<Event> events = new ArrayList<>();
        TelemetryImport.read(write("de.xml", "<Events>" + german + "</Events>"), null, events::add);
        assertEquals("security/logon", events.getFirst().type() + "/" + events.getFirst().operation());
        assertEquals("Security", events.getFirst().get(Field.CHANNEL));
    }

    /** Kind: UserData events (case 12): the subject comes from UserData's leaves. */
    @Test
    void read_userData_subjectFromItsLeaves() throws IOException {
        String cleared = "<Event xmlns='" + NS + "'><System><EventID>1102</EventID><TimeCreated SystemTime='2025-10-24T09:20:00Z'/>"
                + "<EventRecordID>9</EventRecordID><Channel>Security</Channel><Computer>ws-1</Computer></System>"
                + "<UserData><LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'>"
                + "<SubjectUserName>bob</SubjectUserName><SubjectDomainName>LAB</SubjectDomainName></LogFileCleared></UserData></Event>";
        List<Event> events = new ArrayList<>();
        TelemetryImport.read(write("1102.xml", cleared), null, events::add);
        assertEquals("LAB\\bob", events.getFirst().get(Field.USER));
    }

    /**
     * Kinds: one bad event per line (case 05) and Sysmon for Linux through syslog (case 04): a broken
     * event is reported by line and reading goes on; an event cut short keeps its values when its
     * object survived; '&lt ' without ';' is read as meant; syslog prefixes are skipped.
     */
    @Test
    void read_brokenAndCutEvents_costOnlyThemselves_syslogPrefixesSkipped() throws IOException {
        String linux = processStart(4).replace("Microsoft-Windows-Sysmon/Operational", "Linux-Sysmon/Operational")
                .replace("C:\\Windows\\System32\\reg.exe", "&lt unknown process&gt ").replace("WORKSTATION5", "lnx-01");
        String cut = processStart(5).substring(0, processStart(5).indexOf("<Data Name='User'>") + 20);
        String lines = "May 11 18:10:20 lnx sysmon: " + processStart(1) + "\n"
                + "May 11 18:10:21 lnx sysmon: " + processStart(2).replace("secrets", "a & b") + "\n"
                + "May 11 18:10:22 lnx sysmon: " + cut + "\n"
                + "May 11 18:10:23 lnx sysmon: " + linux + "\n"
                + "May 11 18:10:24 lnx sysmon: " + processStart(6).substring(0, 120) + "\n"
                + "May 11 18:10:25 lnx sysmon: " + processStart(7) + "\n";
        Path file = write("syslog.log", lines);
        assertEquals(Optional.of(TelemetryFormat.WINDOWS_EVENT_XML), TelemetryImport.detect(file));
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, null, events::add);
        assertEquals(List.of("1", "5", "4", "7"), events.stream().map(e -> e.uid().substring(e.uid().lastIndexOf(':') + 1)).toList());
        assertEquals(List.of(2L, 5L), report.firstMalformedLines(), "the bare '&' and the event cut before its object");
        Event kept = events.get(1);
        assertEquals("C:\\Windows\\System32\\reg.exe", kept.get(Field.PROCESS_PATH));
        assertEquals(null, kept.get(Field.USER), "the value open at the cut is dropped");
        assertEquals("<unknown process>", events.get(2).get(Field.PROCESS_PATH));
        assertEquals(Map.of("WORKSTATION5", "windows", "lnx-01", "linux"), report.endpointOs());
        assertTrue(report.warnings().stream().anyMatch(w -> w.startsWith("1 XML events were cut short (at line 3)")), report.warnings().toString());
        assertTrue(report.warnings().stream().anyMatch(w -> w.startsWith("2 entity references in XML text lacked their ';'")),
                report.warnings().toString());
    }

    private static String processStart(int recordId) {
        return "<Event xmlns='" + NS + "'><System><Provider Name='Microsoft-Windows-Sysmon' "
                + "Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>1</EventID><Version>5</Version>"
                + "<TimeCreated SystemTime='2020-10-19T07:30:46.6610000Z'/><EventRecordID>" + recordId
                + "</EventRecordID><Execution ProcessID='2012' ThreadID='3164'/>"
                + "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>WORKSTATION5</Computer>"
                + "<Security UserID='S-1-5-18'/></System><EventData>"
                + "<Data Name='RuleName'>-</Data><Data Name='UtcTime'>2020-10-19 07:30:46.660</Data>"
                + "<Data Name='ProcessGuid'>{39e4a257-40a6-5f8d-a205-000000000700}</Data>"
                + "<Data Name='ProcessId'>824</Data><Data Name='Image'>C:\\Windows\\System32\\reg.exe</Data>"
                + "<Data Name='CommandLine'>\"reg\" save HKLM\\security\\policy\\secrets</Data>"
                + "<Data Name='User'>NT AUTHORITY\\SYSTEM</Data>"
                + "<Data Name='Hashes'>SHA1=EB3B03616EEE42F16D0703F64DE23E7E34FE8524,MD5=601BDDF7691C5AF626A5719F1D7E35F1</Data>"
                + "<Data Name='ParentProcessGuid'>{39E4A257-40A6-5F8D-A105-000000000700}</Data>"
                + "<Data Name='ParentProcessId'>1460</Data><Data Name='ParentImage'>C:\\Windows\\PSEXESVC.exe</Data>"
                + "</EventData></Event>";
    }

    private static String networkConnect(int recordId) {
        return "<Event xmlns='" + NS + "'><System><EventID>3</EventID>"
                + "<TimeCreated SystemTime='2020-10-19T07:30:47.0000000Z'/><EventRecordID>" + recordId
                + "</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>"
                + "<Computer>WORKSTATION5</Computer></System><EventData>"
                + "<Data Name='UtcTime'>2020-10-19 07:30:45.324</Data><Data Name='Protocol'>tcp</Data>"
                + "<Data Name='Initiated'>true</Data><Data Name='SourceIp'>192.168.2.5</Data>"
                + "<Data Name='SourcePort'>58390</Data><Data Name='DestinationIp'>168.63.129.16</Data>"
                + "<Data Name='DestinationPort'>80</Data></EventData></Event>";
    }

    private static String logon(int recordId) {
        return "<Event xmlns='" + NS + "'><System><Provider Name='Microsoft-Windows-Security-Auditing'/>"
                + "<EventID>4624</EventID><TimeCreated SystemTime='2020-10-19T07:30:46.2510000Z'/>"
                + "<EventRecordID>" + recordId + "</EventRecordID><Channel>Security</Channel>"
                + "<Computer>WORKSTATION5</Computer></System><EventData>"
                + "<Data Name='TargetUserName'>wardog</Data><Data Name='TargetDomainName'>WORKSTATION5</Data>"
                + "<Data Name='LogonType'>2</Data><Data Name='IpAddress'>-</Data></EventData></Event>";
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
