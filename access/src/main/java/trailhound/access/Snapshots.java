package trailhound.access;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import trailhound.ingest.DataDir;
import trailhound.ingest.IngestException;
import trailhound.ingest.IngestReport;
import trailhound.ingest.Ingestor;
import trailhound.recorder.RecorderException;
import trailhound.recorder.RecorderReader;
import trailhound.store.EndpointInfo;
import trailhound.store.SnapshotInfo;
import trailhound.store.SourceInfo;
import trailhound.telemetry.TelemetryImport;

/*
 * An upload is received into its own folder under <data>/incoming, a chunk at a time (never whole in
 * memory), up to a size cap; then checked: a recorder database must open as one and name its host, a
 * telemetry file must be of a format the importer detects; then the caller must be allowed the endpoint
 * it feeds; only then is it ingested, by the same Ingestor as the command line, which keeps its own copy
 * (snapshots under endpoints/<e>/snapshots, telemetry under sources/). The upload folder is removed
 * whatever happens, so a refused file leaves nothing behind.
 *
 * Who may upload what: analysts and administrators (INVESTIGATE). An analyst only into an endpoint of
 * their groups: a recorder database whose host (or the endpoint given) they see; a telemetry file names
 * its hosts in its records, so an analyst gives the endpoint it is of, and it all goes there.
 *
 * One upload ingests at a time (the rest wait their turn): ingests of one data folder write the same
 * indexes, and receiving, the long part, runs in parallel anyway.
 */

/**
 * Snapshots as a caller may see them, uploads of recorder databases and telemetry files, and captures
 * from live endpoints (received by the web layer, then checked and ingested here as uploads are): from
 * {@link Scope#snapshots()}. Every upload and capture is audited ({@code snapshot.upload},
 * {@code snapshot.capture}: ok, failed or denied, with the file and what it added). Thread-safe.
 */
public final class Snapshots {
    private static final int CHUNK = 1 << 20;
    private static final byte[] SQLITE = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /** A SQLite database file's header (its first page holds it whole): a shorter file is a cut copy. */
    private static final int SQLITE_HEADER_BYTES = 100;
    /** Why a capture stopped by the server's stop while it was ingested ended, in its record and the audit trail. */
    public static final String STOPPED_INGEST = "the server stopped during the capture's ingest: capture again";

    /** Why an upload stopped by the server's stop while it was ingested ended, in the audit trail and the answer. */
    public static final String STOPPED_UPLOAD = "the server stopped during the upload's ingest; nothing of it is kept: upload it again";
    private static final ReentrantLock INGESTING = new ReentrantLock(true);

    /** An endpoint the caller may see and its snapshots, newest first. */
    public record EndpointSnapshots(String endpoint, String os, List<SnapshotInfo> snapshots) {}

    /**
     * What an upload became: the source it is kept as, its format, the endpoints it fed, the snapshot
     * (null for a telemetry file) and events read and added ({@code known}: the same bytes were a source
     * already, nothing was added).
     */
    public record Uploaded(long sourceId, String format, List<String> endpoints, String snapshotId, long read, long added,
            boolean known, List<String> warnings) {}

    /** An upload refused, with the reason; {@code tooLarge}: over the size cap (HTTP 413), else bad content (422). */
    public static final class Refused extends RuntimeException {
        private final boolean tooLarge;

        Refused(String message, boolean tooLarge) {
            super(message);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    private final Scope scope;
    private final DataDir data;

    /** An upload whose sender stopped before its end (the page's Cancel, a dropped connection): ordinary, audited, nothing kept. */
    public static final class Cut extends IOException {
        Cut(String message, IOException cause) {
            super(message, cause);
        }
    }

    Snapshots(Scope scope, DataDir data) {
        this.scope = scope;
        this.data = data;
    }

    /** Every endpoint the caller may see, by name, with its snapshots (an endpoint without any too, with none). */
    public List<EndpointSnapshots> byEndpoint() throws IOException {
        List<EndpointSnapshots> out = new ArrayList<>();
        for (EndpointInfo e : scope.endpoints()) {
            out.add(new EndpointSnapshots(e.name(), e.os(), data.catalogue().snapshots(e.name())));
        }
        out.sort(Comparator.comparing(EndpointSnapshots::endpoint));
        return out;
    }

    /**
     * Receives {@code body} (at most {@code maxBytes}) as the file {@code fileName} (a name only, for the
     * source list; a path is cut to its last part) and ingests it, into {@code endpoint} when given.
     *
     * @throws AccessDeniedException when the caller's role may not upload (403)
     * @throws Refused when it is too large, empty, of no format Trailhound reads, not a readable recorder
     *     database, or of an endpoint the caller may not see; nothing is kept
     * @throws IngestException when the ingest itself fails (the source is listed as failed, as after the CLI's)
     * @throws Cut when the body ends before its end: the sender cancelled or the connection dropped (audited)
     * @throws IOException when the data folder cannot be written (a full disk: nothing is kept)
     */
    public Uploaded upload(InputStream body, String fileName, String endpoint, long maxBytes) throws IOException {
        return upload(body, fileName, endpoint, maxBytes, () -> false);
    }

    /**
     * As {@link #upload(InputStream, String, String, long)}; {@code stop} is asked while it ingests: true stops the
     * ingest (the server is stopping), which then throws an {@link IngestException} whose {@code stopped()} is true,
     * audited as {@value #STOPPED_UPLOAD}; nothing of the file is kept.
     */
    public Uploaded upload(InputStream body, String fileName, String endpoint, long maxBytes, java.util.function.BooleanSupplier stop)
            throws IOException {
        scope.require(Action.INVESTIGATE);
        String name = fileName(fileName);
        String into = endpoint == null || endpoint.isBlank() ? null : endpoint.strip();
        Path incoming = Files.createDirectories(data.root().resolve("incoming"));
        sweepAbandoned(incoming);
        Path folder = incoming.resolve("upload-" + java.util.UUID.randomUUID());
        Files.createDirectory(folder);
        Path file = folder.resolve(name);
        try {
            long size;
            try {
                size = receive(body, file, maxBytes);
            } catch (Refused tooLarge) {
                scope.audit("snapshot.upload", null, AuditLog.DENIED, name + ": " + tooLarge.getMessage());
                throw new Refused(name + ": " + tooLarge.getMessage(), true);
            } catch (IOException cut) {
                // the sender cancelled (the page's Cancel aborts the request) or the connection dropped
                String why = name + ": the upload stopped before its end (cancelled, or the connection was cut: " + cut.getMessage()
                        + "); nothing of it is kept";
                scope.audit("snapshot.upload", null, AuditLog.FAILED, why);
                throw new Cut(why, cut);
            }
            return keep(file, name, into, size, "snapshot.upload", stage -> { }, stop, n -> { });
        } finally {
            deleteTree(folder);
        }
    }

    /**
     * Checks a received file and ingests it (the part uploads and captures share): see {@link #upload};
     * {@code stage} is told "checking", then "ingesting" once no other ingest runs; audited as {@code action}.
     */
    private Uploaded keep(Path file, String name, String into, long size, String action, java.util.function.Consumer<String> stage,
            java.util.function.BooleanSupplier stop, java.util.function.LongConsumer read) throws IOException {
        stage.accept("checking");
        String host = check(action, file, size);
        // fourth try-out: endpoint=WS-FIN-01 with another host's database was answered 201, the endpoint silently ignored
        if (action.equals("snapshot.upload") && host != null && into != null && !data.currentName(host).equals(data.currentName(into))) {
            throw refused(action, name, "it is the recorder database of " + host + ", not of " + into + " (the endpoint given): a snapshot"
                    + " goes into the endpoint that recorded it; upload it without an endpoint, or give " + host, false);
        }
        String target = into != null ? into : host;
        if (target != null) target = data.currentName(target);
        if (!scope.caller().role().equals(Role.ADMINISTRATOR)) {
            if (target == null) {
                throw refused(action, name, "a telemetry file may hold events of any host, so say which endpoint it is of: choose"
                        + " one of your endpoints and its events go there (an administrator may upload it without one: each event then goes"
                        + " to the host it names)", false);
            }
            if (!scope.sees(target)) {
                throw refused(action, name, "'" + target + "' is not an endpoint of your computer groups: an administrator can upload it,"
                        + " or grant you its group", false);
            }
        }
        IngestReport report;
        INGESTING.lock();
        try {
            stage.accept("ingesting");
            report = new Ingestor(data).as(scope.caller().user()).stopWhen(stop).onProgress(read).ingest(file, into == null ? null : target);
        } catch (IngestException e) {
            scope.audit(action, target, AuditLog.FAILED, name + ": " + (!e.stopped() ? e.getMessage()
                    : action.equals("snapshot.capture") ? STOPPED_INGEST : STOPPED_UPLOAD));
            throw e;
        } finally {
            INGESTING.unlock();
        }
        scope.audit(action, target, AuditLog.OK, IngestAudit.detail(Path.of(name), report)
                + (action.equals("snapshot.capture") ? String.format(", %,d bytes", size) : ""));
        Optional<SourceInfo> source = data.store().sources().get(report.sourceId());
        String snapshotId = source.filter(s -> s.kind().equals("snapshot") && s.path() != null)
                .map(s -> Path.of(s.path()).getFileName().toString().replaceFirst("\\.db$", "")).orElse(null);
        List<String> endpoints = report.known()
                ? source.map(s -> s.endpoints().stream().map(SourceInfo.SourceEndpoint::endpoint).sorted().toList()).orElse(List.of())
                : report.endpoints().keySet().stream().sorted().toList();
        return new Uploaded(report.sourceId(), report.format(), endpoints, snapshotId, report.read(), report.added(), report.known(),
                report.warnings());
    }

    /**
     * Room for a capture in the data folder: the recorder database's {@code recorderBytes} (as its agent
     * reports them), the folder disk's {@code freeBytes}, and {@code neededBytes}: twice the database (the
     * copy received, then the copy the ingest keeps) and the server's {@code reserveBytes} kept free
     * beside them (its indexes grow too).
     */
    public record Room(long recorderBytes, long freeBytes, long neededBytes) {
        public boolean enough() {
            return freeBytes >= neededBytes;
        }
    }

    /** The room a capture of {@code recorderBytes} needs and the data folder's free space now. */
    public Room room(long recorderBytes, long reserveBytes) throws IOException {
        long free = Files.getFileStore(data.root()).getUsableSpace();
        long needed = recorderBytes > (Long.MAX_VALUE - reserveBytes) / 2 ? Long.MAX_VALUE : 2 * recorderBytes + reserveBytes;
        return new Room(recorderBytes, free, needed);
    }

    /**
     * Begins a capture of {@code endpoint}'s recorder database for the caller (analysts and
     * administrators of the endpoint's groups), when the data folder has room for it.
     *
     * @throws AccessDeniedException when the caller's role may not, or the endpoint is not of their groups (audited)
     * @throws Refused when the data folder lacks room, naming both sizes (audited)
     */
    public Capture capture(String endpoint, long recorderBytes, long reserveBytes) throws IOException {
        scope.require(Action.INVESTIGATE);
        if (!scope.sees(endpoint)) {
            scope.audit("snapshot.capture", endpoint, AuditLog.DENIED, "not an endpoint of the caller's computer groups");
            throw new AccessDeniedException("'" + endpoint + "' is not an endpoint of your computer groups");
        }
        Room room = room(recorderBytes, reserveBytes);
        if (!room.enough()) {
            String why = String.format("the server has %,d bytes free in its data folder, and a capture of this recorder database"
                    + " (%,d bytes) needs %,d (twice its size and %,d kept free): free space on the server (or start it with a"
                    + " smaller --snapshot-reserve), or copy the database off the endpoint by hand", room.freeBytes(), recorderBytes,
                    room.neededBytes(), reserveBytes);
            scope.audit("snapshot.capture", endpoint, AuditLog.DENIED, why);
            throw new Refused(why, true);
        }
        Path incoming = Files.createDirectories(data.root().resolve("incoming"));
        sweepAbandoned(incoming);
        Path folder = Files.createDirectory(incoming.resolve("capture-" + java.util.UUID.randomUUID()));
        return new Capture(endpoint, folder);
    }

    /**
     * A capture begun: the server pulls the agent's copy into {@link #folder()}, then {@link #keep} checks
     * and ingests it as an upload is; {@link #fail} audits a capture that ends sooner. Closing removes the
     * folder. Used by one thread.
     */
    public final class Capture implements AutoCloseable {
        private final String endpoint;
        private final Path folder;

        private Capture(String endpoint, Path folder) {
            this.endpoint = endpoint;
            this.folder = folder;
        }

        /** Where to receive the copy (a folder of its own). */
        public Path folder() {
            return folder;
        }

        /**
         * Checks and ingests the received copy into the capture's endpoint, kept as a source under its own
         * name (from its capture time); {@code stage} is told "checking", then "ingesting". Audited
         * ({@code snapshot.capture}).
         *
         * @throws Refused when it is not a readable recorder database
         * @throws IngestException when the ingest fails
         */
        public Uploaded keep(Path file, java.util.function.Consumer<String> stage) throws IOException {
            return keep(file, stage, () -> false);
        }

        /**
         * As {@link #keep(Path, java.util.function.Consumer)}; {@code stop} is asked while it ingests: true stops the
         * ingest (the server is stopping), which then throws an {@link IngestException} whose {@code stopped()} is true,
         * audited as {@value #STOPPED_INGEST}; nothing of the copy is kept.
         */
        public Uploaded keep(Path file, java.util.function.Consumer<String> stage, java.util.function.BooleanSupplier stop) throws IOException {
            return keep(file, stage, stop, n -> { });
        }

        /**
         * As {@link #keep(Path, java.util.function.Consumer, java.util.function.BooleanSupplier)}; {@code read} is told
         * the events read so far while it ingests (every 50,000: the ingest's progress), so a page can show it.
         */
        public Uploaded keep(Path file, java.util.function.Consumer<String> stage, java.util.function.BooleanSupplier stop,
                java.util.function.LongConsumer read) throws IOException {
            return Snapshots.this.keep(file, file.getFileName().toString(), endpoint, Files.size(file), "snapshot.capture", stage, stop, read);
        }

        /** Audits a capture that failed before its copy was kept: how large it was (null: unknown) and why. */
        public void fail(Long size, String why) {
            scope.audit("snapshot.capture", endpoint, AuditLog.FAILED, (size == null ? "" : String.format("%,d bytes: ", size)) + why);
        }

        @Override
        public void close() throws IOException {
            deleteTree(folder);
        }
    }

    /** Copies the body to the file a chunk at a time; refuses it past {@code maxBytes}. Returns its size. */
    private static long receive(InputStream body, Path file, long maxBytes) throws IOException {
        byte[] chunk = new byte[CHUNK];
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = body.read(chunk)) > 0) {
                size += n;
                if (size > maxBytes) {
                    throw new Refused(String.format("the upload is larger than this server takes (%,d bytes); copy it to the server and"
                            + " use bin/trailhound ingest, or start the server with a larger --upload-max-size (serve and demo both"
                            + " take it)", maxBytes), true);
                }
                out.write(chunk, 0, n);
            }
        }
        return size;
    }

    /** The recorder database's host, or null for a telemetry file; refuses anything else. */
    private String check(String action, Path file, long size) throws IOException {
        String name = file.getFileName().toString();
        if (size == 0) throw refused(action, name, "it is empty (0 bytes)", false);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SQLITE.length);
        }
        boolean sqlite = java.util.Arrays.equals(head, SQLITE);
        // a copy cut inside SQLite's 100-byte header: "SQLite for" is no telemetry, and SQLite itself says only "not a database"
        if (size < SQLITE_HEADER_BYTES && head.length >= 6 && java.util.Arrays.equals(head, 0, head.length, SQLITE, 0, head.length)) {
            throw refused(action, name, String.format("the database is corrupt or truncated (%,d bytes: shorter than SQLite's %d-byte"
                    + " header); copy the snapshot again", size, SQLITE_HEADER_BYTES), false);
        }
        if (sqlite) {
            try (RecorderReader reader = RecorderReader.open(file)) {
                return reader.meta().host();
            } catch (RecorderException e) {
                throw refused(action, name, e.reason(), false);
            }
        }
        if (multipart(file)) {
            throw refused(action, name, "it was sent as a multipart/form-data form (it starts with a form boundary, \"--...\"), not as"
                    + " the file itself: send the file's raw bytes as the request body, e.g. curl --data-binary @FILE (not curl -F)", false);
        }
        if (TelemetryImport.detect(file).isEmpty()) {
            throw refused(action, name, "not a file Trailhound reads (it " + TelemetryImport.startOf(file) + "); it takes "
                    + Ingestor.ACCEPTED_FORMATS.replace("; plain or in .gz, .zip, .tar(.gz)", ", uncompressed"), false);
        }
        return null;
    }

    /** Whether {@code file} is a multipart/form-data body (RFC 7578: "--" and a boundary, then a Content-Disposition header). */
    private static boolean multipart(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(1024);
        }
        String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.startsWith("--") && text.matches("(?s)--[^\r\n]{1,70}\r?\n.*") && text.toLowerCase(java.util.Locale.ROOT)
                .contains("content-disposition: form-data");
    }

    private Refused refused(String action, String name, String why, boolean tooLarge) {
        scope.audit(action, null, AuditLog.DENIED, name + ": " + why);
        return new Refused(name + ": " + why, tooLarge);
    }

    /** The last part of a file name, without control characters; "upload" when nothing is left. */
    static String fileName(String given) {
        String s = given == null ? "" : given.replace('\\', '/');
        s = s.substring(s.lastIndexOf('/') + 1).codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (s.length() > 200) s = s.substring(s.length() - 200);
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "upload" : s;
    }

    /**
     * Removes every upload and capture folder under the data folder's {@code incoming/}: what a stopped server's
     * uploads and captures left (third try-out: 212 MB stayed after a stop during a capture's ingest). Only for a
     * server at its start, before it receives anything; answers the bytes freed.
     *
     * @throws IOException naming the folder it cannot remove
     */
    public static long removeLeftovers(Path dataRoot) throws IOException {
        Path incoming = dataRoot.resolve("incoming");
        if (!Files.isDirectory(incoming)) return 0;
        long freed = 0;
        try (var folders = Files.newDirectoryStream(incoming, "{upload,capture}-*")) {
            for (Path f : folders) {
                try (var files = Files.walk(f)) {
                    freed += files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                }
                deleteTree(f);
            }
        }
        return freed;
    }

    /** Upload and capture folders a killed server left (a day old: no upload runs that long), removed before the next upload. */
    private static void sweepAbandoned(Path incoming) {
        long dayAgo = System.currentTimeMillis() - 86_400_000L;
        try (var folders = Files.newDirectoryStream(incoming, "{upload,capture}-*")) {
            for (Path f : folders) {
                if (Files.getLastModifiedTime(f).toMillis() < dayAgo) deleteTree(f);
            }
        } catch (IOException e) {
            // another upload's sweep got there first, or the folder is unreadable: the next upload tries again
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) return;
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
