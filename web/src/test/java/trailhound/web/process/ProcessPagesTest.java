package trailhound.web.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.process.ProcessFixture.CMD;
import static trailhound.web.process.ProcessFixture.ENDPOINT;
import static trailhound.web.process.ProcessFixture.EXPLORER;
import static trailhound.web.process.ProcessFixture.NOTEPAD;
import static trailhound.web.process.ProcessFixture.ORPHAN;
import static trailhound.web.process.ProcessFixture.POWERSHELL;
import static trailhound.web.process.ProcessFixture.POWERSHELL_SHA256;
import static trailhound.web.process.ProcessFixture.WHOAMI;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import trailhound.web.WebTestSupport;

/** The process details page and its JSON twin against the real server on a random port. */
class ProcessPagesTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        ProcessFixture.write(web.data());
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    private static String page(String key) {
        return "/endpoints/" + ENDPOINT + "/process/" + key;
    }

    private static String api(String key) {
        return "/api/v1/endpoints/" + ENDPOINT + "/process/" + key;
    }

    @Test
    void page_processWithStartEvent_showsItsFactsAndMaliciousBadge() throws Exception {
        HttpResponse<String> r = web.get(page(POWERSHELL));

        assertEquals(200, r.statusCode());
        String html = r.body();
        assertTrue(html.contains("powershell.exe (PID 4321)"), html);
        assertTrue(html.contains("powershell.exe -nop -enc SQBFAFgA"));
        assertTrue(html.contains("<th>Parent command line</th>"));
        assertTrue(html.contains("C:\\Windows\\explorer.exe"));
        assertTrue(html.contains("2025-11-20T08:00:01.000Z"), "start in UTC");
        assertTrue(html.contains("2025-11-20T08:00:09.000Z"), "end in UTC");
        assertTrue(html.contains("CORP\\bob"));
        assertTrue(html.contains(POWERSHELL_SHA256));
        assertTrue(html.contains("class=\"verdict-badge verdict-malicious\" id=\"reputation-badge\" href=\"/reputation/" + POWERSHELL_SHA256 + "\""), html);
    }

    @Test
    void page_history_oneRowPerEventWithItsOperandOldestFirst() throws Exception {
        String html = web.get(page(POWERSHELL)).body();
        String table = html.substring(html.indexOf("id=\"process-history\""), html.indexOf("id=\"tab-events\""));

        List<String> operands = new ArrayList<>();
        Matcher m = Pattern.compile("<tr data-ts=\"[0-9]+\"><td class=\"ts\">([^<]+)</td><td>(.*?)</td>\\s*<td>(.*?)</td>\\s*<td>(.*?)</td></tr>",
                Pattern.DOTALL).matcher(table);
        while (m.find()) {
            operands.add(unpivot(m.group(2)) + "/" + unpivot(m.group(3)) + " " + unpivot(m.group(4).strip()));
        }
        assertTrue(table.contains("<span class=\"pv\" data-field=\"remote_ip\" data-value=\"203.0.113.7\">203.0.113.7:443</span>"),
                "the operand pivots on the field it comes from");

        assertEquals(List.of(
                "process/start powershell.exe -nop -enc SQBFAFgA",
                "file/create C:\\Users\\bob\\AppData\\Local\\Temp\\stage2.ps1",
                "network/connect 203.0.113.7:443",
                "dns/query evil.example.com",
                "registry/set_value HKU\\S-1-5-21\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\updater",
                "process/end <span class=\"missing\" title=\"this event carries no object (file, address, key...)\">?</span>"),
                operands.subList(0, 6));
        assertEquals(ProcessFixture.POWERSHELL_EVENTS, operands.size());
    }

    /** The text of a cell without the pivot menu's {@code <span class="pv" ...>} around it nor its line-break hints. */
    private static String unpivot(String cell) {
        return cell.replaceAll("<span class=\"pv\" data-field=\"[^\"]*\" data-value=\"[^\"]*\">(.*?)</span>", "$1").replace("<wbr>", "");
    }

    @Test
    void eventsFragment_everyFieldOfEveryEvent_timesInUtc() throws Exception {
        HttpResponse<String> r = web.get(page(POWERSHELL) + "/events");

        assertEquals(200, r.statusCode());
        String html = r.body().replace("<wbr>", ""); // line-break hints inside long values (search/value.jte)
        assertEquals(ProcessFixture.POWERSHELL_EVENTS, html.split("<details class=\"event\">", -1).length - 1);
        assertTrue(html.contains("<dt>ts</dt><dd>2025-11-20T08:00:04.000Z</dd>"), html);
        assertTrue(html.contains("<dt>remote_ip</dt><dd><span class=\"pv\" data-field=\"remote_ip\" data-value=\"203.0.113.7\">203.0.113.7</span></dd>"));
        assertTrue(html.contains("<dt>event_uid</dt><dd><span class=\"pv\" data-field=\"event_uid\" data-value=\"e5\">e5</span></dd>"));
    }

    @Test
    void page_timelineAndTree_carryEveryEventAndTheFamily() throws Exception {
        String html = web.get(page(POWERSHELL)).body();
        JsonNode timeline = JSON.readTree(unescape(WebTestSupport.find(html, "data-events=\"([^\"]*)\"")));

        assertEquals(ProcessFixture.POWERSHELL_EVENTS, timeline.size());
        assertEquals("network", timeline.get(2).get("type").asText());
        assertEquals("evt-network", timeline.get(2).get("css").asText());
        assertEquals("203.0.113.7:443", timeline.get(2).get("operand").asText());
        assertEquals(List.of("ancestor:" + EXPLORER, "self:" + POWERSHELL, "child:" + CMD, "child:" + WHOAMI, "peer:" + NOTEPAD),
                treeItems(html), "the root, the process under it with its children, then its peer");
        assertTrue(html.contains("<a class=\"tree-label\" href=\"/endpoints/" + ENDPOINT + "/process/" + CMD + "\""), html);
        assertTrue(html.contains("<span class=\"tree-verdict verdict-malicious\" title=\"Malicious\">"), "powershell's hash is listed malicious");
        assertTrue(html.contains("<span class=\"tree-verdict verdict-suspicious\" title=\"Suspicious\">"), "cmd's is suspicious");
    }

    @Test
    void page_processWithoutStartEvent_questionMarksSayWhy() throws Exception {
        HttpResponse<String> r = web.get(page(ORPHAN));

        assertEquals(200, r.statusCode());
        String html = r.body();
        assertTrue(html.contains("<th>Start (UTC)</th>\n        <td><span class=\"missing\" title=\"" + ProcessModels.NO_START + "\">?</span>"), html);
        assertTrue(html.contains("<th>End (UTC)</th>\n        <td><span class=\"missing\" title=\"" + ProcessModels.NO_END + "\">?</span>"));
        assertTrue(html.contains("<th>Parent command line</th>\n        <td><span class=\"missing\" title=\"" + ProcessModels.NO_PARENT + "\">?</span>"));
        assertTrue(html.contains("<th>Hash</th><td><span class=\"missing\" title=\"" + ProcessModels.NO_START + "\">?</span>"));
        assertEquals(List.of("ancestor:0f0e0d0c-0000-0000-0000-0000000000ff", "self:" + ORPHAN), treeItems(html));
        String root = html.substring(html.indexOf("data-key=\"0f0e0d0c-0000-0000-0000-0000000000ff\""), html.indexOf("data-key=\"" + ORPHAN + "\""));
        assertFalse(root.contains("<a class=\"tree-label\""), "a parent without events is not a link");
        assertTrue(root.contains(ProcessModels.NO_PARENT));
    }

    @Test
    void api_process_sameFactsAsJsonWithUtcTimes() throws Exception {
        HttpResponse<String> r = web.get(api(POWERSHELL));

        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode j = JSON.readTree(r.body());
        assertEquals(ENDPOINT, j.get("endpoint").asText());
        assertEquals("powershell.exe -nop -enc SQBFAFgA", j.get("process").get("command_line").asText());
        assertEquals(4321, j.get("process").get("pid").asLong());
        assertEquals("2025-11-20T08:00:01.000Z", j.get("process").get("start").asText());
        assertEquals("2025-11-20T08:00:09.000Z", j.get("process").get("end").asText());
        assertEquals(EXPLORER, j.get("parent").get("key").asText());
        assertTrue(j.get("parent_recorded").asBoolean());
        assertEquals(2, j.get("children").size());
        assertEquals(NOTEPAD, j.get("peers").get(0).get("key").asText());
        assertEquals("malicious", j.get("reputation").get("verdict").asText());
        assertEquals(ProcessFixture.POWERSHELL_EVENTS, j.get("history_total").asLong());
        assertEquals("2025-11-20T08:00:04.000Z", j.get("history").get(2).get("event").get("ts").asText());
        assertEquals("dns", j.get("history").get(3).get("type").asText());
    }

    @Test
    void api_limit_cutsTheHistoryButKeepsTheTotal() throws Exception {
        JsonNode j = JSON.readTree(web.get(api(POWERSHELL) + "?limit=2").body());

        assertEquals(2, j.get("history").size());
        assertEquals(ProcessFixture.POWERSHELL_EVENTS, j.get("history_total").asLong());
    }

    @Test
    void api_badLimit_400WithMessage() throws Exception {
        HttpResponse<String> r = web.get(api(POWERSHELL) + "?limit=lots");

        assertEquals(400, r.statusCode());
        assertEquals("limit must be a whole number from 0 to 10000, was 'lots'", JSON.readTree(r.body()).get("error").asText());
    }

    @Test
    void page_unknownProcess_404Page() throws Exception {
        HttpResponse<String> r = web.get(page("no-such-process"));

        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("no process 'no-such-process' on endpoint 'ws-01'"), r.body());
        assertTrue(r.body().contains("events grid"), r.body());
        assertFalse(r.body().contains("Exception"));
    }

    @Test
    void api_unknownProcess_404SaysWhereAnApiClientFindsKeys() throws Exception {
        HttpResponse<String> r = web.get(api("no-such-process"));

        assertEquals(404, r.statusCode());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.startsWith("no process 'no-such-process' on endpoint 'ws-01': "), error);
        assertTrue(error.contains("GET /api/v1/endpoints/ws-01/search"), error);
        assertFalse(error.contains("grid") || error.contains("trailhound"), "no page or command-line advice to an API client: " + error);
    }

    @Test
    void api_unknownEndpoint_404Json() throws Exception {
        HttpResponse<String> r = web.get("/api/v1/endpoints/nowhere/process/" + POWERSHELL);

        assertEquals(404, r.statusCode());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.contains("nowhere"), r.body());
        assertFalse(error.contains("trailhound"), "no command-line advice to an API client: " + error);
        assertTrue(error.endsWith(": GET /api/v1/endpoints lists the endpoints you may see"), error);
    }

    @Test
    void page_notSignedIn_sentToSignIn() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(web.server().url() + page(POWERSHELL))).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(302, r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElse("").startsWith("/login?next="));
    }

    /** role:key of each process of the tree, in document order. */
    static List<String> treeItems(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<li class=\"tree-item role-(\\w+)\" data-key=\"([^\"]+)\"").matcher(html);
        while (m.find()) out.add(m.group(1) + ":" + m.group(2));
        return out;
    }

    /** Undoes jte's attribute escaping. */
    static String unescape(String attribute) {
        return attribute.replace("&#34;", "\"").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
