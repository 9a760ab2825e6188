package trailhound.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.index.IndexFormatException;
import trailhound.index.IndexStats;
import trailhound.ingest.DataDir;
import trailhound.store.EndpointInfo;

@Command(name = "endpoints", mixinStandardHelpOptions = true, description = {"List endpoints: name, OS, event count, first and last event time (UTC).",
    "rename, merge and purge change them; tag adds and removes tags."},
        subcommands = {EndpointAdminCommands.Rename.class, EndpointAdminCommands.Merge.class, EndpointAdminCommands.Purge.class,
            EndpointAdminCommands.Tag.class})
final class EndpointsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (DataDir dir = data.openExisting()) {
            int needsReindex = 0;
            out.printf("%-32s %-8s %12s  %-24s  %-24s%n", "ENDPOINT", "OS", "EVENTS", "FIRST EVENT", "LAST EVENT");
            for (EndpointInfo e : dir.catalogue().endpoints()) {
                if (!dir.indexes().exists(e.name())) continue;
                try (var lease = dir.indexes().acquire(e.name())) {
                    IndexStats s = lease.index().stats();
                    out.printf("%-32s %-8s %,12d  %-24s  %-24s%n", Text.safe(e.name()), Text.safe(e.os()), s.eventCount(),
                            Text.time(s.firstTs()), Text.time(s.lastTs()));
                } catch (IndexFormatException stale) {
                    out.printf("%-32s %-8s %12s  %s%n", Text.safe(e.name()), Text.safe(e.os()), "-", "needs re-index (index format " + stale.found() + ")");
                    needsReindex++;
                }
            }
            if (needsReindex > 0) {
                spec.commandLine().getErr().println("trailhound: " + needsReindex + " endpoint(s) need a re-index before they can be"
                        + " searched: bin/trailhound reindex --data " + data.dir + " --all");
            }
        }
        return 0;
    }
}
