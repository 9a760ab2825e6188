package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.index.EventSort;
import trailhound.query.QueryLanguage;
import trailhound.web.WebTestSupport;

/**
 * Evidence based IOC defaults and the picker over HTTP (fourth try-out of issue #17): a process item's
 * defaults hold its own history's values (the files it wrote, what it set under the Run key, not the Run
 * key itself); the picker lists the ticked rows and each type's best unticked ones, says how many it
 * leaves out and links the whole list.
 */
class IocPickerRowsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path dir;
    static WebTestSupport web;
    static long files;
    static long process;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        var evidence = web.server().access().scope(Caller.commandLine()).savedEvidence();
        List<String> fileEvents = new ArrayList<>();
        try (var lease = web.data().indexes().acquire(WebTestSupport.ENDPOINT)) {
            lease.index().export(QueryLanguage.parse("type:file"), EventSort.NEWEST_FIRST, 1_000, e -> fileEvents.add(e.uid()));
        }
        files = evidence.saveEvents(WebTestSupport.ENDPOINT, fileEvents, "drops", List.of()).id();
        process = evidence.saveProcess(WebTestSupport.ENDPOINT, WebTestSupport.POWERSHELL, "ps", List.of()).id();
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static List<String> keys(String html) {
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("class=\"candidate-row[^\"]*\" data-key=\"([^\"]*)\"").matcher(html);
        while (m.find()) keys.add(m.group(1));
        return keys;
    }

    @Test
    void picker_listsTheTickedAndEachTypesBestOthers_countsTheRest_linksThemAll() throws Exception {
        String page = web.get("/intel/new?picking=1&evidence=" + files).body();
        List<String> shown = keys(page);
        // 90 distinct paths it wrote (ticked) and their 90 names (unticked): every path, 10 names
        assertEquals(90, shown.stream().filter(k -> k.startsWith("file_path:") && k.contains("\\drop")).count(), "every ticked row: " + shown);
        assertEquals(NewIocPage.OTHERS_PER_TYPE, shown.stream().filter(k -> k.startsWith("file_name:")).count(), shown.toString());
        String all = WebTestSupport.find(page, "href=\"([^\"]*)\" id=\"candidates-all\"").replace("&amp;", "&");
        String allPage = web.get(all).body();
        List<String> every = keys(allPage);
        assertEquals(90, every.stream().filter(k -> k.startsWith("file_name:drop")).count(), "List all: every row");
        assertTrue(every.containsAll(shown));
        String rest = WebTestSupport.find(page, "id=\"candidates-rest\">([^<]*)<");
        assertTrue(rest.startsWith((every.size() - shown.size()) + " more unticked indicators are not listed"), rest);
        assertFalse(allPage.contains("id=\"candidates-rest\""));
    }

    @Test
    void processItem_defaultsHoldItsHistory_runValuesNotTheRunKey() throws Exception {
        HttpResponse<String> made = web.postJson("/api/v1/iocs", "{\"name\":\"ps\",\"from_evidence\":[" + process + "]}");
        assertEquals(201, made.statusCode(), made.body());
        List<String> items = new ArrayList<>();
        for (JsonNode i : JSON.readTree(made.body()).path("tree").path("items")) items.add(i.path("type").asText() + ":" + i.path("value").asText());
        assertTrue(items.contains("file_path:C:\\Users\\bob\\AppData\\Roaming\\drop7.dll"), "a file it wrote: " + items);
        assertTrue(items.contains("registry_data:rundll32.exe drop3.dll"), "a value it set under Run: " + items);
        assertFalse(items.stream().anyMatch(i -> i.startsWith("registry_key:")), "a Run key is every endpoint's: " + items);
        assertFalse(items.stream().anyMatch(i -> i.startsWith("file_path:C:\\Windows\\System32\\lib")), "system loads: " + items);
        // fifth try-out: the hash of powershell.exe from System32 is every endpoint's: its command line tells it apart
        assertFalse(items.contains("sha256:a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"), "a system program's hash: " + items);
        assertTrue(items.contains("command_line:powershell.exe -nop -w hidden -enc SQBFAFgA"), "its command line in its place: " + items);
    }
}
