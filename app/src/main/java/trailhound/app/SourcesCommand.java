package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.ingest.Verifier;
import trailhound.store.SourceInfo;

@Command(name = "sources", mixinStandardHelpOptions = true, description = {
    "List the sources of truth kept in the data folder: every snapshot and imported file as received.",
    "For each: its SHA-256, size, when and by whom it was ingested, the endpoints it fed with their event counts, and"
        + " its state (complete, ingesting, failed with the reason, missing or changed on disk, not kept).",
    "`sources remove` removes one."},
        subcommands = SourcesCommand.Remove.class)
final class SourcesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--endpoint", paramLabel = "NAME", description = "Only the sources that fed this endpoint.")
    String endpoint;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (DataDir dir = data.openExisting()) {
            if (endpoint != null) {
                endpoint = Renamed.follow(dir, endpoint, spec);
                if (dir.catalogue().endpoint(endpoint).isEmpty()) {
                    spec.commandLine().getErr().println("trailhound: unknown endpoint '" + Text.safe(endpoint) + "' (bin/trailhound"
                            + " endpoints --data " + data.dir + " lists them)");
                    return Main.BAD_INPUT;
                }
            }
            List<SourceInfo> sources = dir.store().sources().list(endpoint);
            if (format == Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (SourceInfo s : sources) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", s.label());
                    row.put("kind", s.kind());
                    row.put("original_name", s.originalName());
                    row.put("sha256", s.sha256());
                    row.put("size", s.size());
                    row.put("path", s.path());
                    row.put("format", s.format());
                    row.put("ingested_at", Text.time(s.ingestedAt()));
                    row.put("ingested_by", s.ingestedBy());
                    Map<String, Long> fed = new LinkedHashMap<>();
                    s.endpoints().forEach(e -> fed.put(e.endpoint(), e.events()));
                    row.put("endpoints", fed);
                    row.put("state", Verifier.fileState(dir, s, false));
                    row.put("reason", s.reason());
                    rows.add(row);
                }
                out.println(new ObjectMapper().writeValueAsString(rows));
                return 0;
            }
            out.printf("%-6s %-9s %-10s %14s  %-24s  %-16s  %s%n", "ID", "KIND", "STATE", "SIZE", "INGESTED (UTC)", "SHA-256",
                    "NAME / ENDPOINTS");
            for (SourceInfo s : sources) {
                String state = Verifier.fileState(dir, s, false);
                out.printf("%-6s %-9s %-10s %,14d  %-24s  %-16s  %s%n", s.label(), s.kind(), state, s.size(),
                        Text.time(s.ingestedAt()), s.sha256() == null ? "-" : s.sha256().substring(0, 16), Text.safe(s.originalName()));
                if (!s.endpoints().isEmpty()) {
                    out.println("         " + s.endpoints().stream().map(e -> Text.safe(e.endpoint()) + " " + String.format("%,d", e.events()))
                            .collect(Collectors.joining(", ")));
                }
                if (s.reason() != null) out.println("         " + Text.safe(s.reason()));
            }
        }
        return 0;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a source with every event it added, its kept file and its catalogue rows.")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @picocli.CommandLine.Parameters(paramLabel = "SOURCE", description = "The source, e.g. s3.") String source;
        @Option(names = "--yes", description = "Confirm: this cannot be undone.") boolean yes;

        @Override
        public Integer call() throws Exception {
            var err = spec.commandLine().getErr();
            if (!source.matches("s?[0-9]{1,18}")) {
                err.println("trailhound: '" + source + "' is no source id; bin/trailhound sources lists them (s1, s2, ...)");
                return Main.BAD_INPUT;
            }
            if (!yes) {
                err.println("trailhound: removing " + source + " deletes its events and its kept file for good: add --yes to confirm");
                return Main.BAD_INPUT;
            }
            return EndpointAdminCommands.asWriter(data, "removing a source", null, spec, dir -> {
                SourceInfo removed = new trailhound.ingest.EndpointAdmin(dir).removeSource(Long.parseLong(source.replace("s", "")));
                spec.commandLine().getOut().printf("removed %s (%s) and its %,d events%n", removed.label(),
                        Text.safe(removed.originalName()), removed.events());
                return 0;
            });
        }
    }
}
