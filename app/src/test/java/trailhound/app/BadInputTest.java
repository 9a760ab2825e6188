package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets exit status 2, a message naming the problem, and leaves existing indexes as they were. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    Path tmp;
    Path data;
    Path good;
    String endpoint;
    long eventsBefore;

    @BeforeAll
    void ingestOneEndpoint(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        Path samples = tmp.resolve("samples");
        data = tmp.resolve("data");
        assertEquals(0, Cli.run("samples", "--out", samples.toString(), "--endpoints", "1", "--events", "5000", "--seed", "3").status());
        try (var files = Files.list(samples)) {
            good = files.filter(f -> f.toString().endsWith(".db")).findFirst().orElseThrow();
        }
        Cli ingest = Cli.run("ingest", "--data", data.toString(), good.toString());
        assertEquals(0, ingest.status(), ingest.err());
        endpoint = Cli.run("endpoints", "--data", data.toString()).out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        eventsBefore = Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--count").count();
    }

    private void assertBadFile(Path file, String expectedInMessage) {
        Cli cli = Cli.run("ingest", "--data", data.toString(), "--endpoint", endpoint, file.toString());
        assertEquals(2, cli.status(), cli.out() + cli.err());
        assertTrue(cli.err().contains(file.toString()), "names the file: " + cli.err());
        assertTrue(cli.err().toLowerCase().contains(expectedInMessage), "says why (" + expectedInMessage + "): " + cli.err());
        assertEquals(eventsBefore, Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--count").count(),
                "existing index untouched");
    }

    @Test
    void ingest_corruptDatabase_exit2AndIndexUntouched() throws Exception {
        byte[] bytes = Files.readAllBytes(good);
        byte[] corrupt = Arrays.copyOf(bytes, bytes.length);
        for (int i = 100; i < Math.min(bytes.length, 200_000); i++) corrupt[i] = (byte) (i * 31);
        Path file = tmp.resolve("corrupt.db");
        Files.write(file, corrupt);
        assertBadFile(file, "corrupt");
    }

    @Test
    void ingest_truncatedDatabase_exit2() throws Exception {
        byte[] bytes = Files.readAllBytes(good);
        Path file = tmp.resolve("truncated.db");
        Files.write(file, Arrays.copyOf(bytes, 4096 + 17));
        Cli cli = Cli.run("ingest", "--data", data.toString(), file.toString());
        assertEquals(2, cli.status(), cli.out() + cli.err());
        assertTrue(cli.err().contains(file.toString()), cli.err());
    }

    @Test
    void ingest_sqliteButNotARecorder_exit2() throws Exception {
        Path file = tmp.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE customers (id INTEGER, name TEXT)");
        }
        assertBadFile(file, "not a");
    }

    @Test
    void ingest_unknownSchemaVersion_exit2() throws Exception {
        Path file = tmp.resolve("future.db");
        Files.copy(good, file);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        }
        assertBadFile(file, "99");
    }

    @Test
    void ingest_unknownFormat_exit2ListsAcceptedFormats() throws Exception {
        Path file = tmp.resolve("notes.txt");
        Files.writeString(file, "just some notes\nnothing to see\n");
        assertBadFile(file, "accepted formats");
        assertBadFile(file, "unknown format (it starts with \"just some notes.nothing to see.\")");
    }

    @Test
    void ingest_emptyFile_exit2SaysEmpty() throws Exception {
        assertBadFile(Files.createFile(tmp.resolve("empty.json")), "is empty (0 bytes)");
    }

    /** A folder stands for the files in it; one with none says so instead of "no such file". */
    @Test
    void ingest_folder_itsFilesAreIngested_anEmptyOneIsRefused() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        Files.copy(good, folder.resolve(good.getFileName()));
        Files.writeString(folder.resolve("notes.txt"), "not telemetry\n");
        Files.createFile(folder.resolve("empty.json"));
        Files.createDirectories(folder.resolve("sub"));
        Cli cli = Cli.run("ingest", "--data", data.toString(), folder.toString());
        assertEquals(0, cli.status(), cli.err());
        assertTrue(cli.err().contains("skipped " + folder.resolve("notes.txt") + ": not a format Trailhound reads"), cli.err());
        assertTrue(cli.err().contains("skipped " + folder.resolve("empty.json") + ": empty (0 bytes)"), cli.err());
        assertTrue(cli.err().contains("skipped " + folder.resolve("sub") + ": a folder (name it to ingest the files in it)"), cli.err());
        assertTrue(cli.out().contains(folder.resolve(good.getFileName()).toString()) && cli.out().contains("already kept as"), cli.out());

        Path empty = Files.createDirectories(tmp.resolve("empty-folder"));
        Cli none = Cli.run("ingest", "--data", data.toString(), empty.toString());
        assertEquals(2, none.status(), none.out());
        assertTrue(none.err().contains("the folder " + empty + " holds no files to ingest"), none.err());
    }

    /** Exit 3: imported, but some records rejected; the report gives per kind read/added/duplicate/rejected and the reasons. */
    @Test
    void ingest_someRecordsRejected_exit3WithReasonsAndCountsPerKind() throws Exception {
        String line = "{\"EventID\":11,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"ws-3\","
                + "\"UtcTime\":\"2020-10-19 07:30:46.251\",\"TargetFilename\":\"C:\\\\f.txt\"}";
        Path file = Files.writeString(tmp.resolve("partly.json"), line + "\n{not json\n" + line + "\n");
        Cli cli = Cli.run("ingest", "--data", tmp.resolve("partly-data").toString(), file.toString());
        assertEquals(3, cli.status(), cli.out() + cli.err());
        assertTrue(cli.out().matches("(?s).*file/create +2 +1 +1 +0\\n.*"), "KIND READ ADDED DUPLICATE REJECTED: " + cli.out());
        assertTrue(cli.out().contains("1 records could not be read:\n    line 2: not one JSON object"), cli.out());

        Path allBad = Files.writeString(tmp.resolve("allbad.json"), "{not json\n{\"EventID\":\"x\"}\n");
        Cli none = Cli.run("ingest", "--data", tmp.resolve("partly-data").toString(), allBad.toString());
        assertEquals(2, none.status(), "every record rejected: nothing imported\n" + none.out());
    }

    @Test
    void ingest_missingFile_exit2() {
        Cli cli = Cli.run("ingest", "--data", data.toString(), tmp.resolve("nope.db").toString());
        assertEquals(2, cli.status());
        assertTrue(cli.err().contains("nope.db"), cli.err());
    }

    @Test
    void search_badQuery_exit2WithColumn() {
        Cli cli = Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "procname:cmd.exe");
        assertEquals(2, cli.status());
        assertTrue(cli.err().contains("procname"), cli.err());
        assertTrue(cli.err().contains("column"), cli.err());
    }

    @Test
    void search_syntaxError_exit2WithColumn() {
        Cli cli = Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "type:process AND (user:x");
        assertEquals(2, cli.status());
        assertTrue(cli.err().contains("column"), cli.err());
    }

    @Test
    void search_unknownEndpoint_exit2() {
        Cli cli = Cli.run("search", "--data", data.toString(), "--endpoint", "no-such-host", "type:process");
        assertEquals(2, cli.status());
        assertTrue(cli.err().contains("unknown endpoint 'no-such-host': list them with `bin/trailhound endpoints`"), cli.err());
    }

    @Test
    void process_unknownKey_exit2() {
        Cli cli = Cli.run("process", "--data", data.toString(), "--endpoint", endpoint, "--key", "does-not-exist");
        assertEquals(2, cli.status());
        assertTrue(cli.err().contains("does-not-exist"), cli.err());
    }

    @Test
    void benchLuceneFloor_noDocuments_exit2SaysWhatRangeIsAllowed() {
        Cli cli = Cli.run("bench", "--lucene-floor", "--events", "0");
        assertEquals(2, cli.status());
        assertTrue(cli.err().contains("--events must be between 1"), cli.err());
    }

    @Test
    void benchWithPeers_nodeJarsMissing_saysHowToBuildThem_beforeAnyWork() {
        // a try-out's bench --peers ended, after the index runs, in "internal error" and a stack trace
        String property = trailhound.opensearch.node.OpenSearchNode.NODE_LIB_PROPERTY;
        System.setProperty(property, tmp.resolve("no-such-node-lib").toString());
        try {
            Cli cli = Cli.run("bench", "--peers", "--events", "1000", "--web-clients", "0", "--telemetry-events", "0");
            assertEquals(2, cli.status(), cli.out() + cli.err());
            assertTrue(cli.err().startsWith("trailhound: " + property + " names ") && cli.err().contains("which is not a folder"), cli.err());
            assertTrue(!cli.err().contains("internal error") && !cli.err().contains("\tat "), "no stack trace: " + cli.err());
            assertEquals("", cli.out(), "no bench ran");
        } finally {
            System.clearProperty(property);
        }
    }
}
