package trailhound.web.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.web.WebTestSupport;

/** Saved evidence over HTTP: the real server, real index and server.db, 7-Zip opening the downloads. */
class SavedEvidenceApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PW = "a long test password";
    private static final String E = WebTestSupport.ENDPOINT;

    @TempDir Path dir;

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    /** The first {@code n} events of the query, as the search API answers them. */
    private static List<JsonNode> search(WebTestSupport web, String q, int n) throws Exception {
        JsonNode body = json(web.get("/api/v1/endpoints/" + E + "/search?limit=" + n + "&q=" + WebTestSupport.enc(q)).body());
        List<JsonNode> out = new ArrayList<>();
        body.path("events").forEach(out::add);
        return out;
    }

    private static String uids(List<JsonNode> events) throws Exception {
        return JSON.writeValueAsString(events.stream().map(e -> e.path("event_uid").asText()).toList());
    }

    @Test
    void savedEvents_downloadAsCsvAndJsonInAnEncryptedZip_that7ZipOpensWithThePasswordOnly() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            List<JsonNode> chosen = search(web, "type:dns OR type:network", 3);
            var saved = web.postJson("/api/v1/evidence", "{\"kind\":\"event\",\"endpoint\":\"" + E + "\",\"event_uids\":" + uids(chosen)
                    + ",\"note\":\"beacon\",\"tags\":[\"c2\"]}");
            assertEquals(201, saved.statusCode(), saved.body());
            JsonNode item = json(saved.body());
            long id = item.path("id").asLong();
            assertEquals("event", item.path("kind").asText());
            assertEquals("admin", item.path("created_by").asText());
            assertTrue(item.path("created_at").asText().endsWith("Z"), "UTC");

            JsonNode listed = json(web.get("/api/v1/evidence?kind=event&tag=c2").body()).path("items");
            assertEquals(1, listed.size());
            assertEquals(id, listed.get(0).path("id").asLong());
            assertEquals(0, json(web.get("/api/v1/evidence?tag=other").body()).path("items").size());

            JsonNode events = json(web.get("/api/v1/evidence/" + id + "/events").body()).path("events");
            assertEquals(JSON.valueToTree(chosen), events, "every field of each event, as the search answered it");

            var download = web.getBytes("/api/v1/evidence/" + id + "/download");
            assertEquals(200, download.statusCode());
            Path zip = Files.write(dir.resolve("evidence.zip"), download.body());
            String base = "evidence_" + id + "_event";
            assertEquals(List.of(base + ".csv", base + ".json"), SevenZip.namesWithoutPassword(zip), "names readable without the password");
            assertTrue(SevenZip.refuses(zip, "wrong", dir.resolve("wrong")), "the content needs the password");
            Path out = dir.resolve("out");
            SevenZip.extract(zip, "infected", out);
            String csv = Files.readString(out.resolve(base + ".csv"), StandardCharsets.UTF_8);
            assertTrue(csv.startsWith("\uFEFF"), "a byte-order mark for Excel");
            List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(
                    new java.io.StringReader(csv.substring(1))).getRecords();
            assertEquals(3, rows.size());
            for (int i = 0; i < 3; i++) {
                for (var f : chosen.get(i).properties()) {
                    assertEquals(f.getValue().asText(), rows.get(i).get(f.getKey()), f.getKey() + " of row " + i);
                }
            }
            JsonNode doc = json(Files.readString(out.resolve(base + ".json")));
            assertEquals(JSON.valueToTree(chosen), doc.path("events"));
            assertEquals("beacon", doc.path("item").path("note").asText());
        }
    }

    @Test
    void aProcess_isSavedWithItsWholeHistory() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            long expected = json(web.get("/api/v1/endpoints/" + E + "/count?q=" + WebTestSupport.enc("process_key:"
                    + WebTestSupport.POWERSHELL)).body()).path("total").asLong();
            assertTrue(expected > 1, "the fixture's powershell has a history");
            var saved = web.postJson("/api/v1/evidence", "{\"kind\":\"process\",\"endpoint\":\"" + E + "\",\"process_key\":\""
                    + WebTestSupport.POWERSHELL + "\"}");
            assertEquals(201, saved.statusCode(), saved.body());
            JsonNode item = json(saved.body());
            assertEquals(expected, item.path("event_count").asLong());
            assertEquals(WebTestSupport.POWERSHELL, item.path("reference").asText());
            assertTrue(item.path("title").asText().startsWith("powershell.exe"), item.path("title").asText());
            JsonNode events = json(web.get("/api/v1/evidence/" + item.path("id").asLong() + "/events").body()).path("events");
            for (JsonNode e : events) assertEquals(WebTestSupport.POWERSHELL, e.path("process_key").asText());
            var page = web.get("/evidence/processes");
            assertTrue(page.body().contains("/endpoints/" + E + "/process/" + WebTestSupport.POWERSHELL), "opens in the process page");

            var unknown = web.postJson("/api/v1/evidence", "{\"kind\":\"process\",\"endpoint\":\"" + E + "\",\"process_key\":\"nope\"}");
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("process_key nope"), unknown.body());
        }
    }

    @Test
    void accessRules_readOnlyCannotSave_othersGroupsCannotSee_onlyOwnerOrAdminRemoves() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            Access access = web.server().access();
            Caller cli = Caller.commandLine();
            access.groups().create(cli, "test", null, List.of(E));
            access.groups().create(cli, "empty", null, List.of());
            access.accounts().create(cli, "ana", Role.ANALYST, List.of("test"), PW, false);
            access.accounts().create(cli, "bo", Role.ANALYST, List.of("test"), PW, false);
            access.accounts().create(cli, "rita", Role.READ_ONLY, List.of("test"), PW, false);
            access.accounts().create(cli, "out", Role.ANALYST, List.of("empty"), PW, false);
            String body = "{\"kind\":\"event\",\"endpoint\":\"" + E + "\",\"event_uids\":" + uids(search(web, "", 1)) + "}";

            WebTestSupport rita = web.anotherBrowser().signIn("rita", PW);
            assertEquals(403, rita.postJson("/api/v1/evidence", body).statusCode());
            WebTestSupport out = web.anotherBrowser().signIn("out", PW);
            assertEquals(404, out.postJson("/api/v1/evidence", body).statusCode(), "an endpoint outside one's groups is unknown");

            WebTestSupport ana = web.anotherBrowser().signIn("ana", PW);
            long id = json(ana.postJson("/api/v1/evidence", body).body()).path("id").asLong();
            assertEquals(200, rita.get("/api/v1/evidence/" + id).statusCode(), "read-only users see the items of their endpoints");
            assertEquals(403, rita.getBytes("/api/v1/evidence/" + id + "/download").statusCode(), "but take nothing away");
            assertEquals(404, out.get("/api/v1/evidence/" + id).statusCode());
            assertEquals("no evidence " + id + " among the items you may see; GET /api/v1/evidence lists them",
                    json(out.get("/api/v1/evidence/" + id).body()).path("error").asText(), "not called a file: it is an event item");
            assertEquals(0, json(out.get("/api/v1/evidence").body()).path("items").size());

            WebTestSupport bo = web.anotherBrowser().signIn("bo", PW);
            // an item's note and tags are its author's (or an administrator's) to change, as removing it is
            var refused = bo.postJson("/api/v1/evidence/" + id, "{\"note\":\"also on WS-2\"}");
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("only they or an administrator may change its note and tags"), refused.body());
            var edited = ana.postJson("/api/v1/evidence/" + id, "{\"tags\":[\"lateral\",\"c2\"]}");
            assertEquals(200, edited.statusCode(), edited.body());
            assertEquals(List.of("c2", "lateral"), JSON.convertValue(json(edited.body()).path("tags"), List.class));
            var noted = ana.postJson("/api/v1/evidence/" + id, "{\"note\":\"also on WS-2\"}");
            assertEquals(List.of("c2", "lateral"), JSON.convertValue(json(noted.body()).path("tags"), List.class), "a note alone keeps the tags");
            assertEquals(400, ana.postJson("/api/v1/evidence/" + id, "{}").statusCode(), "nothing to change");
            assertEquals(403, bo.delete("/api/v1/evidence/" + id).statusCode(), "only the owner or an administrator removes");
            assertEquals(200, ana.delete("/api/v1/evidence/" + id).statusCode());
            assertEquals(404, ana.get("/api/v1/evidence/" + id).statusCode());

            String audit = web.get("/admin/audit").body();
            assertTrue(audit.contains("evidence.save") && audit.contains("evidence.edit") && audit.contains("evidence.remove"), "audited");
        }
    }

    @Test
    void theTabs_filterByEndpointTagAndUser_andTheGridSavesChosenRows() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            List<JsonNode> two = search(web, "type:registry", 2);
            var saved = web.postForm("/evidence", Map.of("_csrf", web.csrf(), "kind", "event", "endpoint", E,
                    "uid", two.get(0).path("event_uid").asText(), "note", "<script>alert(1)</script>", "tags", "persistence, run-key"));
            assertEquals(303, saved.statusCode(), saved.body());
            String location = saved.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("/evidence/events?new="), location);
            String page = web.get(location).body();
            assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the note is escaped");
            assertFalse(page.contains("<script>alert(1)</script>"));
            assertTrue(page.contains("persistence, run-key"));
            assertTrue(web.get("/evidence/events?tag=run-key").body().contains("evidence-item"));
            assertFalse(web.get("/evidence/events?tag=other").body().contains("class=\"evidence-item"));
            assertFalse(web.get("/evidence/events?user=nobody").body().contains("class=\"evidence-item"));
            assertTrue(web.get("/evidence/events?endpoint=" + E).body().contains("class=\"evidence-item"));
            assertTrue(web.get("/evidence/processes").body().contains("No items here yet."));
            String grid = web.get("/endpoints/" + E + "/events").body();
            assertTrue(grid.contains("id=\"save-evidence\"") && grid.contains("class=\"pick-row\""), "the grid offers Save as evidence");
        }
    }

    @Test
    void aKeptFile_isAnItemToo_taggedAndFilteredOnTheFilesTab_readAsItsPathAndHash() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            var files = web.data().store().evidenceFiles();
            long id = files.begin(E, "C:\\Users\\bob\\dropper.exe", "dropper.exe", "admin", WebTestSupport.T0);
            files.complete(id, "C:\\Users\\bob\\dropper.exe", 3, "ab".repeat(32), WebTestSupport.T0 + 1);
            var edited = web.postJson("/api/v1/evidence/" + id, "{\"note\":\"stage 1\",\"tags\":[\"dropper\"]}");
            assertEquals(200, edited.statusCode(), edited.body());
            assertEquals("file", json(edited.body()).path("kind").asText());
            JsonNode items = json(web.get("/api/v1/evidence?kind=file").body()).path("items");
            assertEquals(1, items.size());
            assertEquals(id, items.get(0).path("id").asLong());
            assertEquals(id, json(web.get("/api/v1/evidence").body()).path("files").get(0).path("id").asLong(), "the file API as before");
            JsonNode events = json(web.get("/api/v1/evidence/" + id + "/events").body()).path("events");
            assertEquals("C:\\Users\\bob\\dropper.exe", events.get(0).path("file_path").asText());
            assertEquals("ab".repeat(32), events.get(0).path("hash_sha256").asText());

            assertTrue(web.get("/evidence/files?tag=dropper").body().contains("data-id=\"" + id + "\""));
            assertFalse(web.get("/evidence/files?tag=other").body().contains("data-id=\"" + id + "\""));
            assertFalse(web.get("/evidence/files?user=nobody").body().contains("data-id=\"" + id + "\""));
            assertTrue(web.get("/evidence/files?endpoint=" + E).body().contains("data-id=\"" + id + "\""));

            // the tab edits its note and tags as the other tabs do, and filters from lists of what there is
            String page = web.get("/evidence/files").body();
            assertTrue(page.contains("action=\"/evidence/" + id + "/describe\"") && page.contains(">stage 1</textarea>")
                    && page.contains("value=\"dropper\""), page);
            assertTrue(page.contains("<option value=\"dropper\"") && page.contains("<option value=\"" + E + "\""), page);
            var described = web.postForm("/evidence/" + id + "/describe", java.util.Map.of("_csrf", web.csrf(), "note", "stage 2", "tags", "dropper, c2",
                    "back", "/evidence/files"));
            assertEquals(303, described.statusCode(), described.body());
            assertEquals("/evidence/files", described.headers().firstValue("Location").orElse(""));
            assertEquals("stage 2", json(web.get("/api/v1/evidence?kind=file").body()).path("items").get(0).path("note").asText());
            assertTrue(web.get("/evidence/files?tag=c2").body().contains("data-id=\"" + id + "\""));
        }
    }

    @Test
    void apiFiles_carryNoteAndTags_andTakeTheSameFiltersAsItems() throws Exception {
        // try-out: GET /api/v1/evidence filtered the items only; its files came whatever the filters, without note or tags
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            var files = web.data().store().evidenceFiles();
            long tagged = files.begin(E, "C:\\Users\\bob\\dropper.exe", "dropper.exe", "admin", WebTestSupport.T0);
            files.complete(tagged, "C:\\Users\\bob\\dropper.exe", 3, "ab".repeat(32), WebTestSupport.T0 + 1);
            long plain = files.begin(E, "C:\\Users\\bob\\notes.txt", "notes.txt", "admin", WebTestSupport.T0 + 2);
            files.complete(plain, "C:\\Users\\bob\\notes.txt", 3, "cd".repeat(32), WebTestSupport.T0 + 3);
            assertEquals(200, web.postJson("/api/v1/evidence/" + tagged, "{\"note\":\"stage 1\",\"tags\":[\"dropper\"]}").statusCode());

            JsonNode all = json(web.get("/api/v1/evidence").body()).path("files");
            assertEquals(2, all.size(), all.toString());
            JsonNode one = json(web.get("/api/v1/evidence/" + tagged).body());
            assertEquals("stage 1", one.path("note").asText(), one.toString());
            assertEquals("[\"dropper\"]", one.path("tags").toString());

            JsonNode byTag = json(web.get("/api/v1/evidence?tag=dropper").body()).path("files");
            assertEquals(1, byTag.size(), byTag.toString());
            assertEquals(tagged, byTag.get(0).path("id").asLong());
            assertEquals("stage 1", byTag.get(0).path("note").asText());
            assertEquals("[\"dropper\"]", byTag.get(0).path("tags").toString());
            assertEquals(1, json(web.get("/api/v1/evidence?tag=DROPPER").body()).path("files").size(), "tags ignore case, as for items");
            assertEquals(0, json(web.get("/api/v1/evidence?user=nobody").body()).path("files").size());
            assertEquals(0, json(web.get("/api/v1/evidence?endpoint=elsewhere").body()).path("files").size());
            assertEquals(2, json(web.get("/api/v1/evidence?endpoint=" + E).body()).path("files").size());
            assertEquals(0, json(web.get("/api/v1/evidence?kind=event").body()).path("files").size(), "files are not events");
            assertTrue(web.get("/evidence/files?tag=DROPPER").body().contains("data-id=\"" + tagged + "\""), "the page filters alike");
        }
    }

    @Test
    void aKeptFile_protectOnTheFilesTab_andItsIocTicksHashAndPath() throws Exception {
        // try-out: the Files tab had no Protect link (docs/policies.md says it has), and a file item's IOC took its SHA-256 only
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            var files = web.data().store().evidenceFiles();
            String path = "C:\\Users\\bob\\AppData\\dropper.exe";
            long id = files.begin(E, path, "dropper.exe", "admin", WebTestSupport.T0);
            files.complete(id, path, 3, "ab".repeat(32), WebTestSupport.T0 + 1);

            String tab = web.get("/evidence/files").body();
            String href = WebTestSupport.find(tab, "href=\"(/policies/new\\?evidence=" + id + ")\" class=\"evidence-protect\"");
            String form = web.get(href).body();
            assertEquals("ab".repeat(32), WebTestSupport.find(form, "name=\"sha256\" size=\"66\" value=\"([^\"]*)\""));
            assertEquals(path, WebTestSupport.find(form, "name=\"path\" size=\"70\" value=\"([^\"]*)\"").replace("&#92;", "\\"));

            var made = web.postJson("/api/v1/iocs", "{\"name\":\"kept dropper\",\"from_evidence\":[" + id + "]}");
            assertEquals(201, made.statusCode(), made.body());
            JsonNode tree = json(made.body()).path("tree");
            java.util.Set<String> types = new java.util.TreeSet<>();
            for (JsonNode item : tree.path("items").isMissingNode() ? java.util.List.of(tree) : (Iterable<JsonNode>) tree.path("items")::elements) {
                types.add(item.path("type").asText() + "=" + item.path("value").asText());
            }
            assertEquals(java.util.Set.of("sha256=" + "ab".repeat(32), "file_path=" + path), types, tree.toString());

            String picker = web.get("/intel/new?evidence=" + id).body();
            int ticked = picker.split("class=\"pick-indicator\" checked", -1).length - 1;
            assertEquals(2, ticked, "the picker ticks both: " + picker);
        }
    }
}
