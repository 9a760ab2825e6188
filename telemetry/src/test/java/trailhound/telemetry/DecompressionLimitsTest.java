package trailhound.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression bombs: a small .gz whose content is gigabytes is read only up to
 * {@link ImportLimits#maxContentBytes} (a warning says so), in bounded memory and time. The files are
 * made of one compressed 1 MiB gzip member written many times (a gzip file may hold several members,
 * read as one stream), so nothing large is written or held.
 */
class DecompressionLimitsTest {
    private static final String EVENT = "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"Hostname\":\"HOST1\",\"UtcTime\":\"2020-10-19 07:30:46.251\",\"ProcessGuid\":\"{AB-CD}\","
            + "\"ProcessId\":\"7\",\"Image\":\"C:\\\\x\\\\a.exe\"}";

    @TempDir
    Path dir;

    private static byte[] member(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {{ def.setLevel(Deflater.BEST_COMPRESSION); }}) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private static byte[] mib(char c) {
        byte[] b = new byte[1 << 20];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private Path bomb(String name, String head, char fill, int mebibytes, String tail) throws IOException {
        Path file = dir.resolve(name);
        byte[] chunk = member(mib(fill));
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(member(head.getBytes(StandardCharsets.UTF_8)));
            for (int i = 0; i < mebibytes; i++) out.write(chunk);
            out.write(member(tail.getBytes(StandardCharsets.UTF_8)));
        }
        return file;
    }

    @Test
    void gigabyteOfBlankLinesFromAMegabyte_stopsAtTheExpansionLimit_quickly() throws IOException {
        Path file = bomb("blank.json.gz", EVENT + "\n", '\n', 1024, EVENT.replace("HOST1", "HOST2") + "\n");
        assertTrue(Files.size(file) < 2 << 20, "a small file: " + Files.size(file));
        long start = System.nanoTime();
        ImportReport report = TelemetryImport.read(file, null, e -> { });
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(1, report.eventsEmitted(), "the event before the blank lines is read");
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("stopped after 1 records: the content expands to more than")
                && w.contains(ImportLimits.MAX_EXPANSION_PROPERTY)), report.warnings().toString());
        assertTrue(seconds < 20, "took " + seconds + " s");
    }

    @Test
    void oneFourGibibyteLineFromFourMegabytes_lineRejectedByNumber_readingStops() throws IOException {
        Path file = bomb("line.json.gz", EVENT + "\n{\"EventID\":1,\"CommandLine\":\"", 'x', 4096, "\"}\n" + EVENT + "\n");
        assertTrue(Files.size(file) < 8 << 20, "a small file: " + Files.size(file));
        ImportReport report = TelemetryImport.read(file, null, e -> { });
        assertEquals(1, report.eventsEmitted());
        assertEquals(List.of("line 2: longer than 32 MB: not read"), report.firstMalformed());
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("stopped after")), report.warnings().toString());
    }

    @Test
    void auditLineLongerThanTheLimit_rejectedByNumber_theRecordsAroundItRead() throws IOException {
        String record = "node=ws type=SYSCALL msg=audit(1700000000.100:%d): arch=c000003e syscall=59 success=yes exit=0 items=1"
                + " ppid=1 pid=%d comm=\"x\" exe=\"/bin/x\"\n";
        Path file = bomb("long.log.gz", String.format(record, 1, 5) + "node=ws type=EXECVE msg=audit(1700000000.100:2): argc=1 a0=\"",
                'y', 40, "\"\n" + String.format(record, 3, 6));
        ImportReport report = TelemetryImport.read(file, null, e -> { });
        assertEquals(List.of("line 2: longer than 32 MB: not read"), report.firstMalformed());
        assertEquals(2, report.eventsEmitted(), "the records before and after it");
    }

    @Test
    void badLimitSetting_refusedNamingTheProperty() throws IOException {
        Path file = Files.writeString(dir.resolve("a.json"), EVENT + "\n");
        System.setProperty(ImportLimits.MAX_EXPANSION_PROPERTY, "lots");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TelemetryImport.read(file, null, x -> { }));
            assertTrue(e.getMessage().contains("-Dtrailhound.import.maxExpansion=lots"), e.getMessage());
        } finally {
            System.clearProperty(ImportLimits.MAX_EXPANSION_PROPERTY);
        }
    }
}
