package trailhound.web.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.process.ProcessPagesTest.treeItems;
import static trailhound.web.process.ProcessPagesTest.unescape;
import static trailhound.web.process.TreeFixture.ENDPOINT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.store.AuditTrail;
import trailhound.web.WebTestSupport;

/** The process tree's ancestry, "+N more" paging and counts, in the page, its fragments and the API. */
class ProcessTreePagesTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern MORE = Pattern.compile("<a class=\"more-link\" href=\"[^\"]*\" hx-get=\"([^\"]*)\"");

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        TreeFixture.write(web.data());
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    private static String page(String key) {
        return "/endpoints/" + ENDPOINT + "/process/" + key;
    }

    private static JsonNode api(String path) throws Exception {
        var r = web.get("/api/v1/endpoints/" + ENDPOINT + "/process/" + path);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void page_deepProcess_showsItsAncestryUpToTheRoot() throws Exception {
        List<String> items = treeItems(web.get(page("gg0")).body());

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < TreeFixture.CHAIN; i++) expected.add("ancestor:c" + i);
        expected.addAll(List.of("ancestor:k00", "ancestor:g0", "self:gg0", "child:ggg0"));
        assertEquals(expected, items.subList(0, expected.size()));
        assertEquals(items.size(), expected.size(), "ancestors' other children stay behind '+N more': " + items);
    }

    @Test
    void page_descendants_threeLevelsLoadedTheFourthBehindItsToggle() throws Exception {
        String html = web.get(page("c7")).body();

        List<String> items = treeItems(html);
        assertTrue(items.containsAll(List.of("child:k00", "child:g0", "child:gg0")), items.toString());
        assertFalse(items.contains("child:ggg0"), "a fourth level is loaded when opened");
        assertTrue(html.contains("data-src=\"/endpoints/" + ENDPOINT + "/process/gg0/children?offset=0&amp;limit=20\" hidden"), html);
        String opened = web.get(page("gg0") + "/children?offset=0&limit=20").body();
        assertEquals(List.of("child:ggg0"), treeItems(opened));
    }

    @Test
    void more_followedFromThePage_reachesEveryPeerExactlyOnce() throws Exception {
        String html = web.get(page("k20")).body();
        Set<String> seen = new HashSet<>();
        int pages = 1;
        for (String item : treeItems(html)) {
            if (item.startsWith("peer:")) assertTrue(seen.add(item.substring(5)), item);
        }
        String next = more(html);
        while (next != null) {
            var r = web.get(next);
            assertEquals(200, r.statusCode());
            for (String item : treeItems(r.body())) assertTrue(seen.add(item.substring(item.indexOf(':') + 1)), "twice: " + item);
            next = more(r.body());
            pages++;
        }
        Set<String> expected = new TreeSet<>(TreeFixture.peers());
        expected.remove("k20");
        assertEquals(expected, new TreeSet<>(seen));
        assertEquals(3, pages, "44 peers in pages of 20");
        assertTrue(web.server().access().audit().list(new AuditTrail.Filter(null, "process.children", null, null, null), 0, 100)
                .stream().anyMatch(x -> x.event().detail().startsWith("c7 offset 20")), "paging is audited");
    }

    @Test
    void api_childrenPages_reachEveryPeerExactlyOnce() throws Exception {
        Set<String> seen = new HashSet<>();
        JsonNode page = api("c7/children?limit=7&exclude=k03");
        int pages = 1;
        while (true) {
            assertEquals(TreeFixture.PEERS - 1, page.get("total").asInt());
            page.get("nodes").forEach(n -> assertTrue(seen.add(n.get("key").asText()), n.get("key").asText()));
            if (page.get("next_offset").isNull()) break;
            page = api("c7/children?limit=7&exclude=k03&offset=" + page.get("next_offset").asInt());
            pages++;
        }
        assertEquals(7, pages);
        assertEquals(TreeFixture.PEERS - 1, seen.size());
        assertFalse(seen.contains("k03"));
        assertEquals(400, web.get("/api/v1/endpoints/" + ENDPOINT + "/process/c7/children?offset=-1").statusCode());
    }

    @Test
    void api_process_ancestryDescendantsAndCounts() throws Exception {
        JsonNode j = api("k00?levels=2&children_limit=5");

        List<String> ancestry = new ArrayList<>();
        j.get("ancestry").forEach(n -> ancestry.add(n.get("key").asText()));
        assertEquals(List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"), ancestry);
        JsonNode peers = j.get("peers_page");
        assertEquals(TreeFixture.PEERS - 1, peers.get("total").asInt());
        assertEquals(5, peers.get("nodes").size());
        assertEquals(5, peers.get("next_offset").asInt());
        JsonNode g0 = j.get("descendants").get("nodes").get(0);
        assertEquals("g0", g0.get("key").asText());
        assertEquals("gg0", g0.get("children").get("nodes").get(0).get("key").asText());
        assertTrue(g0.get("children").get("nodes").get(0).get("children").isNull(), "two levels");
        assertEquals(1, g0.get("children").get("nodes").get(0).get("counts").get("children").asInt());
        assertEquals(TreeFixture.PEERS, j.get("ancestry").get(7).get("counts").get("children").asInt());
        assertEquals(2, j.get("counts").get("events").asInt());
    }

    /** Issue #14: a busy parent's every child was described on each load; the lists are the first page now. */
    @Test
    void api_process_peersListBoundedToTheFirstPage() throws Exception {
        JsonNode j = api("k00?children_limit=5");

        List<String> listed = new ArrayList<>();
        j.get("peers").forEach(n -> listed.add(n.get("key").asText()));
        List<String> firstPage = new ArrayList<>();
        j.get("peers_page").get("nodes").forEach(n -> firstPage.add(n.get("key").asText()));
        assertEquals(5, listed.size(), "of " + (TreeFixture.PEERS - 1) + " peers");
        assertEquals(firstPage, listed);
    }

    @Test
    void counts_perNode_equalCountSearches() throws Exception {
        JsonNode j = api("g0?levels=2");
        List<JsonNode> nodes = new ArrayList<>();
        j.get("ancestry").forEach(nodes::add);
        j.get("descendants").get("nodes").forEach(n -> {
            nodes.add(n);
            n.get("children").get("nodes").forEach(nodes::add);
        });
        assertEquals(TreeFixture.CHAIN + 1 + 2, nodes.size());
        nodes.add(JSON.createObjectNode().put("key", "g0").set("counts", j.get("counts")));
        for (JsonNode n : nodes) {
            String key = n.get("key").asText();
            for (String type : List.of("file", "network", "registry", "process")) {
                String q = "process_key:\"" + key + "\" AND type:" + type;
                long expected = JSON.readTree(web.get("/api/v1/endpoints/" + ENDPOINT + "/count?q=" + WebTestSupport.enc(q)).body())
                        .get("total").asLong();
                JsonNode got = n.get("counts").get("by_type").get(type);
                assertEquals(expected, got == null ? 0 : got.asLong(), q);
            }
        }
    }

    private static String more(String html) {
        Matcher m = MORE.matcher(html);
        return m.find() ? unescape(m.group(1)) : null;
    }
}
