package trailhound.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import trailhound.bench.BenchReport.QueryResult;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.ingest.IngestReport;
import trailhound.ingest.Ingestor;
import trailhound.ingest.ReindexJobs;
import trailhound.ingest.Reindexer;
import trailhound.store.JobInfo;
import trailhound.recorder.RecorderReader;
import trailhound.samples.SampleGenerator;

/**
 * The benchmark of issue #4: generates recorder snapshots, ingests them, runs the query suite
 * against the index and the same logical queries against the SQLite snapshot in the same
 * process, checks that every pair of hit counts agrees, and reports latencies, ratios and the
 * issue's targets.
 *
 * <pre>{@code
 * int status = Benchmark.run(BenchOptions.defaults(), out, err);
 * }</pre>
 *
 * <p>Exit status 0 when every pair of counts agrees (missed targets are reported, not failures),
 * 1 when any pair disagrees. Progress goes to {@code err}; the table (or the JSON with
 * {@code json}) to {@code out}. Not thread-safe; one run at a time per work folder.
 */
public final class Benchmark {
    private static final long SQLITE_BUDGET_NANOS = 10_000_000_000L;
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final BenchOptions options;
    private final PrintWriter err;

    private Benchmark(BenchOptions options, PrintWriter err) {
        this.options = options;
        this.err = err;
    }

    /** Runs the whole benchmark; see the class comment for the exit status. */
    public static int run(BenchOptions options, PrintWriter out, PrintWriter err) throws Exception {
        BenchReport report = new Benchmark(options, err).measure();
        if (options.json()) {
            out.println(json().writeValueAsString(report));
        } else {
            ReportTable.print(report, out);
        }
        out.flush();
        if (options.outDir() != null) {
            Files.createDirectories(options.outDir());
            Path file = options.outDir().resolve("bench-" + FILE_TIME.format(Instant.parse(report.started())) + ".json");
            json().writeValue(file.toFile(), report);
            err.println("bench: wrote " + file);
            err.flush();
        }
        return report.countsAgree() ? 0 : 1;
    }

    private static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private BenchReport measure() throws Exception {
        String started = Instant.now().toString();
        Path work = options.workDir() != null ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("trailhound-bench");
        try {
            return measureIn(started, work);
        } finally {
            if (options.workDir() == null) deleteTree(work);
        }
    }

    private BenchReport measureIn(String started, Path work) throws Exception {
        Machine machine = Machine.current();
        log("machine: " + machine.describe());

        log("generating %,d events on %d endpoint(s)...", options.events(), options.endpoints());
        Path samples = work.resolve("samples");
        long t0 = System.nanoTime();
        List<Path> files = SampleGenerator.generate(samples, options.endpoints(), options.events(), options.seed(), n -> {});
        double genSeconds = seconds(t0);
        long snapshotBytes = 0;
        for (Path f : files) snapshotBytes += Files.size(f);
        var generate = new BenchReport.Generate(options.events(), files.size(), genSeconds, snapshotBytes);
        log("generated %s in %.1f s", mb(snapshotBytes), genSeconds);

        try (DataDir data = DataDir.open(work.resolve("data"))) {
            log("ingesting...");
            Map<Path, String> endpointOf = new LinkedHashMap<>();
            Map<Path, Long> eventsOf = new LinkedHashMap<>();
            long events = 0;
            long peakHeap;
            long cpu0 = Machine.processCpuNanos();
            t0 = System.nanoTime();
            BenchReport.NewestSearchable newest;
            try (HeapSampler heap = new HeapSampler(); NewestWatch watch = NewestWatch.start(data, files.getFirst())) {
                Ingestor ingestor = new Ingestor(data);
                for (Path f : files) {
                    IngestReport r = ingestor.ingest(f, null);
                    events += r.added();
                    endpointOf.put(f, r.endpoints().keySet().iterator().next());
                    eventsOf.put(f, r.added());
                }
                peakHeap = heap.peakBytes();
                newest = watch.result();
            }
            if (newest != null) {
                log("newest event of %s searchable %.1f s after its ingest started (%,d of %,d events then)",
                        newest.snapshot(), newest.seconds(), newest.eventsSearchable(), newest.snapshotEvents());
            }
            double ingestSeconds = seconds(t0);
            double cpuPerEvent = microsPerEvent(cpu0, events);
            long indexBytes = 0;
            for (String endpoint : endpointOf.values()) {
                try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                    indexBytes += lease.index().stats().sizeOnDisk();
                }
            }
            log("ingested %,d events in %.1f s (%,.0f events/s), peak heap %s, index %s",
                    events, ingestSeconds, events / ingestSeconds, mb(peakHeap), mb(indexBytes));

            Path biggest = files.stream().max(Comparator.comparingLong(Benchmark::size)).orElseThrow();
            log("reading %s alone, for the share of ingest CPU that is reading...", biggest.getFileName());
            double readPerEvent = readAloneMicrosPerEvent(biggest);
            var ingest = new BenchReport.Ingest(events, ingestSeconds, events / ingestSeconds, peakHeap, indexBytes,
                    snapshotBytes, (double) indexBytes / snapshotBytes, cpuPerEvent, readPerEvent,
                    machine.budgetMicrosPerEvent(Targets.INGEST_EVENTS_PER_SECOND), newest);
            log("ingest CPU %.1f us per event, reading alone %.1f us", cpuPerEvent, readPerEvent);
            String endpoint = endpointOf.get(biggest);
            List<Peer> peers = options.peers() ? loadPeers(biggest, endpoint, work.resolve("peers")) : List.of();
            List<QueryResult> queries;
            try {
                queries = runSuite(data, biggest, endpoint, peers);
            } finally {
                closeAll(peers);
            }
            List<BenchReport.PeerLoad> peerLoads = peers.stream().map(Peer::loaded).toList();

            BenchReport.Hunt hunt = options.endpoints() > 1 ? new HuntBench(data, options.repetitions(), this::log).run() : null;
            BenchReport.Reindex reindex = reindex(data, endpoint, endpointOf.size());
            BenchReport.Telemetry telemetry = TelemetryBench.run(options, work.resolve("telemetry"), this::log);
            BenchReport.Web web = options.webClients() > 0
                    ? WebBench.run(data, endpoint, queries, options.webClients(), this::log) : null;
            BenchReport.Load load = options.loadSeconds() > 0 ? load(data, work, endpoint, eventsOf.get(biggest), biggest) : null;

            boolean agree = queries.stream().allMatch(QueryResult::agree);
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("events", options.events());
            settings.put("endpoints", options.endpoints());
            settings.put("seed", options.seed());
            settings.put("repetitions", options.repetitions());
            settings.put("warmup_ms", options.warmupMillis());
            settings.put("sqliteBudgetSeconds", SQLITE_BUDGET_NANOS / 1e9);
            settings.put("telemetryEvents", options.telemetryEvents());
            settings.put("webClients", options.webClients());
            settings.put("loadSeconds", options.loadSeconds());
            settings.put("loadAnalysts", options.loadAnalysts());
            settings.put("loadEvents", options.loadEvents());
            settings.put("peers", options.peers());
            if (options.peers()) {
                settings.put("peerMemory", PEER_MEMORY);
                settings.put("peerOpensearchHeap", options.opensearchUrl() == null ? PEER_HEAP : null);
            }
            var partial = new BenchReport(started, machine, settings, generate, ingest, endpoint, queries, hunt, reindex, telemetry,
                    web, load, peerLoads, List.of(), agree);
            return new BenchReport(started, machine, settings, generate, ingest, endpoint, queries, hunt, reindex, telemetry, web, load,
                    peerLoads, Targets.check(partial), agree);
        }
    }

    /**
     * The load row on the queried endpoint when it has the asked number of events (or none was
     * asked), else on an endpoint of that many events generated and ingested beside it.
     */
    private BenchReport.Load load(DataDir data, Path work, String endpoint, long events, Path snapshot) throws Exception {
        if (options.loadEvents() > 0 && options.loadEvents() != events) {
            log("generating %,d events for the load row...", options.loadEvents());
            List<Path> files = SampleGenerator.generate(work.resolve("load-samples"), 1, options.loadEvents(), options.seed(), n -> {});
            snapshot = files.getFirst();
            endpoint = "LOAD-" + options.loadEvents();
            events = new Ingestor(data).ingest(snapshot, endpoint).added();
            log("ingested %,d events as endpoint %s", events, endpoint);
        }
        return LoadBench.run(data, endpoint, events, snapshot, options.loadAnalysts(), options.loadSeconds(), this::log);
    }

    /** Re-index of the queried endpoint alone, then (with several endpoints) one job over all of them. */
    private BenchReport.Reindex reindex(DataDir data, String endpoint, int endpoints) throws Exception {
        log("re-indexing %s from its sources...", endpoint);
        long t0 = System.nanoTime();
        Reindexer.Result one = new Reindexer(data, Runtime.getRuntime().availableProcessors()).reindex(endpoint, (e, n) -> {});
        double oneSeconds = seconds(t0);
        log("re-indexed %,d events in %.1f s (%,.0f events/s)", one.events(), oneSeconds, one.events() / oneSeconds);
        if (endpoints < 2) return new BenchReport.Reindex(endpoint, one.events(), oneSeconds, one.events() / oneSeconds, 1, 0, 0);
        log("re-indexing all %d endpoints as one job...", endpoints);
        t0 = System.nanoTime();
        try (ReindexJobs jobs = new ReindexJobs(data, Runtime.getRuntime().availableProcessors())) {
            List<String> all = data.catalogue().endpoints().stream().map(trailhound.store.EndpointInfo::name).toList();
            JobInfo done = jobs.await(jobs.submit(all, "bench"), j -> {});
            double allSeconds = seconds(t0);
            if (!done.state().equals(JobInfo.DONE)) throw new IllegalStateException("re-index job ended " + done.state() + ": " + done.message());
            log("re-indexed %d endpoints, %,d events, in %.1f s", all.size(), done.eventsDone(), allSeconds);
            return new BenchReport.Reindex(endpoint, one.events(), oneSeconds, one.events() / oneSeconds, all.size(),
                    done.eventsDone(), allSeconds);
        }
    }

    /**
     * The peers of {@code --peers}, each loaded with the queried snapshot: DuckDB in the process
     * (as many threads as cores, a memory limit of {@link #PEER_MEMORY}), then OpenSearch (a node
     * with a heap of {@link #PEER_HEAP}, or the one at the options' URL).
     */
    private List<Peer> loadPeers(Path snapshot, String endpoint, Path folder) throws Exception {
        List<Peer> peers = new ArrayList<>();
        try {
            int cores = Runtime.getRuntime().availableProcessors();
            log("loading %s into DuckDB...", snapshot.getFileName());
            DuckDbSide duck = DuckDbSide.load(snapshot, folder.resolve("duckdb").resolve("events.duckdb"), endpoint, cores, PEER_MEMORY);
            peers.add(duck);
            logLoad(duck.loaded());
            log(options.opensearchUrl() == null ? "starting an OpenSearch node (heap %s) and loading %s into it..."
                    : "loading %2$s into OpenSearch at %3$s...", PEER_HEAP, snapshot.getFileName(), options.opensearchUrl());
            OpenSearchSide os = OpenSearchSide.load(snapshot, endpoint, options.opensearchUrl(), folder.resolve("opensearch"),
                    PEER_HEAP, cores);
            peers.add(os);
            logLoad(os.loaded());
            return peers;
        } catch (Exception | Error e) {
            closeAll(peers);
            throw e;
        }
    }

    /** Memory each peer may use: DuckDB's memory_limit, OpenSearch's heap (the hand-built run gave OpenSearch 3 GB). */
    static final String PEER_MEMORY = "3GB";
    static final String PEER_HEAP = "3g";

    private void logLoad(BenchReport.PeerLoad l) {
        log("%s loaded %,d events in %.1f s (%,.0f events/s), %s on disk", l.name(), l.events(), l.seconds(), l.eventsPerSecond(),
                l.bytes() < 0 ? "?" : mb(l.bytes()));
    }

    private void closeAll(List<Peer> peers) {
        for (Peer p : peers) {
            try {
                p.close();
            } catch (Exception e) {
                log("closing %s failed: %s", p.name(), e);
            }
        }
    }

    private List<QueryResult> runSuite(DataDir data, Path snapshot, String endpoint, List<Peer> peers) throws Exception {
        List<QueryResult> results = new ArrayList<>();
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint);
                SnapshotSql sql = new SnapshotSql(snapshot, endpoint)) {
            IndexSide index = new IndexSide(lease.index());
            log("picking query values from the snapshot...");
            List<QueryCase> cases = QuerySuite.build(sql);
            for (QueryCase q : cases) {
                long warmup = options.warmupMillis() * 1_000_000; // every engine alike
                // the same rule as the peers': 20 runs or as many as fit in the budget, at least 3 (the Excel row)
                var onIndex = Latency.measure(3, warmup, 3, options.repetitions(), SQLITE_BUDGET_NANOS, () -> index.run(q));
                var onSqlite = Latency.measure(1, warmup, 3, options.repetitions(), SQLITE_BUDGET_NANOS, () -> sql.run(q));
                boolean agree = onIndex.answer().equals(onSqlite.answer());
                double ratio = onSqlite.latency().medianMs() / Math.max(1e-6, onIndex.latency().medianMs());
                List<BenchReport.PeerQuery> onPeers = new ArrayList<>();
                StringBuilder peerLine = new StringBuilder();
                for (Peer p : peers) {
                    if (p.run(q) == null) { // a kind this engine cannot answer
                        onPeers.add(new BenchReport.PeerQuery(p.name(), -1, true, null, Double.NaN));
                        peerLine.append(String.format("  %s n/a", p.name()));
                        continue;
                    }
                    // the index's warm-up (this first run included) and repetitions; the SQLite side's time budget for full scans
                    var m = Latency.measure(2, warmup, 3, options.repetitions(), SQLITE_BUDGET_NANOS, () -> p.run(q));
                    boolean same = m.answer().equals(onIndex.answer());
                    agree &= same;
                    onPeers.add(new BenchReport.PeerQuery(p.name(), m.answer().hits(), same, m.latency(),
                            m.latency().medianMs() / Math.max(1e-6, onIndex.latency().medianMs())));
                    peerLine.append(String.format("  %s %.3f ms", p.name(), m.latency().medianMs()));
                    if (!same) {
                        log("MISMATCH on %s: %s answered %s, the index %s", q.name(), p.name(), m.answer(), onIndex.answer());
                    }
                }
                results.add(new QueryResult(q.name(), q.indexQuery(), q.sql(), onIndex.answer().hits(),
                        onSqlite.answer().hits(), agree, onIndex.latency(), onSqlite.latency(), ratio,
                        q.targetMedianMs(), q.targetRatio(), List.copyOf(onPeers)));
                log("  %-28s index %9.3f ms  sqlite %10.1f ms%s  hits %,d%s", q.name(), onIndex.latency().medianMs(),
                        onSqlite.latency().medianMs(), peerLine, onIndex.answer().hits(),
                        onIndex.answer().equals(onSqlite.answer()) ? "" : "  MISMATCH: sqlite " + onSqlite.answer());
            }
        }
        return results;
    }

    /** Process CPU per event of reading the snapshot into events and dropping them, as ingest reads it. */
    private static double readAloneMicrosPerEvent(Path snapshot) {
        long[] read = {0};
        long cpu0 = Machine.processCpuNanos();
        try (RecorderReader reader = RecorderReader.open(snapshot)) {
            reader.read("bench", e -> read[0]++);
        }
        return microsPerEvent(cpu0, read[0]);
    }

    /** CPU microseconds per event since {@code cpu0} (Machine#processCpuNanos); -1 when unknown. */
    static double microsPerEvent(long cpu0, long events) {
        long cpu1 = Machine.processCpuNanos();
        return cpu0 < 0 || cpu1 < 0 || events == 0 ? -1 : (cpu1 - cpu0) / 1e3 / events;
    }

    void log(String format, Object... args) {
        err.println("bench: " + (args.length == 0 ? format : String.format(format, args)));
        err.flush();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String mb(long bytes) {
        return String.format("%,.1f MiB", bytes / (double) (1L << 20)); // binary units, as the 2 GiB heap target
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Progress lines, so the phases can report without knowing the output streams. */
    interface Log {
        void log(String format, Object... args);
    }
}
