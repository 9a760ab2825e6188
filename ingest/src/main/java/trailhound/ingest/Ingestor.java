package trailhound.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import trailhound.ingest.telemetry.ImportReport;
import trailhound.ingest.telemetry.TelemetryFormat;
import trailhound.ingest.telemetry.TelemetryImport;
import trailhound.recorder.ReadReport;
import trailhound.recorder.RecorderException;
import trailhound.recorder.RecorderMeta;
import trailhound.recorder.RecorderReader;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Ingests files into a data folder's per-endpoint indexes: recorder snapshots (SQLite, kept in the
 * catalogue and copied under {@code endpoints/<host>/snapshots/}) and telemetry logs (Sysmon JSON
 * lines or Event Viewer XML, Linux audit logs), detected from their content.
 *
 * <p>Ingesting the same file twice adds nothing (events are deduplicated on {@code event_uid}). A file
 * that cannot be read as any accepted format fails with an {@link IngestException} before any index is
 * touched. One ingest at a time per instance; not thread-safe.
 */
public final class Ingestor {
    /** Formats named in errors, in the order they are tried. */
    public static final String ACCEPTED_FORMATS = "a Trailhound recorder database (SQLite), Windows event JSON lines"
            + " (Sysmon/Security, plain, .zip or .gz), Windows event XML (Event Viewer / wevtutil), Linux audit log";

    private static final DateTimeFormatter SNAPSHOT_TIME =
            DateTimeFormatter.ofPattern("yyyy_MM_dd'T'HH.mm.ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final DataDir data;
    private final int threads;
    private LongConsumer progress = n -> {};

    public Ingestor(DataDir data) {
        this(data, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public Ingestor(DataDir data, int indexingThreads) {
        this.data = data;
        this.threads = indexingThreads;
    }

    /** Called with the number of events read so far, every 50,000 events, from any thread. */
    public Ingestor onProgress(LongConsumer progress) {
        this.progress = progress;
        return this;
    }

    /** Ingests one file; {@code endpointOverride} (may be null) replaces the host named in the records. */
    public IngestReport ingest(Path file, String endpointOverride) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IngestException(file, "no such file", null);
        }
        if (isSqlite(file)) {
            return ingestSnapshot(file, endpointOverride);
        }
        Optional<TelemetryFormat> format = TelemetryImport.detect(file);
        if (format.isEmpty()) {
            throw new IngestException(file, "unknown format; accepted formats: " + ACCEPTED_FORMATS, null);
        }
        return ingestTelemetry(file, endpointOverride);
    }

    private static boolean isSqlite(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SQLITE_MAGIC.length);
            return java.util.Arrays.equals(head, SQLITE_MAGIC);
        }
    }

    private IngestReport ingestSnapshot(Path file, String endpointOverride) throws IOException {
        try (RecorderReader reader = RecorderReader.open(file)) {
            RecorderMeta meta = reader.meta();
            String endpoint = EndpointNames.check(endpointOverride != null ? endpointOverride : meta.host());
            long lastTs = reader.lastTs().orElse(meta.createdMs());
            String snapshotId = snapshotId(meta.host(), lastTs);
            data.catalogue().upsertEndpoint(endpoint, meta.os(), meta.host(), meta.ip());

            Map<String, EndpointCounts> counts;
            ReadReport read;
            try (ParallelIndexer indexer = new ParallelIndexer(data.indexes(), threads)) {
                Consumer<Event> sink = withProgress(endpointOverride == null ? indexer
                        : e -> indexer.accept(e.toBuilder().set(Field.ENDPOINT, endpoint).build()));
                read = reader.read(snapshotId, sink);
                counts = indexer.finish();
            }
            // kept only once it was read through: a snapshot that fails mid-read leaves no orphan copy
            Path kept = keep(file, endpoint, snapshotId);
            EndpointCounts c = counts.getOrDefault(endpoint, new EndpointCounts(endpoint, 0, 0, 0, 0));
            c = new EndpointCounts(endpoint, c.read(), c.added(), c.duplicates(), read.rowsRejected());
            data.catalogue().upsertSnapshot(new SnapshotInfo(snapshotId, endpoint, kept, lastTs,
                    reader.firstTs().orElse(lastTs), lastTs, read.eventsRead()));
            return new IngestReport(file, "recorder snapshot (schema " + meta.schemaVersion() + ")",
                    Map.of(endpoint, c), read.rowsRejected(), read.firstRejectedIds(), Map.of(), List.of());
        } catch (RecorderException e) {
            throw new IngestException(file, e.reason(), e);
        }
    }

    /** Snapshot ids name the host and the time of the snapshot's newest event, e.g. {@code ws-01_2026_11_20T08.00.00.000Z}. */
    static String snapshotId(String host, long epochMillis) {
        return host + "_" + SNAPSHOT_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Copies the snapshot into the data folder (atomically), unless it is already there. */
    private Path keep(Path file, String endpoint, String snapshotId) throws IOException {
        Path dir = data.endpointDir(endpoint).resolve("snapshots");
        Files.createDirectories(dir);
        Path target = dir.resolve(snapshotId + ".db");
        if (Files.exists(target) && Files.size(target) == Files.size(file)) {
            return target;
        }
        Path tmp = dir.resolve(snapshotId + ".db.part");
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private IngestReport ingestTelemetry(Path file, String endpointOverride) throws IOException {
        Map<String, EndpointCounts> counts;
        ImportReport report;
        try (ParallelIndexer indexer = new ParallelIndexer(data.indexes(), threads)) {
            // JSON lines are parsed on `threads` threads that also index what they parse
            Consumer<Event> sink = withProgress(indexer::index);
            report = TelemetryImport.read(file, endpointOverride, sink, threads);
            String os = report.format() == TelemetryFormat.LINUX_AUDIT ? "linux" : "windows";
            for (String endpoint : report.endpoints()) {
                data.catalogue().upsertEndpoint(EndpointNames.check(endpoint), os, endpoint, null);
            }
            counts = indexer.finish();
        }
        data.catalogue().recordImport(file.toAbsolutePath(), report.format().name(), report.recordsRead());
        return new IngestReport(file, report.format().description(), counts, report.malformed(),
                report.firstMalformedLines(), report.countsByKind(), report.warnings());
    }

    /** Thread-safe when the sink is. */
    private Consumer<Event> withProgress(Consumer<Event> sink) {
        AtomicLong n = new AtomicLong();
        return e -> {
            sink.accept(e);
            long read = n.incrementAndGet();
            if (read % 50_000 == 0) progress.accept(read);
        };
    }
}
