package trailhound.web.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntelFileProviderTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    @TempDir
    Path dir;

    @Test
    void lookup_hashOnSeveralLines_oneVerdictPerSourceInFileOrder() throws Exception {
        Path file = Files.writeString(dir.resolve("intel.csv"), """
                hash,verdict,source,date
                # curated by the IR team
                %s,malicious,abuse.ch,2026-10-01
                %s,Suspicious,"Team, internal",2026-10-02
                %s,non-malicious,NSRL,
                """.formatted(SHA.toUpperCase(), SHA, MD5));
        IntelFileProvider intel = new IntelFileProvider(file);

        List<SourceVerdict> verdicts = intel.lookup(SHA);

        assertEquals(List.of(
                new SourceVerdict("intel file: abuse.ch", Verdict.MALICIOUS, "listed as Malicious by abuse.ch", "2026-10-01", List.of()),
                new SourceVerdict("intel file: Team, internal", Verdict.SUSPICIOUS, "listed as Suspicious by Team, internal", "2026-10-02", List.of())),
                verdicts);
        assertEquals(Verdict.NON_MALICIOUS, intel.lookup(MD5).getFirst().verdict());
        assertEquals(null, intel.lookup(MD5).getFirst().date());
        assertEquals(List.of(), intel.lookup("0".repeat(40)));
    }

    @Test
    void lookup_noIntelFile_knowsNothing() {
        assertEquals(List.of(), new IntelFileProvider(dir.resolve("intel.csv")).lookup(SHA));
    }

    @Test
    void lookup_fileReplacedWhileRunning_readsTheNewFile() throws Exception {
        Path file = Files.writeString(dir.resolve("intel.csv"), SHA + ",malicious,a,2026-01-01\n");
        IntelFileProvider intel = new IntelFileProvider(file);
        assertEquals(Verdict.MALICIOUS, intel.lookup(SHA).getFirst().verdict());

        Files.writeString(file, SHA + ",non-malicious,a,2026-02-01\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertEquals(Verdict.NON_MALICIOUS, intel.lookup(SHA).getFirst().verdict());
    }

    @Test
    void read_unknownVerdictWord_errorNamesFileLineAndColumn() throws Exception {
        Path file = Files.writeString(dir.resolve("intel.csv"), "hash,verdict,source,date\n" + SHA + ",evil,x,2026-01-01\n");
        IntelFileProvider intel = new IntelFileProvider(file);

        IntelFileException e = assertThrows(IntelFileException.class, intel::read);

        assertEquals(2, e.line());
        assertEquals(66, e.column());
        assertEquals(file + ":2:66: unknown verdict 'evil': use malicious, suspicious, non-malicious or unknown"
                + " (fix or remove the line; each line is hash,verdict,source,date)", e.getMessage());
    }

    @Test
    void lookup_malformedFile_everyLookupSaysTheIntelIsNotUsedAndWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("intel.csv"), SHA + ",malicious,x,\n" + MD5 + ",evil,x,\n");

        List<SourceVerdict> verdicts = new IntelFileProvider(file).lookup(SHA);

        assertEquals(List.of(new SourceVerdict("intel file", Verdict.UNKNOWN, "intel file not used: " + file
                + ":2:34: unknown verdict 'evil': use malicious, suspicious, non-malicious or unknown"
                + " (fix or remove the line; each line is hash,verdict,source,date)", null, List.of())), verdicts);
    }

    @Test
    void read_notAHash_errorNamesTheLine() throws Exception {
        Path file = Files.writeString(dir.resolve("intel.csv"), SHA + ",malicious,x,\nnot-a-hash,malicious,x,\n");

        IntelFileException e = assertThrows(IntelFileException.class, new IntelFileProvider(file)::read);

        assertEquals(2, e.line());
        assertEquals(1, e.column());
    }

    @Test
    void read_unclosedQuote_errorPointsAtTheQuote() throws Exception {
        Path file = Files.writeString(dir.resolve("intel.csv"), SHA + ",malicious,\"x,2026\n");

        IntelFileException e = assertThrows(IntelFileException.class, new IntelFileProvider(file)::read);

        assertEquals(1, e.line());
        assertEquals(76, e.column());
    }
}
