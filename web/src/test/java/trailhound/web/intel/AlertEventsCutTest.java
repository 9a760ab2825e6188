package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;

/**
 * An alert of more events than its grid link can name says so on the Alerts page, with where all of them are
 * (try-out: an alert of 3,000 events opened the grid on 200 with no mention).
 */
class AlertEventsCutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void alertOfMoreEventsThanTheLinkNames_saysHowManyOfHowMany_andLinksTheRulesEvents() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            String e = WebTestSupport.ENDPOINT;
            long small = web.server().access().alerts().raise(e, "policy", 7, "Few", List.of("u-1", "u-2")).orElseThrow().id();
            List<String> uids = new ArrayList<>();
            for (int i = 0; i < AlertPages.LINKED_EVENTS + 50; i++) uids.add("uid-" + i);
            long big = web.server().access().alerts().raise(e, "policy", 8, "Many \"quoted\"", uids).orElseThrow().id();

            String page = web.get("/alerts").body();
            String bigRow = WebTestSupport.find(page, "(?s)(<tr class=\"alert-row[^\"]*\" data-id=\"" + big + "\">.*?</tr>)");
            String note = WebTestSupport.find(bigRow, "(?s)class=\"hint alert-events-cut\">(.*?)</small>").replaceAll("\\s+", " ");
            assertTrue(note.contains("the link opens the first " + AlertPages.LINKED_EVENTS + " of " + uids.size()), note);
            String all = WebTestSupport.find(bigRow, "href=\"([^\"]*)\" class=\"alert-rule-events\"").replace("&amp;", "&");
            assertEquals("type:policy AND policy:\"Many \\\"quoted\\\"\"",
                    java.net.URLDecoder.decode(all.substring(all.indexOf("q=") + 2), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(200, web.get(all).statusCode(), "the grid of all of them opens");
            String smallRow = WebTestSupport.find(page, "(?s)(<tr class=\"alert-row[^\"]*\" data-id=\"" + small + "\">.*?</tr>)");
            assertFalse(smallRow.contains("alert-events-cut"), "no note when the link names them all");
            assertEquals(uids.size(), JSON.readTree(web.get("/api/v1/alerts?rule_kind=policy&rule_id=8").body()).path("alerts").get(0)
                    .path("event_uids").size(), "the API lists every uid");
        }
    }
}
