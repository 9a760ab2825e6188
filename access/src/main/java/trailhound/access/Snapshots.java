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
 * Snapshots as a caller may see them, and uploads of recorder databases and telemetry files: from
 * {@link Scope#snapshots()}. Every upload is audited ({@code snapshot.upload}: ok, failed or denied,
 * with the file and what it added). Thread-safe.
 */
public final class Snapshots {
    private static final int CHUNK = 1 << 20;
    private static final byte[] SQLITE = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
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
     * @throws IOException when the data folder cannot be written (a full disk: nothing is kept)
     */
    public Uploaded upload(InputStream body, String fileName, String endpoint, long maxBytes) throws IOException {
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
            }
            String host = check(file, size);
            String target = into != null ? into : host;
            if (target != null) target = data.currentName(target);
            if (!scope.caller().role().equals(Role.ADMINISTRATOR)) {
                if (target == null) {
                    throw refused(name, "a telemetry file names its hosts itself: give the endpoint it is of (one of your endpoints)"
                            + " so that it goes there", false);
                }
                if (!scope.sees(target)) {
                    throw refused(name, "'" + target + "' is not an endpoint of your computer groups: an administrator can upload it,"
                            + " or grant you its group", false);
                }
            }
            IngestReport report;
            INGESTING.lock();
            try {
                report = new Ingestor(data).as(scope.caller().user()).ingest(file, into == null ? null : target);
            } catch (IngestException e) {
                scope.audit("snapshot.upload", target, AuditLog.FAILED, name + ": " + e.getMessage());
                throw e;
            } finally {
                INGESTING.unlock();
            }
            scope.audit("snapshot.upload", target, AuditLog.OK, IngestAudit.detail(Path.of(name), report));
            Optional<SourceInfo> source = data.store().sources().get(report.sourceId());
            String snapshotId = source.filter(s -> s.kind().equals("snapshot") && s.path() != null)
                    .map(s -> Path.of(s.path()).getFileName().toString().replaceFirst("\\.db$", "")).orElse(null);
            List<String> endpoints = report.known()
                    ? source.map(s -> s.endpoints().stream().map(SourceInfo.SourceEndpoint::endpoint).sorted().toList()).orElse(List.of())
                    : report.endpoints().keySet().stream().sorted().toList();
            return new Uploaded(report.sourceId(), report.format(), endpoints, snapshotId, report.read(), report.added(), report.known(),
                    report.warnings());
        } finally {
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
                            + " use bin/trailhound ingest, or start the server with a larger --upload-max-size", maxBytes), true);
                }
                out.write(chunk, 0, n);
            }
        }
        return size;
    }

    /** The recorder database's host, or null for a telemetry file; refuses anything else. */
    private String check(Path file, long size) throws IOException {
        String name = file.getFileName().toString();
        if (size == 0) throw refused(name, "it is empty (0 bytes)", false);
        boolean sqlite;
        try (InputStream in = Files.newInputStream(file)) {
            sqlite = java.util.Arrays.equals(in.readNBytes(SQLITE.length), SQLITE);
        }
        if (sqlite) {
            try (RecorderReader reader = RecorderReader.open(file)) {
                return reader.meta().host();
            } catch (RecorderException e) {
                throw refused(name, e.reason(), false);
            }
        }
        if (TelemetryImport.detect(file).isEmpty()) {
            throw refused(name, "not a file Trailhound reads (it " + TelemetryImport.startOf(file) + "); it takes "
                    + Ingestor.ACCEPTED_FORMATS.replace("; plain or in .gz, .zip, .tar(.gz)", ", uncompressed"), false);
        }
        return null;
    }

    private Refused refused(String name, String why, boolean tooLarge) {
        scope.audit("snapshot.upload", null, AuditLog.DENIED, name + ": " + why);
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

    /** Upload folders a killed server left (a day old: no upload runs that long), removed before the next upload. */
    private static void sweepAbandoned(Path incoming) {
        long dayAgo = System.currentTimeMillis() - 86_400_000L;
        try (var folders = Files.newDirectoryStream(incoming, "upload-*")) {
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
