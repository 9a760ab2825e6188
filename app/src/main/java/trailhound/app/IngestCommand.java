package trailhound.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.ingest.EndpointCounts;
import trailhound.ingest.IngestException;
import trailhound.ingest.IngestReport;
import trailhound.ingest.Ingestor;
import trailhound.web.handoff.HandOff;

@Command(name = "ingest", mixinStandardHelpOptions = true, description = {
    "Ingest recorder snapshots, Windows event logs and Linux audit logs.",
    "Windows event logs as .evtx, JSON lines in any common export shape or Event XML (Sysmon for Linux too); each"
        + " plain or in .gz, .zip, .tar(.gz) bundles (docs/telemetry-import.md). The format is detected from the content.",
    "Each file is kept in the data folder as a source (see `sources`); a file whose SHA-256 is already a complete"
        + " source adds nothing. A failed ingest leaves none of its events.",
    "While a server runs on the data folder, the server does the ingest (one process writes a data folder)."})
final class IngestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--endpoint", paramLabel = "NAME", description = "Put every event under this endpoint instead of the host named in the records.")
    String endpoint;

    @Option(names = "--timezone", paramLabel = "ZONE", description = "The zone of times written without one (NXLog's EventTime:"
            + " the host's local time), e.g. Europe/Berlin or +02:00. Default: UTC, and the report says how many events it concerns.")
    java.time.ZoneId timeZone;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to ingest; a folder stands for the files in it (not its subfolders).")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        files = expandFolders(files, err);
        try (WriteAccess access = WriteAccess.forWork(data.dir, "ingest", err)) {
            boolean handedOff = access.server().isPresent();
            // Ctrl-C (or a kill) ends the JVM mid-file: say what became of the work
            Thread interrupted = new Thread(() -> {
                Path file = current;
                if (file == null) return;
                err.println();
                err.println("trailhound: interrupted: " + (handedOff
                        ? "the server goes on with the ingest of " + file + " (`trailhound sources` shows it)"
                        : "the ingest of " + file + " stopped; a snapshot's events committed at its last checkpoint (every"
                                + " 500,000 events) are kept aside, and ingesting the file again resumes there"));
                err.flush();
            });
            Runtime.getRuntime().addShutdownHook(interrupted);
            try {
                return handedOff ? handOff(access.server().get(), out, err) : ingestHere(out, err);
            } finally {
                current = null;
                try {
                    Runtime.getRuntime().removeShutdownHook(interrupted);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs now
                }
            }
        }
    }

    /** The file being ingested now (null between files), for the message when the command is interrupted. */
    private volatile Path current;

    /**
     * Each folder replaced by the regular, not hidden, files in it that are of a format Trailhound
     * reads, sorted by name; the others are named on {@code err} as skipped (a file named on its own
     * is refused instead, when it cannot be read).
     */
    static List<Path> expandFolders(List<Path> paths, PrintWriter err) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            try (var in = Files.list(p)) {
                List<Path> inside = in.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
                int before = files.size();
                for (Path f : inside) {
                    if (Files.isDirectory(f)) err.println("trailhound: skipped " + f + ": a folder (name it to ingest the files in it)");
                    else if (!Files.isRegularFile(f)) err.println("trailhound: skipped " + f + ": not a regular file");
                    else if (Files.size(f) == 0) err.println("trailhound: skipped " + f + ": empty (0 bytes)");
                    else if (Ingestor.reads(f)) files.add(f);
                    else err.println("trailhound: skipped " + f + ": not a format Trailhound reads");
                }
                if (files.size() == before) throw new IllegalArgumentException("the folder " + p + " holds no files to ingest");
            }
        }
        return files;
    }

    /** Files read whole, read with some records rejected, and refused. */
    private int whole;
    private int partly;
    private int refused;

    /** 0: everything imported; 3: some records (or some files of several) rejected; 2: nothing imported. */
    private int status() {
        if (refused > 0 && whole + partly == 0) return Main.BAD_INPUT;
        return refused > 0 || partly > 0 ? Main.PARTLY : 0;
    }

    private void outcome(IngestReport report) {
        if (report.whole()) whole++;
        else if (report.read() == 0) refused++; // every record rejected: nothing imported
        else partly++;
    }

    private int ingestHere(PrintWriter out, PrintWriter err) throws IOException {
        try (DataDir dir = data.open()) {
            dir.exposure().ifPresent(warning -> err.println("trailhound: " + warning)); // before the first events go in
            trailhound.access.AuditLog audit = trailhound.access.Access.over(dir, java.time.Clock.systemUTC()).audit();
            trailhound.access.Caller me = trailhound.access.Caller.commandLine();
            for (Path file : files) {
                Progress progress = new Progress(err, "ingesting " + file.getFileName(), 0);
                current = file;
                try {
                    long start = System.nanoTime();
                    IngestReport report = new Ingestor(dir).onProgress(progress::update).inTimeZone(timeZone).ingest(file, endpoint);
                    audit.record(me, "ingest", endpoint, trailhound.access.AuditLog.OK, trailhound.access.IngestAudit.detail(file, report));
                    current = null;
                    progress.done();
                    print(out, report, (System.nanoTime() - start) / 1e9);
                    outcome(report);
                } catch (IngestException e) {
                    audit.record(me, "ingest", endpoint, trailhound.access.AuditLog.FAILED, file + ": " + e.getMessage());
                    current = null;
                    progress.done();
                    err.println("trailhound: " + e.getMessage());
                    refused++;
                }
            }
        }
        return status();
    }

    /**
     * The same files, ingested by the server running on the folder (the folder is not opened here:
     * that would open its indexes beside the server's); the same output and exit status as locally.
     */
    private int handOff(RunningServer server, PrintWriter out, PrintWriter err) {
        for (Path file : files) {
            Progress progress = new Progress(err, "ingesting " + file.getFileName(), 0);
            long start = System.nanoTime();
            HandOff.Line outcome;
            current = file;
            try {
                outcome = server.ingest(file, endpoint, timeZone, progress::update);
            } finally {
                current = null;
                progress.done();
            }
            if (outcome.ingested() != null) {
                print(out, outcome.ingested().withFile(file), (System.nanoTime() - start) / 1e9);
                outcome(outcome.ingested());
            } else if (outcome.failure().kind() == HandOff.Kind.FILE) {
                err.println("trailhound: " + outcome.failure().message());
                refused++;
            } else {
                throw RunningServer.asException(outcome.failure());
            }
        }
        return status();
    }

    static void print(PrintWriter out, IngestReport r, double seconds) {
        out.printf("%s (%s)%n", r.file(), r.format());
        out.printf("  %s source s%d%n", r.known() ? "already kept as" : "kept as", r.sourceId());
        for (EndpointCounts c : r.endpoints().values()) {
            out.printf("  %-32s %,12d added %,12d duplicates skipped %,8d rows rejected%n",
                    Text.safe(c.endpoint()), c.added(), c.duplicates(), c.rejected());
            if (c.resumed() > 0) out.printf("  %-32s (%,d of the added were committed by the interrupted run resumed)%n", "", c.resumed());
        }
        if (r.endpoints().isEmpty()) out.println("  no events");
        if (!r.kinds().isEmpty()) {
            out.printf("  %-40s %10s %10s %10s %10s%n", "KIND", "READ", "ADDED", "DUPLICATE", "REJECTED");
            r.kinds().forEach((kind, n) -> out.printf("  %-40s %,10d %,10d %,10d %,10d%n", Text.clip(kind, 40), n.read(), n.added(),
                    n.duplicates(), n.rejected()));
        }
        if (r.rejected() > 0) {
            out.printf("  %,d records could not be read%s:%n", r.rejected(), r.rejected() > r.firstRejections().size() ? ", the first" : "");
            r.firstRejections().forEach(why -> out.println("    " + Text.safe(why)));
        }
        r.warnings().forEach(w -> out.println("  warning: " + Text.safe(w)));
        out.printf("  %,d events read in %.1f s (%,.0f events/s)%n", r.read(), seconds, r.read() / Math.max(seconds, 1e-3));
    }
}
