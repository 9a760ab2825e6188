package trailhound.web.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.EventSort;
import trailhound.web.WebTestSupport;

/**
 * Saved evidence and exports as the fourth try-out of issue #17 left them, over HTTP: a process saved
 * twice says it is saved already and links it; null clears a note as it clears tags; an export naming
 * some uids that match nothing says how many it left out.
 */
class EvidenceTryOutTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String E = WebTestSupport.ENDPOINT;
    @TempDir static Path dir;
    static WebTestSupport web;
    static final List<String> uids = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        try (var lease = web.data().indexes().acquire(E)) {
            lease.index().export(null, EventSort.NEWEST_FIRST, 3, e -> uids.add(e.uid()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    @Test
    void aProcessSavedTwice_saysItIsSavedAndLinksIt_savesNothing() throws Exception {
        String body = "{\"kind\":\"process\",\"endpoint\":\"" + E + "\",\"process_key\":\"" + WebTestSupport.CHROME + "\"}";
        HttpResponse<String> first = web.postJson("/api/v1/evidence", body);
        assertEquals(201, first.statusCode(), first.body());
        long id = JSON.readTree(first.body()).path("id").asLong();
        int items = JSON.readTree(web.get("/api/v1/evidence?kind=process").body()).path("items").size();

        HttpResponse<String> again = web.postJson("/api/v1/evidence", body);
        assertEquals(200, again.statusCode(), again.body());
        JsonNode answer = JSON.readTree(again.body());
        assertEquals(id, answer.path("id").asLong());
        assertTrue(answer.path("already_saved").asBoolean(), again.body());
        assertTrue(answer.path("message").asText().contains("is already saved as evidence item " + id + " (/evidence/items/" + id + ")"),
                again.body());
        assertEquals(items, JSON.readTree(web.get("/api/v1/evidence?kind=process").body()).path("items").size(), "no second copy");

        HttpResponse<String> form = web.postForm("/evidence", Map.of("_csrf", web.csrf(), "kind", "process", "endpoint", E,
                "process_key", WebTestSupport.CHROME));
        assertEquals(303, form.statusCode(), form.body());
        String page = web.get(form.headers().firstValue("Location").orElseThrow()).body();
        assertTrue(page.contains("id=\"evidence-already\"") && page.contains("<a href=\"/evidence/items/" + id + "\">evidence item"), page);
    }

    @Test
    void aNoteAndTagsGivenWithASecondSave_areAddedToTheItem_whenTheCallerMayChangeThem() throws Exception {
        // fifth try-out: saving a process already saved, with a note, dropped the note unsaid
        String process = "{\"kind\":\"process\",\"endpoint\":\"" + E + "\",\"process_key\":\"" + WebTestSupport.POWERSHELL + "\"";
        HttpResponse<String> first = web.postJson("/api/v1/evidence", process + ",\"note\":\"dropper\",\"tags\":[\"c2\"]}");
        assertEquals(201, first.statusCode(), first.body());
        long id = JSON.readTree(first.body()).path("id").asLong();
        JsonNode again = JSON.readTree(web.postJson("/api/v1/evidence", process + ",\"note\":\"also on FIN-02\",\"tags\":[\"lateral\"]}").body());
        assertEquals(id, again.path("id").asLong());
        assertEquals("dropper\n\nalso on FIN-02", again.path("note").asText(), again.toString());
        assertEquals("[\"c2\",\"lateral\"]", again.path("tags").toString());
        assertTrue(again.path("message").asText().endsWith("nothing was saved again; the note and tags given were added to its own"), again.toString());
        JsonNode same = JSON.readTree(web.postJson("/api/v1/evidence", process + ",\"note\":\"dropper\"}").body());
        assertEquals("dropper\n\nalso on FIN-02", same.path("note").asText(), "a note it holds already is not added twice");

        HttpResponse<String> form = web.postForm("/evidence", Map.of("_csrf", web.csrf(), "kind", "process", "endpoint", E,
                "process_key", WebTestSupport.POWERSHELL, "note", "seen by the form", "tags", "form"));
        String page = web.get(form.headers().firstValue("Location").orElseThrow()).body();
        assertTrue(page.contains("The note and tags\n    you gave were added to its own."), page);
        JsonNode listed = null;
        for (JsonNode item : JSON.readTree(web.get("/api/v1/evidence?kind=process").body()).path("items")) if (item.path("id").asLong() == id) listed = item;
        assertTrue(listed.path("note").asText().endsWith("seen by the form"), String.valueOf(listed));

        web.server().access().accounts().create(trailhound.access.Caller.commandLine(), "ana2", trailhound.access.Role.ANALYST,
                List.of(trailhound.store.ComputerGroups.ALL_ENDPOINTS), "a long test password", false);
        WebTestSupport ana = web.anotherBrowser().signIn("ana2", "a long test password");
        JsonNode refused = JSON.readTree(ana.postJson("/api/v1/evidence", process + ",\"note\":\"mine\"}").body());
        assertTrue(refused.path("message").asText().endsWith("the note and tags given were not added: only admin or an administrator changes them"),
                refused.toString());
        assertTrue(!refused.path("note").asText().contains("mine"), refused.toString());
    }

    @Test
    void nullNoteAndNullTags_clearBoth() throws Exception {
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"event\",\"endpoint\":\"" + E + "\",\"event_uids\":"
                + JSON.writeValueAsString(uids.subList(0, 1)) + ",\"note\":\"beacon\",\"tags\":[\"c2\"]}");
        long id = JSON.readTree(saved.body()).path("id").asLong();
        JsonNode cleared = JSON.readTree(web.postJson("/api/v1/evidence/" + id, "{\"note\":null,\"tags\":null}").body());
        assertEquals("", cleared.path("note").asText(), cleared.toString());
        assertEquals(0, cleared.path("tags").size(), cleared.toString());
        JsonNode kept = JSON.readTree(web.postJson("/api/v1/evidence/" + id, "{\"tags\":[\"x\"]}").body());
        assertEquals("", kept.path("note").asText(), "left out: stays");
    }

    @Test
    void anExportOfSomeUnknownUids_saysHowManyItLeftOut() throws Exception {
        List<String> asked = new ArrayList<>(uids.subList(0, 2));
        asked.add("no-such-uid-1");
        HttpResponse<String> started = web.postJson("/api/v1/exports", "{\"endpoint\":\"" + E + "\",\"event_uids\":" + JSON.writeValueAsString(asked) + "}");
        assertEquals(202, started.statusCode(), started.body());
        long id = JSON.readTree(started.body()).path("id").asLong();
        JsonNode done = null;
        for (int i = 0; i < 600; i++) {
            done = JSON.readTree(web.get("/api/v1/exports/" + id).body());
            if (!"queued".equals(done.path("state").asText()) && !"running".equals(done.path("state").asText())) break;
            Thread.sleep(50);
        }
        assertEquals("done", done.path("state").asText(), done.toString());
        assertEquals(2, done.path("rows_written").asLong());
        assertTrue(done.path("message").asText().startsWith("1 of the 3 event uids given matches no event"), done.toString());
    }
}
