package trailhound.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * The process links named in the dataset metadata (SDWIN-201019033054.yaml: "PsExec.exe -accepteula
 * -s reg save HKLM\security\policy\secrets %temp%\secrets"): PsExec installs PSEXESVC, which runs
 * reg.exe as SYSTEM.
 */
class ProcessChainTest {

    @Test
    void read_psexecLsaSecretsDump_linksPsexesvcToRegExeAndKeepsHistory() throws Exception {
        Path root = Datasets.root();
        String metadata = Files.readString(root.resolve("otrf/SDWIN-201019033054.yaml"));
        assertTrue(metadata.contains("PsExec.exe -accepteula -s reg save HKLM\\security\\policy\\secrets"));

        List<Event> events = new ArrayList<>();
        TelemetryImport.read(root.resolve("otrf/cmd_psexec_lsa_secrets_dump.zip"), null, events::add);

        Event psexec = start(events, "PsExec.exe");
        Event service = start(events, "PSEXESVC.exe");
        Event reg = start(events, "reg.exe");
        assertTrue(psexec.get(Field.COMMAND_LINE).contains("-accepteula -s reg save HKLM\\security\\policy\\secrets"));
        assertEquals("c:\\windows\\system32\\cmd.exe", psexec.get(Field.PARENT_PATH).toLowerCase());
        assertEquals("39e4a257-40a6-5f8d-a105-000000000700", service.get(Field.PROCESS_KEY));
        assertEquals("C:\\Windows\\System32\\services.exe", service.get(Field.PARENT_PATH));
        assertEquals(service.get(Field.PROCESS_KEY), reg.get(Field.PARENT_KEY));
        assertEquals("NT AUTHORITY\\SYSTEM", reg.get(Field.USER));
        assertEquals("\"reg\" save HKLM\\security\\policy\\secrets C:\\Users\\wardog\\AppData\\Local\\Temp\\secrets",
                reg.get(Field.COMMAND_LINE));
        assertEquals("601bddf7691c5af626a5719f1d7e35f1", reg.get(Field.HASH_MD5));
        assertEquals("824", reg.get(Field.PID));
        assertEquals("1460", reg.get(Field.PPID));
        assertEquals(1603092646660L, reg.ts(), "UtcTime 2020-10-19 07:30:46.660");

        List<String> regHistory = events.stream()
                .filter(e -> reg.get(Field.PROCESS_KEY).equals(e.get(Field.PROCESS_KEY)))
                .map(e -> e.type() + "/" + e.operation()).distinct().toList();
        assertTrue(regHistory.contains("process/start") && regHistory.contains("process/end"), regHistory.toString());
        List<Event> serviceChildren = events.stream()
                .filter(e -> service.get(Field.PROCESS_KEY).equals(e.get(Field.PARENT_KEY)))
                .filter(e -> "start".equals(e.operation())).toList();
        assertEquals(List.of("reg.exe"), serviceChildren.stream().map(e -> e.get(Field.PROCESS_NAME)).toList());
    }

    private static Event start(List<Event> events, String name) {
        List<Event> starts = events.stream()
                .filter(e -> "process".equals(e.type()) && "start".equals(e.operation()))
                .filter(e -> name.equalsIgnoreCase(e.get(Field.PROCESS_NAME))).distinct().toList();
        assertEquals(1, starts.size(), "process/start of " + name);
        return starts.getFirst();
    }
}
