package trailhound.ingest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import trailhound.store.SourceInfo;

/**
 * The outcome of ingesting one file: its format, per-endpoint counts, rows or lines rejected
 * (with the first few positions) and warnings such as a truncated archive.
 *
 * @param rejectedAt the first (at most ten) rejected row ids or line numbers
 * @param countsByKind events read per "type/operation" (telemetry imports; empty for snapshots)
 * @param sourceId   the source the file is kept as ({@code source} = {@code "s" + sourceId} on its events)
 * @param known      true when the file was a complete source already: nothing was read or added
 */
public record IngestReport(
        Path file,
        String format,
        Map<String, EndpointCounts> endpoints,
        long rejected,
        List<Long> rejectedAt,
        Map<String, Long> countsByKind,
        List<String> warnings,
        long sourceId,
        boolean known) {

    /** The report for a file whose bytes are a complete source already. */
    static IngestReport known(Path file, SourceInfo source, boolean restored) {
        List<String> said = new java.util.ArrayList<>(List.of("already ingested as source " + source.label() + " ("
                + source.originalName() + ", " + java.time.Instant.ofEpochMilli(source.ingestedAt()) + "): nothing added"));
        if (restored) said.add("its kept copy " + source.path() + " was missing or changed: restored from this file");
        return new IngestReport(file, source.format(), Map.of(), 0, List.of(), Map.of(), said, source.id(), true);
    }

    /** The same report naming the file as {@code file} (e.g. the path as the user typed it). */
    public IngestReport withFile(Path file) {
        return new IngestReport(file, format, endpoints, rejected, rejectedAt, countsByKind, warnings, sourceId, known);
    }

    public long read() {
        return endpoints.values().stream().mapToLong(EndpointCounts::read).sum();
    }

    public long added() {
        return endpoints.values().stream().mapToLong(EndpointCounts::added).sum();
    }

    public long duplicates() {
        return endpoints.values().stream().mapToLong(EndpointCounts::duplicates).sum();
    }
}
