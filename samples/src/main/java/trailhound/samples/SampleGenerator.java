package trailhound.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongConsumer;
import trailhound.recorder.RecorderMeta;
import trailhound.recorder.RecorderWriter;

/**
 * Generates realistic recorder databases: one {@code <host>.db} per endpoint (a mix of Windows,
 * Linux and macOS hosts with background activity and embedded attack stories) plus
 * {@code intel.csv} with hash verdicts for the stories' tools and common binaries.
 *
 * <p>Deterministic: the same arguments give the same rows (timestamps lie in the seven days ending
 * {@link #WINDOW_END}, never the current clock). Stories: {@code win-macro} on the first Windows
 * workstation, {@code dc-psexec} on DC-01 (4+ endpoints), {@code linux-webshell} on web-01,
 * {@code mac-fake-updater} on mac-design-01; see each database's {@code stories} table.
 *
 * <p>Thread-safe (no shared state); each call writes its own files.
 */
public final class SampleGenerator {
    /** End of the generated time window (exclusive). */
    public static final Instant WINDOW_END = Instant.parse("2026-11-20T00:00:00Z");
    /** Length of the generated time window. */
    public static final Duration WINDOW = Duration.ofDays(7);

    private static final List<HostSpec> HOSTS = List.of(
            new HostSpec("WS-FIN-01", "windows", "10.0.19045", "10.10.1.21", "CORP\\mgarcia", "fin"),
            new HostSpec("web-01", "linux", "Ubuntu 24.04.1 LTS (6.8.0-49-generic)", "10.20.0.11", "deploy", "web"),
            new HostSpec("mac-design-01", "macos", "15.1.1", "10.30.0.41", "anna", "design"),
            new HostSpec("DC-01", "windows", "10.0.20348", Stories.DC_IP, "CORP\\administrator", "dc"),
            new HostSpec("WS-ENG-02", "windows", "10.0.22631", "10.10.1.37", "CORP\\tnguyen", "eng"),
            new HostSpec("db-01", "linux", "Ubuntu 24.04.1 LTS (6.8.0-49-generic)", "10.20.0.21", "dba", "db"),
            new HostSpec("WS-HR-03", "windows", "10.0.19045", "10.10.2.14", "CORP\\lchen", "hr"),
            new HostSpec("build-01", "linux", "Debian 12 (6.1.0-27-amd64)", "10.20.0.31", "ci", "build"),
            new HostSpec("mac-exec-02", "macos", "14.7.1", "10.30.0.52", "rpatel", "exec"));

    private SampleGenerator() {}

    /**
     * Writes {@code endpoints} recorder databases with {@code totalEvents} events split between
     * them (each gets at least its story's events) and {@code intel.csv}, into {@code outDir}.
     *
     * @param progress called from the calling thread with the number of events written so far
     *     (all endpoints), about every 100,000 events and once at the end
     * @return the database paths, in host order
     * @throws IllegalArgumentException if {@code endpoints < 1} or {@code totalEvents < 0}
     * @throws trailhound.recorder.RecorderException if a database exists already or cannot be written
     * @throws IOException if {@code outDir} or {@code intel.csv} cannot be written
     */
    public static List<Path> generate(Path outDir, int endpoints, long totalEvents, long seed, LongConsumer progress)
            throws IOException {
        if (endpoints < 1) {
            throw new IllegalArgumentException("endpoints must be at least 1, was " + endpoints);
        }
        if (totalEvents < 0) {
            throw new IllegalArgumentException("totalEvents must not be negative, was " + totalEvents);
        }
        Objects.requireNonNull(progress, "progress");
        Files.createDirectories(outDir);
        SplittableRandom root = new SplittableRandom(seed);
        long windowEnd = WINDOW_END.toEpochMilli();
        long windowStart = windowEnd - WINDOW.toMillis();
        long storyBase = windowStart + (long) (WINDOW.toMillis() * (0.55 + 0.2 * root.nextDouble()));
        storyBase -= storyBase % 1000;
        List<HostSpec> hosts = hosts(endpoints);
        long[] written = {0};
        LongConsumer counting = delta -> {
            written[0] += delta;
            progress.accept(written[0]);
        };
        List<Path> paths = new ArrayList<>();
        boolean macroDone = false;
        for (int i = 0; i < hosts.size(); i++) {
            HostSpec host = hosts.get(i);
            long events = totalEvents / endpoints + (i < totalEvents % endpoints ? 1 : 0);
            Path db = outDir.resolve(host.host() + ".db");
            SplittableRandom rng = root.split();
            String recorderId = UUID.nameUUIDFromBytes((host.host() + "/" + seed).getBytes(StandardCharsets.UTF_8)).toString();
            try (RecorderWriter writer = RecorderWriter.create(db, RecorderMeta.of(host.host(), host.os(), host.osVersion(),
                    "2.4.1", host.ip(), recorderId, windowStart))) {
                Simulator sim = new Simulator(host, Catalog.forHost(host, rng), writer, rng, windowStart, windowEnd);
                sim.boot();
                Script script = new Script(sim);
                switch (host.role()) {
                    case "fin", "eng", "hr" -> {
                        if (!macroDone) {
                            Stories.windowsMacro(script, sim, host, storyBase);
                            macroDone = true;
                        }
                    }
                    case "dc" -> Stories.dcLateral(script, sim, host, hosts.get(0).ip(), storyBase);
                    case "web" -> Stories.linuxWebShell(script, sim, host, storyBase - 26 * 3_600_000L);
                    case "design" -> Stories.macFakeUpdater(script, sim, host, storyBase + 20 * 3_600_000L);
                    default -> { }
                }
                List<Script.Scripted> scripted = script.events();
                sim.run(Math.max(0, events - scripted.size()), scripted, counting);
                sim.finish();
                script.writeProcessesAndStories(writer);
            }
            paths.add(db);
        }
        Intel.write(outDir.resolve("intel.csv"), HOSTS.get(0).user(), HOSTS.get(2).user());
        return List.copyOf(paths);
    }

    /** The first {@code n} hosts: the named ones, then numbered workstations cycling through the OSes. */
    static List<HostSpec> hosts(int n) {
        List<HostSpec> hosts = new ArrayList<>(HOSTS.subList(0, Math.min(n, HOSTS.size())));
        for (int i = HOSTS.size(); i < n; i++) {
            int k = i - HOSTS.size() + 1;
            String ip = (k / 250) + "." + (1 + k % 250);
            hosts.add(switch (k % 3) {
                case 0 -> new HostSpec(String.format("app-%02d", k), "linux", "Ubuntu 24.04.1 LTS (6.8.0-49-generic)", "10.21." + ip, "deploy", "web-extra");
                case 1 -> new HostSpec(String.format("WS-GEN-%02d", k), "windows", "10.0.22631", "10.11." + ip, "CORP\\user" + k, "gen");
                default -> new HostSpec(String.format("mac-gen-%02d", k), "macos", "15.1.1", "10.31." + ip, "user" + k, "gen");
            });
        }
        return hosts;
    }
}
