package trailhound.web.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.web.WebTestSupport;

/** The Protect flow in the real server: from a process to a pre-filled rule, a policy, its pages and API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyPagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PS = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";

    @TempDir static Path dir;
    private WebTestSupport web;

    @BeforeAll
    void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        web.server().access().groups().create(Caller.commandLine(), "Workstations", null, List.of(WebTestSupport.ENDPOINT));
        web.server().access().accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of("Workstations"),
                "a long enough password 7", false);
    }

    @AfterAll
    void stop() throws Exception {
        web.close();
    }

    @Test
    void protect_fromAProcess_prefillsTheRule_thenAPolicyWithItsPages() throws Exception {
        String process = web.get("/endpoints/" + WebTestSupport.ENDPOINT + "/process/" + WebTestSupport.POWERSHELL).body();
        String href = WebTestSupport.find(process, "href=\"(/policies/new\\?[^\"]+)\"[^>]*id=\"process-protect\"");
        String form = web.get(href.replace("&amp;", "&")).body();
        assertEquals(PS, unescape(WebTestSupport.find(form, "name=\"path\" size=\"70\" value=\"([^\"]*)\"")));
        assertEquals("powershell.exe -nop -w hidden -enc SQBFAFgA", unescape(WebTestSupport.find(form, "name=\"command_line\" size=\"70\" value=\"([^\"]*)\"")));
        assertEquals("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", WebTestSupport.find(form, "name=\"sha256\" size=\"66\" value=\"([^\"]*)\""));
        assertEquals("C:\\Windows\\explorer.exe", unescape(WebTestSupport.find(form, "name=\"parent\" size=\"50\" value=\"([^\"]*)\"")));
        assertTrue(form.contains("value=\"Workstations\" checked"), "the endpoint's group is chosen: " + form);
        String hint = WebTestSupport.find(form, "id=\"policy-groups-hint\">([^<]*)<");
        assertTrue(hint.contains("Checked: the smallest group that holds it.") && hint.contains("rule os:"), hint);

        // a group gathering the endpoint's OS is the default when there is one (the issue: "the evidence's OS by default")
        web.server().access().groups().create(Caller.commandLine(), "Windows machines", "os:windows*", List.of());
        try {
            String byOs = web.get(href.replace("&amp;", "&")).body();
            assertTrue(byOs.contains("value=\"Windows machines\" checked") && !byOs.contains("value=\"Workstations\" checked"), byOs);
            assertTrue(WebTestSupport.find(byOs, "id=\"policy-groups-hint\">([^<]*)<").contains("Checked: the groups of its OS"), byOs);
        } finally {
            web.server().access().groups().delete(Caller.commandLine(), "Windows machines");
        }
        // try-out: a group whose rule names several OSes holds the endpoint too, but is no group of its OS when it holds
        // an endpoint not known to run that OS
        var agents = web.server().access().agents();
        agents.enrol(agents.create(Caller.commandLine(), null, java.time.Duration.ofHours(1), 1).secret(), "LNX-01", "lnx", "Linux 6.8 amd64",
                "a00000000000000e1", "E".repeat(43), "127.0.0.1");
        web.server().access().groups().create(Caller.commandLine(), "Everything", "os:windows OR os:linux*", List.of("LNX-01"));
        try {
            String every = web.get(href.replace("&amp;", "&")).body();
            assertFalse(every.contains("value=\"Everything\" checked"), every);
            assertTrue(every.contains("value=\"Workstations\" checked"), every);
        } finally {
            web.server().access().groups().delete(Caller.commandLine(), "Everything");
        }

        HttpResponse<String> created = web.postForm("/policies", Map.of("_csrf", web.csrf(), "name", "Encoded PowerShell", "action", "block",
                "groups", "Workstations", "enabled", "on", "path", PS, "command_line", "* -enc *", "origin", "process p-powershell"));
        assertEquals(303, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        String page = web.get(location).body();
        assertTrue(page.contains("enabled"), page);
        assertTrue(page.contains("command_line=* -enc *"), page);
        assertTrue(web.get("/policies").body().contains("Encoded PowerShell"));

        // add to the existing policy from another process; a hostile value is shown escaped
        long id = Long.parseLong(location.replaceAll("^/policies/(\\d+).*$", "$1"));
        assertEquals(303, web.postForm("/policies", Map.of("_csrf", web.csrf(), "existing", Long.toString(id),
                "path", "C:\\Temp\\<script>alert(1)</script>.exe")).statusCode());
        String after = web.get("/policies/" + id).body();
        assertTrue(after.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), after);
        assertFalse(after.contains("<script>alert(1)"));

        // the API: from_process fills the rule the same way
        HttpResponse<String> api = web.postJson("/api/v1/policies", "{\"name\":\"Chrome watch\",\"action\":\"alert\",\"groups\":[\"Workstations\"],"
                + "\"from_process\":{\"endpoint\":\"" + WebTestSupport.ENDPOINT + "\",\"process_key\":\"" + WebTestSupport.CHROME + "\"}}");
        assertEquals(201, api.statusCode(), api.body());
        JsonNode rule = JSON.readTree(api.body()).path("rules").get(0);
        assertEquals("C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", rule.path("path").asText());
        assertTrue(rule.path("sha256").isNull(), "chrome has no hash recorded");
        JsonNode all = JSON.readTree(web.get("/api/v1/policies").body()).path("policies");
        JsonNode encoded = null;
        for (JsonNode p : all) if (p.path("name").asText().equals("Encoded PowerShell")) encoded = p;
        assertEquals(2, encoded.path("rules").size(), "its two rules");
    }

    @Test
    void protect_fromSavedEvidence_theProcessItemsRule() throws Exception {
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"process\",\"endpoint\":\"" + WebTestSupport.ENDPOINT
                + "\",\"process_key\":\"" + WebTestSupport.POWERSHELL + "\"}");
        assertEquals(201, saved.statusCode(), saved.body());
        long item = JSON.readTree(saved.body()).path("id").asLong();
        String items = web.get("/evidence/processes").body();
        assertTrue(items.contains("/policies/new?evidence=" + item), "a Protect link on the item: " + items);
        String form = web.get("/policies/new?evidence=" + item).body();
        assertEquals(PS, unescape(WebTestSupport.find(form, "name=\"path\" size=\"70\" value=\"([^\"]*)\"")));
        assertTrue(form.contains("value=\"Workstations\" checked"), "the item's endpoint's group is chosen");

        HttpResponse<String> api = web.postJson("/api/v1/policies", "{\"name\":\"From evidence\",\"action\":\"alert\","
                + "\"groups\":[\"Workstations\"],\"from_evidence\":[" + item + "]}");
        assertEquals(201, api.statusCode(), api.body());
        JsonNode rule = JSON.readTree(api.body()).path("rules").get(0);
        assertEquals(PS, rule.path("path").asText());
        assertEquals("powershell.exe -nop -w hidden -enc SQBFAFgA", rule.path("command_line").asText());
        assertEquals("C:\\Windows\\explorer.exe", rule.path("parent").asText());
        assertEquals("evidence " + item + " (process on " + WebTestSupport.ENDPOINT + ")", rule.path("origin").asText());
        assertEquals(404, web.postJson("/api/v1/policies", "{\"name\":\"Nothing\",\"action\":\"alert\",\"groups\":[\"Workstations\"],"
                + "\"from_evidence\":[999999]}").statusCode(), "an item that does not exist (for this caller)");
    }

    @Test
    void eventItemOfSeveralProcesses_pageSaysWhichAndLinksTheOthers_apiMakesARuleForEach() throws Exception {
        JsonNode events = JSON.readTree(web.get("/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/search?limit=1000&q=type:process").body())
                .path("events");
        java.util.Map<String, String> byProcess = new java.util.LinkedHashMap<>(); // process key -> one event of it
        for (JsonNode e : events) {
            if (!e.path("process_path").asText("").isEmpty()) byProcess.putIfAbsent(e.path("process_key").asText(), e.path("event_uid").asText());
        }
        assertTrue(byProcess.size() >= 3, "the sample has several processes: " + byProcess.keySet());
        HttpResponse<String> saved = web.postJson("/api/v1/evidence", "{\"kind\":\"event\",\"endpoint\":\"" + WebTestSupport.ENDPOINT
                + "\",\"event_uids\":" + JSON.writeValueAsString(List.copyOf(byProcess.values())) + "}");
        assertEquals(201, saved.statusCode(), saved.body());
        long item = JSON.readTree(saved.body()).path("id").asLong();

        String form = web.get("/policies/new?evidence=" + item).body();
        assertTrue(form.contains("id=\"other-processes\""), "the page says the item holds other processes: " + form);
        String origin = unescape(WebTestSupport.find(form, "name=\"origin\" value=\"([^\"]*)\""));
        assertTrue(origin.matches("evidence " + item + " \\(event on .*\\), process .+"), "which process the rule is made from: " + origin);
        int links = form.split("class=\"other-process\"", -1).length - 1;

        HttpResponse<String> api = web.postJson("/api/v1/policies", "{\"name\":\"Several processes\",\"action\":\"alert\","
                + "\"groups\":[\"Workstations\"],\"from_evidence\":[" + item + "]}");
        assertEquals(201, api.statusCode(), api.body());
        JsonNode rules = JSON.readTree(api.body()).path("rules");
        assertEquals(links + 1, rules.size(), "one rule per distinct process, as the page lists them: " + api.body());
        assertTrue(rules.size() >= 2, api.body());
        for (JsonNode r : rules) assertTrue(r.path("origin").asText().contains(", process "), r.toString());
    }

    @Test
    void analyst_proposes_cannotEnable() throws Exception {
        WebTestSupport ana = web.anotherBrowser().signIn("ana", "a long enough password 7");
        HttpResponse<String> enabled = ana.postJson("/api/v1/policies", "{\"name\":\"Mine\",\"action\":\"alert\",\"enabled\":true,"
                + "\"groups\":[\"Workstations\"],\"rules\":[{\"path\":\"/tmp/x\"}]}");
        assertEquals(403, enabled.statusCode(), enabled.body());
        HttpResponse<String> proposed = ana.postJson("/api/v1/policies", "{\"name\":\"Mine\",\"action\":\"alert\","
                + "\"groups\":[\"Workstations\"],\"rules\":[{\"path\":\"/tmp/x\"}]}");
        assertEquals(201, proposed.statusCode(), proposed.body());
        long id = JSON.readTree(proposed.body()).path("id").asLong();
        assertEquals(403, ana.postJson("/api/v1/policies/" + id + "/enable", "{}").statusCode());
        assertFalse(ana.get("/policies/" + id).body().contains("id=\"policy-toggle\""), "no Enable button for an analyst");
        String form = ana.get("/policies/new").body();
        assertTrue(form.contains("value=\"Workstations\""), form);
        assertFalse(form.contains("value=\"All endpoints\""), "only her own groups are offered");
    }

    @Test
    void analystsToken_enabling_isToldAboutTheRole_anAdministratorsToken_aboutTokens() throws Exception {
        String body = "{\"name\":\"Via token\",\"action\":\"alert\",\"enabled\":true,\"groups\":[\"Workstations\"],"
                + "\"rules\":[{\"path\":\"/tmp/y\"}]}";
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (String user : List.of("ana", "admin")) {
            String token = web.server().access().tokens().create(Caller.commandLine(), user, "policy test", 1).secret();
            HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.server().url()
                    + "/api/v1/policies")).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), r.body());
            String error = JSON.readTree(r.body()).path("error").asText();
            assertTrue(user.equals("ana") ? error.startsWith("only an administrator changes what agents enforce")
                    : error.startsWith("an API token cannot change what agents enforce"), user + ": " + error);
        }
    }

    @Test
    void administratorsToken_enablingOrDisabling_isToldAboutPolicies_notCredentials() throws Exception {
        HttpResponse<String> made = web.postJson("/api/v1/policies", "{\"name\":\"Token toggle\",\"action\":\"alert\","
                + "\"groups\":[\"Workstations\"],\"rules\":[{\"path\":\"/tmp/toggle\"}]}");
        assertEquals(201, made.statusCode(), made.body());
        long id = JSON.readTree(made.body()).path("id").asLong();
        String token = web.server().access().tokens().create(Caller.commandLine(), "admin", "toggle test", 1).secret();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (String verb : List.of("enable", "disable")) {
            HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.server().url()
                    + "/api/v1/policies/" + id + "/" + verb)).header("Authorization", "Bearer " + token)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), r.body());
            String error = JSON.readTree(r.body()).path("error").asText();
            assertTrue(error.startsWith("an API token cannot change what agents enforce"), verb + ": " + error);
        }
        assertFalse(JSON.readTree(web.get("/api/v1/policies/" + id).body()).path("enabled").asBoolean(), "still disabled");
    }

    private static String unescape(String html) {
        return html.replace("&#92;", "\\").replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
    }
}
