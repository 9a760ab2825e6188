package trailhound.web.pivot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.enc;
import static trailhound.web.pivot.PivotFixture.DC;
import static trailhound.web.pivot.PivotFixture.FILES;
import static trailhound.web.pivot.PivotFixture.FILE_EVENTS;
import static trailhound.web.pivot.PivotFixture.HASH;
import static trailhound.web.pivot.PivotFixture.SECRET;
import static trailhound.web.pivot.PivotFixture.WS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;

/**
 * The pivot contract in the pages, filter for / out through the builder, the hunt pivot and the
 * links to other endpoints, over HTTP against the real server (admin, and analyst {@code ana} who
 * sees {@value PivotFixture#WS} and {@value PivotFixture#DC} but not {@value PivotFixture#SECRET}).
 */
class PivotPagesTest {
    @TempDir
    static Path dir;

    static WebTestSupport admin;
    static WebTestSupport ana;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        admin = WebTestSupport.start(dir).signIn();
        PivotFixture.addEndpoints(admin, dir);
        PivotFixture.addUsers(admin);
        ana = admin.anotherBrowser().signIn("ana", PivotFixture.PW);
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) admin.close();
    }

    @Test
    void grid_everyValueCellCarriesTheContract_withTheRawValueEscaped() throws Exception {
        HttpResponse<String> grid = admin.get("/endpoints/" + WS + "/events?q=" + enc("type:file"));
        assertEquals(200, grid.statusCode());
        String html = grid.body();
        assertEquals(new TreeSet<>(FILES.keySet()), new TreeSet<>(attributeValues(html, "file_path")));
        assertTrue(attributeValues(html, "process_name").contains("h.exe"), "the common columns pivot too");
        assertTrue(attributeValues(html, "user").contains(PivotFixture.HOSTILE_USER));
        assertFalse(html.contains("<script>window.__pwned"), "markup in a value is escaped");
        assertFalse(html.contains("<img src=x"), "markup in a value is escaped");
        assertTrue(html.contains("data-ts=\"" + (PivotFixture.T0 + 82_000) + "\""), "rows carry their time for the links");
        assertTrue(html.contains("<script src=\"/js/pivot.js\"></script>"));
    }

    @Test
    void filterFor_eachHostileValue_findsExactlyItsEvents_andFilterOutTheRest() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String value : PivotFixture.HOSTILE_VALUES) {
            long n = FILES.get(value);
            String forText = filtered("type:file", "file_path", "EQUALS", value);
            String outText = filtered("type:file", "file_path", "NOT_EQUALS", value);
            long forCount = count(admin, WS, forText);
            long outCount = count(admin, WS, outText);
            if (!forText.startsWith("type:file AND file_path:")) wrong.add("not a builder row: " + forText);
            if (forCount != n) wrong.add("filter for " + value + " -> " + forText + " found " + forCount + ", expected " + n);
            if (outCount != FILE_EVENTS - n) wrong.add("filter out " + value + " -> " + outText + " found " + outCount);
            // the grid the redirect leads to shows the same count
            HttpResponse<String> grid = admin.get("/endpoints/" + WS + "/events?q=" + enc(forText));
            if (!grid.body().contains("id=\"result-count\">" + n + "<")) wrong.add("grid for " + forText + " does not show " + n);
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void filterFor_aQueryTooComplexForTheBuilder_isJoinedToTheWholeQuery() throws Exception {
        String value = "C:\\a \"quoted\" b\\*.txt";
        String text = filtered("(type:file OR type:network) AND NOT process_name:nothing.exe", "file_path", "EQUALS", value);
        assertTrue(text.startsWith("((type:file OR type:network) AND NOT process_name:nothing.exe) AND file_path:"), text);
        assertEquals(3, count(admin, WS, text));
        assertEquals(FILE_EVENTS + 3 - 3, count(admin, WS, filtered("type:file OR type:network", "file_path", "NOT_EQUALS", value)));
    }

    @Test
    void filterFor_numbersAndAddresses_includingIpv6() throws Exception {
        assertEquals(1, count(admin, WS, filtered("type:network", "remote_ip", "EQUALS", PivotFixture.IPV6)));
        assertEquals(2, count(admin, WS, filtered("type:network", "remote_ip", "NOT_EQUALS", PivotFixture.IPV6)));
        assertEquals(1, count(admin, WS, filtered("", "remote_ip", "EQUALS", PivotFixture.DC_IP)));
        assertEquals(2, count(admin, WS, filtered("", "pid", "EQUALS", "100")), "the PsExec start and its connection");
        assertEquals(3, count(admin, WS, filtered("type:network", "remote_port", "EQUALS", "445")));
        assertEquals(FILE_EVENTS, count(admin, WS, filtered("", "type", "EQUALS", "file")));
    }

    @Test
    void filterFor_keepsTheTimeWindowAndSnapshot() throws Exception {
        String from = Instant.ofEpochMilli(PivotFixture.T0 + 84_000).toString();
        HttpResponse<String> r = admin.get("/endpoints/" + WS + "/events/builder?q=&from=" + enc(from)
                + "&action=narrow&parameter=user&operand=EQUALS&value=" + enc(PivotFixture.HOSTILE_USER));
        assertEquals(302, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.contains("from=" + enc(from)), location);
        assertEquals(FILE_EVENTS - 2, count(admin, WS, query(location), from), "the files from the window's start");
    }

    @Test
    void huntPivot_hashOverEveryEndpointTheCallerSees_keepsTheWindow() throws Exception {
        HttpResponse<String> r = ana.get("/hunt/pivot?field=hash_sha256&value=" + HASH + "&from=2026-11-18T00:00:00Z&to=2026-11-20T00:00:00Z");
        assertEquals(302, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/hunt?q=" + enc("hash:" + HASH) + "&from="), location);
        assertTrue(location.endsWith("&to=" + enc("2026-11-20T00:00:00Z")), location);

        JsonNode hunt = JSON.readTree(ana.get("/api/v1/hunt?q=" + enc("hash:" + HASH)).body());
        assertEquals(Map.of(WS, 2L, DC, 1L), counts(hunt), "the analyst's two endpoints; never " + SECRET);
        JsonNode all = JSON.readTree(admin.get("/api/v1/hunt?q=" + enc("hash:" + HASH)).body());
        assertEquals(Map.of(WS, 2L, DC, 1L, SECRET, 2L), counts(all));

        // hostile values are one exact value in the hunt too; addresses are looked for as local or remote
        for (String user : List.of(PivotFixture.HOSTILE_USER)) {
            String q = query(admin.get("/hunt/pivot?field=user&value=" + enc(user)).headers().firstValue("Location").orElseThrow());
            assertEquals(Map.of(WS, (long) FILE_EVENTS + 1), counts(JSON.readTree(admin.get("/api/v1/hunt?q=" + enc(q)).body())), q);
        }
        String ipQuery = query(admin.get("/hunt/pivot?field=remote_ip&value=" + PivotFixture.DC_IP).headers().firstValue("Location").orElseThrow());
        assertEquals("ip:" + PivotFixture.DC_IP, ipQuery);
        assertEquals(Map.of(WS, 1L, DC, 1L), counts(JSON.readTree(admin.get("/api/v1/hunt?q=" + enc(ipQuery)).body())));
    }

    @Test
    void huntPivot_badInput_says400WithWhatToDo() throws Exception {
        HttpResponse<String> r = admin.get("/hunt/pivot?field=no_such_field&value=x");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("unknown field 'no_such_field'"), r.body());
        assertEquals(400, admin.get("/hunt/pivot?field=user").statusCode());
    }

    @Test
    void links_nameAndAddressOfAVisibleEndpoint_linkToItsEventsAroundTheTime() throws Exception {
        JsonNode byName = links(ana, WS, "command_line", PivotFixture.PSEXEC_LINE, PivotFixture.PSEXEC_TS);
        assertEquals(1, byName.size(), byName.toString());
        assertEquals(DC, byName.get(0).get("endpoint").asText());
        assertEquals("\\\\DC-PV", byName.get(0).get("match").asText());
        assertEquals("2026-11-18T23:56:00Z", byName.get(0).get("from").asText());
        assertEquals("2026-11-19T00:06:01Z", byName.get(0).get("to").asText());
        String url = byName.get(0).get("url").asText();
        assertEquals("/endpoints/DC-PV/events?q=&from=2026-11-18T23%3A56%3A00Z&to=2026-11-19T00%3A06%3A01Z", url);
        assertEquals(3, count(ana, DC, "", "2026-11-18T23:56:00Z", "2026-11-19T00:06:01Z"), "the DC's side, not the event an hour before");
        HttpResponse<String> dcGrid = ana.get(url);
        assertTrue(dcGrid.body().contains("PSEXESVC.exe"), "the linked grid shows the receiving side");

        JsonNode byAddress = links(ana, WS, "remote_ip", PivotFixture.DC_IP, PivotFixture.PSEXEC_TS);
        assertEquals(DC, byAddress.get(0).get("endpoint").asText());
        JsonNode back = links(ana, DC, "remote_ip", PivotFixture.WS_IP, PivotFixture.PSEXEC_TS);
        assertEquals(WS, back.get(0).get("endpoint").asText(), "and back from the DC's accept");
        assertEquals(0, links(ana, WS, "local_ip", PivotFixture.WS_IP, PivotFixture.PSEXEC_TS).size(), "the endpoint's own address");
        assertEquals(0, links(ana, WS, "command_line", "\\\\WS-PV-01\\c$", PivotFixture.PSEXEC_TS).size(), "nor its own name");
    }

    @Test
    void links_anEndpointOutsideTheCallersGroups_isNeverNamed() throws Exception {
        assertEquals(0, links(ana, WS, "command_line", PivotFixture.NET_USE_LINE, PivotFixture.T0).size());
        assertEquals(0, links(ana, WS, "remote_ip", PivotFixture.SECRET_IP, PivotFixture.T0).size());
        // the same values name it for an administrator: the analyst's answer is the access layer's doing
        assertEquals(SECRET, links(admin, WS, "command_line", PivotFixture.NET_USE_LINE, PivotFixture.T0).get(0).get("endpoint").asText());
        assertEquals(SECRET, links(admin, WS, "remote_ip", PivotFixture.SECRET_IP, PivotFixture.T0).get(0).get("endpoint").asText());
        assertEquals(404, ana.get("/api/v1/endpoints/" + SECRET + "/links?field=remote_ip&value=" + PivotFixture.WS_IP + "&ts=0").statusCode());
        assertEquals(400, ana.get("/api/v1/endpoints/" + WS + "/links?field=remote_ip&value=1.2.3.4").statusCode(), "ts is required");
    }

    @Test
    void processPage_showsTheLinkAndPivots_forAVisibleEndpointOnly() throws Exception {
        String psexec = ana.get("/endpoints/" + WS + "/process/" + PivotFixture.PSEXEC).body();
        assertTrue(psexec.contains("id=\"endpoint-links\""), psexec);
        assertTrue(psexec.contains("data-endpoint=\"DC-PV\""), psexec);
        assertTrue(psexec.contains(">Open on DC-PV</a>"), psexec);
        assertTrue(attributeValues(psexec, "command_line").contains(PivotFixture.PSEXEC_LINE));
        assertTrue(attributeValues(psexec, "hash_sha256").contains(HASH));
        assertTrue(attributeValues(psexec, "process_key").contains(PivotFixture.PSEXEC));
        assertTrue(psexec.contains("id=\"pivot-context\""));

        String netUse = ana.get("/endpoints/" + WS + "/process/" + PivotFixture.NET_USE).body();
        assertFalse(netUse.contains("id=\"endpoint-links\""), "no link to an endpoint outside the analyst's groups");
        assertFalse(netUse.contains("data-endpoint=\"SECRET-PV\"") || netUse.contains("Open on SECRET-PV"));
        String asAdmin = admin.get("/endpoints/" + WS + "/process/" + PivotFixture.NET_USE).body();
        assertTrue(asAdmin.contains(">Open on SECRET-PV</a>"), asAdmin);

        JsonNode api = JSON.readTree(ana.get("/api/v1/endpoints/" + WS + "/process/" + PivotFixture.PSEXEC).body());
        assertEquals(DC, api.get("links").get(0).get("endpoint").asText());
        assertEquals(0, JSON.readTree(ana.get("/api/v1/endpoints/" + WS + "/process/" + PivotFixture.NET_USE).body()).get("links").size());
    }

    @Test
    void eventHistory_everyFieldPivots_andAnEventNamingAnEndpointLinksToIt() throws Exception {
        String events = ana.get("/endpoints/" + WS + "/process/" + PivotFixture.PSEXEC + "/events").body();
        assertTrue(attributeValues(events, "remote_ip").contains(PivotFixture.DC_IP), events);
        assertTrue(events.contains(">Open on DC-PV</a>"), events);
        assertTrue(events.contains("data-ts=\"" + (PivotFixture.PSEXEC_TS + 1_000) + "\""));
        String hostile = ana.get("/endpoints/" + WS + "/process/" + PivotFixture.HOSTILE + "/events").body();
        assertEquals(new TreeSet<>(FILES.keySet()), new TreeSet<>(attributeValues(hostile, "file_path")));
        assertFalse(hostile.contains("<script>window.__pwned") || hostile.contains("<img src=x"));
        String netUse = ana.get("/endpoints/" + WS + "/process/" + PivotFixture.NET_USE + "/events").body();
        assertFalse(netUse.contains("SECRET-PV\"") || netUse.contains("Open on SECRET-PV"), netUse);
    }

    // ---- helpers

    /** The query text after the builder adds the row (the redirect's {@code q}). */
    private static String filtered(String text, String field, String operand, String value) throws Exception {
        HttpResponse<String> r = admin.get("/endpoints/" + WS + "/events/builder?q=" + enc(text)
                + "&action=narrow&parameter=" + field + "&operand=" + operand + "&value=" + enc(value));
        assertEquals(302, r.statusCode(), "builder refused " + value + ": " + r.body());
        return query(r.headers().firstValue("Location").orElseThrow());
    }

    private static String query(String location) {
        Matcher m = Pattern.compile("[?&]q=([^&]*)").matcher(location);
        assertTrue(m.find(), location);
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    private static long count(WebTestSupport as, String endpoint, String text) throws Exception {
        return count(as, endpoint, text, null, null);
    }

    private static long count(WebTestSupport as, String endpoint, String text, String from) throws Exception {
        return count(as, endpoint, text, from, null);
    }

    private static long count(WebTestSupport as, String endpoint, String text, String from, String to) throws Exception {
        // the grid's own count: the API count takes no window
        String url = "/endpoints/" + endpoint + "/events?q=" + enc(text) + (from == null ? "" : "&from=" + enc(from))
                + (to == null ? "" : "&to=" + enc(to));
        HttpResponse<String> r = as.get(url);
        assertEquals(200, r.statusCode(), url + "\n" + r.body());
        return Long.parseLong(WebTestSupport.find(r.body(), "id=\"result-count\">([0-9,]+)<").replace(",", ""));
    }

    private static Map<String, Long> counts(JsonNode hunt) {
        Map<String, Long> counts = new LinkedHashMap<>();
        hunt.get("counts").forEach(c -> counts.put(c.get("endpoint").asText(), c.get("count").asLong()));
        return counts;
    }

    private static JsonNode links(WebTestSupport as, String endpoint, String field, String value, long ts) throws Exception {
        HttpResponse<String> r = as.get("/api/v1/endpoints/" + endpoint + "/links?field=" + field + "&value=" + enc(value) + "&ts=" + ts);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("links");
    }

    /** The decoded {@code data-value} of every {@code class="pv"} element of the field. */
    static List<String> attributeValues(String html, String field) {
        Matcher m = Pattern.compile("class=\"pv\" data-field=\"" + field + "\" data-value=\"([^\"]*)\"").matcher(html);
        List<String> values = new ArrayList<>();
        while (m.find()) values.add(unescape(m.group(1)));
        return values;
    }

    private static String unescape(String attribute) {
        Matcher m = Pattern.compile("&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);").matcher(attribute);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String c = switch (e) {
                case "lt" -> "<";
                case "gt" -> ">";
                case "amp" -> "&";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> Character.toString(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1)));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(c));
        }
        m.appendTail(out);
        return out.toString();
    }

}
