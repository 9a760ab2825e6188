package trailhound.web.intel;

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
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.web.WebTestSupport;

/**
 * Who may change and read an IOC, over the real server: only its author or an administrator switches
 * its alert or deletes it (403 saying who may); one made from evidence is seen only by users who see
 * the endpoint the evidence came from, one typed or imported by everyone.
 */
class IocOwnershipTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GOOD = "correct horse battery staple";
    static final String TREE = """
            {"name": "%s", "alert": true, "tree": {"operator": "OR", "items": [{"type": "file_name", "value": "svcmon.exe"}]}}""";

    @TempDir static Path dir;
    static WebTestSupport admin;
    static WebTestSupport ana;
    static WebTestSupport fin;
    static long evidenceId;

    @BeforeAll
    static void start() throws Exception {
        admin = WebTestSupport.start(dir).signIn();
        var access = admin.server().access();
        Caller cli = Caller.commandLine();
        access.groups().create(cli, "test", null, List.of(WebTestSupport.ENDPOINT));
        access.accounts().create(cli, "ana", Role.ANALYST, List.of("test"), GOOD, false);
        access.accounts().create(cli, "fin", Role.ANALYST, List.of(), GOOD, false); // sees no endpoint of this server
        ana = admin.anotherBrowser().signIn("ana", GOOD);
        fin = admin.anotherBrowser().signIn("fin", GOOD);
        evidenceId = access.scope(cli).savedEvidence().saveProcess(WebTestSupport.ENDPOINT, WebTestSupport.POWERSHELL, "ps", List.of()).id();
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) admin.close();
    }

    private static long create(WebTestSupport who, String body) throws Exception {
        HttpResponse<String> made = who.postJson("/api/v1/iocs", body);
        assertEquals(201, made.statusCode(), made.body());
        return JSON.readTree(made.body()).get("id").asLong();
    }

    @Test
    void anotherAnalyst_cannotDeleteOrSwitchOffTheAlert_theAuthorAndAnAdministratorCan() throws Exception {
        long id = create(ana, TREE.formatted("ana's"));
        HttpResponse<String> delete = fin.delete("/api/v1/iocs/" + id);
        assertEquals(403, delete.statusCode(), delete.body());
        assertEquals("only its author (ana) or an administrator may delete IOC " + id, JSON.readTree(delete.body()).get("error").asText());
        HttpResponse<String> off = fin.postForm("/intel/" + id + "/alert", Map.of("_csrf", fin.csrf(), "alert", "off"));
        assertEquals(403, off.statusCode());
        assertTrue(off.body().contains("Only its author (ana) or an administrator may switch alerts off for IOC " + id + "."), off.body());
        JsonNode still = JSON.readTree(fin.get("/api/v1/iocs/" + id).body());
        assertTrue(still.get("alert").asBoolean(), "fin's attempt changed nothing: " + still);

        assertEquals(303, ana.postForm("/intel/" + id + "/alert", Map.of("_csrf", ana.csrf(), "alert", "off")).statusCode(), "the author may");
        assertFalse(JSON.readTree(ana.get("/api/v1/iocs/" + id).body()).get("alert").asBoolean());
        assertEquals(204, admin.delete("/api/v1/iocs/" + id).statusCode(), "an administrator may");
        assertEquals(204, ana.delete("/api/v1/iocs/" + create(ana, TREE.formatted("again"))).statusCode(), "the author may");
    }

    @Test
    void iocFromEvidence_seenOnlyBy_usersWhoSeeItsEndpoint_aTypedOneByAll() throws Exception {
        long fromEvidence = create(ana, JSON.writeValueAsString(Map.of("name", "from ps", "from_evidence", List.of(evidenceId))));
        long typed = create(ana, TREE.formatted("typed"));
        for (String path : List.of("/api/v1/iocs/" + fromEvidence, "/api/v1/iocs/" + fromEvidence + "/stix",
                "/api/v1/iocs/" + fromEvidence + "/openioc", "/intel/" + fromEvidence)) {
            assertEquals(404, fin.get(path).statusCode(), path);
            assertEquals(200, ana.get(path).statusCode(), path);
        }
        String finList = fin.get("/api/v1/iocs").body();
        assertFalse(finList.contains("\"id\":" + fromEvidence + ","), finList);
        assertTrue(finList.contains("\"id\":" + typed + ","), finList);
        assertTrue(admin.get("/api/v1/iocs").body().contains("\"id\":" + fromEvidence + ","));
    }

    @Test
    void iocFromTheAddForm_isScopedToItsEvidencesEndpoint_too() throws Exception {
        HttpResponse<String> made = ana.postForm("/intel/new", Map.of("_csrf", ana.csrf(), "evidence", String.valueOf(evidenceId),
                "item", "process_name:powershell.exe", "condition", "is", "name", "picked", "operator", "OR"));
        assertEquals(303, made.statusCode(), made.body());
        String location = made.headers().firstValue("Location").orElseThrow();
        assertEquals(200, ana.get(location).statusCode());
        assertEquals(404, fin.get(location).statusCode(), "fin does not see " + WebTestSupport.ENDPOINT);
    }

    @Test
    void useTheseItems_withNothingTicked_saysSo() throws Exception {
        String page = ana.get("/intel/new?picking=1").body();
        assertTrue(page.contains("Tick at least one saved evidence item, then Use these items."), page);
        assertFalse(ana.get("/intel/new").body().contains("Tick at least one"), "not on first opening the form");
    }
}
