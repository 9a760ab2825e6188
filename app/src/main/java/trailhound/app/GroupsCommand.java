package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Groups;

/** {@code groups}: computer groups, listed and changed on a data folder (beside a running server too). */
@Command(name = "groups", mixinStandardHelpOptions = true, description = {
    "List the computer groups: name, how many endpoints it holds now, rule, the endpoints named in it.",
    "A group holds the endpoints named in it plus those its rule matches now; users see the endpoints of the groups"
        + " granted to them (administrators see all). MEMBERS counts the endpoints it holds that the data folder has;"
        + " endpoints named in it that no ingest has brought yet are counted apart, as (+N named, not seen yet).",
    "A rule tests the endpoint attributes name, hostname, os, ip and tag, as in 'name:WS-FIN-*' or"
        + " 'os:windows AND tag:finance'.",
    "add, set-rule, add-endpoint, remove-endpoint and remove change groups, also while a server runs on the folder;"
        + " members and preview show what they hold."},
        subcommands = {GroupsCommand.Add.class, GroupsCommand.SetRule.class, GroupsCommand.SetStream.class, GroupsCommand.AddEndpoint.class,
            GroupsCommand.RemoveEndpoint.class, GroupsCommand.Remove.class, GroupsCommand.Members.class, GroupsCommand.Preview.class})
final class GroupsCommand implements Callable<Integer> {
    /** When a group's endpoints stream: {@code groups add --stream} and {@code groups set-stream --stream} take the same words. */
    enum StreamMode { always, connected }

    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        if (format == Format.csv) throw new IllegalArgumentException("groups lists as table or json, not csv");
        var out = spec.commandLine().getOut();
        return AccessFolder.run(data, (access, dir) -> {
            List<Groups.Group> groups = access.groups().list();
            List<String> streaming = access.groups().streaming();
            if (format == Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Groups.Group g : groups) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", g.name());
                    row.put("rule", g.rule());
                    row.put("builtin", g.builtin());
                    row.put("endpoints", g.endpoints());
                    row.put("stream", streaming.contains(g.name()));
                    Count m = Count.of(access, g.name());
                    row.put("members", m.seen());
                    row.put("not_seen", m.notSeen());
                    rows.add(row);
                }
                out.println(new ObjectMapper().writeValueAsString(rows));
                return 0;
            }
            TextTable table = new TextTable().left("GROUP", 32).left("MEMBERS", 40).left("RULE", 48).left("NAMED ENDPOINTS", 0);
            for (Groups.Group g : groups) {
                table.row(g.name(), Count.of(access, g.name()).text(), g.builtin() ? "(every endpoint)" : g.rule(),
                        g.endpoints().isEmpty() ? null : String.join(", ", g.endpoints()));
            }
            table.print(out);
            if (!streaming.isEmpty()) { // a line apart, so the table's columns stay what scripts read
                out.println("Streaming live events always (set-stream): " + String.join(", ", streaming.stream().map(Text::safe).toList()));
            }
            return 0;
        });
    }

    /**
     * A group's members now: how many the data folder has ({@code seen}), and the endpoints named in the group that
     * it has not (yet): named ahead of their first ingest, or mistyped. A rule only ever matches endpoints seen.
     */
    record Count(int seen, List<String> notSeen) {
        static Count of(Access access, String group) {
            return new Count(access.groups().members(group).size(), List.copyOf(access.groups().notSeen(group)));
        }

        /** "3", or "3 (+1 named, not seen yet)". */
        String text() {
            return seen + notSeenText();
        }

        /** "1 endpoint now", or "2 endpoints now (+1 named, not seen yet)". */
        String now() {
            return Text.count(seen, "endpoint", "endpoints") + " now" + notSeenText();
        }

        private String notSeenText() {
            return notSeen.isEmpty() ? "" : " (+" + notSeen.size() + " named, not seen yet)";
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a computer group: endpoints named in it, a rule, or both.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The group name: letters, digits, spaces and . _ @ -.") String name;
        @Option(names = "--endpoints", paramLabel = "A,B", split = ",", description = "Endpoints named in the group.")
        List<String> endpoints = new ArrayList<>();
        @Option(names = "--rule", paramLabel = "EXPR", description = "A rule for the endpoints it holds besides, e.g. 'os:windows AND tag:finance'.")
        String rule;
        @Option(names = "--stream", paramLabel = "MODE", defaultValue = "connected", description = "always: its endpoints' agents send"
                + " live events all the time; connected: only while an analyst is connected (default), as set-stream takes it.")
        StreamMode stream;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.groups().create(Caller.commandLine(), name, rule, endpoints.stream().map(String::strip).filter(e -> !e.isEmpty()).toList());
                if (stream == StreamMode.always) access.groups().setStream(Caller.commandLine(), name, true);
                spec.commandLine().getOut().println("added group " + Text.safe(name) + ": " + Count.of(access, name).now());
                return 0;
            });
        }
    }

    @Command(name = "set-rule", mixinStandardHelpOptions = true, description = "Set a group's rule; an empty rule ('') removes it.")
    static final class SetRule implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The group.") String name;
        @Option(names = "--rule", paramLabel = "EXPR", required = true, description = "The rule, or '' for none.") String rule;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.groups().setRule(Caller.commandLine(), name, rule);
                spec.commandLine().getOut().println((rule.isBlank() ? "removed the rule of " : "set the rule of ") + Text.safe(name) + ": "
                        + Count.of(access, name).now());
                return 0;
            });
        }
    }

    @Command(name = "set-stream", mixinStandardHelpOptions = true, description = {
        "Set whether a group's endpoints stream live events all the time (always) or only while an analyst has a live"
            + " connection open on them (connected, the default)."})
    static final class SetStream implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The group.") String name;
        @Option(names = "--stream", paramLabel = "MODE", required = true, description = "always or connected.") StreamMode mode;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.groups().setStream(Caller.commandLine(), name, mode == StreamMode.always);
                spec.commandLine().getOut().println(Text.safe(name) + (mode == StreamMode.always ? ": its endpoints stream all the time"
                        : ": its endpoints stream only while an analyst is connected") + " (agents hear it within 10 s)");
                return 0;
            });
        }
    }

    @Command(name = "add-endpoint", mixinStandardHelpOptions = true, description = "Name an endpoint in a group (it need not have been ingested yet).")
    static final class AddEndpoint implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The group.") String name;
        @Option(names = "--endpoint", paramLabel = "ENDPOINT", required = true, description = "The endpoint's name.") String endpoint;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.groups().addEndpoint(Caller.commandLine(), name, endpoint);
                spec.commandLine().getOut().println("added " + Text.safe(endpoint) + " to " + Text.safe(name)
                        + (dir.catalogue().endpoint(endpoint).isEmpty() ? " (not seen yet: it counts once an ingest brings it)" : ""));
                return 0;
            });
        }
    }

    @Command(name = "remove-endpoint", mixinStandardHelpOptions = true, description = "Remove an endpoint named in a group (its rule may still match it).")
    static final class RemoveEndpoint implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The group.") String name;
        @Option(names = "--endpoint", paramLabel = "ENDPOINT", required = true, description = "The endpoint's name.") String endpoint;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.groups().removeEndpoint(Caller.commandLine(), name, endpoint);
                boolean still = access.groups().members(name).contains(endpoint);
                spec.commandLine().getOut().println("removed " + Text.safe(endpoint) + " from " + Text.safe(name)
                        + (still ? " (its rule still matches it)" : ""));
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a group and every grant of it.")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The group.") String name;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.groups().delete(Caller.commandLine(), name);
                spec.commandLine().getOut().println("removed group " + Text.safe(name));
                return 0;
            });
        }
    }

    @Command(name = "members", mixinStandardHelpOptions = true, description = {
        "The endpoints a group holds now, one per line.",
        "Endpoints named in it that no ingest has brought yet follow, each marked (not seen yet)."})
    static final class Members implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The group.") String name;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.groups().members(name).forEach(e -> spec.commandLine().getOut().println(Text.safe(e)));
                access.groups().notSeen(name).forEach(e -> spec.commandLine().getOut().println(Text.safe(e) + " (not seen yet)"));
                return 0;
            });
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true, description = "The endpoints a rule (and named endpoints) would hold now, one per line; nothing is changed.")
    static final class Preview implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--rule", paramLabel = "EXPR", required = true, description = "The rule to try, e.g. 'os:windows AND tag:finance'.") String rule;
        @Option(names = "--endpoints", paramLabel = "A,B", split = ",", description = "Endpoints named besides.")
        List<String> endpoints = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.groups().preview(rule, endpoints.stream().map(String::strip).toList())
                        .forEach(e -> spec.commandLine().getOut().println(Text.safe(e)));
                return 0;
            });
        }
    }
}
