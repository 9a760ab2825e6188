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

    @Test
    void api_putChangesAPolicy_deleteRemovesIt_auditedAndAnalystsOnlyForProposals() throws Exception {
        HttpResponse<String> made = web.postJson("/api/v1/policies", "{\"name\":\"To change\",\"action\":\"block\","
                + "\"groups\":[\"Workstations\"],\"rules\":[{\"path\":\"/tmp/one\"},{\"path\":\"/tmp/two\"}]}");
        assertEquals(201, made.statusCode(), made.body());
        JsonNode p = JSON.readTree(made.body());
        long id = p.path("id").asLong();
        long first = p.path("rules").get(0).path("id").asLong();

        HttpResponse<String> put = put("/api/v1/policies/" + id, "{\"name\":\"Changed\",\"action\":\"alert\",\"rules\":["
                + "{\"id\":" + first + ",\"path\":\"/tmp/one-*\"},{\"command_line\":\"* -x *\"}]}");
        assertEquals(200, put.statusCode(), put.body());
        JsonNode changed = JSON.readTree(put.body());
        assertEquals("Changed", changed.path("name").asText());
        assertEquals("alert", changed.path("action").asText());
        assertEquals("[\"Workstations\"]", changed.path("groups").toString(), "a field left out is kept");
        assertEquals(2, changed.path("rules").size(), changed.toString());
        assertEquals(first, changed.path("rules").get(0).path("id").asLong(), "the rule given with its id is changed in place");
        assertEquals("/tmp/one-*", changed.path("rules").get(0).path("path").asText());
        assertEquals("* -x *", changed.path("rules").get(1).path("command_line").asText(), "the one without an id is added, /tmp/two removed");
        assertEquals(400, put("/api/v1/policies/" + id, "{\"rules\":[{\"command_line\":\"/(a/\"}]}").statusCode(), "a bad rule is refused");
        assertEquals(400, put("/api/v1/policies/" + id, "{\"enabled\":true}").statusCode(), "enabling has its own call");
        assertEquals(404, put("/api/v1/policies/999999", "{\"name\":\"X\"}").statusCode());

        // an analyst changes and deletes proposals, not what agents enforce
        WebTestSupport ana = web.anotherBrowser().signIn("ana", "a long enough password 7");
        assertEquals(200, put(ana, "/api/v1/policies/" + id, "{\"name\":\"Changed by ana\"}").statusCode());
        assertEquals(200, web.postJson("/api/v1/policies/" + id + "/enable", "{}").statusCode());
        assertEquals(403, put(ana, "/api/v1/policies/" + id, "{\"name\":\"Again\"}").statusCode());
        assertEquals(403, ana.delete("/api/v1/policies/" + id).statusCode());
        assertEquals(200, put("/api/v1/policies/" + id, "{\"groups\":[\"Workstations\",\"All endpoints\"]}").statusCode(),
                "an administrator changes an enabled one");

        HttpResponse<String> deleted = web.delete("/api/v1/policies/" + id);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(404, web.get("/api/v1/policies/" + id).statusCode());
        assertEquals(404, web.delete("/api/v1/policies/" + id).statusCode());
        String audit = web.get("/api/v1/audit?limit=200").body();
        assertTrue(audit.contains("policy.update") && audit.contains("policy.delete"), audit);
    }

    @Test
    void page_editsAPolicy_removesARule_andDeletesIt() throws Exception {
        JsonNode p = JSON.readTree(web.postJson("/api/v1/policies", "{\"name\":\"Page edit\",\"action\":\"block\","
                + "\"groups\":[\"Workstations\"],\"rules\":[{\"path\":\"/tmp/keep\"},{\"path\":\"/tmp/drop\"}]}").body());
        long id = p.path("id").asLong();
        String keep = p.path("rules").get(0).path("id").asText();
        String drop = p.path("rules").get(1).path("id").asText();
        String page = web.get("/policies/" + id).body();
        assertTrue(page.contains("id=\"policy-edit\"") && page.contains("id=\"policy-delete\""), page);
        assertTrue(page.contains("name=\"rule_id\" value=\"" + drop + "\""), page);
        String changedAt = WebTestSupport.find(page, "name=\"changed_at\" value=\"(\\d+)\"");

        String body = String.join("&", "_csrf=" + WebTestSupport.enc(web.csrf()), "changed_at=" + changedAt,
                "name=" + WebTestSupport.enc("Page edited"), "action=alert",
                "groups=Workstations", "rule_id=" + keep, "sha256=", "path=" + WebTestSupport.enc("/tmp/keep-*"), "command_line=", "parent=",
                "rule_id=" + drop, "sha256=", "path=" + WebTestSupport.enc("/tmp/drop"), "command_line=", "parent=", "remove=" + drop);
        HttpResponse<String> edited = formBody("/policies/" + id + "/edit", body);
        assertEquals(303, edited.statusCode(), edited.body());
        JsonNode after = JSON.readTree(web.get("/api/v1/policies/" + id).body());
        assertEquals("Page edited", after.path("name").asText());
        assertEquals("alert", after.path("action").asText());
        assertEquals(1, after.path("rules").size(), after.toString());
        assertEquals("/tmp/keep-*", after.path("rules").get(0).path("path").asText());

        HttpResponse<String> gone = web.postForm("/policies/" + id + "/delete", Map.of("_csrf", web.csrf(), "confirm", "on"));
        assertEquals(303, gone.statusCode(), gone.body());
        assertEquals(404, web.get("/api/v1/policies/" + id).statusCode());
        assertFalse(web.get("/policies").body().contains(">Page edited<"));

        WebTestSupport reader = web.anotherBrowser();
        web.server().access().accounts().create(Caller.commandLine(), "rita", Role.READ_ONLY, List.of("Workstations"),
                "a long enough password 7", false);
        reader.signIn("rita", "a long enough password 7");
        long other = JSON.readTree(web.postJson("/api/v1/policies", "{\"name\":\"Read only sees\",\"action\":\"alert\","
                + "\"groups\":[\"Workstations\"],\"rules\":[{\"path\":\"/tmp/r\"}]}").body()).path("id").asLong();
        assertFalse(reader.get("/policies/" + other).body().contains("id=\"policy-edit\""), "no edit form for read-only");
        assertEquals(403, reader.delete("/api/v1/policies/" + other).statusCode());
    }

    /** Fifth try-out: a page opened before another user added a rule deleted that rule when it was saved. */
    @Test
    void page_editOfAPolicyChangedSinceItOpened_isRefused_theOthersRuleKept() throws Exception {
        JsonNode p = JSON.readTree(web.postJson("/api/v1/policies", "{\"name\":\"Two editors\",\"action\":\"alert\","
                + "\"groups\":[\"Workstations\"],\"rules\":[{\"path\":\"/tmp/first\"}]}").body());
        long id = p.path("id").asLong();
        String rule = p.path("rules").get(0).path("id").asText();
        String page = web.get("/policies/" + id).body();
        String changedAt = WebTestSupport.find(page, "name=\"changed_at\" value=\"(\\d+)\"");
        Thread.sleep(5); // the other user's change comes a moment later
        assertEquals(200, web.postJson("/api/v1/policies/" + id + "/rules", "{\"rules\":[{\"path\":\"/opt/admin-added/*\"}]}")
                .statusCode());
        String body = String.join("&", "_csrf=" + WebTestSupport.enc(web.csrf()), "changed_at=" + changedAt,
                "name=" + WebTestSupport.enc("Renamed"), "action=alert", "groups=Workstations", "rule_id=" + rule, "sha256=",
                "path=" + WebTestSupport.enc("/tmp/first"), "command_line=", "parent=");
        HttpResponse<String> stale = formBody("/policies/" + id + "/edit", body);
        assertEquals(409, stale.statusCode(), stale.body());
        assertTrue(stale.body().contains("changed since you opened its page"), stale.body());
        JsonNode after = JSON.readTree(web.get("/api/v1/policies/" + id).body());
        assertEquals("Two editors", after.path("name").asText());
        assertEquals(2, after.path("rules").size(), "the other user's rule is kept: " + after);
    }

    @Test
    void analystsProposal_offersTheGroupsOfTheRulesEndpoint_andTheHintIsTrue() throws Exception {
        // try-out: an analyst granted "All endpoints" was offered that group alone and told "No group but All endpoints holds
        // it" while Workstations holds the endpoint
        web.server().access().accounts().create(Caller.commandLine(), "bea", Role.ANALYST, List.of("All endpoints"),
                "a long enough password 7", false);
        web.server().access().groups().create(Caller.commandLine(), "Finance desks", null, List.of(WebTestSupport.ENDPOINT));
        try {
            WebTestSupport bea = web.anotherBrowser().signIn("bea", "a long enough password 7");
            String form = bea.get("/policies/new?endpoint=" + WebTestSupport.ENDPOINT + "&process_key=" + WebTestSupport.POWERSHELL).body();
            assertTrue(form.contains("value=\"Workstations\"") && form.contains("value=\"Finance desks\""), "the endpoint's groups: " + form);
            String hint = WebTestSupport.find(form, "id=\"policy-groups-hint\">([^<]*)<");
            assertFalse(hint.contains("No group but All endpoints holds it"), hint);
            assertTrue(form.contains("value=\"Workstations\" checked") || form.contains("value=\"Finance desks\" checked"), form);
            HttpResponse<String> proposed = bea.postJson("/api/v1/policies", "{\"name\":\"Bea's\",\"action\":\"alert\","
                    + "\"groups\":[\"Finance desks\"],\"rules\":[{\"path\":\"/tmp/bea\"}]}");
            assertEquals(201, proposed.statusCode(), "a group holding an endpoint she sees may be chosen: " + proposed.body());

            // ana sees the endpoint through Workstations: Finance desks holds it too
            WebTestSupport ana = web.anotherBrowser().signIn("ana", "a long enough password 7");
            String hers = ana.get("/policies/new?endpoint=" + WebTestSupport.ENDPOINT + "&process_key=" + WebTestSupport.POWERSHELL).body();
            assertTrue(hers.contains("value=\"Finance desks\""), hers);
        } finally {
            web.server().access().groups().delete(Caller.commandLine(), "Finance desks");
        }
    }

    private HttpResponse<String> put(String path, String json) throws Exception {
        return web.putJson(path, json);
    }

    private static HttpResponse<String> put(WebTestSupport as, String path, String json) throws Exception {
        return as.putJson(path, json);
    }

    private HttpResponse<String> formBody(String path, String body) throws Exception {
        return web.postFormEncoded(path, body);
    }

    private static String unescape(String html) {
        return html.replace("&#92;", "\\").replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
    }
}
