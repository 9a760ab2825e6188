package trailhound.web.saved;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.saved.SavedSearchFixture.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.IndexBackend;
import trailhound.store.AuditTrail;
import trailhound.web.WebTestSupport;
import trailhound.web.search.TimeRange;
import trailhound.web.search.TimeViews;

/** Saved searches over HTTP: the pages with a signed-in browser's cookies and CSRF token, the API with tokens. */
class SavedSearchPagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EP = WebTestSupport.ENDPOINT;

    @TempDir
    static Path dir;

    static WebTestSupport web;
    static String admin;
    static String ana;
    static String hal;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        SavedSearchFixture.addUsers(web);
        admin = SavedSearchFixture.token(web, "admin");
        ana = SavedSearchFixture.token(web, "ana");
        hal = SavedSearchFixture.token(web, "hal");
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static long create(String token, String body) throws Exception {
        HttpResponse<String> r = send(web, token, "POST", "/api/v1/saved-searches", body);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("id").asLong();
    }

    private static long total(String token, String query) throws Exception {
        return json(send(web, token, "GET", "/api/v1/endpoints/" + EP + "/count?q=" + WebTestSupport.enc(query), null)).get("total").asLong();
    }

    @Test
    void savedFromTheGridsForm_opensTheGridWithItsQueryAndWindow() throws Exception {
        try (WebTestSupport browser = web.anotherBrowser().signIn()) {
            String grid = browser.get("/endpoints/" + EP + "/events?q=" + WebTestSupport.enc("type:network AND remote_port:443")
                    + "&from=2026-11-19T00:00:00Z&to=2026-11-19T01:00:00Z").body();
            assertTrue(grid.contains("id=\"save-search-form\""), "the grid has the form");
            HttpResponse<String> saved = browser.postForm("/saved-searches", Map.of("_csrf", browser.csrf(), "name", "HTTPS out",
                    "q", "type:network AND remote_port:443", "endpoint", EP, "from", "2026-11-19T00:00:00Z", "to", "2026-11-19T01:00:00Z",
                    "range", ""));
            assertEquals(303, saved.statusCode(), saved.body());
            String location = saved.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("/saved-searches?saved="), location);
            long id = Long.parseLong(location.substring(location.indexOf('=') + 1));
            String list = browser.get(location).body();
            assertTrue(list.contains("Saved “HTTPS out”"), list);
            assertTrue(list.contains("href=\"/saved-searches/" + id + "\""), list);

            HttpResponse<String> open = browser.get("/saved-searches/" + id);
            assertEquals(303, open.statusCode());
            String target = open.headers().firstValue("Location").orElseThrow();
            assertEquals("/endpoints/" + EP + "/events?q=" + WebTestSupport.enc("type:network AND remote_port:443")
                    + "&from=2026-11-19T00%3A00%3A00Z&to=2026-11-19T01%3A00%3A00Z", target);
            String shown = browser.get(target).body();
            assertEquals(String.valueOf(total(admin, "type:network AND remote_port:443")),
                    WebTestSupport.find(shown, "id=\"result-count\">([0-9,]+)<"), "the search runs");
        }
    }

    @Test
    void theHuntPageHasTheForm_forAllEndpoints_andTheQuickRangeShownIsChosen() throws Exception {
        Long newest;
        try (IndexBackend.Lease lease = web.data().indexes().acquire(EP)) {
            newest = lease.index().stats().lastTs();
        }
        TimeRange day = TimeViews.quickRange("24h", newest, Instant.now());
        try (WebTestSupport browser = web.anotherBrowser().signIn()) {
            String hunt = browser.get("/hunt?q=type%3Adns&from=" + WebTestSupport.enc(TimeRange.iso(day.from())) + "&to="
                    + WebTestSupport.enc(TimeRange.iso(day.to()))).body();
            String form = hunt.substring(hunt.indexOf("id=\"save-search-form\""), hunt.indexOf("</form>", hunt.indexOf("id=\"save-search-form\"")));
            assertFalse(form.contains("name=\"endpoint\""), "all endpoints");
            assertTrue(form.contains("<option value=\"24h\" selected>"), form);
            HttpResponse<String> saved = browser.postForm("/saved-searches", Map.of("_csrf", browser.csrf(), "name", "hunt dns, last day",
                    "q", "type:dns", "range", "24h", "from", TimeRange.iso(day.from()), "to", TimeRange.iso(day.to())));
            assertEquals(303, saved.statusCode(), saved.body());
            String id = saved.headers().firstValue("Location").orElseThrow().replaceAll(".*=", "");
            assertEquals("/hunt?q=type%3Adns&from=" + WebTestSupport.enc(TimeRange.iso(day.from())) + "&to="
                    + WebTestSupport.enc(TimeRange.iso(day.to())), browser.get("/saved-searches/" + id).headers().firstValue("Location")
                    .orElseThrow(), "the window before the newest event of every endpoint one sees");
            assertTrue(browser.get("/hunt").body().indexOf("save-search-form") < 0, "no form before a hunt");
        }
    }

    @Test
    void formPostWithoutTheCsrfToken_isRefused_andSavesNothing() throws Exception {
        try (WebTestSupport browser = web.anotherBrowser().signIn()) {
            HttpResponse<String> r = browser.postForm("/saved-searches", Map.of("name", "csrf-less", "q", "type:dns", "endpoint", EP));
            assertEquals(403, r.statusCode());
            assertFalse(send(web, admin, "GET", "/api/v1/saved-searches", null).body().contains("csrf-less"));
        }
    }

    @Test
    void aRelativeRange_opensEndingAtTheNewestEvent_andAHuntSearchOpensTheHuntPage() throws Exception {
        long id = create(admin, "{\"name\": \"last hour\", \"query\": \"type:file\", \"endpoint\": \"" + EP + "\", \"range\": \"1h\"}");
        JsonNode one = json(send(web, admin, "GET", "/api/v1/saved-searches/" + id, null));
        assertEquals("1h", one.get("range").asText());
        assertTrue(one.get("from").isNull());
        Long newest;
        try (IndexBackend.Lease lease = web.data().indexes().acquire(EP)) {
            newest = lease.index().stats().lastTs();
        }
        TimeRange expected = TimeViews.quickRange("1h", newest, Instant.now());
        String location = send(web, admin, "GET", "/saved-searches/" + id, null).headers().firstValue("Location").orElseThrow();
        assertTrue(location.endsWith("&from=" + WebTestSupport.enc(TimeRange.iso(expected.from())) + "&to="
                + WebTestSupport.enc(TimeRange.iso(expected.to()))), location);

        long hunt = create(admin, "{\"name\": \"dns everywhere\", \"query\": \"type:dns\", \"endpoint\": null}");
        assertEquals("/hunt?q=type%3Adns", send(web, admin, "GET", "/saved-searches/" + hunt, null).headers().firstValue("Location")
                .orElseThrow());
    }

    @Test
    void api_createListFindDelete_withClearErrors() throws Exception {
        long id = create(ana, "{\"name\": \"ana's dns\", \"query\": \"type:dns\", \"endpoint\": \"" + EP + "\","
                + " \"from\": \"2026-11-19T00:00:00Z\", \"to\": \"2026-11-20T00:00:00Z\", \"shared\": true}");
        JsonNode found = json(send(web, ana, "GET", "/api/v1/saved-searches/" + id, null));
        assertEquals("ana's dns", found.get("name").asText());
        assertEquals("ana", found.get("owner").asText());
        assertEquals(EP, found.get("endpoint").asText());
        assertEquals("2026-11-19T00:00:00Z", found.get("from").asText());
        assertEquals("2026-11-20T00:00:00Z", found.get("to").asText());
        assertTrue(found.get("shared").asBoolean());
        assertEquals("/saved-searches/" + id, found.get("url").asText());
        JsonNode list = json(send(web, ana, "GET", "/api/v1/saved-searches", null)).get("saved_searches");
        assertTrue(list.findValuesAsText("name").contains("ana's dns"), list.toString());

        HttpResponse<String> dup = send(web, ana, "POST", "/api/v1/saved-searches", "{\"name\": \"ANA'S DNS\", \"query\": \"x\"}");
        assertEquals(400, dup.statusCode());
        assertTrue(json(dup).get("error").asText().contains("you have a saved search named 'ANA'S DNS' already"), dup.body());
        HttpResponse<String> longName = send(web, ana, "POST", "/api/v1/saved-searches", "{\"name\": \"" + "n".repeat(201) + "\"}");
        assertEquals(400, longName.statusCode());
        assertTrue(json(longName).get("error").asText().contains("1 to 200 characters"), longName.body());
        assertEquals(201, send(web, ana, "POST", "/api/v1/saved-searches", "{\"name\": \"" + "n".repeat(200) + "\"}").statusCode());
        HttpResponse<String> badQuery = send(web, ana, "POST", "/api/v1/saved-searches", "{\"name\": \"bad\", \"query\": \"type:dns AND (\"}");
        assertEquals(400, badQuery.statusCode());
        assertTrue(json(badQuery).has("column"), badQuery.body());
        HttpResponse<String> badFrom = send(web, ana, "POST", "/api/v1/saved-searches", "{\"name\": \"bad\", \"from\": \"yesterday\"}");
        assertEquals(400, badFrom.statusCode());
        assertTrue(json(badFrom).get("error").asText().contains("'from'"), badFrom.body());
        assertEquals(400, send(web, ana, "POST", "/api/v1/saved-searches", "{\"query\": \"x\"}").statusCode());
        assertEquals(400, send(web, ana, "POST", "/api/v1/saved-searches", "{\"name\": \"x\", \"shared\": \"yes\"}").statusCode());

        assertEquals(403, send(web, SavedSearchFixture.token(web, "rita"), "DELETE", "/api/v1/saved-searches/" + id, null).statusCode(),
                "rita sees the shared search but it is not hers");
        assertEquals(204, send(web, ana, "DELETE", "/api/v1/saved-searches/" + id, null).statusCode());
        assertEquals(404, send(web, ana, "GET", "/api/v1/saved-searches/" + id, null).statusCode());
        List<String> audit = web.server().access().audit().list(AuditTrail.Filter.ALL, 0, 200).stream()
                .map(e -> e.event().actor() + " " + e.event().action()).toList();
        assertTrue(audit.contains("ana saved-search.create") && audit.contains("ana saved-search.delete")
                && audit.contains("rita access.denied"), audit.toString());
    }

    @Test
    void aSearchOfAnEndpointOutsideOnesGroups_isNotFound_exactlyLikeOneThatNeverExisted() throws Exception {
        long shared = create(admin, "{\"name\": \"shared test-endpoint search\", \"query\": \"type:dns\", \"endpoint\": \"" + EP + "\","
                + " \"shared\": true}");
        assertTrue(json(send(web, ana, "GET", "/api/v1/saved-searches", null)).toString().contains("shared test-endpoint search"));
        assertEquals(303, send(web, ana, "GET", "/saved-searches/" + shared, null).statusCode(), "ana may see the endpoint");

        String halList = send(web, hal, "GET", "/api/v1/saved-searches", null).body();
        assertFalse(halList.contains("shared test-endpoint search") || halList.contains(EP), halList);
        HttpResponse<String> seen = send(web, hal, "GET", "/api/v1/saved-searches/" + shared, null);
        HttpResponse<String> never = send(web, hal, "GET", "/api/v1/saved-searches/99999", null);
        assertEquals(404, seen.statusCode());
        assertEquals(never.body().replace("99999", "ID"), seen.body().replace(String.valueOf(shared), "ID"));
        assertFalse(seen.body().contains(EP));
        assertEquals(404, send(web, hal, "GET", "/saved-searches/" + shared, null).statusCode());
        assertEquals(404, send(web, hal, "DELETE", "/api/v1/saved-searches/" + shared, null).statusCode());
        HttpResponse<String> create = send(web, hal, "POST", "/api/v1/saved-searches",
                "{\"name\": \"sneaky\", \"query\": \"\", \"endpoint\": \"" + EP + "\"}");
        assertEquals(404, create.statusCode(), "saving for an endpoint one may not see: it does not exist");
        try (WebTestSupport browser = web.anotherBrowser().signIn("hal", SavedSearchFixture.PW)) {
            String page = browser.get("/saved-searches").body();
            assertFalse(page.contains("shared test-endpoint search") || page.contains(EP), page);
        }
    }

    @Test
    void hostileNames_areShownAsText() throws Exception {
        String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
        create(admin, JSON.writeValueAsString(Map.of("name", hostile, "query", "user:\"<b>\"", "endpoint", EP)));
        try (WebTestSupport browser = web.anotherBrowser().signIn()) {
            String page = browser.get("/saved-searches").body();
            assertFalse(page.contains("<script>alert(1)") || page.contains("<img src=x"), "no markup from a name");
            assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
            assertTrue(page.contains("&lt;b&gt;"), "nor from a query");
        }
    }

    @Test
    void renameFromThePage_byTheOwner_andNotByAnotherUser() throws Exception {
        long id = create(ana, "{\"name\": \"to rename\", \"query\": \"type:image\", \"endpoint\": \"" + EP + "\", \"shared\": true}");
        try (WebTestSupport browser = web.anotherBrowser().signIn("rita", SavedSearchFixture.PW)) {
            assertFalse(browser.get("/saved-searches").body().contains("/saved-searches/" + id + "/rename"), "no form for rita");
            HttpResponse<String> refused = browser.postForm("/saved-searches/" + id + "/rename", Map.of("_csrf", browser.csrf(), "name", "mine"));
            assertEquals(403, refused.statusCode());
            assertTrue(refused.body().contains("Only its owner (ana) or an administrator may rename this saved search."), refused.body());
            assertFalse(refused.body().contains("change your role"), "no role would allow it: " + refused.body());
        }
        try (WebTestSupport browser = web.anotherBrowser().signIn("ana", SavedSearchFixture.PW)) {
            assertEquals(303, browser.postForm("/saved-searches/" + id + "/rename", Map.of("_csrf", browser.csrf(), "name", "renamed")).statusCode());
            HttpResponse<String> blank = browser.postForm("/saved-searches/" + id + "/rename", Map.of("_csrf", browser.csrf(), "name", " "));
            assertEquals(400, blank.statusCode());
            assertTrue(blank.body().contains("1 to 200 characters"), blank.body());
        }
        assertEquals("renamed", json(send(web, ana, "GET", "/api/v1/saved-searches/" + id, null)).get("name").asText());
        try (WebTestSupport browser = web.anotherBrowser().signIn()) {
            assertEquals(303, browser.postForm("/saved-searches/" + id + "/delete", Map.of("_csrf", browser.csrf())).statusCode(),
                    "an administrator deletes any");
        }
        assertEquals(404, send(web, ana, "GET", "/api/v1/saved-searches/" + id, null).statusCode());
    }
}
