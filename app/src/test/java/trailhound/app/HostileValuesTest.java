package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every event field comes from an attacker: printed to a terminal its control characters are shown,
 * never run (no colour, title or cursor escapes, no forged rows); written as CSV no cell is a formula
 * a spreadsheet would run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileValuesTest {
    private static final String ESCAPES = "C:\\x\\\u001b]0;owned\u0007\u001b[2J\u001b[31mred.exe\nFAKE ROW";
    private static final String FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")";
    private static final String DDE = "+cmd|' /C calc'!A0";

    Path data;

    @BeforeAll
    void ingest(@TempDir Path tmp) throws Exception {
        String common = "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"ws-evil\","
                + "\"UtcTime\":\"2026-10-19 07:30:46.251\",\"ProcessGuid\":\"{AB-CD}\",\"ProcessId\":\"7\",\"Image\":"
                + new TextNode(ESCAPES);
        String lines = "{\"EventID\":1," + common + ",\"CommandLine\":" + new TextNode(FORMULA) + ",\"User\":\"@SUM(1+1)\"}\n"
                + "{\"EventID\":11," + common + ",\"TargetFilename\":" + new TextNode(DDE) + "}\n";
        Path file = Files.writeString(tmp.resolve("hostile.json"), lines);
        data = tmp.resolve("data");
        Cli ingest = Cli.run("ingest", "--data", data.toString(), file.toString());
        assertEquals(0, ingest.status(), ingest.err());
    }

    @Test
    void searchTableAndProcessView_showControlCharactersAsText() throws Exception {
        Cli table = Cli.run("search", "--data", data.toString(), "--endpoint", "ws-evil");
        assertEquals(0, table.status(), table.err());
        assertFalse(table.out().contains("\u001b") || table.out().contains("\u0007"), table.out());
        assertEquals(4, table.out().lines().count(), "a header, two events, the total: no forged row\n" + table.out());
        assertTrue(table.out().contains("\\x1b]0;owned\\x07"), "shown as text: " + table.out());

        Cli json = Cli.run("search", "--data", data.toString(), "--endpoint", "ws-evil", "--format", "json");
        String key = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get(0).get("process_key").asText();
        Cli process = Cli.run("process", "--data", data.toString(), "--endpoint", "ws-evil", "--key", key);
        assertEquals(0, process.status(), process.err());
        assertFalse(process.out().contains("\u001b") || process.out().contains("\u0007"), process.out());
        assertFalse(process.out().contains("\nFAKE ROW"), process.out());
    }

    @Test
    void searchCsv_noCellIsAFormula_theValueStillReadable() throws Exception {
        Cli csv = Cli.run("search", "--data", data.toString(), "--endpoint", "ws-evil", "--format", "csv");
        assertEquals(0, csv.status(), csv.err());
        List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(csv.out())).getRecords();
        assertEquals(3, rows.size(), "a header and two events");
        List<String> cells = rows.stream().skip(1).flatMap(r -> r.stream()).toList();
        for (String cell : cells) {
            assertFalse(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 && !cell.matches("[-+]?\\d+(\\.\\d+)?"),
                    "a formula a spreadsheet would run: " + cell);
        }
        assertTrue(cells.contains("'" + FORMULA), cells.toString());
        assertTrue(cells.contains("'" + DDE), cells.toString());
        assertTrue(cells.contains("'@SUM(1+1)"), cells.toString());
        assertTrue(cells.contains(ESCAPES), "CSV keeps the value exactly (quoted): " + cells);
    }
}
