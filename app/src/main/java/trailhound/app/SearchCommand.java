package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.lucene.search.Query;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.index.EventPage;
import trailhound.index.HuntResult;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.query.QueryLanguage;
import trailhound.query.TimeWindow;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.search.EventCsv;

@Command(name = "search", mixinStandardHelpOptions = true, description = {
    "Search events with the query language, newest first.",
    "Example: `process_name:powershell.exe AND command_line:*-enc* AND NOT user:system`.",
    "With --from and --to (or --last) only the events in that time window are searched, as the web's time picker does."})
final class SearchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;
    @Mixin TimeOptions time;
    @ArgGroup(exclusive = true, multiplicity = "1") Endpoints endpoints;

    static final class Endpoints {
        @Option(names = "--endpoint", paramLabel = "NAME", description = "Endpoint to search; repeat for several.")
        List<String> names;

        @Option(names = "--all", description = "Search every endpoint (a hunt).")
        boolean all;
    }

    @Option(names = "--count", description = "Print only the number of matching events.")
    boolean count;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Events to print (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "The query (all words are joined); empty matches every event.")
    List<String> words = List.of();

    @Override
    public Integer call() throws Exception {
        if (limit < 0) throw new IllegalArgumentException("--limit must be 0 or more, was " + limit);
        Query query = QueryLanguage.parse(String.join(" ", words));
        PrintWriter out = spec.commandLine().getOut();
        try (DataDir dir = data.openExisting()) {
            List<String> names = endpoints.all ? dir.indexes().endpoints()
                    : endpoints.names.stream().map(n -> Renamed.follow(dir, n, spec)).distinct().toList();
            TimeWindow window = time.window(dir, names, Clock.systemUTC());
            query = window.filter(query);
            String detail = String.join(" ", words) + window.describe() + (count ? " [count]" : format == Format.csv ? " [csv]" : "");
            if (endpoints.all) {
                CliAudit.record(dir, format == Format.csv ? "export" : "hunt", (String) null, detail, spec.commandLine().getErr());
            } else {
                CliAudit.record(dir, format == Format.csv ? "export" : "search", names, detail, spec.commandLine().getErr());
            }
            long total = 0;
            List<Event> events = new ArrayList<>();
            if (endpoints.all) {
                HuntResult hunt = dir.indexes().hunt(query, Math.max(1, limit));
                total = hunt.total();
                hunt.hits().forEach(h -> events.add(h.event()));
                names = List.of();
            }
            for (String name : names) {
                try (IndexBackend.Lease lease = dir.indexes().acquire(name)) {
                    if (count) {
                        total += lease.index().count(query);
                    } else {
                        EventPage page = lease.index().search(query, limit, null);
                        total += page.total();
                        events.addAll(page.events());
                    }
                }
            }
            if (count) {
                out.println(total);
                return 0;
            }
            events.sort(Comparator.comparingLong(Event::ts).reversed().thenComparing(Event::uid));
            List<Event> shown = events.subList(0, Math.min(limit, events.size()));
            switch (format) {
                case json -> printJson(out, shown);
                case csv -> printCsv(out, shown);
                case table -> printTable(out, shown, total, endpoints.all || names.size() > 1);
            }
        }
        return 0;
    }

    static void printJson(PrintWriter out, List<Event> events) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        out.println(json.writeValueAsString(events.stream().map(Event::toDisplayMap).toList()));
    }

    /** The same CSV as the web's export (formula-safe cells); see {@link EventCsv}. */
    static void printCsv(PrintWriter out, List<Event> events) throws java.io.IOException {
        EventCsv csv = new EventCsv(out);
        for (Event e : events) csv.write(e);
        csv.flush();
    }

    private static void printTable(PrintWriter out, List<Event> events, long total, boolean withEndpoint) {
        String fmt = withEndpoint ? "%-24s %-20s %-9s %-18s %-22s %7s  %s%n" : "%-24s %s%-9s %-18s %-22s %7s  %s%n";
        out.printf(fmt, "TIME (UTC)", withEndpoint ? "ENDPOINT" : "", "TYPE", "OPERATION", "PROCESS", "PID", "OBJECT");
        for (Event e : events) {
            // every value comes from the telemetry: control characters are shown, never sent to the terminal
            out.printf(fmt, Text.time(e.ts()), withEndpoint ? Text.clip(e.get(Field.ENDPOINT), 20) : "", Text.safe(e.type()),
                    Text.orDash(e.operation()), Text.clip(e.get(Field.PROCESS_NAME), 22), Text.orDash(e.get(Field.PID)),
                    Text.clip(e.object(), 100));
        }
        out.printf("%,d of %,d matching events%n", events.size(), total);
    }
}
