package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.index.Distribution;
import trailhound.ingest.DataDir;
import trailhound.query.QueryLanguage;
import trailhound.query.TimeWindow;

@Command(name = "distribution", mixinStandardHelpOptions = true, description = {
    "Event counts per type and per type/operation, optionally under a query.",
    "With --from and --to (or --last) only the events in that time window are counted, as on the web's distribution page."})
final class DistributionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;
    @Mixin TimeOptions time;

    @Option(names = "--endpoint", required = true, paramLabel = "NAME", description = "The endpoint to count.")
    String endpoint;

    @Option(names = "--query", paramLabel = "Q", description = "Count only events matching this query (or give it as words, as search takes it).")
    String query;

    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "Count only events matching the query (all words are joined),"
            + " as search takes it; the same as --query.")
    List<String> words = List.of();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        if (!words.isEmpty()) {
            if (query != null) {
                throw new IllegalArgumentException("give the query either as words or with --query, not both (--query '" + query
                        + "' and '" + String.join(" ", words) + "')");
            }
            query = String.join(" ", words);
        }
        Query q = query == null || query.isBlank() ? null : QueryLanguage.parse(query);
        var out = spec.commandLine().getOut();
        try (DataDir dir = data.openExisting()) {
            String name = Renamed.follow(dir, endpoint, spec);
            TimeWindow window = time.window(dir, List.of(name), Clock.systemUTC());
            if (!window.all()) q = window.filter(q == null ? new MatchAllDocsQuery() : q);
            try (var lease = dir.indexes().acquire(name)) {
                CliAudit.record(dir, "distribution", name, (query == null ? "" : query) + window.describe(), spec.commandLine().getErr());
                Distribution d = lease.index().distribution(q);
                if (format == Format.json) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("total", d.total());
                    json.put("types", d.types());
                    json.put("operations", d.operations());
                    out.println(new ObjectMapper().writeValueAsString(json));
                    return 0;
                }
                out.printf("%-34s %,14d%n", "TOTAL", d.total());
                d.types().forEach((type, n) -> {
                    out.printf("%-34s %,14d%n", Text.safe(type), n);
                    d.operations().forEach((op, m) -> {
                        if (op.startsWith(type + "/")) out.printf("  %-32s %,14d%n", Text.safe(op), m);
                    });
                });
            }
        }
        return 0;
    }
}
