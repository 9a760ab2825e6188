package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.index.ProcessInfo;
import trailhound.index.ProcessView;
import trailhound.ingest.DataDir;
import trailhound.schema.Event;

@Command(name = "process", mixinStandardHelpOptions = true, description = "A process: path, command line, hashes, user, pids, start/end, parent, children, peers and its event history.")
final class ProcessCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--endpoint", required = true, paramLabel = "NAME", description = "The endpoint the process ran on.")
    String endpoint;

    @Option(names = "--key", required = true, paramLabel = "PROCESS_KEY", description = "The process's process_key, as in search results.")
    String key;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "History events to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--relatives", paramLabel = "N", defaultValue = "20", description = "Children and peers to list, each the first N"
            + " by process key (default: ${DEFAULT-VALUE}); their counts are always given.")
    int relatives;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    /** The most --relatives takes: a busy parent's children are read one by one. */
    static final int MAX_RELATIVES = 100_000;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (DataDir dir = data.openExisting()) {
            String name = Renamed.follow(dir, endpoint, spec);
            if (relatives < 0 || relatives > MAX_RELATIVES) {
                throw new IllegalArgumentException("--relatives must be a whole number from 0 to " + MAX_RELATIVES + ", was " + relatives);
            }
            try (var lease = dir.indexes().acquire(name)) {
                // Bounded as the API is: a parent of thousands of processes lists the first ones and their count.
                ProcessView view = lease.index().process(key, limit, relatives)
                        .orElseThrow(() -> new IllegalArgumentException("no process with key '" + key + "' on " + endpoint));
                int children = lease.index().children(key, 0, 0, null, 1, 0).total();
                String parentKey = view.process().parentKey();
                int peers = parentKey == null || parentKey.isBlank() ? 0 : lease.index().children(parentKey, 0, 0, key, 1, 0).total();
                CliAudit.record(dir, "process.view", name, key, spec.commandLine().getErr());
                if (format == Format.json) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("process", describe(view.process()));
                    json.put("parent", view.parent() == null ? null : describe(view.parent()));
                    json.put("children_total", children);
                    json.put("children", view.children().stream().map(ProcessCommand::describe).toList());
                    json.put("peers_total", peers);
                    json.put("peers", view.peers().stream().map(ProcessCommand::describe).toList());
                    json.put("history_total", view.historyTotal());
                    json.put("history", view.history().stream().map(Event::toDisplayMap).toList());
                    out.println(new ObjectMapper().setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                            .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
                    return 0;
                }
                printTable(out, view, children, peers);
            }
        }
        return 0;
    }

    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    /** A process as JSON: canonical snake_case names, start and end as UTC ISO-8601 like every event time. */
    private static Map<String, Object> describe(ProcessInfo p) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = SNAKE.convertValue(p, LinkedHashMap.class);
        map.put("start_ts", p.startTs() == null ? null : Text.time(p.startTs()));
        map.put("end_ts", p.endTs() == null ? null : Text.time(p.endTs()));
        return map;
    }

    private static void printTable(PrintWriter out, ProcessView v, int children, int peers) {
        ProcessInfo p = v.process();
        out.println("Process     " + Text.safe(p.key()));
        out.println("  path      " + Text.orDash(p.path()));
        out.println("  command   " + Text.orDash(p.commandLine()));
        out.println("  user      " + Text.orDash(p.user()));
        out.println("  pid/ppid  " + Text.orDash(p.pid()) + " / " + Text.orDash(p.ppid()));
        out.println("  start     " + Text.time(p.startTs()) + "   end " + Text.time(p.endTs()));
        out.println("  md5       " + Text.orDash(p.hashMd5()));
        out.println("  sha1      " + Text.orDash(p.hashSha1()));
        out.println("  sha256    " + Text.orDash(p.hashSha256()));
        out.println("  signer    " + Text.orDash(p.signature()));
        out.println("Parent      " + (v.parent() == null ? Text.orDash(p.parentKey()) + " (no events of it recorded)" : line(v.parent())));
        out.println("Children    " + count(children, v.children().size()));
        v.children().forEach(c -> out.println("  " + line(c)));
        out.println("Peers       " + count(peers, v.peers().size()));
        v.peers().forEach(c -> out.println("  " + line(c)));
        out.printf("History     %,d of %,d events%n", v.history().size(), v.historyTotal());
        for (Event e : v.history()) {
            out.printf("  %-24s %-9s %-18s %s%n", Text.time(e.ts()), Text.safe(e.type()), Text.orDash(e.operation()), Text.clip(e.object(), 110));
        }
    }

    /** "1,234 (the first 20; --relatives 1234 lists them all)", or the bare count when all are listed. */
    private static String count(int total, int listed) {
        if (listed >= total) return String.format("%,d", total);
        return String.format("%,d (the first %,d; --relatives %d lists them all)", total, listed, Math.min(total, MAX_RELATIVES));
    }

    private static String line(ProcessInfo p) {
        return Text.safe(p.key()) + "  " + Text.orDash(p.pid()) + "  " + Text.clip(p.commandLine() != null ? p.commandLine() : p.path(), 100);
    }
}
