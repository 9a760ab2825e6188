package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Try-out finding: the command line's searches, exports and process views were not in the audit trail. */
class CliAuditTest {
    @TempDir
    Path tmp;

    @Test
    void searchesHuntsExportsDistributionsAndProcessViews_areAudited() throws Exception {
        Path file = Files.writeString(tmp.resolve("events.json"), "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"Hostname\":\"ws-audit\",\"UtcTime\":\"2026-10-19 07:30:46.251\",\"ProcessGuid\":\"{AB-CD}\",\"ProcessId\":\"7\","
                + "\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"x.exe\"}\n");
        String data = tmp.resolve("data").toString();
        assertEquals(0, Cli.run("ingest", "--data", data, file.toString()).status());
        String key = new ObjectMapper().readTree(Cli.run("search", "--data", data, "--endpoint", "ws-audit", "--format", "json",
                "type:process").out()).get(0).get("process_key").asText();
        for (String[] args : List.of(new String[] {"search", "--data", data, "--endpoint", "ws-audit", "--count", "user:x"},
                new String[] {"search", "--data", data, "--all", "type:process"},
                new String[] {"search", "--data", data, "--endpoint", "ws-audit", "--format", "csv", "type:process"},
                new String[] {"distribution", "--data", data, "--endpoint", "ws-audit", "--query", "type:process"},
                new String[] {"process", "--data", data, "--endpoint", "ws-audit", "--key", key})) {
            Cli c = Cli.run(args);
            assertEquals(0, c.status(), String.join(" ", args) + ": " + c.err());
        }
        JsonNode trail = new ObjectMapper().readTree(Cli.run("audit", "--data", data, "--format", "json", "--limit", "6").out());
        List<String> seen = new ArrayList<>();
        trail.forEach(e -> seen.add(e.get("action").asText() + " " + e.get("endpoint").asText("") + " " + e.get("detail").asText("")));
        assertEquals(List.of("process.view ws-audit " + key, "distribution ws-audit type:process", "export ws-audit type:process [csv]",
                "hunt  type:process", "search ws-audit user:x [count]", "search ws-audit type:process"), seen);
        assertEquals("cli", trail.get(0).get("via").asText());
    }
}
