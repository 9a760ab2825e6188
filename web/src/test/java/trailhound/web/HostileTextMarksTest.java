package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.index.EventSort;
import trailhound.ingest.Ingestor;

/**
 * An attacker's {@code exe.\u202Etxt} (shows as "exe.txt" reversed) and a zero-width space, in event
 * fields and in what users type, on the pages of IOCs, alerts, policies and saved evidence and in the
 * grid: each shows the character as its mark ({@code <U+202E>}) and no page's visible text holds the
 * raw control (fourth try-out of issue #17).
 */
class HostileTextMarksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "WS-BIDI";
    /** "evil.\u202Etxt.exe" reads as "evil.exe.txt" where it is not marked. */
    private static final String IMAGE = "C:\\Users\\bob\\evil.\u202Etxt.exe";
    private static final String ARGS = "evil.exe /c \u2066hidden\u2069 \u200B";
    private static final String MARK = "&lt;U+202E&gt;";

    @TempDir static Path dir;
    static WebTestSupport web;
    static final List<String> uids = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        web.server().access().groups().create(Caller.commandLine(), "Bidi", null, List.of(HOST));
        String line = "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"" + HOST
                + "\",\"UtcTime\":\"2026-10-19 07:30:46.251\",\"ProcessGuid\":\"{aaaa-bidi}\",\"ProcessId\":\"7\",\"Image\":"
                + new TextNode(IMAGE) + ",\"CommandLine\":" + new TextNode(ARGS) + "}\n";
        new Ingestor(web.data(), 1).ingest(Files.writeString(dir.resolve("bidi.json"), line), null);
        try (var lease = web.data().indexes().acquire(HOST)) {
            lease.index().export(null, EventSort.NEWEST_FIRST, 10, e -> uids.add(e.uid()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    /** What a person reads: the page without its tags, attribute values, scripts and the raw text of its editable boxes. */
    static String visible(String html) {
        return html.replaceAll("(?s)<script.*?</script>", "").replaceAll("(?s)<textarea[^>]*>.*?</textarea>", "")
                .replaceAll("(?s)<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", "\"").replace("&amp;", "&");
    }

    private static void assertMarked(String what, String html) {
        String text = visible(html);
        for (char c : new char[] {'\u202e', '\u2066', '\u2069', '\u200b'}) {
            assertFalse(text.indexOf(c) >= 0, what + " shows U+" + Integer.toHexString(c) + " raw: " + text);
        }
        assertTrue(html.contains(MARK), what + " marks it: " + html);
    }

    @Test
    void iocAndAlertPages_markBidiInNamesAndValues() throws Exception {
        String items = JSON.writeValueAsString(List.of(Map.of("type", "command_line", "condition", "contains", "value", "\u202Etxt.exe"),
                Map.of("type", "process_name", "condition", "is", "value", "evil.\u202Etxt.exe")));
        HttpResponse<String> made = web.postJson("/api/v1/iocs", "{\"name\":" + new TextNode("report.\u202Efdp.exe \u200B")
                + ",\"tree\":{\"operator\":\"OR\",\"items\":" + items + "}}");
        assertEquals(201, made.statusCode(), made.body());
        long id = JSON.readTree(made.body()).path("id").asLong();

        String page = web.get("/intel/" + id).body();
        assertMarked("the IOC page", page);
        assertTrue(visible(page).contains("IOC: report." + "<U+202E>fdp.exe <U+200B>"), page);
        assertTrue(page.contains("unusual characters, shown as symbols"), "the name is marked unusual: " + page);
        assertMarked("the Intel list", web.get("/intel").body());

        web.server().access().alerts().raise(HOST, "ioc", id, "report.\u202Efdp.exe", uids.subList(0, 1)).orElseThrow();
        String alerts = web.get("/alerts").body();
        assertMarked("the Alerts page", alerts);
        assertTrue(alerts.contains("class=\"alert-rule\">report." + MARK + "fdp.exe"), alerts);
    }

    @Test
    void policyPages_markBidiInNamesAndRules() throws Exception {
        HttpResponse<String> made = web.postJson("/api/v1/policies", "{\"name\":" + "\"Stop fdp\"" + ",\"action\":\"alert\","
                + "\"groups\":[\"Bidi\"],\"rules\":[{\"command_line\":" + new TextNode("*\u202Etxt.exe*") + "}]}");
        assertEquals(201, made.statusCode(), made.body());
        long id = JSON.readTree(made.body()).path("id").asLong();
        String one = web.get("/policies/" + id).body();
        assertMarked("the policy page", one);
        assertTrue(one.contains("<code class=\"policy-rule\">") && one.contains(MARK + "txt.exe*"), one);
        // fifth try-out: the edit form's boxes hold the raw value (a box cannot mark it): a marked copy beside them says it
        assertTrue(one.contains("<small class=\"policy-value-shown\">reads as: *" + MARK + "txt.exe*"), one);
        assertMarked("the policy list", web.get("/policies").body());
    }

    @Test
    void savedCopyAndFilesTab_markBidiInFieldsAndNotes() throws Exception {
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"event\",\"endpoint\":\"" + HOST + "\",\"event_uids\":"
                + JSON.writeValueAsString(uids) + "}");
        assertEquals(201, saved.statusCode(), saved.body());
        long item = JSON.readTree(saved.body()).path("id").asLong();
        String copy = web.get("/evidence/items/" + item).body();
        assertMarked("the saved copy", copy);
        assertTrue(copy.contains("evil." + MARK + "txt.exe"), copy);

        var files = web.data().store().evidenceFiles();
        long file = files.begin(HOST, IMAGE, "evil.exe", "admin", WebTestSupport.T0);
        files.complete(file, IMAGE, 3, "ab".repeat(32), WebTestSupport.T0 + 1);
        HttpResponse<String> noted = web.postJson("/api/v1/evidence/" + file, "{\"note\":" + new TextNode("from \u202Efdp.exe")
                + ",\"tags\":[\"x\u200By\"]}");
        assertEquals(200, noted.statusCode(), noted.body());
        String tab = web.get("/evidence/files").body();
        assertMarked("the Files tab", tab);
        assertTrue(visible(tab).contains("from <U+202E>fdp.exe"), "the note, shown beside its box: " + tab);
    }

    @Test
    void grid_marksBidiInCells() throws Exception {
        String grid = web.get("/endpoints/" + HOST + "/events").body();
        assertMarked("the grid", grid);
        assertTrue(grid.contains("evil." + MARK + "txt.exe"), grid);
    }
}
