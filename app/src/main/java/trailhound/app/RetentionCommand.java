package trailhound.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.ingest.RetentionPolicy;
import trailhound.store.EndpointInfo;
import trailhound.store.Retention;

@Command(name = "retention", mixinStandardHelpOptions = true, description = {
    "Show the retention limits: at most N days (before the endpoint's newest event) and/or N events per endpoint.",
    "The oldest events go first; the limits are applied after each ingest and by each re-index. `retention set`"
        + " changes them."},
        subcommands = RetentionCommand.Set.class)
final class RetentionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (DataDir dir = data.openExisting()) {
            Retention r = dir.store().retention();
            out.println("default: " + r.own(Retention.DEFAULT).map(Retention.Limit::describe).orElse("no limit"));
            out.printf("%-32s %-32s %14s  %s%n", "ENDPOINT", "LIMIT IN FORCE", "REMOVED", "OLDEST KEPT (UTC)");
            for (EndpointInfo e : dir.catalogue().endpoints()) {
                Retention.Limit limit = r.limitFor(e.name());
                var applied = r.applied(e.name());
                out.printf("%-32s %-32s %,14d  %s%n", e.name(),
                        limit.describe() + (limit.scope().equals(Retention.DEFAULT) || limit.none() ? "" : " (own)"),
                        applied.map(Retention.Applied::removed).orElse(0L), Text.time(applied.map(Retention.Applied::cutoffTs).orElse(null)));
            }
        }
        return 0;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set the default limit or an endpoint's own, and apply it now. No --days and no --events: no limit.")
    static final class Set implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;

        static final class Scope {
            @Option(names = "--default", required = true, description = "The limit of every endpoint without its own.") boolean all;
            @Option(names = "--endpoint", paramLabel = "NAME", required = true, description = "This endpoint's own limit.") String endpoint;
        }

        @ArgGroup(exclusive = true, multiplicity = "1") Scope scope;

        @Option(names = "--days", paramLabel = "N", description = "Keep at most N days before the newest event.") Integer days;
        @Option(names = "--events", paramLabel = "N", description = "Keep at most N events (the newest).") Long events;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            if ((days != null && days < 1) || (events != null && events < 1)) {
                spec.commandLine().getErr().println("trailhound: --days and --events must be at least 1 (leave both out for no limit)");
                return Main.BAD_INPUT;
            }
            return EndpointAdminCommands.asWriter(data, "setting retention", null, spec, dir -> {
                if (!scope.all) scope.endpoint = Renamed.follow(dir, scope.endpoint, spec);
                if (!scope.all && dir.catalogue().endpoint(scope.endpoint).isEmpty()) {
                    spec.commandLine().getErr().println("trailhound: unknown endpoint '" + scope.endpoint + "'");
                    return Main.BAD_INPUT;
                }
                Retention r = dir.store().retention();
                r.set(scope.all ? Retention.DEFAULT : scope.endpoint, days, events);
                for (EndpointInfo e : dir.catalogue().endpoints()) {
                    if (!scope.all && !e.name().equals(scope.endpoint)) continue;
                    long removed = RetentionPolicy.applyNow(dir, e.name());
                    out.printf("%-32s %-32s removed %,d events%n", Text.safe(e.name()), r.limitFor(e.name()).describe(), removed);
                }
                return 0;
            });
        }
    }
}
