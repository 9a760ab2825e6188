package trailhound.bench;

import java.nio.file.Path;

/**
 * What to benchmark: {@code events} spread over {@code endpoints} generated endpoints (seed
 * {@code seed}), {@code repetitions} timed runs per index query after a warm-up, an optional
 * {@code outDir} for the JSON report and {@code workDir} for the generated data (null: a temporary
 * folder deleted afterwards), and where the real Sysmon datasets are (null: skip that row).
 *
 * @param telemetryEvents Sysmon JSON lines to build for the telemetry import row (0: skip)
 * @param webClients concurrent HTTP clients for the web page timings (0: skip)
 * @param loadSeconds how long the simulated analysts of the load row run (0: skip the row); each
 *     saturation step runs a sixth of it, at least 2 s
 * @param loadAnalysts simulated analysts of the load row (each signed in with a session of their own)
 * @param loadEvents events of the endpoint under load: the queried endpoint when it has exactly as
 *     many, else an endpoint of that many generated and ingested for the row; 0: the queried endpoint
 * @param warmupMillis how long each engine runs each query before it is timed (after its fixed warm-up
 *     runs, at most {@link Latency#MAX_WARMUPS} runs): a path run a few times is not yet compiled
 */
public record BenchOptions(
        long events,
        int endpoints,
        long seed,
        int repetitions,
        Path outDir,
        Path workDir,
        boolean json,
        Path datasets,
        long telemetryEvents,
        int webClients,
        int loadSeconds,
        int loadAnalysts,
        long loadEvents,
        boolean peers,
        String opensearchUrl,
        long warmupMillis) {

    public static final long DEFAULT_EVENTS = 10_000_000L;
    public static final int DEFAULT_LOAD_SECONDS = 60;
    public static final int DEFAULT_LOAD_ANALYSTS = 50;
    public static final long DEFAULT_LOAD_EVENTS = 2_000_000L;
    public static final long DEFAULT_WARMUP_MILLIS = 2_000;

    public BenchOptions {
        if (endpoints < 1) throw new IllegalArgumentException("--endpoints must be at least 1, was " + endpoints);
        if (events < endpoints) {
            throw new IllegalArgumentException("--events must be at least --endpoints (" + endpoints + "), was " + events);
        }
        if (repetitions < 20) throw new IllegalArgumentException("--repetitions must be at least 20, was " + repetitions);
        if (telemetryEvents < 0) throw new IllegalArgumentException("telemetry events must be 0 or more, was " + telemetryEvents);
        if (webClients < 0) throw new IllegalArgumentException("web clients must be 0 or more, was " + webClients);
        if (loadSeconds < 0) throw new IllegalArgumentException("--load-seconds must be 0 or more, was " + loadSeconds);
        if (loadSeconds > 0 && loadAnalysts < 1) {
            throw new IllegalArgumentException("--load-analysts must be at least 1, was " + loadAnalysts);
        }
        if (loadEvents < 0) throw new IllegalArgumentException("--load-events must be 0 or more, was " + loadEvents);
        if (warmupMillis < 0) throw new IllegalArgumentException("--warmup-ms must be 0 or more, was " + warmupMillis);
    }

    /** With the peers, the default warm-up. */
    public BenchOptions(long events, int endpoints, long seed, int repetitions, Path outDir, Path workDir, boolean json,
            Path datasets, long telemetryEvents, int webClients, int loadSeconds, int loadAnalysts, long loadEvents, boolean peers,
            String opensearchUrl) {
        this(events, endpoints, seed, repetitions, outDir, workDir, json, datasets, telemetryEvents, webClients, loadSeconds,
                loadAnalysts, loadEvents, peers, opensearchUrl, DEFAULT_WARMUP_MILLIS);
    }

    /** The same run with {@code millis} of warm-up per query and engine (tests: 0, the fixed warm-up runs only). */
    public BenchOptions withWarmupMillis(long millis) {
        return new BenchOptions(events, endpoints, seed, repetitions, outDir, workDir, json, datasets, telemetryEvents, webClients,
                loadSeconds, loadAnalysts, loadEvents, peers, opensearchUrl, millis);
    }

    /** Without the peers. */
    public BenchOptions(long events, int endpoints, long seed, int repetitions, Path outDir, Path workDir, boolean json,
            Path datasets, long telemetryEvents, int webClients, int loadSeconds, int loadAnalysts, long loadEvents) {
        this(events, endpoints, seed, repetitions, outDir, workDir, json, datasets, telemetryEvents, webClients, loadSeconds,
                loadAnalysts, loadEvents, false, null);
    }

    /** Without the load row. */
    public BenchOptions(long events, int endpoints, long seed, int repetitions, Path outDir, Path workDir, boolean json,
            Path datasets, long telemetryEvents, int webClients) {
        this(events, endpoints, seed, repetitions, outDir, workDir, json, datasets, telemetryEvents, webClients, 0,
                DEFAULT_LOAD_ANALYSTS, DEFAULT_LOAD_EVENTS, false, null);
    }

    /** The default run: 10M events on one endpoint, seed 1, 20 repetitions, table output, the 60 s load row. */
    public static BenchOptions defaults() {
        return new BenchOptions(DEFAULT_EVENTS, 1, 1, 20, null, null, false, null, 200_000, 4, DEFAULT_LOAD_SECONDS,
                DEFAULT_LOAD_ANALYSTS, DEFAULT_LOAD_EVENTS, false, null);
    }
}
