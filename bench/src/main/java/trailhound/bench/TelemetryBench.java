package trailhound.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import trailhound.ingest.DataDir;
import trailhound.ingest.IngestReport;
import trailhound.ingest.Ingestor;
import trailhound.telemetry.ImportReport;
import trailhound.telemetry.TelemetryImport;

/*
 * Sysmon JSON import speed on real records. The OTRF datasets hold about 2,500 Windows event JSON
 * lines; a big file is built by repeating them, each copy made distinct with a leading
 * "BenchCopy" member (the importer derives event_uid from the line's bytes, so exact repeats
 * would be deduplicated to nothing). Two figures: parsing alone and the full import through the
 * Ingestor into a fresh data folder. "Parsing alone" is what the import does minus indexing: one
 * thread reads and cuts the file into batches of lines while one parsing thread per core parses
 * and maps them (TelemetryImport.read with availableProcessors threads) into a thread-safe
 * counting sink; before JSON lines were parsed on several threads it was one thread doing both.
 */
final class TelemetryBench {
    private TelemetryBench() {}

    /** Null (with a log line) when the datasets folder is absent or the row is off. */
    static BenchReport.Telemetry run(BenchOptions options, Path work, Benchmark.Log log) throws IOException {
        if (options.telemetryEvents() == 0) return null;
        Path datasets = datasets(options);
        Path otrf = datasets == null ? null : datasets.resolve("otrf");
        if (otrf == null || !Files.isDirectory(otrf)) {
            log.log("skipping the Sysmon JSON row: no datasets folder (set TRAILHOUND_DATASETS or --datasets;"
                    + " looked for %s)", otrf);
            return null;
        }
        List<String> lines = readLines(otrf);
        if (lines.isEmpty()) {
            log.log("skipping the Sysmon JSON row: no JSON lines in %s", otrf);
            return null;
        }
        Files.createDirectories(work);
        Path file = work.resolve("sysmon-bench.json");
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (written < options.telemetryEvents()) {
                String line = lines.get((int) (written % lines.size()));
                out.write("{\"BenchCopy\":" + written + "," + line.substring(1));
                out.write('\n');
                written++;
            }
        }
        log.log("Sysmon JSON: %,d lines built from %d real records, %s", written, lines.size(), Benchmark.mb(Files.size(file)));

        LongAdder counted = new LongAdder();
        long cpu0 = Machine.processCpuNanos();
        long t0 = System.nanoTime();
        ImportReport parsed = TelemetryImport.read(file, null, e -> counted.increment(),
                Runtime.getRuntime().availableProcessors());
        double parseSeconds = Benchmark.seconds(t0);
        double parseCpu = Benchmark.microsPerEvent(cpu0, counted.sum());

        long indexed;
        cpu0 = Machine.processCpuNanos();
        t0 = System.nanoTime();
        try (DataDir data = DataDir.open(work.resolve("data"))) {
            IngestReport report = new Ingestor(data).ingest(file, null);
            indexed = report.added();
        }
        double importSeconds = Benchmark.seconds(t0);
        double importCpu = Benchmark.microsPerEvent(cpu0, parsed.eventsEmitted());
        log.log("Sysmon JSON: parse %,.0f events/s (%.1f us CPU per event), full import %,.0f events/s (%.1f us)",
                counted.sum() / parseSeconds, parseCpu, parsed.eventsEmitted() / importSeconds, importCpu);
        return new BenchReport.Telemetry(written, Files.size(file), parseSeconds, counted.sum() / parseSeconds,
                importSeconds, parsed.eventsEmitted() / importSeconds, indexed, otrf.toString(), parseCpu, importCpu,
                evtx(datasets.resolve("evtx").resolve("sysmon.evtx"), log));
    }

    /** The .evtx row: the sample read for two seconds each way, on this one thread (after a warm-up). */
    private static BenchReport.Evtx evtx(Path sample, Benchmark.Log log) throws IOException {
        if (!Files.isRegularFile(sample)) {
            log.log("skipping the .evtx row: no %s", sample);
            return null;
        }
        byte[] bytes = Files.readAllBytes(sample);
        trailhound.evtx.EvtxHandler count = new trailhound.evtx.EvtxHandler() {
            @Override
            public void record(trailhound.evtx.EvtxRecord record) {}

            @Override
            public void damaged(long offset, String reason) {}
        };
        long perRead = trailhound.evtx.EvtxReader.read(new java.io.ByteArrayInputStream(bytes), count).records();
        for (int i = 0; i < 20; i++) trailhound.evtx.EvtxReader.read(new java.io.ByteArrayInputStream(bytes), count); // warm-up
        long records = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 2_000_000_000L) {
            records += trailhound.evtx.EvtxReader.read(new java.io.ByteArrayInputStream(bytes), count).records();
        }
        double reader = records / Benchmark.seconds(t0);
        long events = 0;
        t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 2_000_000_000L) {
            events += TelemetryImport.read(sample, null, e -> { }, 1).eventsEmitted();
        }
        double mapped = events / Benchmark.seconds(t0);
        log.log(".evtx: %s (%,d records): %,.0f records/s into Event XML trees, %,.0f into events, one thread", sample.getFileName(),
                perRead, reader, mapped);
        return new BenchReport.Evtx(sample.toString(), perRead, reader, mapped);
    }

    private static Path datasets(BenchOptions options) {
        if (options.datasets() != null) return options.datasets();
        String configured = System.getProperty("trailhound.datasets", System.getenv("TRAILHOUND_DATASETS"));
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        String root = System.getProperty("trailhound.root");
        return root == null ? null : Path.of(root).resolve("../shared/datasets").normalize();
    }

    /** Every JSON object line of every entry of every .zip in the folder, sorted by file name. */
    private static List<String> readLines(Path otrf) throws IOException {
        List<String> lines = new ArrayList<>();
        List<Path> zips;
        try (Stream<Path> files = Files.list(otrf)) {
            zips = files.filter(p -> p.getFileName().toString().endsWith(".zip")).sorted().toList();
        }
        for (Path zip : zips) {
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    if (entry.isDirectory()) continue;
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        String t = line.strip();
                        if (t.startsWith("{") && t.length() > 2) lines.add(t);
                    }
                }
            }
        }
        return lines;
    }
}
