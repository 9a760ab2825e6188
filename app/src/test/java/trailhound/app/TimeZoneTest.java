package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ingest --timezone`: times written without a zone (NXLog's EventTime) read in it, and read the same after a re-index. */
class TimeZoneTest {
    @TempDir
    Path tmp;

    @Test
    void eventTimeReadInTheZoneGiven_keptWithTheSourceForReindex_badZoneRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("nxlog.json"), "{\"EventTime\": \"2019-12-04 23:41:56\", \"Channel\": \"security\","
                + " \"EventID\": 5158, \"RecordNumber\": 41659, \"Hostname\": \"ws-07\", \"Application\": \"C:\\\\svchost.exe\"}\n");
        Path data = tmp.resolve("data");
        Cli ingest = Cli.run("ingest", "--data", data.toString(), "--timezone", "Europe/Berlin", file.toString());
        assertEquals(0, ingest.status(), ingest.err());
        assertTrue(ingest.out().contains("1 events have only a local time without a zone (NXLog's EventTime): read in Europe/Berlin"),
                ingest.out());
        assertEquals("2019-12-04T22:41:56.000Z", firstTime(data));

        Cli reindex = Cli.run("reindex", "--data", data.toString(), "--endpoint", "ws-07");
        assertEquals(0, reindex.status(), reindex.err());
        assertEquals("2019-12-04T22:41:56.000Z", firstTime(data), "the source keeps its zone");

        Cli bad = Cli.run("ingest", "--data", data.toString(), "--timezone", "Mars/Olympus", file.toString());
        assertEquals(2, bad.status(), bad.out());
        assertTrue(bad.err().contains("Mars/Olympus"), bad.err());
    }

    private static String firstTime(Path data) throws Exception {
        Cli json = Cli.run("search", "--data", data.toString(), "--endpoint", "ws-07", "--format", "json");
        assertEquals(0, json.status(), json.err());
        return new ObjectMapper().readTree(json.out()).get(0).get("ts").asText();
    }
}
