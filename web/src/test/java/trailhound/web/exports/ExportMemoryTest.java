package trailhound.web.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Exports;
import trailhound.ingest.DataDir;
import trailhound.ingest.Ingestor;
import trailhound.samples.SampleGenerator;
import trailhound.web.evidence.SevenZip;

/**
 * Exports stream: run in a JVM whose heap is far smaller than what they write, they finish, and the
 * ZIP is whole (7-Zip tests every entry's data and checksum with the password). Holding the events
 * instead would end the JVM with an OutOfMemoryError (-XX:+ExitOnOutOfMemoryError).
 */
class ExportMemoryTest {
    @TempDir Path dir;

    private static String run(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx32m",
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                SmallHeapExport.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out + Files.readString(log));
        return out;
    }

    /** The uncompressed size of the ZIP's one entry, as 7-Zip lists it without the password. */
    private static long entrySize(Path zip) throws Exception {
        Process p = new ProcessBuilder(SevenZip.command(), "l", "-slt", "-p", zip.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("(?m)^Size = (\\d+)$").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    private static void testWithPassword(Path zip) throws Exception {
        Process p = new ProcessBuilder(SevenZip.command(), "t", "-pinfected", zip.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("Everything is Ok"), out);
    }

    @Test
    void manyTimesTheHeap_throughTheExportWriter_inA32MiBHeap() throws Exception {
        // 400,000 events: a CSV of several times the heap (2,000,000 took over a minute of a 2-core CI's time for the same proof)
        Path zip = dir.resolve("big.zip");
        String out = run(dir.resolve("synthetic.log"), "synthetic", zip.toString(), "400000");
        assertTrue(out.contains("rows=400000"), out);
        long csvBytes = entrySize(zip);
        assertTrue(csvBytes > 5L * (32 << 20), "the CSV (" + csvBytes + " bytes) is many times the heap");
        testWithPassword(zip);
    }

    @Test
    void anIndexExportJob_ofMoreThanTheHeapHolds_inA32MiBHeap() throws Exception {
        Path data = dir.resolve("data");
        String endpoint;
        try (DataDir d = DataDir.open(data)) {
            Path sample = SampleGenerator.generate(dir.resolve("sample"), 1, 200_000, 11, n -> {}).getFirst();
            endpoint = new Ingestor(d, 1).ingest(sample, null).endpoints().keySet().iterator().next();
        }
        String out = run(dir.resolve("index.log"), "index", data.toString(), endpoint);
        Matcher m = Pattern.compile("state=done rows=(\\d+) id=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Long.parseLong(m.group(1)) >= 200_000, out);
        Path zip = Exports.file(data, Long.parseLong(m.group(2)));
        assertTrue(entrySize(zip) > 2L * (32 << 20), "the CSV is larger than the heap");
        testWithPassword(zip);
    }
}
