package trailhound.web.pivot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.ingest.Ingestor;
import trailhound.samples.SampleGenerator;
import trailhound.web.WebTestSupport;

/** The demo's lateral movement: WS-FIN-01's PsExec to {@code \\DC-01} leads to DC-01's PSEXESVC, for a user who sees both. */
class DemoLinksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void psexecOnTheWorkstation_linksToTheControllersEventsAtThatTime() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            List<Path> samples = SampleGenerator.generate(dir.resolve("samples"), 4, 8_000, 7, n -> {});
            Ingestor ingestor = new Ingestor(web.data(), 1);
            for (Path db : samples) {
                if (db.getFileName().toString().matches("(WS-FIN-01|DC-01)\\.db")) ingestor.ingest(db, null);
            }
            Access access = web.server().access();
            Caller cli = Caller.commandLine();
            access.groups().create(cli, "both", null, List.of("WS-FIN-01", "DC-01"));
            access.groups().create(cli, "fin", null, List.of("WS-FIN-01"));
            access.accounts().create(cli, "ana", Role.ANALYST, List.of("both"), PivotFixture.PW, false);
            access.accounts().create(cli, "fay", Role.ANALYST, List.of("fin"), PivotFixture.PW, false);
            WebTestSupport ana = web.anotherBrowser().signIn("ana", PivotFixture.PW);
            WebTestSupport fay = web.anotherBrowser().signIn("fay", PivotFixture.PW);

            JsonNode found = JSON.readTree(ana.get("/api/v1/endpoints/WS-FIN-01/search?q="
                    + enc("process_name:PsExec64.exe AND type:process AND operation:start")).body());
            assertEquals(1, found.get("total").asLong(), found.toString());
            String key = found.get("events").get(0).get("process_key").asText();

            JsonNode process = JSON.readTree(ana.get("/api/v1/endpoints/WS-FIN-01/process/" + key).body());
            JsonNode link = process.get("links").get(0);
            assertEquals("DC-01", link.get("endpoint").asText(), process.get("links").toString());
            String page = ana.get("/endpoints/WS-FIN-01/process/" + key).body();
            assertTrue(page.contains(">Open on DC-01</a>"), page);

            String grid = ana.get(link.get("url").asText() + "&q=" + enc("process_name:PSEXESVC.exe")).body();
            assertFalse(grid.contains("id=\"result-count\">0<"), grid);
            assertTrue(grid.contains("PSEXESVC.exe"));

            JsonNode forFay = JSON.readTree(fay.get("/api/v1/endpoints/WS-FIN-01/process/" + key).body());
            assertEquals(0, forFay.get("links").size(), "DC-01 is outside fay's group");
            assertFalse(fay.get("/endpoints/WS-FIN-01/process/" + key).body().contains("Open on DC-01"));
        }
    }
}
