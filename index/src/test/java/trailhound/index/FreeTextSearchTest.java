package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static trailhound.index.TestEvents.T0;
import static trailhound.index.TestEvents.event;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Free text on a real endpoint index: a word finds exactly the union of its per-field contains
 * searches, whether the field is on the event or on its process variant, and nothing else.
 */
class FreeTextSearchTest {
    @TempDir
    Path dir;
    private EndpointIndex index;

    /** One event per free-text field kind holding "PowerShell" (m*), and events that must not match (n*). */
    private static List<Event> events() {
        return List.of(
                event("m-process-path", T0 + 1, "process", "start", "p1")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.exe")
                        .set(Field.COMMAND_LINE, "powershell.exe -nop").set(Field.USER, "CORP\\alice").build(),
                event("m-command-line", T0 + 2, "process", "start", "p2")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\cmd.exe")
                        .set(Field.COMMAND_LINE, "cmd.exe /c POWERSHELL -enc SQBFAFgA").set(Field.USER, "CORP\\alice").build(),
                event("m-parent", T0 + 3, "network", "connect", "p3")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\whoami.exe")
                        .set(Field.PARENT_PATH, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe")
                        .set(Field.REMOTE_IP, "10.0.0.1").build(),
                event("m-file", T0 + 4, "file", "create", "p4")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\explorer.exe")
                        .set(Field.FILE_PATH, "C:\\Users\\alice\\Documents\\PowerShell\\profile.ps1").build(),
                event("m-image", T0 + 5, "image", "load", "p4")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\explorer.exe")
                        .set(Field.IMAGE_PATH, "C:\\Windows\\assembly\\System.Management.Automation.PowerShell.dll").build(),
                event("m-registry", T0 + 6, "registry", "set_value", "p4")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\explorer.exe")
                        .set(Field.REGISTRY_KEY, "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run")
                        .set(Field.REGISTRY_VALUE_DATA, "powershell -w hidden -f run.ps1").build(),
                event("m-dns", T0 + 7, "dns", "query", "p4")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\explorer.exe").set(Field.DNS_QUERY, "powershell.evil.example").build(),
                event("m-user", T0 + 8, "process", "start", "p5")
                        .set(Field.PROCESS_PATH, "C:\\Tools\\agent.exe").set(Field.USER, "CORP\\svc-PowerShell").build(),
                event("m-hash", T0 + 9, "process", "start", "p6")
                        .set(Field.PROCESS_PATH, "C:\\Tools\\other.exe").set(Field.USER, "CORP\\bob")
                        .set(Field.HASH_SHA256, "0badc0ffee0000000000000000000000000000000000000000000000deadbeef").build(),
                event("n-net-user-apart", T0 + 10, "process", "start", "p7")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\net.exe")
                        .set(Field.COMMAND_LINE, "net localgroup user /add").set(Field.USER, "CORP\\bob").build(),
                event("m-net-user", T0 + 11, "process", "start", "p8")
                        .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\net.exe")
                        .set(Field.COMMAND_LINE, "NET  USER eve /add").set(Field.PARENT_COMMAND_LINE, "cmd /c Net User eve /add")
                        .set(Field.USER, "CORP\\bob").build(),
                event("n-split", T0 + 12, "file", "create", "p9")
                        .set(Field.PROCESS_PATH, "C:\\Power\\tool.exe").set(Field.FILE_PATH, "C:\\shell\\out.txt").build(),
                event("n-signer", T0 + 13, "process", "start", "p10")
                        .set(Field.PROCESS_PATH, "C:\\Tools\\signed.exe").set(Field.SIGNATURE, "PowerShell Signing Corp").build(),
                event("n-answer", T0 + 14, "dns", "query", "p10")
                        .set(Field.PROCESS_PATH, "C:\\Tools\\signed.exe").set(Field.DNS_QUERY, "cdn.example")
                        .set(Field.DNS_ANSWER, "powershell.example").build());
    }

    @BeforeEach
    void fill() throws IOException {
        index = EndpointIndex.open(dir);
        for (Event e : events()) index.add(e);
        index.refresh();
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    private Set<String> uids(String query) throws IOException {
        Set<String> uids = new TreeSet<>();
        for (Event e : index.search(QueryLanguage.parse(query), 1000, null).events()) uids.add(e.uid());
        assertEquals(uids.size(), index.count(QueryLanguage.parse(query)), () -> "count of " + query);
        return uids;
    }

    private Set<String> unionOfFields(String fieldValue) throws IOException {
        Set<String> union = new TreeSet<>();
        for (Field f : QueryLanguage.freeTextFields()) union.addAll(uids(f.canonicalName() + ":" + fieldValue));
        return union;
    }

    @Test
    void word_exactlyTheUnionOfItsPerFieldContains() throws IOException {
        Set<String> expected = Set.of("m-process-path", "m-command-line", "m-parent", "m-file", "m-image", "m-registry",
                "m-dns", "m-user");
        assertEquals(new TreeSet<>(expected), uids("powershell"));
        assertEquals(unionOfFields("*powershell*"), uids("powershell"));
    }

    @Test
    void word_caseInsensitive() throws IOException {
        assertEquals(uids("powershell"), uids("PoWeRsHeLl"));
        assertEquals(uids("powershell"), uids("\"POWERSHELL\""));
    }

    @Test
    void phrase_containsTheWholePhrase_notItsWordsApart() throws IOException {
        assertEquals(Set.of("m-net-user"), uids("\"net user\""));
        assertEquals(Set.of("m-net-user", "n-net-user-apart"), uids("net AND user:*bob*"));
    }

    @Test
    void combinedWithFieldsAndNot() throws IOException {
        assertEquals(Set.of("m-command-line", "m-process-path", "m-user"), uids("type:process powershell"));
        assertEquals(Set.of("m-file", "m-image", "m-registry", "m-dns"), uids("powershell AND process_path:*\\\\explorer.exe"));
        Set<String> notPowershell = new HashSet<>(uids(""));
        notPowershell.removeAll(uids("powershell"));
        assertEquals(new TreeSet<>(notPowershell), uids("NOT powershell"));
        assertEquals(Set.of("m-command-line", "m-process-path"), uids("powershell AND type:process AND NOT user:*svc*"));
        assertEquals(Set.of("m-dns", "m-hash"), uids("deadbeef OR \"evil.example\""));
    }

    @Test
    void disjunctionMixingProcessAndEventLeaves_unionOfEach() throws IOException {
        // user and hash_sha256 are resolved against the process variants together; path and type on the events
        List<String> parts = List.of("user:*alice*", "process_path:*whoami*", "type:dns", "hash_sha256:*c0ffee*");
        Set<String> union = new TreeSet<>();
        for (String part : parts) union.addAll(uids(part));
        assertEquals(Set.of("m-process-path", "m-command-line", "m-parent", "m-dns", "m-hash", "n-answer"), union);
        assertEquals(union, uids(String.join(" OR ", parts)));
        assertEquals(Set.of("m-file", "m-command-line", "m-process-path", "m-user"),
                uids("type:file AND *.ps1 OR type:process AND powershell"));
    }

    @Test
    void wildcardsAndRegex_unionOfTheSameFieldValue() throws IOException {
        assertEquals(unionOfFields("*.ps1"), uids("*.PS1"));
        assertEquals(Set.of("m-file", "m-registry"), uids("*.PS1"));
        assertEquals(unionOfFields("c\\:\\\\windows\\\\system32\\\\*"), uids("c\\:\\\\windows\\\\system32\\\\*"));
        assertEquals(unionOfFields("/.*power.?shell\\.(exe|dll)/"), uids("/.*power.?shell\\.(exe|dll)/"));
        assertEquals(Set.of("m-process-path", "m-parent", "m-image"), uids("/.*power.?shell\\.(exe|dll)/"));
    }

    @Test
    void noMatch_empty() throws IOException {
        assertEquals(Set.of(), uids("nosuchthinganywhere"));
        assertEquals(Set.of(), uids("\"power shell\""));
    }
}
