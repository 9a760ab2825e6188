package trailhound.telemetry.sysmon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.telemetry.ImportReport;
import trailhound.telemetry.TelemetryImport;

/** Kind: nested JSON exports (case 03), written here in the shapes Winlogbeat and Sentinel produce. */
class JsonShapesTest {
    @TempDir
    Path dir;

    private List<Event> read(String lines) throws IOException {
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(Files.writeString(dir.resolve("e.json"), lines), null, events::add);
        assertEquals(0, report.malformed(), report.toString());
        return events;
    }

    @Test
    void winlogbeat_eventDataAndEcsProcessFields() throws IOException {
        List<Event> events = read("{\"@timestamp\":\"2020-10-27T20:00:14.320Z\",\"host\":{\"name\":\"ws-3\"},"
                + "\"process\":{\"executable\":\"C:\\\\a.exe\",\"entity_id\":\"{AA-BB}\",\"pid\":12,\"parent\":{\"pid\":4}},"
                + "\"user\":{\"domain\":\"D\",\"name\":\"u\"},\"event\":{\"code\":1},"
                + "\"winlog\":{\"channel\":\"Microsoft-Windows-Sysmon/Operational\",\"event_id\":1,\"record_id\":20,"
                + "\"event_data\":{\"RuleName\":\"-\",\"CommandLine\":\"a.exe /x\"}}}\n");
        Event e = events.getFirst();
        assertEquals("process/start", e.type() + "/" + e.operation());
        assertEquals("ws-3", e.get(Field.ENDPOINT));
        assertEquals("C:\\a.exe", e.get(Field.PROCESS_PATH));
        assertEquals("a.exe /x", e.get(Field.COMMAND_LINE));
        assertEquals("aa-bb", e.get(Field.PROCESS_KEY));
        assertEquals("12", e.get(Field.PID));
        assertEquals("4", e.get(Field.PPID));
        assertEquals("D\\u", e.get(Field.USER));
    }

    @Test
    void sentinel_eventDataAsJsonStringOrAsXmlString() throws IOException {
        List<Event> events = read("{\"TimeGenerated\":\"2022-05-13T08:54:06.347Z\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"Computer\":\"ws-4\",\"EventID\":22,\"EventData\":\"{\\\"QueryName\\\":\\\"evil.example\\\"}\"}\n"
                + "{\"TimeGenerated\":\"2022-05-13T08:54:07Z\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Computer\":\"ws-4\","
                + "\"EventID\":11,\"EventData\":\"<DataItem><EventData xmlns=\\\"http://schemas.microsoft.com/win/2004/08/events/event\\\">"
                + "<Data Name=\\\"TargetFilename\\\">C:\\\\x.txt</Data></EventData></DataItem>\"}\n");
        assertEquals("dns/query", events.get(0).type() + "/" + events.get(0).operation());
        assertEquals("evil.example", events.get(0).get(Field.DNS_QUERY));
        assertEquals("2022-05-13T08:54:06.347Z", Event.formatTime(events.get(0).ts()));
        assertEquals("C:\\x.txt", events.get(1).get(Field.FILE_PATH));
    }
}
