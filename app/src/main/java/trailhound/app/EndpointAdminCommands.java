package trailhound.app;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.access.Access;
import trailhound.access.AccessException;
import trailhound.access.AuditLog;
import trailhound.access.Caller;
import trailhound.access.Groups;
import trailhound.ingest.DataDir;
import trailhound.ingest.EndpointAdmin;
import trailhound.ingest.EndpointChangeException;
import trailhound.ingest.Reindexer;
import trailhound.store.SourceInfo;

/** {@code endpoints rename|merge|purge|tag}: the administrator's changes to endpoints, on a data folder. */
final class EndpointAdminCommands {
    private EndpointAdminCommands() {}

    /**
     * Takes the folder's writer lock; with a server running on the folder, says to use its endpoint
     * list (the change rebuilds indexes the server has open) and answers null.
     */
    /** What a local writer command does with the folder; answers its exit status. */
    interface FolderWork {
        int run(DataDir dir) throws Exception;
    }

    /** Where renames, merges and purges are done while a server runs. */
    static final String ON_THE_SERVER = "do it on the server's Endpoints page (administrators) or with its API";

    /**
     * Runs {@code work} on the data folder as its one writer; with a server running on the folder,
     * refuses with exit status 2, saying to do it {@code elsewhere} (null: only stopping the server will do).
     */
    static int asWriter(DataOption data, String what, String elsewhere, CommandSpec spec, FolderWork work) throws Exception {
        try (var lock = WriteAccess.forLocalWork(data.dir, what, elsewhere, spec.commandLine().getErr());
                DataDir dir = data.open()) {
            return work.run(dir);
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = {
        "Give an endpoint a new name; its old name leads to it from then on (later ingests too).",
        "When that changes which computer groups see it, says which and asks for --allow-access-change."})
    static final class Rename implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "The endpoint's name now.") String from;
        @Parameters(index = "1", paramLabel = "NEW-NAME", description = "Its new name: letters, digits, spaces and . _ - @ $ ( ).") String to;
        @Option(names = "--allow-access-change", description = "Go ahead although groups gain or lose access to the endpoint.")
        boolean allowAccessChange;

        @Override
        public Integer call() throws Exception {
            return asWriter(data, "renaming an endpoint", ON_THE_SERVER, spec, dir -> move(spec, dir, from, to, false, allowAccessChange));
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true, description = {
        "Merge an endpoint into another, e.g. a host's short name into its fully qualified one.",
        "The merged name leads to the other from then on (later ingests too).",
        "When that changes which computer groups see the events, says which and asks for --allow-access-change."})
    static final class Merge implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "The endpoint merged away.") String from;
        @Parameters(index = "1", paramLabel = "INTO", description = "The existing endpoint that takes its events.") String into;
        @Option(names = "--allow-access-change", description = "Go ahead although groups gain or lose access to events.")
        boolean allowAccessChange;

        @Override
        public Integer call() throws Exception {
            return asWriter(data, "merging endpoints", ON_THE_SERVER, spec, dir -> move(spec, dir, from, into, true, allowAccessChange));
        }
    }

    /** A rename or merge, refused while it would change who sees what unless allowed; audited as the OS user. */
    private static int move(CommandSpec spec, DataDir dir, String from, String to, boolean merge, boolean allowed) throws IOException {
        Access access = Access.over(dir, Clock.systemUTC());
        EndpointAdmin admin = new EndpointAdmin(dir);
        String action = merge ? "endpoint.merge" : "endpoint.rename";
        if (!merge) admin.checkNewName(from, to);
        Groups.AccessChange change = access.groups().accessChange(from, to, merge);
        if (!change.none() && !allowed) {
            spec.commandLine().getErr().println("trailhound: " + (merge ? "merging " + Text.safe(from) + " into " : "renaming "
                    + Text.safe(from) + " to ") + Text.safe(to) + " changes who sees its events: " + Text.safe(change.describe())
                    + "; add --allow-access-change to go ahead");
            return Main.BAD_INPUT;
        }
        Reindexer.Result r;
        try {
            r = merge ? admin.merge(from, to) : admin.rename(from, to);
        } catch (EndpointChangeException e) {
            access.audit().record(Caller.commandLine(), action, from, AuditLog.FAILED, "-> " + to + ": " + e.getMessage());
            throw e;
        }
        access.audit().record(Caller.commandLine(), action, from, AuditLog.OK, "-> " + to + (change.none() ? "" : "; " + change.describe()));
        spec.commandLine().getOut().printf("%s %s %s %s: %s%s%n", merge ? "merged" : "renamed", Text.safe(from),
                merge ? "into" : "to", Text.safe(to), Text.count(r.events(), "event", "events"), change.none() ? "" : "; " + Text.safe(change.describe()));
        return 0;
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Remove an endpoint with its index, its snapshots and every source that fed nothing else.")
    static final class Purge implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Parameters(index = "0", paramLabel = "NAME", description = "The endpoint to remove.") String endpoint;
        @Option(names = "--yes", description = "Confirm: this cannot be undone.") boolean yes;

        @Override
        public Integer call() throws Exception {
            if (!yes) {
                spec.commandLine().getErr().println("trailhound: purging " + endpoint + " deletes its events, snapshots and the"
                        + " sources that fed only it, for good: add --yes to confirm");
                return Main.BAD_INPUT;
            }
            return asWriter(data, "purging an endpoint", ON_THE_SERVER, spec, dir -> {
                List<SourceInfo> removed = new EndpointAdmin(dir).purge(endpoint);
                Access.over(dir, Clock.systemUTC()).audit().record(Caller.commandLine(), "endpoint.purge", endpoint, AuditLog.OK,
                        "sources removed: " + removed.stream().map(SourceInfo::label).toList());
                var out = spec.commandLine().getOut();
                out.printf("purged %s; %s removed%n", Text.safe(endpoint), Text.count(removed.size(), "source", "sources"));
                removed.forEach(s -> out.printf("  %s %s%n", s.label(), Text.safe(s.originalName())));
                return 0;
            });
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = {
        "Add and remove an endpoint's tags, which group rules test with tag:...; prints its tags.",
        "Works while a server runs on the folder (tags live in server.db, not in the indexes)."})
    static final class Tag implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--endpoint", paramLabel = "NAME", required = true, description = "The endpoint (an old name leads to its new one).")
        String endpoint;
        @Option(names = "--add", paramLabel = "T1,T2", split = ",", description = "Tags to add: letters, digits and . _ @ : -.")
        List<String> add = new ArrayList<>();
        @Option(names = "--remove", paramLabel = "T1,T2", split = ",", description = "Tags to remove.")
        List<String> remove = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                String name = Renamed.follow(dir, endpoint, spec);
                List<String> plus = add.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
                List<String> minus = remove.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
                if (!plus.isEmpty() || !minus.isEmpty()) access.groups().tag(Caller.commandLine(), name, plus, minus);
                else if (dir.catalogue().endpoint(name).isEmpty()) throw new AccessException("unknown endpoint '" + name + "'");
                SortedSet<String> tags = access.groups().tags().getOrDefault(name, new TreeSet<>());
                spec.commandLine().getOut().println(Text.safe(name) + " tags: " + (tags.isEmpty() ? "(none)" : Text.safe(String.join(", ", tags))));
                return 0;
            });
        }
    }
}
