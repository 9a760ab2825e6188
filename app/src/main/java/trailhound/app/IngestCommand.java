package trailhound.app;

import java.io.IOException;
import java.io.PrintWriter;
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
    "Ingest recorder snapshots, Sysmon/Windows event logs (JSON lines or XML, plain, .zip or .gz) and Linux audit logs.",
    "The format is detected from the content. Each file is kept in the data folder as a source (see `sources`);",
    "a file whose SHA-256 is already a complete source adds nothing. A failed ingest leaves none of its events.",
    "While a server runs on the data folder, the server does the ingest (one process writes a data folder)."})
final class IngestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--endpoint", paramLabel = "NAME", description = "Put every event under this endpoint instead of the host named in the records.")
    String endpoint;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to ingest.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (WriteAccess access = WriteAccess.forWork(data.dir, "ingest", err)) {
            if (access.server().isPresent()) return handOff(access.server().get(), out, err);
            return ingestHere(out, err);
        }
    }

    private int ingestHere(PrintWriter out, PrintWriter err) throws IOException {
        int status = 0;
        try (DataDir dir = DataDir.open(data.dir)) {
            for (Path file : files) {
                Progress progress = new Progress(err, "ingesting " + file.getFileName(), 0);
                try {
                    long start = System.nanoTime();
                    IngestReport report = new Ingestor(dir).onProgress(progress::update).ingest(file, endpoint);
                    progress.done();
                    print(out, report, (System.nanoTime() - start) / 1e9);
                } catch (IngestException e) {
                    progress.done();
                    err.println("trailhound: " + e.getMessage());
                    status = Main.BAD_INPUT;
                }
            }
        }
        return status;
    }

    /**
     * The same files, ingested by the server running on the folder (the folder is not opened here:
     * that would open its indexes beside the server's); the same output and exit status as locally.
     */
    private int handOff(RunningServer server, PrintWriter out, PrintWriter err) {
        int status = 0;
        for (Path file : files) {
            Progress progress = new Progress(err, "ingesting " + file.getFileName(), 0);
            long start = System.nanoTime();
            HandOff.Line outcome;
            try {
                outcome = server.ingest(file, endpoint, progress::update);
            } finally {
                progress.done();
            }
            if (outcome.ingested() != null) {
                print(out, outcome.ingested().withFile(file), (System.nanoTime() - start) / 1e9);
            } else if (outcome.failure().kind() == HandOff.Kind.FILE) {
                err.println("trailhound: " + outcome.failure().message());
                status = Main.BAD_INPUT;
            } else {
                throw RunningServer.asException(outcome.failure());
            }
        }
        return status;
    }

    static void print(PrintWriter out, IngestReport r, double seconds) {
        out.printf("%s (%s)%n", r.file(), r.format());
        out.printf("  %s source s%d%n", r.known() ? "already kept as" : "kept as", r.sourceId());
        for (EndpointCounts c : r.endpoints().values()) {
            out.printf("  %-32s %,12d added %,12d duplicates skipped %,8d rows rejected%n",
                    Text.safe(c.endpoint()), c.added(), c.duplicates(), c.rejected());
        }
        if (r.endpoints().isEmpty()) out.println("  no events");
        if (r.rejected() > 0) {
            out.printf("  %,d malformed or rejected; first at %s%n", r.rejected(), r.rejectedAt());
        }
        r.countsByKind().forEach((kind, n) -> out.printf("    %-40s %,10d%n", kind, n));
        r.warnings().forEach(w -> out.println("  warning: " + Text.safe(w)));
        out.printf("  %,d events read in %.1f s (%,.0f events/s)%n", r.read(), seconds, r.read() / Math.max(seconds, 1e-3));
    }
}
