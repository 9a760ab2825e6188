package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each command, run as bin/trailhound runs it (a child JVM through {@link Main#main}, the vector
 * module on), prints only Trailhound's own messages on stderr: no time-stamped Lucene INFO line
 * (vectorization, MemorySegmentIndexInput), no Log4j "no logging provider" on the first Excel
 * export, no SLF4J notices. The JVM's "Using incubator modules" line is left to bin/trailhound.
 */
class QuietStderrTest {
    private static final Pattern FOREIGN = Pattern.compile(
            "(?m)^(?!WARNING: Using incubator modules).*(INFO|SLF4J|Log4j|log4j|StatusLogger|org\\.apache\\.lucene|MemorySegment|vectoriz).*$");

    @TempDir
    Path tmp;

    private List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private String stderrOf(String... args) throws Exception {
        Path err = tmp.resolve("stderr-" + args[0]);
        Process child = new ProcessBuilder(java(args)).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), String.join(" ", args) + " did not end");
        String said = Files.readString(err);
        assertEquals(0, child.exitValue(), String.join(" ", args) + ": " + said);
        return said;
    }

    private static void assertQuiet(String what, String stderr) {
        Matcher foreign = FOREIGN.matcher(stderr);
        assertFalse(foreign.find(), what + " printed a line that is not Trailhound's: '" + (foreign.find(0) ? foreign.group() : "")
                + "'\n" + stderr);
    }

    @Test
    void ingestSearchServeAndExcelExport_stderrHoldsOnlyTrailhoundsMessages() throws Exception {
        Path file = Files.writeString(tmp.resolve("events.json"), "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"Hostname\":\"ws-quiet\",\"UtcTime\":\"2026-10-19 07:30:46.251\",\"ProcessGuid\":\"{AB-CD}\",\"ProcessId\":\"7\","
                + "\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"x.exe\"}\n");
        Path data = tmp.resolve("data");
        assertQuiet("ingest", stderrOf("ingest", "--data", data.toString(), file.toString()));
        assertQuiet("search", stderrOf("search", "--data", data.toString(), "--endpoint", "ws-quiet", "type:process"));
        assertQuiet("endpoints", stderrOf("endpoints", "--data", data.toString()));
        assertQuiet("verify", stderrOf("verify", "--data", data.toString()));

        Path err = tmp.resolve("stderr-serve");
        Process serve = new ProcessBuilder(java("serve", "--data", data.toString(), "--port", "0")).redirectError(err.toFile()).start();
        try {
            // Read stdout on its own thread: a changed start message must fail this test, not hang the build.
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) lines.add(line);
                } catch (IOException ignored) {
                    // the server was stopped
                }
            });
            String url = null;
            String password = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((url == null || password == null) && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) continue;
                Matcher u = Pattern.compile("running at (https://\\S+)").matcher(line);
                Matcher p = Pattern.compile("with password: (\\S+)").matcher(line);
                if (u.find()) url = u.group(1);
                if (p.find()) password = p.group(1);
            }
            assertTrue(url != null && password != null, "serve said where and how to sign in: " + lines + Files.readString(err));
            SSLContext tls = AnalystClient.trusting(data.resolve("certs").resolve("httpPublicCert.pem"));
            AnalystClient analyst = AnalystClient.signIn(url, "admin", password, tls);
            // The first sign-in over HTTPS must change the initial password; the export waits for it.
            assertEquals(302, analyst.get("/endpoints/ws-quiet/export.xlsx").statusCode());
            analyst = analyst.changePassword(password, "quiet-stderr-" + System.nanoTime());
            HttpResponse<String> excel = analyst.get("/endpoints/ws-quiet/export.xlsx");
            assertEquals(200, excel.statusCode());
            assertEquals(200, analyst.get("/endpoints/ws-quiet/events?q=type:process").statusCode());
            reader.interrupt();
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS));
        }
        assertQuiet("serve and an Excel export", Files.readString(err));
    }
}
