package trailhound.web.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import trailhound.web.WebTestSupport;

/**
 * The saved evidence item pages over HTTP on the real server: an item
 * of more events than a grid page opens in parts, notes and tags that hide characters are shown
 * visibly and marked, one rule for tags, a snapshot item says why it names no indicator, and the saved
 * copy lists an event a line.
 */
class SavedEvidenceItemPagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String E = WebTestSupport.ENDPOINT;

    @TempDir static Path dir;
    static WebTestSupport web;
    static List<String> uids = new ArrayList<>();
    static long all;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        JsonNode events = JSON.readTree(web.get("/api/v1/endpoints/" + E + "/search?limit=1000&q=").body()).path("events");
        events.forEach(e -> uids.add(e.path("event_uid").asText()));
        assertEquals(WebTestSupport.TOTAL, uids.size());
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"event\",\"endpoint\":\"" + E + "\",\"event_uids\":"
                + JSON.writeValueAsString(uids) + "}");
        assertEquals(201, saved.statusCode(), saved.body());
        all = JSON.readTree(saved.body()).path("id").asLong();
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    /** The event uids a grid link's query names, in order. */
    private static List<String> uidsOf(String location) {
        String q = URLDecoder.decode(location.substring(location.indexOf("q=") + 2), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("event_uid:\"([^\"]*)\"").matcher(q);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void anItemOfMoreEventsThanAGridPage_saysSo_andOpensEachHundredInItsContext() throws Exception {
        String page = web.get("/evidence/items/" + all).body();
        assertTrue(page.contains("Open the first 100 of 150 in their context"), page);
        assertTrue(page.contains("<option value=\"2\" selected>events 101-150 of 150</option>"), page);
        String tab = web.get("/evidence/events").body();
        assertTrue(tab.contains("opens the first 100 of 150: the saved copy opens each further 100"), tab);

        HttpResponse<String> first = web.get("/evidence/items/" + all + "/context?part=1");
        assertEquals(303, first.statusCode());
        assertEquals(uids.subList(0, 100), uidsOf(first.headers().firstValue("Location").orElseThrow()));
        HttpResponse<String> second = web.get("/evidence/items/" + all + "/context?part=2");
        assertEquals(303, second.statusCode());
        String grid = second.headers().firstValue("Location").orElseThrow();
        assertEquals(uids.subList(100, 150), uidsOf(grid), "the rest, in the order saved");
        JsonNode count = JSON.readTree(web.get("/api/v1/endpoints/" + E + "/count?" + grid.substring(grid.indexOf("q="))).body());
        assertEquals(50, count.path("total").asLong(), "the grid finds those 50");
        assertEquals(400, web.get("/evidence/items/" + all + "/context?part=3").statusCode());
    }

    @Test
    void theSavedCopy_showsAnEventALine_everyFieldOnAClick() throws Exception {
        String page = web.get("/evidence/items/" + all).body();
        String table = page.substring(page.indexOf("id=\"evidence-events\""), page.indexOf("</table>", page.indexOf("id=\"evidence-events\"")));
        String[] rows = table.split("<tr class=\"evidence-event\"");
        assertEquals(WebTestSupport.TOTAL + 1, rows.length, "one row an event");
        for (int i = 1; i < rows.length; i++) {
            String line = rows[i].substring(0, rows[i].indexOf("</tr>"));
            assertFalse(line.contains("<dl") || line.contains("<br"), "one line: " + line);
            assertTrue(rows[i].contains("<tr class=\"evidence-event-detail\" hidden>"), "its fields behind a click");
        }
        assertTrue(page.contains("/js/evidence-item.js"));
    }

    @Test
    void notesAndTagsHidingCharacters_areShownVisiblyAndMarked() throws Exception {
        HttpResponse<String> described = web.postJson("/api/v1/evidence/" + all, "{\"note\":\"invoice\\u202Eexe.txt\\nsecond line\","
                + "\"tags\":[\"c\\u200B2\"]}");
        assertEquals(200, described.statusCode(), described.body());
        String item = web.get("/evidence/items/" + all).body();
        assertFalse(item.contains("\u202E") || item.contains("\u200B"), "never raw on the item's page");
        assertTrue(item.contains("invoice&lt;U+202E&gt;exe.txt<br>second line"), item);
        assertTrue(item.contains("c&lt;U+200B&gt;2"), item);
        assertTrue(item.contains("class=\"odd-name\""), "marked");
        String tab = web.get("/evidence/events").body();
        String shown = tab.substring(tab.indexOf("class=\"evidence-shown\""));
        assertTrue(shown.startsWith("class=\"evidence-shown\">invoice&lt;U+202E&gt;exe.txt<br>second line"), shown);
        assertTrue(shown.contains("unusual characters, shown as symbols"), shown);
        // the editor keeps the words as written, to change them
        assertTrue(tab.contains(">invoice\u202Eexe.txt\nsecond line</textarea>"), "the note as written in its box");
    }

    @Test
    void ordinarySpacesInNotesAndTags_areShownAsWritten_unmarked() throws Exception {
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"event\",\"endpoint\":\"" + E + "\",\"event_uids\":[\""
                + uids.getFirst() + "\"],\"note\":\"ran cmd /c whoami then net /domain\\nthen \\\\ share \",\"tags\":[\"cmd /c\"]}");
        assertEquals(201, saved.statusCode(), saved.body());
        long id = JSON.readTree(saved.body()).path("id").asLong();
        String item = web.get("/evidence/items/" + id).body();
        assertTrue(item.contains(">ran cmd /c whoami then net /domain<br>then \\ share\u2420"),
                "spaces next to / or \\ are ordinary in free text; only the text's trailing space shows: " + item);
        assertTrue(item.contains(">cmd /c"), item);
        assertFalse(item.contains("cmd\u2420"), item);
        HttpResponse<String> plain = web.postJson("/api/v1/evidence/" + id, "{\"note\":\"ran cmd /c whoami then net /domain\"}");
        assertEquals(200, plain.statusCode(), plain.body());
        assertFalse(web.get("/evidence/items/" + id).body().contains("class=\"odd-name\""), "no unusual mark for ordinary spaces");
    }

    @Test
    void aCommaSeparatesTags_inTheApiAsInThePagesBox() throws Exception {
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"event\",\"endpoint\":\"" + E + "\",\"event_uids\":[\""
                + uids.getFirst() + "\"],\"tags\":[\"a,b\", \" c \"]}");
        assertEquals(201, saved.statusCode(), saved.body());
        JsonNode item = JSON.readTree(saved.body());
        assertEquals(List.of("a", "b", "c"), JSON.convertValue(item.path("tags"), List.class));
        long id = item.path("id").asLong();
        HttpResponse<String> api = web.postJson("/api/v1/evidence/" + id, "{\"tags\":[\"x, y\"]}");
        assertEquals(List.of("x", "y"), JSON.convertValue(JSON.readTree(api.body()).path("tags"), List.class));
        HttpResponse<String> form = web.postForm("/evidence/" + id + "/describe", java.util.Map.of("_csrf", web.csrf(), "note", "",
                "tags", "x, y"));
        assertEquals(303, form.statusCode());
        assertEquals(List.of("x", "y"), JSON.convertValue(JSON.readTree(web.get("/api/v1/evidence/" + id).body()).path("tags"), List.class),
                "the page's box and the API agree");
    }

    @Test
    void aSnapshotItem_saysItIsAWholeSnapshot_andWhereItsEventsAre() throws Exception {
        var scope = web.server().access().scope(Caller.commandLine());
        String snapshot = scope.snapshots(E).getFirst().id();
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"snapshot\",\"endpoint\":\"" + E + "\",\"snapshot\":\""
                + snapshot + "\"}");
        assertEquals(201, saved.statusCode(), saved.body());
        long id = JSON.readTree(saved.body()).path("id").asLong();
        HttpResponse<String> ioc = web.postJson("/api/v1/iocs", "{\"name\":\"snap\",\"from_evidence\":[" + id + "]}");
        assertEquals(400, ioc.statusCode(), ioc.body());
        String error = JSON.readTree(ioc.body()).path("error").asText();
        assertTrue(error.startsWith("evidence " + id + " is a whole snapshot (" + snapshot + " of " + E + ", "), error);
        assertTrue(error.contains("/endpoints/" + E + "/events?snapshot=" + snapshot) && error.contains("save the events or processes in it"),
                error);
        assertFalse(error.contains("offers no indicator"), error);
        HttpResponse<String> policy = web.postJson("/api/v1/policies", "{\"name\":\"snap\",\"action\":\"alert\",\"groups\":[],\"from_evidence\":["
                + id + "]}");
        assertTrue(policy.body().contains("is a whole snapshot"), policy.body());
    }
}
