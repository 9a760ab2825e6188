package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process} on a parent of {@value #CHILDREN} children: the lists are bounded as the API's are,
 * with the counts and how to see them all; and {@code distribution} taking its query as plain words as
 * {@code search} does (issue #14).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessRelativesCommandTest {
    static final int CHILDREN = 45;
    static final String PARENT = "{00000000-0000-0000-0000-00000000000p}";

    Path data;

    @BeforeAll
    void ingest(@TempDir Path tmp) throws Exception {
        data = tmp.resolve("data");
        StringBuilder lines = new StringBuilder();
        lines.append(start(PARENT, 1, "C:\\\\Windows\\\\explorer.exe", "explorer.exe", null));
        for (int i = 0; i < CHILDREN; i++) {
            lines.append(start(child(i), 100 + i, "C:\\\\Windows\\\\System32\\\\cmd.exe", "cmd.exe /c child " + i, PARENT));
        }
        lines.append(start("{00000000-0000-0000-0000-0000000000ps}", 9, "C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe",
                "powershell -nop", child(0)));
        Path file = Files.writeString(tmp.resolve("tree.json"), lines);
        Cli ingest = Cli.run("ingest", "--data", data.toString(), file.toString());
        assertEquals(0, ingest.status(), ingest.err());
    }

    /** The process_key of a Sysmon ProcessGuid, as search results show it. */
    private static String key(String guid) {
        return guid.substring(1, guid.length() - 1);
    }

    private static String child(int i) {
        return String.format("{00000000-0000-0000-0000-%012d}", i);
    }

    private static String start(String guid, int pid, String image, String commandLine, String parent) {
        return "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"WS-TREE\","
                + "\"UtcTime\":\"2026-11-19 07:00:00.000\",\"ProcessGuid\":\"" + guid + "\",\"ProcessId\":\"" + pid
                + "\",\"Image\":\"" + image + "\",\"CommandLine\":\"" + commandLine + "\""
                + (parent == null ? "" : ",\"ParentProcessGuid\":\"" + parent + "\",\"ParentProcessId\":\"1\"") + "}\n";
    }

    private Cli run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--data");
        all.add(2, data.toString());
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void process_parentOfMany_listsTheFirstChildrenWithTheirCountAndHowToSeeAll() {
        Cli p = run("process", "--endpoint", "WS-TREE", "--key", key(PARENT));
        assertEquals(0, p.status(), p.err());
        assertTrue(p.out().contains("Children    45 (the first 20; --relatives 45 lists them all)\n"), p.out());
        assertEquals(20, p.out().lines().filter(l -> l.contains("cmd.exe /c child")).count(), p.out());

        Cli all = run("process", "--endpoint", "WS-TREE", "--key", key(PARENT), "--relatives", "45");
        assertEquals(0, all.status(), all.err());
        assertTrue(all.out().contains("Children    45\n"), all.out());
        assertEquals(CHILDREN, all.out().lines().filter(l -> l.contains("cmd.exe /c child")).count(), all.out());
    }

    @Test
    void process_childOfABusyParent_peersBoundedWithTheirCount_json() throws Exception {
        Cli p = run("process", "--endpoint", "WS-TREE", "--key", key(child(0)), "--relatives", "5", "--format", "json");
        assertEquals(0, p.status(), p.err());
        JsonNode json = new ObjectMapper().readTree(p.out());
        assertEquals(CHILDREN - 1, json.get("peers_total").asInt());
        assertEquals(5, json.get("peers").size());
        assertEquals(1, json.get("children_total").asInt());
        assertEquals(1, json.get("children").size());

        Cli table = run("process", "--endpoint", "WS-TREE", "--key", key(child(0)), "--relatives", "5");
        assertTrue(table.out().contains("Peers       44 (the first 5; --relatives 44 lists them all)\n"), table.out());
    }

    @Test
    void process_badRelatives_exit2NamingTheOption() {
        Cli p = run("process", "--endpoint", "WS-TREE", "--key", key(PARENT), "--relatives", "-1");
        assertEquals(2, p.status(), p.out() + p.err());
        assertTrue(p.err().contains("--relatives must be a whole number from 0 to 100000, was -1"), p.err());
    }

    @Test
    void distribution_queryAsPlainWords_sameAsQueryOption() {
        Cli words = run("distribution", "--endpoint", "WS-TREE", "--format", "json", "powershell");
        assertEquals(0, words.status(), words.err());
        assertTrue(words.out().startsWith("{\"total\":1,"), words.out());
        Cli option = run("distribution", "--endpoint", "WS-TREE", "--format", "json", "--query", "powershell");
        assertEquals(words.out(), option.out());
        Cli several = run("distribution", "--endpoint", "WS-TREE", "--format", "json", "process_name:cmd.exe", "AND", "child");
        assertTrue(several.out().startsWith("{\"total\":" + CHILDREN + ","), several.out());
    }

    @Test
    void distribution_wordsAndQueryOption_exit2SayingGiveOne() {
        Cli both = run("distribution", "--endpoint", "WS-TREE", "--query", "type:process", "powershell");
        assertEquals(2, both.status(), both.out() + both.err());
        assertTrue(both.err().contains("give the query either as words or with --query, not both"), both.err());
    }
}
