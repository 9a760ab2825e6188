package trailhound.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.ingest.IngestException;
import trailhound.ingest.Reindexer;
import trailhound.store.EndpointInfo;
import trailhound.web.handoff.HandOff;

@Command(name = "reindex", description = {
    "Rebuild endpoints' indexes from their kept sources (snapshots, imported files) into a new generation,",
    "check it against the catalogue and swap it in; searches keep answering from the current one meanwhile.",
    "Upgrades indexes of an older format. While a server runs on the data folder, the server does the work."})
final class ReindexCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    static final class Which {
        @Option(names = "--all", required = true, description = "Every endpoint.") boolean all;
        @Option(names = "--endpoint", paramLabel = "NAME", required = true, description = "This endpoint (repeatable).")
        List<String> endpoints;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Which which;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (WriteAccess access = WriteAccess.forWork(data.dir, "reindex", err)) {
            if (access.server().isPresent()) return handOff(access.server().get(), out, err);
            return reindexHere(out, err);
        }
    }

    private int reindexHere(PrintWriter out, PrintWriter err) throws IOException {
        int status = 0;
        try (DataDir dir = DataDir.open(data.dir)) {
            List<String> names = which.all ? dir.catalogue().endpoints().stream().map(EndpointInfo::name).toList() : which.endpoints;
            Reindexer reindexer = new Reindexer(dir, Runtime.getRuntime().availableProcessors());
            int done = 0;
            for (String name : names) {
                if (dir.catalogue().endpoint(name).isEmpty()) {
                    unknown(err, name);
                    status = Main.BAD_INPUT;
                    continue;
                }
                Progress progress = progress(err, name, done, names.size());
                try {
                    Reindexer.Result r = reindexer.reindex(name, (endpoint, n) -> progress.update(n));
                    progress.done();
                    print(out, r);
                } catch (IngestException e) {
                    progress.done();
                    err.println("trailhound: " + name + ": " + e.getMessage());
                    status = Main.BAD_INPUT;
                }
                done++;
            }
        }
        return status;
    }

    /**
     * The same endpoints, rebuilt one by one by the server running on the folder (the folder is not
     * opened here); the same output and exit status as locally.
     */
    private int handOff(RunningServer server, PrintWriter out, PrintWriter err) {
        List<String> names = which.all ? server.endpoints() : which.endpoints;
        int status = 0;
        int done = 0;
        for (String name : names) {
            Progress progress = progress(err, name, done, names.size());
            HandOff.Line outcome;
            try {
                outcome = server.reindex(name, progress::update);
            } finally {
                progress.done();
            }
            if (outcome.reindexed() != null) {
                print(out, outcome.reindexed());
            } else if (outcome.failure().kind() == HandOff.Kind.UNKNOWN_ENDPOINT) {
                unknown(err, name);
                status = Main.BAD_INPUT;
                continue;
            } else if (outcome.failure().kind() == HandOff.Kind.FILE) {
                err.println("trailhound: " + name + ": " + outcome.failure().message());
                status = Main.BAD_INPUT;
            } else {
                throw RunningServer.asException(outcome.failure());
            }
            done++;
        }
        return status;
    }

    private static Progress progress(PrintWriter err, String name, int done, int of) {
        return new Progress(err, "re-indexing " + name + " (" + (done + 1) + " of " + of + ")", 0);
    }

    private void unknown(PrintWriter err, String name) {
        err.println("trailhound: unknown endpoint '" + name + "' (bin/trailhound endpoints --data " + data.dir + " lists them)");
    }

    private static void print(PrintWriter out, Reindexer.Result r) {
        out.printf("%-32s %,12d events  %,d sources  %.1f s (%,.0f events/s)%n", r.endpoint(), r.events(),
                r.eventsBySource().size(), r.seconds(), r.events() / Math.max(r.seconds(), 1e-3));
        r.remarks().forEach(m -> out.println("  " + m));
    }
}
