package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.samples.SampleGenerator;

/**
 * Ctrl-C (here SIGTERM, which runs the same shutdown hooks) during `ingest`: the command says what
 * became of the work, the folder verifies consistent with the source shown as interrupted, and
 * ingesting the file again completes it with every event.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    void ingestInterrupted_saysSo_andIngestingAgainCompletesIt() throws Exception {
        Path snapshot = SampleGenerator.generate(tmp.resolve("samples"), 1, 150_000, 61, n -> {}).getFirst();
        Path data = tmp.resolve("data");
        Path stderr = tmp.resolve("stderr");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-XX:TieredStopAtLevel=1", "-Dtrailhound.terminal=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "ingest", "--data", data.toString(), snapshot.toString());
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (child.isAlive() && !Files.readString(stderr, StandardCharsets.UTF_8).contains(" events")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "the ingest ended before it could be interrupted: " + Files.readString(stderr));
            child.destroy(); // SIGTERM: the shutdown hooks run, as on Ctrl-C
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        String said = Files.readString(stderr);
        assertTrue(said.contains("trailhound: interrupted: the ingest of " + snapshot + " stopped; a snapshot's events committed"
                + " at its last checkpoint (every 500,000 events) are kept aside, and ingesting the file again resumes there"), said);

        Cli sources = Cli.run("sources", "--data", data.toString());
        assertTrue(sources.out().contains(" ingesting "), "shown as unfinished, not as 'not kept': " + sources.out());
        Cli verify = Cli.run("verify", "--data", data.toString());
        assertEquals(0, verify.status(), verify.out() + verify.err());
        assertTrue((verify.out() + verify.err()).contains("interrupted or still being ingested; ingest the file again"),
                verify.out() + verify.err());

        Cli again = Cli.run("ingest", "--data", data.toString(), snapshot.toString());
        assertEquals(0, again.status(), again.err());
        assertEquals(150_000, Cli.run("search", "--data", data.toString(), "--endpoint",
                Cli.run("endpoints", "--data", data.toString()).out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0],
                "--count").count());
        Cli clean = Cli.run("verify", "--data", data.toString());
        assertEquals(0, clean.status(), clean.out() + clean.err());
        assertTrue(clean.out().contains("consistent") && !clean.out().contains("ingest the file again"), clean.out());
    }
}
