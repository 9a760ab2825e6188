package trailhound.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import trailhound.recorder.ReadReport;
import trailhound.recorder.RecorderException;
import trailhound.recorder.RecorderMeta;
import trailhound.recorder.RecorderReader;
import trailhound.recorder.RecorderUids;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.SnapshotInfo;
import trailhound.store.SourceInfo;
import trailhound.store.Sources;
import trailhound.telemetry.ImportReport;
import trailhound.telemetry.TelemetryFormat;
import trailhound.telemetry.TelemetryImport;
import trailhound.telemetry.TelemetryReadException;
import trailhound.telemetry.UnsupportedFormatException;

/**
 * Ingests files into a data folder's per-endpoint indexes, keeping each as a source of truth:
 * recorder snapshots (SQLite, kept under {@code endpoints/<host>/snapshots/}) and telemetry logs
 * (Sysmon JSON lines or Event Viewer XML, Linux audit logs, kept as received under
 * {@code sources/<sha256>}), detected from their content.
 *
 * <p>A file whose SHA-256 is a complete source already adds nothing and says so. Every event is
 * labelled with its source ({@code source} = {@code "s" + id}); an event already indexed is kept as
 * it is (the first source wins). A source is complete, or failed with none of its events left: when
 * an ingest fails, what it added is removed again. A crash leaves the source "ingesting"; the same
 * ingest again completes it. A file that cannot be read as any accepted format fails with an
 * {@link IngestException} before any index is touched. One ingest at a time per instance; not
 * thread-safe.
 */
public final class Ingestor {
    /** Formats named in errors, in the order they are tried. */
    public static final String ACCEPTED_FORMATS = "a Trailhound recorder database (SQLite), Windows event JSON lines"
            + " (flat, Winlogbeat/ECS, Sentinel), Windows event XML (Event Viewer, wevtutil, Sysmon for Linux), Linux audit log"
            + " (raw or ausearch); plain or in .gz, .zip, .tar(.gz)";

    private static final DateTimeFormatter SNAPSHOT_TIME =
            DateTimeFormatter.ofPattern("yyyy_MM_dd'T'HH.mm.ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Events between checkpoints of a snapshot ingest (system property trailhound.checkpointEvents; tests set it low). */
    static final long CHECKPOINT_EVENTS = Long.getLong("trailhound.checkpointEvents", 500_000L);
    /** A snapshot's checkpoint: {@code <} and the lowest row id read (snapshots are read newest first). */
    private static final String BELOW = "<";
    /** Events of a snapshot indexed before its copy and hash start in the background (they would slow the first ones down). */
    private static final long RECEIVE_AFTER = 100_000;
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final DataDir data;
    private final int threads;
    private LongConsumer progress = n -> {};
    private Consumer<String> notes = text -> {};
    private java.time.ZoneId timeZone;
    private String actor = "cli:" + System.getProperty("user.name", "unknown");
    private java.util.function.BooleanSupplier stop = () -> false;

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

    /** Called with what the ingest waits for when it has to wait (an endpoint being re-indexed, renamed...). */
    public Ingestor onNote(Consumer<String> notes) {
        this.notes = notes;
        return this;
    }

    /**
     * The zone of times written without one in telemetry files (NXLog's EventTime), kept with the
     * source so a re-index reads them the same; null (the default): UTC, and the report says so.
     */
    public Ingestor inTimeZone(java.time.ZoneId zone) {
        this.timeZone = zone;
        return this;
    }

    /**
     * Asked while a file is read (every {@value #STOP_EVERY} events, on a thread that reads it): true stops
     * the ingest, which then fails with an {@link IngestException} whose {@link IngestException#stopped()} is true, its
     * events removed again and its source failed, as any failed ingest. The server's stop uses it: interrupting the
     * ingesting thread instead closes the index's files under Lucene (ClosedByInterruptException) and leaves it unusable.
     */
    public Ingestor stopWhen(java.util.function.BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    /** Events read between two questions to {@link #stopWhen}'s supplier. */
    static final int STOP_EVERY = 1_024;

    /** Who ingests, as recorded with each source ({@code cli:<os user>} by default, or a web user). */
    public Ingestor as(String actor) {
        this.actor = actor;
        return this;
    }

    /** Ingests one file; {@code endpointOverride} (may be null) replaces the host named in the records. */
    public IngestReport ingest(Path file, String endpointOverride) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IngestException(file, "is a folder; name the files in it", null);
        }
        if (!Files.isRegularFile(file)) {
            throw new IngestException(file, "no such file", null);
        }
        if (!Files.isReadable(file)) {
            throw new IngestException(file, "cannot be read (permission denied)", null);
        }
        if (Files.size(file) == 0) {
            throw new IngestException(file, "is empty (0 bytes); nothing to ingest", null);
        }
        boolean snapshot = isSqlite(file);
        if (!snapshot && TelemetryImport.detect(file).isEmpty()) {
            throw new IngestException(file, "unknown format (it " + TelemetryImport.startOf(file) + "); accepted formats: "
                    + ACCEPTED_FORMATS, null);
        }
        if (endpointOverride != null && endpointOverride.isBlank()) {
            throw new IngestException(file, "--endpoint needs a name", null);
        }
        Sources sources = data.store().sources();
        sources.failUnreceived(receivingHere()); // what a killed ingest left before its file was kept
        long size = Files.size(file);
        // Only a file of a known source's size can be a known source. Any other is ingested at once while it
        // is copied in and hashed in the background, so a big snapshot's newest events answer in seconds.
        String sha256 = sources.anyOfSize(size) ? sha256(file) : null;
        Optional<SourceInfo> known = sha256 == null ? Optional.empty() : sources.bySha256(sha256);
        if (known.isPresent() && known.get().state().equals(SourceInfo.COMPLETE)) {
            return IngestReport.known(file, known.get(), restoreKeptCopy(file, known.get()));
        }
        String kind = snapshot ? "snapshot" : "telemetry";
        Optional<SourceInfo> unreceived = known.isPresent() ? Optional.empty()
                : sources.unreceived(kind, file.getFileName().toString(), size);
        long id;
        if (known.isPresent()) {
            id = known.get().id(); // an unfinished or failed attempt: run it again; what it committed is kept
            sources.restart(id, endpointOverride, actor);
        } else if (unreceived.isPresent()) {
            // killed before it was hashed: whether it held these bytes is unknown, so nothing of it is kept
            id = unreceived.get().id();
            removeEverywhere(SourceInfo.label(id));
            sources.restart(id, endpointOverride, actor);
        } else {
            id = sources.begin(kind, file.getFileName().toString(), sha256, size,
                    endpointOverride, actor);
        }
        sources.setTimeZone(id, timeZone == null ? null : timeZone.getId());
        String receivingKey = data.root() + "#" + id;
        RECEIVING.add(receivingKey);
        try (Receiving receiving = sha256 != null ? Receiving.hashed(sha256) : Receiving.start(file, data.root().resolve("incoming"))) {
            Kept kept = new Kept(file, id, receiving);
            try {
                return snapshot ? ingestSnapshot(file, kept, endpointOverride, id) : ingestTelemetry(file, kept, endpointOverride, id);
            } catch (IOException | RuntimeException | Error e) {
                recordHash(id, receiving);
                throw e;
            }
        } catch (IOException | RuntimeException | Error e) {
            sources.fail(id, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            RECEIVING.remove(receivingKey);
        }
    }

    /** Records the file's hash with a source that failed before keeping it: the same file again retries that source. */
    private void recordHash(long id, Receiving receiving) {
        try {
            data.store().sources().setSha256(id, receiving.sha256());
        } catch (IOException | RuntimeException e) {
            // unreadable, or the same bytes are another source: that one is retried instead
        }
    }

    /** Removes every event labelled {@code label} from every index (one that holds none is left as it is). */
    private void removeEverywhere(String label) throws IOException {
        for (String endpoint : data.indexes().endpoints()) {
            try (trailhound.index.IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                if (lease.index().countSource(label) > 0) lease.index().deleteSource(label);
            } catch (trailhound.index.IndexFormatException e) {
                // an index of an older format is rebuilt from complete sources only
            }
        }
    }

    /** Sources this process is ingesting (data folder, '#', source id), whose file may not be hashed and kept yet. */
    private static final java.util.Set<String> RECEIVING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The ids of the sources of this data folder that this process is ingesting. */
    private java.util.Set<Long> receivingHere() {
        String prefix = data.root() + "#";
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (String key : RECEIVING) if (key.startsWith(prefix)) ids.add(Long.parseLong(key.substring(prefix.length())));
        return ids;
    }

    /**
     * Keeps a source's file in the data folder and records its hash, once: before anything of the
     * source counts (its first checkpoint, or its completion), never later.
     */
    private final class Kept {
        private final Path file;
        private final long id;
        final Receiving receiving;
        private Path path;

        Kept(Path file, long id, Receiving receiving) {
            this.file = file;
            this.id = id;
            this.receiving = receiving;
        }

        /** Keeps the file in {@code dir} as {@code name(sha256)} unless kept already; returns where it is. */
        Path in(Path dir, java.util.function.Function<String, String> name) throws IOException {
            if (path != null) return path;
            String sha = receiving.sha256();
            Optional<SourceInfo> same = data.store().sources().bySha256(sha);
            if (same.isPresent() && same.get().id() != id) {
                throw new IngestException(file, "the same file was ingested meanwhile, as source " + same.get().label(), null);
            }
            path = keep(file, receiving.copy(), dir, name.apply(sha));
            data.store().sources().adopt(id, sha, Files.size(path), data.root().relativize(path).toString());
            return path;
        }
    }

    /** Whether the file is of a format {@link #ingest} reads (a regular file, detected from its content). */
    public static boolean reads(Path file) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) > 0 && (isSqlite(file) || TelemetryImport.detect(file).isPresent());
    }

    private static boolean isSqlite(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SQLITE_MAGIC.length);
            return java.util.Arrays.equals(head, SQLITE_MAGIC);
        }
    }

    private IngestReport ingestSnapshot(Path file, Kept keep, String endpointOverride, long sourceId) throws IOException {
        String label = SourceInfo.label(sourceId);
        try (RecorderReader reader = RecorderReader.open(file)) {
            RecorderMeta meta = reader.meta();
            Map<String, String> aliases = data.catalogue().aliases();
            String named = endpointOverride != null ? endpointOverride : meta.host();
            String endpoint = aliases.getOrDefault(named, named); // a renamed or merged endpoint's events go to its new name
            long lastTs = reader.lastTs().orElse(meta.createdMs());
            // an agent's copy says when it was taken: named from that, as the copy itself is
            long takenAt = reader.capturedMs().orElse(lastTs);
            Path snapshots = data.endpointDir(endpoint).resolve("snapshots");
            java.util.function.Function<String, String> keptName = sha256 -> {
                // named after the endpoint it is kept in (never the file's own host text: a host of "../../x" once put the
                // copy outside the data folder, and an upload could name another host)
                String id = snapshotId(endpoint, takenAt);
                Path existing = snapshots.resolve(id + ".db");
                try {
                    if (Files.exists(existing) && !sha256.equals(sha256(existing))) {
                        // another snapshot with the same newest event (e.g. its process table changed): both are kept
                        id = id + "-" + sha256.substring(0, 12);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return id + ".db";
            };
            Map<String, EndpointCounts> counts;
            Map<String, Long> labelled = new TreeMap<>();
            ReadReport read;
            List<String> refusals;
            Map<String, KindCounts> kinds;
            long resumeBelow = resumePoint(endpoint, label);
            try (ParallelIndexer indexer = new ParallelIndexer(data, threads, label, reader.eventCount(), notes)) {
                Consumer<Event> renamed = endpoint.equals(meta.host()) ? indexer
                        : e -> indexer.accept(e.toBuilder().set(Field.ENDPOINT, endpoint).build());
                // newest first, so the newest events answer searches within seconds; every CHECKPOINT_EVENTS
                // events, what was read is committed with the row id reached, so an interrupted ingest of a
                // big snapshot resumes there instead of starting over
                long[] sinceCheckpoint = {0};
                long[] sent = {0};
                Consumer<Event> sink = withProgress(file, e -> {
                    renamed.accept(e);
                    if (++sent[0] == RECEIVE_AFTER) keep.receiving.begin(); // the newest events first, then the copy and hash
                    if (++sinceCheckpoint[0] == CHECKPOINT_EVENTS) {
                        sinceCheckpoint[0] = 0;
                        try {
                            keep.in(snapshots, keptName);
                            indexer.checkpoint(BELOW + RecorderUids.rowId(e.uid()));
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    }
                });
                try {
                    if (resumeBelow < Long.MAX_VALUE) indexer.touch(endpoint); // it may have nothing left to read
                    read = reader.readNewestFirst(label, resumeBelow, sink);
                    keep.in(snapshots, keptName);
                    counts = indexer.finish(labelled);
                    kinds = indexer.kinds();
                    refusals = refusals(indexer);
                } catch (IOException | RuntimeException | Error e) {
                    indexer.abort();
                    throw e;
                }
            }
            EndpointCounts c = counts.getOrDefault(endpoint, new EndpointCounts(endpoint, 0, 0, 0, 0, 0));
            c = new EndpointCounts(endpoint, c.read(), c.added(), c.duplicates(), read.rowsRejected(), c.resumed());
            String format = "recorder snapshot (schema " + meta.schemaVersion() + ")";
            data.store().catalogue().upsertEndpoint(endpoint, meta.os(), meta.host(), meta.ip());
            Path kept = keep.in(snapshots, keptName);
            String snapshotId = kept.getFileName().toString().replaceFirst("\\.db$", "");
            data.store().catalogue().upsertSnapshot(new SnapshotInfo(snapshotId, endpoint, kept, takenAt,
                    reader.firstTs().orElse(lastTs), lastTs, resumeBelow < Long.MAX_VALUE ? reader.eventCount() - read.rowsRejected()
                    : read.eventsRead()), sourceId);
            data.store().sources().complete(sourceId, format, Map.of(endpoint,
                    new SourceInfo.SourceEndpoint(endpoint, labelled.getOrDefault(endpoint, 0L), read.rowsRejected())), e -> meta.os());
            List<String> warnings = new java.util.ArrayList<>(refusals);
            warnings.addAll(applyRetention(List.of(endpoint)));
            return new IngestReport(file, format, Map.of(endpoint, c), read.rowsRejected(), read.firstRejectedIds(),
                    read.firstRejectedIds().stream().map(id -> "row " + id + ": not a readable event").toList(), kinds,
                    warnings, sourceId, false);
        } catch (RecorderException e) {
            throw new IngestException(file, e.reason(), e);
        }
    }

    /** Copies the file back over its source's kept copy when that is missing or changed; true when it did. */
    private boolean restoreKeptCopy(Path file, SourceInfo source) throws IOException {
        if (source.path() == null) return false;
        Path kept = data.root().resolve(source.path());
        if (Files.isRegularFile(kept) && Files.size(kept) == source.size() && sha256(kept).equals(source.sha256())) return false;
        copyAtomically(file, kept);
        return true;
    }

    /**
     * The recorder row id below which an interrupted ingest of this source has yet to read (its last
     * checkpoint), or Long.MAX_VALUE: read it all. A checkpoint of an older version (which read in id
     * order) also reads it all; what that run committed is kept, and counted as the source's.
     */
    private long resumePoint(String endpoint, String label) throws IOException {
        if (!data.indexes().exists(endpoint)) return Long.MAX_VALUE;
        try (trailhound.index.IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return lease.index().checkpointOf(label).filter(p -> p.startsWith(BELOW))
                    .map(p -> Long.parseLong(p.substring(BELOW.length()))).orElse(Long.MAX_VALUE);
        }
    }

    /**
     * Snapshot ids name the host and the time the copy was captured (meta {@code captured_ms}), or else of
     * the snapshot's newest event, e.g. {@code ws-01_2026_11_20T08.00.00.000Z}.
     */
    static String snapshotId(String host, long epochMillis) {
        return safeName(host) + "_" + SNAPSHOT_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * {@code name} as one safe file-name part: letters, digits, dot, dash and underscore kept (at most 80), every other
     * character an underscore, no leading dot; "endpoint" when nothing is left. Endpoint names come from recorder files
     * and agents: attacker-written text.
     */
    static String safeName(String name) {
        String safe = (name == null ? "" : name).replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^\\.+", "");
        if (safe.length() > 80) safe = safe.substring(0, 80);
        return safe.isEmpty() ? "endpoint" : safe;
    }

    /** Copies the file into {@code dir} under {@code name} (atomically), unless an equal-sized copy is there. */
    static Path keep(Path file, Path dir, String name) throws IOException {
        return keep(file, null, dir, name);
    }

    /**
     * Keeps the file in {@code dir} under {@code name} (atomically: {@code copy}, a copy of it in the
     * data folder, is moved there; when null the file is copied through a {@code .part}), unless an
     * equal-sized copy is there already.
     */
    private static Path keep(Path file, Path copy, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        if (Files.exists(target) && Files.size(target) == Files.size(file)) {
            return target;
        }
        if (copy != null) {
            Files.move(copy, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            copyAtomically(file, target);
        }
        return target;
    }

    /** Copies the file to {@code target} through a {@code .part} beside it: a crash never leaves half a copy under the name. */
    private static void copyAtomically(Path file, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private IngestReport ingestTelemetry(Path file, Kept keep, String endpointOverride, long sourceId) throws IOException {
        String label = SourceInfo.label(sourceId);
        Map<String, EndpointCounts> counts;
        Map<String, Long> labelled = new TreeMap<>();
        ImportReport report;
        Map<String, KindCounts> kinds;
        List<String> warnings = new java.util.ArrayList<>();
        try (ParallelIndexer indexer = new ParallelIndexer(data, threads, label, -1, notes)) {
            // JSON lines are parsed on `threads` threads that also index what they parse
            Map<String, String> aliases = data.catalogue().aliases();
            Consumer<Event> sink = withProgress(file, e -> {
                Event.Builder b = e.toBuilder().set(Field.SOURCE, label);
                String alias = aliases.get(e.get(Field.ENDPOINT)); // a renamed or merged endpoint's events go to its new name
                if (alias != null) b.set(Field.ENDPOINT, alias);
                indexer.index(b.build());
            });
            try {
                report = TelemetryImport.read(file, file.getFileName().toString(), endpointOverride, timeZone, sink, threads);
                keep.in(data.root().resolve("sources"), sha256 -> sha256);
                counts = indexer.finish(labelled);
                kinds = indexer.kinds();
                warnings.addAll(report.warnings());
                warnings.addAll(refusals(indexer));
            } catch (IOException | RuntimeException | Error e) {
                indexer.abort();
                if (e instanceof TelemetryReadException || e instanceof UnsupportedFormatException) {
                    throw new IngestException(file, e.getMessage(), e);
                }
                throw e;
            }
        }
        Map<String, SourceInfo.SourceEndpoint> fed = new LinkedHashMap<>();
        for (String endpoint : counts.keySet()) {
            fed.put(endpoint, new SourceInfo.SourceEndpoint(endpoint, labelled.getOrDefault(endpoint, 0L), 0));
        }
        data.store().sources().complete(sourceId, report.format().description(), fed, report.endpointOs()::get);
        warnings.addAll(applyRetention(fed.keySet()));
        return new IngestReport(file, report.format().description(), counts, report.malformed(),
                report.firstMalformedLines(), report.firstMalformed(), kinds, warnings, sourceId, false);
    }

    /** Applies each endpoint's retention limit after the ingest; says what it removed. */
    private List<String> applyRetention(java.util.Collection<String> endpoints) throws IOException {
        List<String> said = new java.util.ArrayList<>();
        for (String endpoint : endpoints) {
            try (trailhound.index.IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                long removed = RetentionPolicy.apply(data, endpoint, lease.index(), true);
                if (removed > 0) {
                    said.add(String.format("retention (%s) removed %,d of the oldest events of %s",
                            data.store().retention().limitFor(endpoint).describe(), removed, endpoint));
                }
            }
        }
        return said;
    }

    private static List<String> refusals(ParallelIndexer indexer) {
        if (indexer.refusedCount() == 0) return List.of();
        List<String> out = new java.util.ArrayList<>(indexer.refused());
        out.add(indexer.refusedCount() + " events could not be indexed (not counted as added)");
        return out;
    }

    /** Tells the progress and asks {@link #stopWhen}'s supplier as events pass to the sink; thread-safe when the sink is. */
    private Consumer<Event> withProgress(Path file, Consumer<Event> sink) {
        AtomicLong n = new AtomicLong();
        return e -> {
            long read = n.incrementAndGet();
            if (read % STOP_EVERY == 1 && stop.getAsBoolean()) throw IngestException.stopped(file);
            sink.accept(e);
            if (read % 50_000 == 0) progress.accept(read);
        };
    }

    /** Hex SHA-256 of the file's bytes. */
    static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
