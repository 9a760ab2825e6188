package trailhound.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.bench.BenchOptions;
import trailhound.bench.Benchmark;
import trailhound.bench.LuceneFloor;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark the index against the SQLite recorder database on the same"
        + " generated data: ingest speed, heap and index size, then a fixed query suite on both sides with median/p95"
        + " latencies, the ratio SQLite/index and the issue #4 targets (PASS/MISS). Exit status 1 when any index hit"
        + " count differs from the SQLite count. See docs/performance.md.")
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "10000000", description = "Events to generate in total (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--endpoints", paramLabel = "N", defaultValue = "1", description = "Endpoints to spread them over; more than one adds the hunt row (default: ${DEFAULT-VALUE}).")
    int endpoints;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed of the generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--repetitions", paramLabel = "N", defaultValue = "20", description = "Timed runs per index query after the warm-up, at least 20 (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "2000", description = "Warm-up per query and engine before the timed runs,"
            + " every engine alike (a path run only a few times is not yet compiled) (default: ${DEFAULT-VALUE}).")
    long warmupMs;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write bench-<time>.json with every figure and the machine into DIR.")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json on stdout (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--work", paramLabel = "DIR", description = "Keep the generated snapshots and indexes in DIR (default: a temporary folder, deleted).")
    Path work;

    @Option(names = "--datasets", paramLabel = "DIR", description = "Real telemetry for the Sysmon JSON row (default: $TRAILHOUND_DATASETS; the row is skipped when absent).")
    Path datasets;

    @Option(names = "--telemetry-events", paramLabel = "N", defaultValue = "200000", description = "Sysmon JSON lines for the import row, 0 to skip (default: ${DEFAULT-VALUE}).")
    long telemetryEvents;

    @Option(names = "--web-clients", paramLabel = "N", defaultValue = "4", description = "Concurrent clients timing the web pages, 0 to skip (default: ${DEFAULT-VALUE}).")
    int webClients;

    @Option(names = "--load-seconds", paramLabel = "S", defaultValue = "60", description = "How long the simulated analysts of the"
            + " load row run over HTTPS, 0 to skip; the saturation steps after them take a sixth of it each (default: ${DEFAULT-VALUE}).")
    int loadSeconds;

    @Option(names = "--load-analysts", paramLabel = "N", defaultValue = "50", description = "Simulated analysts of the load row,"
            + " each signed in with a session of their own, 1-3 s between requests (default: ${DEFAULT-VALUE}).")
    int loadAnalysts;

    @Option(names = "--load-events", paramLabel = "N", defaultValue = "2000000", description = "Events of the endpoint under load:"
            + " the queried endpoint when it has that many, else one generated for the row; 0: the queried endpoint (default: ${DEFAULT-VALUE}).")
    long loadEvents;

    @Option(names = "--peers", description = "Also load the queried snapshot into DuckDB (file-backed) and OpenSearch (a node in a"
            + " child JVM) and run the query suite on each beside the index and SQLite: load events/s, medians, p95, hit counts"
            + " (any disagreement fails the run) and ratios; see docs/performance.md.")
    boolean peers;

    @Option(names = "--peers-opensearch", paramLabel = "URL", description = "With --peers, use the OpenSearch node at URL (plain HTTP,"
            + " no credentials) instead of starting one; the benchmark's index there is deleted afterwards.")
    String peersOpensearch;

    @Option(names = "--lucene-floor", description = "Instead of the benchmark, measure what Lucene alone costs per document"
            + " shaped like an event (2,000,000 documents per row unless --events says otherwise); see docs/performance.md.")
    boolean luceneFloor;

    @Option(names = "--live", description = "Instead of the benchmark, load and faults of live endpoints: the server (HTTPS) in a child"
            + " JVM and replay agents on loopback, many to a JVM, streaming; then every event accounted for, lag, heap, throughput"
            + " (docs/performance.md). Exit status 1 when an event is not accounted for.")
    boolean live;

    @Option(names = "--live-agents", paramLabel = "N", defaultValue = "200", description = "Replay agents of --live (default: ${DEFAULT-VALUE}).")
    int liveAgents;

    @Option(names = "--live-rate", paramLabel = "EVENTS_PER_S", defaultValue = "5000", description = "Events/s of all --live agents together (default: ${DEFAULT-VALUE}).")
    double liveRate;

    @Option(names = "--live-seconds", paramLabel = "S", defaultValue = "600", description = "How long --live streams, per run (default: ${DEFAULT-VALUE}).")
    int liveSeconds;

    @Option(names = "--live-faults", description = "With --live, a second run: the server killed (-9) and restarted once, and 20 agents"
            + " (a tenth when fewer than 200) killed and restarted; again every event accounted for.")
    boolean liveFaults;

    @Override
    public Integer call() throws Exception {
        if (live) {
            return trailhound.bench.LiveBench.run(new trailhound.bench.LiveBench.Options(liveAgents, liveRate, liveSeconds, liveFaults, work),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        if (liveFaults) throw new IllegalArgumentException("--live-faults goes with --live");
        if (luceneFloor) {
            long documents = spec.commandLine().getParseResult().hasMatchedOption("--events") ? events : 2_000_000;
            if (documents < 1 || documents > Integer.MAX_VALUE) throw new IllegalArgumentException("--events must be between 1 and " + Integer.MAX_VALUE);
            LuceneFloor.report((int) documents, spec.commandLine().getOut());
            return 0;
        }
        if (format == Format.csv) throw new IllegalArgumentException("bench prints a table or json, not csv");
        // the node's jars are looked for now, not after the minutes the index and SQLite runs take
        if (peers && peersOpensearch == null) trailhound.opensearch.node.OpenSearchNode.nodeLib();
        BenchOptions options = new BenchOptions(events, endpoints, seed, repetitions, out, work, format == Format.json,
                datasets, telemetryEvents, webClients, loadSeconds, loadAnalysts, loadEvents, peers, peersOpensearch, warmupMs);
        return Benchmark.run(options, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
