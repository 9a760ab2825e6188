package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.protocol.Message;

/** A replay agent with policies: it stops nothing, and says what it would have done after each matching start. */
class ReplayPolicyTest {
    @TempDir Path tmp;

    private Path sysmonStarts() throws Exception {
        String[][] starts = {
            {"C:\\Temp\\evil.exe", "evil.exe --steal", "C:\\Windows\\explorer.exe"},
            {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -enc SQBFAFgA", "C:\\Windows\\explorer.exe"},
            {"C:\\Windows\\System32\\notepad.exe", "notepad.exe a.txt", "C:\\Windows\\explorer.exe"}};
        StringBuilder xml = new StringBuilder("<Events>\n");
        for (int i = 0; i < starts.length; i++) {
            xml.append("<Event><System><EventID>1</EventID><TimeCreated SystemTime='2020-10-19T07:30:0").append(i).append(".000Z'/>")
                    .append("<EventRecordID>").append(i + 1).append("</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>")
                    .append("<Computer>ws</Computer></System><EventData><Data Name='ProcessGuid'>{00000000-0000-0000-0000-00000000000")
                    .append(i).append("}</Data><Data Name='ProcessId'>").append(100 + i).append("</Data><Data Name='Image'>").append(starts[i][0])
                    .append("</Data><Data Name='CommandLine'>").append(starts[i][1]).append("</Data><Data Name='ParentImage'>")
                    .append(starts[i][2]).append("</Data></EventData></Event>\n");
        }
        Path file = tmp.resolve("starts.xml");
        Files.writeString(file, xml.append("</Events>\n"));
        return file;
    }

    @Test
    void run_withPolicies_wouldBlockAndAlerted_afterTheMatchingStarts_onceAcrossRuns() throws Exception {
        Path file = sysmonStarts();
        StringWriter log = new StringWriter();
        try (LocalStore store = LocalStore.open(tmp.resolve("state"), 1_000)) {
            Protection protection = new Protection(store, new PrintWriter(log, true));
            protection.update(new Message.Policies(List.of(
                    new Message.Policy(1, "No evil", "block", List.of(new Message.Rule(11, null, "c:\\temp\\*.exe", null, "explorer.exe"))),
                    new Message.Policy(2, "Encoded PowerShell", "alert", List.of(new Message.Rule(21, null, null, "* -enc *", null))))));
            assertEquals(3, new Replay(file, 1_000, store, protection).run());
            List<LocalStore.Stored> stored = store.after(0, 100);
            assertEquals(5, stored.size(), stored.toString());
            Map<String, String> wouldBlock = stored.get(1).fields();
            assertEquals("policy", wouldBlock.get("type"));
            assertEquals("would block", wouldBlock.get("outcome"));
            assertEquals("No evil", wouldBlock.get("policy"));
            assertEquals("#11 path=c:\\temp\\*.exe parent=explorer.exe", wouldBlock.get("rule"));
            assertEquals("C:\\Temp\\evil.exe", wouldBlock.get("process_path"));
            assertEquals(stored.get(0).fields().get("process_key"), wouldBlock.get("process_key"));
            assertEquals(stored.get(0).fields().get("ts"), wouldBlock.get("ts"), "at the replayed start's time");
            Map<String, String> alerted = stored.get(3).fields();
            assertEquals("alerted", alerted.get("outcome"));
            assertEquals("powershell.exe -enc SQBFAFgA", alerted.get("command_line"));
            assertEquals("notepad.exe a.txt", stored.get(4).fields().get("command_line"), "no rule matches notepad: no event");
            assertEquals(3, new Replay(file, 1_000, store, protection).run(), "a finished replay adds nothing again");
            assertEquals(5, store.count());
        }
        try (LocalStore store = LocalStore.open(tmp.resolve("state"), 1_000)) {
            assertTrue(new Protection(store, new PrintWriter(log, true)).hits(new trailhound.protocol.PolicyRules.Process(
                    "C:\\Temp\\x.exe", null, null, "C:\\Windows\\explorer.exe")).size() == 1, "the set is kept across a restart");
        }
    }

    @Test
    void log_namesPoliciesAndRulesInProperPlurals_whenReceivedAndWhenKeptFromTheLastConnection() throws Exception {
        StringWriter log = new StringWriter();
        try (LocalStore store = LocalStore.open(tmp.resolve("state"), 1_000)) {
            new Protection(store, new PrintWriter(log, true)).update(new Message.Policies(List.of(
                    new Message.Policy(1, "One", "block", List.of(new Message.Rule(11, null, "c:\\temp\\*.exe", null, null))))));
            new Protection(store, new PrintWriter(log, true)); // a restart: the kept set
        }
        String text = log.toString();
        assertTrue(text.contains("policies received: 1 (One: block, 1 rule)"), text);
        assertTrue(text.contains("enforcing the 1 policy kept from the last connection"), text);
        assertTrue(!text.contains("(ies)") && !text.contains("(s)"), text);
    }
}
