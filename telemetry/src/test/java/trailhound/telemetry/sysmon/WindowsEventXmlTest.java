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
        assertEquals("WORKSTATION5:Microsoft-Windows-Sysmon/Operational:101", start.uid().substring(1));
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
    void read_eventWithoutIdThenBrokenXml_reportsLinesKeepsEventsBefore() throws IOException {
        String noId = processStart(4).replace("<EventID>1</EventID>", "");
        Path file = write("broken.xml", "<Events>\n" + processStart(1) + "\n" + noId + "\n" + logon(2)
                + "\n<Event><System><EventID>1</Event>\n" + logon(3) + "\n</Events>\n");
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, null, events::add);

        assertEquals(2, events.size());
        assertEquals(2, report.malformed());
        assertEquals(List.of(3L, 5L), report.firstMalformedLines());
        assertEquals(1, report.warnings().size());
        assertTrue(report.warnings().getFirst().startsWith("XML not well-formed at line 5"), report.warnings().toString());
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
