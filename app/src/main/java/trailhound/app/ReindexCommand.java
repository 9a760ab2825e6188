package trailhound.app;

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

@Command(name = "reindex", description = {
    "Rebuild endpoints' indexes from their kept sources (snapshots, imported files) into a new generation,",
    "check it against the catalogue and swap it in; searches keep answering from the current one meanwhile.",
    "Upgrades indexes of an older format."})
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
        int status = 0;
        try (DataDir dir = DataDir.open(data.dir)) {
            List<String> names = which.all ? dir.catalogue().endpoints().stream().map(EndpointInfo::name).toList() : which.endpoints;
            Reindexer reindexer = new Reindexer(dir, Runtime.getRuntime().availableProcessors());
            int done = 0;
            for (String name : names) {
                if (dir.catalogue().endpoint(name).isEmpty()) {
                    err.println("trailhound: unknown endpoint '" + name + "' (bin/trailhound endpoints --data " + data.dir + " lists them)");
                    status = Main.BAD_INPUT;
                    continue;
                }
                Progress progress = new Progress(err, "re-indexing " + name + " (" + (done + 1) + " of " + names.size() + ")", 0);
                try {
                    Reindexer.Result r = reindexer.reindex(name, (endpoint, n) -> progress.update(n));
                    progress.done();
                    out.printf("%-32s %,12d events  %,d sources  %.1f s (%,.0f events/s)%n", r.endpoint(), r.events(),
                            r.eventsBySource().size(), r.seconds(), r.events() / Math.max(r.seconds(), 1e-3));
                    r.remarks().forEach(m -> out.println("  " + m));
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
}
