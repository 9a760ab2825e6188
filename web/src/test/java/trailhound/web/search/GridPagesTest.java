package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.ENDPOINT;
import static trailhound.web.WebTestSupport.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Field;
import trailhound.web.WebTestSupport;

/**
 * The events grid over HTTP: chosen columns, sort both ways, page size, position and the page past
 * the last, expanded rows, the pivot attributes on every value, hostile values, and the same
 * parameters in the JSON API.
 */
class GridPagesTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GRID = "/endpoints/" + ENDPOINT + "/events";

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        HostileGridFixture.write(web.data());
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static String ok(String path) throws Exception {
        HttpResponse<String> r = web.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static String href(String html, String id) {
        return WebTestSupport.find(html, "<a href=\"([^\"]*)\" id=\"" + id + "\"").replace("&amp;", "&");
    }

    private static List<String> all(String html, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static List<String> uids(String html) {
        return all(html, "<tr class=\"event-row\" data-uid=\"([^\"]+)\"");
    }

    private static List<String> headers(String html) {
        String head = WebTestSupport.find(html, "(?s)<table class=\"grid\" id=\"events\">\\s*<thead>(.*?)</thead>");
        return all(head, "<th[^>]*data-field=\"([^\"]*)\"");
    }

    /** Every uid of the search, following Next from {@code first}; fails on a page seen twice. */
    private static List<String> walk(String first) throws Exception {
        List<String> seen = new ArrayList<>();
        String html = ok(first);
        for (int pages = 0; pages < 20; pages++) {
            seen.addAll(uids(html));
            if (!html.contains("id=\"page-next\"")) return seen;
            html = ok(href(html, "page-next"));
        }
        throw new AssertionError("more than 20 pages");
    }

    @Test
    void cols_chosen_showsTimeThenThoseColumns_andEveryLinkKeepsThem() throws Exception {
        String cols = "process_name,command_line,user";
        String html = ok(GRID + "?q=" + enc("type:process") + "&cols=" + cols + "&size=50");
        assertEquals(List.of("ts", "process_name", "command_line", "user"), headers(html));
        assertTrue(html.contains("class=\"pv\" data-field=\"process_name\" data-value=\"powershell.exe\""), html);
        assertTrue(html.contains("class=\"pv\" data-field=\"user\" data-value=\"CORP\\bob\""), html);
        // the chooser shows them ticked, and the other fields unticked
        assertTrue(html.contains("name=\"cols\" value=\"command_line\" checked"), html);
        assertFalse(html.contains("name=\"cols\" value=\"file_path\" checked"), html);
        // sort links, the size form, the time picker and the query forms keep the columns
        for (String link : all(html, "<a href=\"([^\"]*)\" class=\"sort\"")) {
            assertTrue(link.replace("&amp;", "&").contains("cols=" + enc(cols)), link);
        }
        assertTrue(html.contains("<input type=\"hidden\" name=\"cols\" value=\"" + cols + "\">"), html);
        // the default columns (by event type) come back without cols
        String defaults = ok(href(html, "col-default"));
        assertEquals(List.of("ts", "type", "operation", "process_name", "pid", "user", "command_line", "parent_path",
                "hash_sha256", "target_process_path", "granted_access"), headers(defaults));
    }

    @Test
    void builderEdits_keepColumnsSortAndSize_startFromTheTop() throws Exception {
        String html = ok(GRID + "?q=" + enc("type:file AND process_name:powershell.exe") + "&cols=file_path&sort=ts&size=50&start=50");
        String remove = WebTestSupport.find(html, "<a class=\"remove\" href=\"([^\"]*)\"").replace("&amp;", "&");
        HttpResponse<String> edited = web.get(remove);
        assertEquals(302, edited.statusCode());
        String location = edited.headers().firstValue("Location").orElseThrow();
        assertTrue(location.contains("&cols=file_path&sort=ts&size=50") && !location.contains("start="), location);
    }

    @Test
    void cols_repeatedAsTheChooserSendsThem_sameAsCommaList() throws Exception {
        String html = ok(GRID + "?cols=dns_query&cols=dns_answer&q=" + enc("type:dns"));
        assertEquals(List.of("ts", "dns_query", "dns_answer"), headers(html));
        assertTrue(href(html, "col-default").contains("q=type%3Adns"));
    }

    @Test
    void badParameters_400SayingWhatWorks_neverA500() throws Exception {
        HttpResponse<String> unknown = web.get(GRID + "?cols=process_name,nosuch_field");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().replace("&#39;", "'").contains("The link asks for a column 'nosuch_field', which is no event field:"
                + " choose the columns again with the Columns chooser"), unknown.body());
        assertTrue(JSON.readTree(web.get("/api/v1" + GRID.replace("/events", "/search") + "?cols=nosuch_field").body())
                .get("error").asText().startsWith("unknown column 'nosuch_field' in cols"), "the API names the parameter");
        HttpResponse<String> hostile = web.get(GRID + "?cols=" + enc(HostileGridFixture.MARKUP));
        assertEquals(400, hostile.statusCode());
        assertFalse(hostile.body().contains("<script>alert"), hostile.body());
        HttpResponse<String> unsortable = web.get(GRID + "?sort=command_line");
        assertEquals(400, unsortable.statusCode());
        assertTrue(unsortable.body().contains("sortable fields are ts, type, process_name, pid, remote_port, process_key, event_uid"), unsortable.body());
        assertTrue(unsortable.body().contains("Click a column header to sort by it"), unsortable.body());
        HttpResponse<String> unknownSort = web.get(GRID + "?sort=-nosuch");
        assertEquals(400, unknownSort.statusCode());
        assertFalse(unknownSort.body().contains("leading"), "no address syntax on a page: " + unknownSort.body());
        assertTrue(unknownSort.body().replace("&#39;", "'").contains("The link asks to sort by 'nosuch', which the grid cannot"), unknownSort.body());
        assertEquals(400, web.get(GRID + "?size=7").statusCode());
        assertEquals(400, web.get(GRID + "?start=-1").statusCode());
        assertEquals(400, web.get(GRID + "?start=abc").statusCode());
        assertEquals(400, web.get(GRID + "?start=99999999999").statusCode(), "not a position (beyond int)");
    }

    /** Issue #14: a position beyond the depth pages reach was a 400 even when the search is small. */
    @Test
    void startBeyondTheDepth_smallSearch_pastTheLastPageWithTheLastOffered() throws Exception {
        for (String start : List.of("99999", "99999999")) {
            String past = ok(GRID + "?size=100&start=" + start);
            assertTrue(past.contains("There is no event at position " + String.format(java.util.Locale.ROOT, "%,d", Long.parseLong(start) + 1)
                    + ": this search has 150 events."), past);
            assertEquals("none of 150", WebTestSupport.find(past, "id=\"position\">([^<]*)<"));
            String last = ok(href(past, "page-last"));
            assertEquals("101-150 of 150", WebTestSupport.find(last, "id=\"position\">([^<]*)<"));
        }
        String one = ok("/endpoints/" + HostileGridFixture.ENDPOINT + "/events?start=5&q=" + enc("event_uid:h1"));
        assertTrue(one.contains("this search has 1 event."), one);
    }

    @Test
    void oldCursorLink_after_opensTheFirstPageAndSaysWhy() throws Exception {
        String html = ok(GRID + "?size=50&after=" + enc("1795046410000:e12"));
        assertTrue(html.contains("id=\"grid-notice\""), html);
        assertTrue(html.contains("opens at its first page"), html);
        assertEquals("1-50 of 150", WebTestSupport.find(html, "id=\"position\">([^<]*)<"));
        assertFalse(ok(GRID + "?size=50").contains("id=\"grid-notice\""));
    }

    @Test
    void badTypedQuery_onlyTheQuerysOwnError() throws Exception {
        for (String q : List.of("process_name:(", "ts:[bad TO now]")) {
            HttpResponse<String> r = web.get(GRID + "?q=" + enc(q));
            assertEquals(400, r.statusCode(), q);
            assertTrue(r.body().contains("id=\"query-error\""), r.body());
            assertFalse(r.body().contains("too complex"), q + ": the builder's view of a text that is no query: " + r.body());
        }
    }

    @Test
    void sort_bothDirections_pagesHoldExactlyTheUnsortedSet() throws Exception {
        List<String> unsorted = walk(GRID + "?size=50");
        assertEquals(WebTestSupport.TOTAL, unsorted.size());
        assertEquals(WebTestSupport.TOTAL, new HashSet<>(unsorted).size());
        for (String sort : List.of("ts", "-ts", "type", "-type", "process_key", "-process_key", "process_name", "-pid", "remote_port")) {
            List<String> sorted = walk(GRID + "?size=50&sort=" + enc(sort));
            assertEquals(WebTestSupport.TOTAL, sorted.size(), sort + ": no row repeated");
            assertEquals(new HashSet<>(unsorted), new HashSet<>(sorted), sort + ": no row skipped");
        }
        List<String> oldest = new ArrayList<>(walk(GRID + "?size=50&sort=ts"));
        java.util.Collections.reverse(oldest);
        assertEquals(unsorted, oldest, "oldest first is newest first reversed");
    }

    @Test
    void sort_byType_ordersTheCellsAndTheHeaderSaysSo() throws Exception {
        String asc = ok(GRID + "?sort=type&size=500");
        List<String> types = all(asc, "data-field=\"type\" data-value=\"([^\"]*)\"");
        assertEquals(WebTestSupport.TOTAL * 2, types.size(), "each row's cell and its expanded row");
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < types.size(); i += 2) cells.add(types.get(i));
        List<String> expected = new ArrayList<>(cells);
        expected.sort(null);
        assertEquals(expected, cells);
        assertTrue(asc.contains("aria-sort=\"ascending\" data-field=\"type\""), asc);
        assertTrue(asc.contains("id=\"order\">by Event type, A-Z<"), asc);
        // the header link turns it round
        String desc = ok(WebTestSupport.find(asc, "<a href=\"([^\"]*)\" class=\"sort\" title=\"Sort by Event type\"").replace("&amp;", "&"));
        assertTrue(desc.contains("aria-sort=\"descending\" data-field=\"type\""), desc);
        assertEquals("registry", WebTestSupport.find(desc, "data-field=\"type\" data-value=\"([^\"]*)\""));
    }

    @Test
    void pageSize_andPosition_previousAndNext() throws Exception {
        String first = ok(GRID + "?size=50");
        assertEquals(50, uids(first).size());
        assertEquals("1-50 of 150", WebTestSupport.find(first, "id=\"position\">([^<]*)<"));
        assertFalse(first.contains("id=\"page-prev\""));
        String second = ok(href(first, "page-next"));
        assertEquals("51-100 of 150", WebTestSupport.find(second, "id=\"position\">([^<]*)<"));
        assertTrue(href(second, "page-next").contains("size=50") && href(second, "page-next").contains("start=100"));
        String back = ok(href(second, "page-prev"));
        assertEquals(uids(first), uids(back));
        String third = ok(href(second, "page-next"));
        assertEquals("101-150 of 150", WebTestSupport.find(third, "id=\"position\">([^<]*)<"));
        assertFalse(third.contains("id=\"page-next\""));
        assertTrue(first.contains("<option value=\"50\" selected>50</option>"), first);
        String big = ok(GRID + "?size=200");
        assertEquals(150, uids(big).size());
        assertEquals("1-150 of 150", WebTestSupport.find(big, "id=\"position\">([^<]*)<"));
    }

    @Test
    void pastTheLastPage_saysSoAndOffersTheLast() throws Exception {
        String past = ok(GRID + "?size=50&start=500&q=" + enc("type:file"));
        assertTrue(past.contains("id=\"past-last\""), past);
        assertTrue(past.contains("There is no event at position 501: this search has 90 events."), past);
        assertEquals(0, uids(past).size());
        String last = ok(href(past, "page-last"));
        assertEquals("51-90 of 90", WebTestSupport.find(last, "id=\"position\">([^<]*)<"));
        assertEquals(40, uids(last).size());
        assertFalse(last.contains("id=\"past-last\""));
        // previous from past the end is the last page too
        assertEquals(href(past, "page-last"), href(past, "page-prev"));
        // nothing matching at all is not "past the last"
        String none = ok(GRID + "?start=100&q=" + enc("type:nosuchtype"));
        assertFalse(none.contains("id=\"past-last\""), none);
        assertTrue(none.contains("No events match."), none);
    }

    @Test
    void expandedRow_holdsEveryFieldOfTheEvent_eachWithPivotAndCopy() throws Exception {
        String html = ok(GRID + "?q=" + enc("type:registry") + "&size=50");
        String detail = WebTestSupport.find(html, "(?s)<tr class=\"event-detail\" hidden>(.*?)</tr>");
        List<String> fields = all(detail, "class=\"pv\" data-field=\"([^\"]*)\"");
        // the time has a copy button but no pivot (Pivot.of: a millisecond is no filter anyone means)
        assertEquals(List.of("endpoint", "event_uid", "type", "operation", "process_key", "pid", "process_path",
                "process_name", "command_line", "user", "hash_sha256", "signature", "signature_status", "parent_key",
                "ppid", "parent_path", "parent_command_line", "source", "registry_key", "registry_value_name", "registry_value_data", "cwd"), fields);
        assertEquals(fields.size() + 1, detail.split("class=\"copy\"", -1).length - 1, "a copy button per field, the time's too");
        assertTrue(detail.contains("data-field=\"registry_value_data\" data-value=\"rundll32.exe drop6.dll\""), detail);
        assertTrue(detail.contains("<span class=\"ts-value\" data-field=\"ts\" data-value=\"2026-11-19T00:02:29.000Z\">"), detail);
    }

    @Test
    void objectColumn_mixedPage_eachPartKeepsItsField() throws Exception {
        String html = ok(GRID + "?q=" + enc("type:network OR type:registry"));
        assertTrue(html.contains("data-field=\"remote_ip\" data-value=\"93.184.216.25\""), html);
        assertTrue(html.contains(":<span class=\"pv\" data-field=\"remote_port\" data-value=\"8443\">"), html);
        assertTrue(html.contains("\\<span class=\"pv\" data-field=\"registry_value_name\" data-value=\"updater6\">"), html);
    }

    @Test
    void hostileValues_escapedEverywhere_longOnesTruncatedWithMore() throws Exception {
        String all = String.join(",", Field.all().stream().map(Field::canonicalName).toList());
        String html = ok("/endpoints/" + HostileGridFixture.ENDPOINT + "/events?cols=" + all + "&q=" + enc("NOT type:\"<b>\"")
                + "&sort=" + enc("-process_key"));
        assertFalse(html.contains("<script>alert"), "no markup from a value");
        assertFalse(html.contains("<img src=x"), "no markup from a value");
        assertFalse(html.contains("<b>bold"), "no markup from a value");
        // in attributes jte escapes " ' & and <, which is all a quoted attribute needs
        String markup = "&#34;>&lt;script>alert(&#39;pwned&#39;)&lt;/script>&lt;img src=x onerror=alert(1)>";
        assertTrue(html.contains("data-field=\"process_name\" data-value=\"" + markup + "\""), html);
        // formula prefixes shown as they are: this is evidence, and no spreadsheet reads the page
        assertTrue(html.contains("data-field=\"user\" data-value=\"=cmd|&#39; /c calc&#39;!A1\""), html);
        assertTrue(html.contains("data-field=\"user\" data-value=\"+SUM(1,2)\""), html);
        assertTrue(html.contains("data-field=\"registry_value_name\" data-value=\"@SUM(1+1)\""), html);
        // a long value: the whole of it in data-value, 200 characters shown, "more" for the rest, breaks after separators
        String path = HostileGridFixture.LONG_PATH;
        assertTrue(html.contains("data-field=\"file_path\" data-value=\"" + path + "\""), "whole value kept for pivot and copy");
        String shown = WebTestSupport.find(html, "data-field=\"file_path\" data-value=\"[^\"]*\">(.*?)</span>");
        assertTrue(shown.contains("\\<wbr>deeply-nested-folder\\<wbr>"), shown);
        assertEquals(CellValue.SHOWN + 1, shown.replace("<wbr>", "").length(), "200 characters and an ellipsis");
        assertTrue(html.contains("</span><button type=\"button\" class=\"more\""), html);
        // hostile text in the query box and the links
        assertTrue(html.contains("value=\"NOT type:&#34;&lt;b>&#34;\""), html);
    }

    @Test
    void api_sortStartCols_asInTheGrid() throws Exception {
        String api = "/api/v1/endpoints/" + ENDPOINT + "/search";
        JsonNode first = JSON.readTree(ok(api + "?q=" + enc("type:dns") + "&sort=ts&start=0&limit=5&cols=ts,dns_query"));
        assertEquals(12, first.get("total").asLong());
        assertEquals("ts", first.get("sort").asText());
        assertEquals(0, first.get("start").asInt());
        JsonNode e0 = first.get("events").get(0);
        assertEquals(List.of("ts", "dns_query"), iterable(e0));
        assertEquals("host0.example.com", e0.get("dns_query").asText());
        List<String> byStart = new ArrayList<>();
        for (int start = 0; start < 12; start += 5) {
            JsonNode page = JSON.readTree(ok(api + "?q=" + enc("type:dns") + "&sort=-ts&limit=5&cols=dns_query&start=" + start));
            page.get("events").forEach(e -> byStart.add(e.get("dns_query").asText()));
        }
        assertEquals(12, byStart.size());
        assertEquals("host11.example.com", byStart.get(0));
        assertEquals("host0.example.com", byStart.get(11));
        HttpResponse<String> cursorAndSort = web.get(api + "?sort=ts&after=" + enc(first.get("next") == null || first.get("next").isNull()
                ? "1:x" : first.get("next").asText()));
        assertEquals(400, cursorAndSort.statusCode());
        assertTrue(cursorAndSort.body().contains("page by start"), cursorAndSort.body());
        HttpResponse<String> badCols = web.get(api + "?cols=nope");
        assertEquals(400, badCols.statusCode());
        assertTrue(JSON.readTree(badCols.body()).toString().contains("unknown column 'nope'"), badCols.body());
    }

    private static List<String> iterable(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
