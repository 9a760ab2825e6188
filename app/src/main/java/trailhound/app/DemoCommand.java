package trailhound.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.ingest.IngestException;
import trailhound.ingest.IngestReport;
import trailhound.ingest.Ingestor;
import trailhound.ingest.Reindexer;
import trailhound.ingest.WriterLock;
import trailhound.samples.SampleGenerator;
import trailhound.web.WebOptions;
import trailhound.web.tls.ServerCertificate;

@Command(name = "demo", mixinStandardHelpOptions = true, description = {
    "Generate and ingest sample endpoints (first run only), then serve them in the browser.",
    "The samples hold attack stories to find; the data folder is reused on later runs.",
    "Also starts live agents on loopback (child JVMs, logs in DATA/demo-agents), two replaying samples and, on Linux, one"
        + " recording this machine, for Live endpoints."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Mixin ListenOptions listen;

    @Option(names = "--endpoints", paramLabel = "N", defaultValue = "6", description = "Sample endpoints to generate (default: ${DEFAULT-VALUE}).")
    int endpoints;

    @Option(names = "--events", paramLabel = "N", defaultValue = "300000", description = "Sample events in all (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed of the samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-agents", description = "Serve without starting the live demo agents.")
    boolean noAgents;

    @Option(names = "--evidence-max-size", paramLabel = "SIZE", defaultValue = "2g", description = {"The largest file kept as evidence"
            + " from a live endpoint, in bytes or with k, m or g (binary), e.g. 500m (default: ${DEFAULT-VALUE})."})
    String evidenceMaxSize;

    @Option(names = "--upload-max-size", paramLabel = "SIZE", defaultValue = "8g", description = {"The largest snapshot or telemetry"
            + " file Saved evidence > Upload snapshot (POST /api/v1/snapshots) takes, in bytes or with k, m or g (binary) (default: ${DEFAULT-VALUE})."})
    String uploadMaxSize;

    @Option(names = "--no-serve", description = "Prepare the data folder and exit without serving (for scripts and tests).")
    boolean noServe;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        long evidenceMax = ServeCommand.size("--evidence-max-size", evidenceMaxSize);
        long uploadMax = ServeCommand.size("--upload-max-size", uploadMaxSize);
        // plain HTTP: on loopback only, and never a folder that serve keeps for real users (it has its certificate)
        if (!ListenOptions.isLoopback(listen.host)) {
            throw new IllegalArgumentException("demo serves plain HTTP, so only on loopback (127.0.0.1, ::1, localhost), not on "
                    + listen.host + ": for other addresses use bin/trailhound serve, which serves HTTPS");
        }
        Path certificates = data.dir.resolve(ServerCertificate.FOLDER);
        if (Files.exists(certificates)) {
            throw new IllegalArgumentException(data.dir + " is served over HTTPS by serve (it has " + certificates + "): demo would"
                    + " serve it over plain HTTP; use bin/trailhound serve --data " + data.dir + ", or give demo another --data");
        }
        WriterLock lock = WriteAccess.forServer(data.dir, "demo", err); // the demo writes its folder, then serves it
        DataDir dir = null;
        boolean serving = false;
        try {
            dir = data.open();
            int status = prepare(dir, out, err);
            if (status != 0 || noServe) return status;
            serving = true;
        } finally {
            if (!serving) {
                try (WriterLock l = lock; DataDir d = dir) {
                    // closed: the folder first, then its lock
                }
            }
        }
        // on loopback the demo's admin password need not change: whoever can reach it can read the folder's password file
        DataDir served = dir;
        Serving.serveUntilStopped(dir, lock, WebOptions.defaults().withHost(listen.host).withPort(listen.port)
                .withInitialPasswordChange(false).withEvidenceMaxBytes(evidenceMax).withUploadMaxBytes(uploadMax), out, err,
                server -> noAgents ? () -> { } : DemoAgents.start(served.root(), server.access(), server.url(), out));
        return 0;
    }

    /** Fills an empty folder with samples, or upgrades the indexes of an existing one; 0, or 2 when it cannot be used. */
    private int prepare(DataDir dir, PrintWriter out, PrintWriter err) throws IOException {
        if (dir.catalogue().endpoints().isEmpty()) {
            out.printf("Empty data folder %s: generating %d sample endpoints with %,d events...%n", dir.root(), endpoints, events);
            Path samples = dir.root().resolve("samples");
            Progress generating = new Progress(err, "generating", events);
            List<Path> files = SampleGenerator.generate(samples, endpoints, events, seed, generating::update);
            generating.done();
            Path intel = samples.resolve("intel.csv");
            if (Files.exists(intel)) {
                Files.copy(intel, dir.root().resolve("intel.csv"), StandardCopyOption.REPLACE_EXISTING);
            }
            for (Path file : files) {
                Progress ingesting = new Progress(err, "ingesting " + file.getFileName(), 0);
                long start = System.nanoTime();
                IngestReport report = new Ingestor(dir).onProgress(ingesting::update).ingest(file, null);
                ingesting.done();
                IngestCommand.print(out, report, (System.nanoTime() - start) / 1e9);
            }
            return 0;
        }
        out.println("Using the existing data folder " + dir.root() + " (" + dir.catalogue().endpoints().size() + " endpoints).");
        try {
            Reindexer reindexer = new Reindexer(dir, Runtime.getRuntime().availableProcessors());
            for (String endpoint : dir.indexes().endpoints()) {
                if (dir.indexes().staleFormat(endpoint).isPresent()) { // written by an older Trailhound: rebuild it
                    Progress upgrading = new Progress(err, "re-indexing " + endpoint + " (older index format)", 0);
                    reindexer.reindex(endpoint, (name, n) -> upgrading.update(n));
                    upgrading.done();
                }
                try (IndexBackend.Lease lease = dir.indexes().acquire(endpoint)) {
                    lease.index(); // opening checks the index format before anything is served
                }
            }
        } catch (IOException | IngestException e) {
            err.println("trailhound: " + e.getMessage() + "\nThe demo's data folder holds the generated samples only:"
                    + " delete " + dir.root() + " and run the demo again, or pass --data with another folder.");
            return 2;
        }
        return 0;
    }
}
