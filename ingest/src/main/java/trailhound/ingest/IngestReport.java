package trailhound.ingest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import trailhound.store.SourceInfo;

/**
 * The outcome of ingesting one file: its format, per-endpoint counts, rows or lines rejected
 * (with the first few positions) and warnings such as a truncated archive.
 *
 * @param rejected   records of the file that could not be read (rows, lines, elements)
 * @param rejectedAt the first (at most ten) rejected row ids or line numbers
 * @param firstRejections the same with why each could not be read ({@code line 50: cut short before </Event>})
 * @param kinds      per kind of event ({@code type/operation}, sorted): read, added, duplicates, refused by the index
 * @param sourceId   the source the file is kept as ({@code source} = {@code "s" + sourceId} on its events)
 * @param known      true when the file was a complete source already: nothing was read or added
 */
public record IngestReport(
        Path file,
        String format,
        Map<String, EndpointCounts> endpoints,
        long rejected,
        List<Long> rejectedAt,
        List<String> firstRejections,
        Map<String, KindCounts> kinds,
        List<String> warnings,
        long sourceId,
        boolean known) {

    /** The report for a file whose bytes are a complete source already. */
    static IngestReport known(Path file, SourceInfo source, boolean restored) {
        List<String> said = new java.util.ArrayList<>(List.of("already ingested as source " + source.label() + " ("
                + source.originalName() + ", " + java.time.Instant.ofEpochMilli(source.ingestedAt()) + "): nothing added"));
        if (restored) said.add("its kept copy " + source.path() + " was missing or changed: restored from this file");
        return new IngestReport(file, source.format(), Map.of(), 0, List.of(), List.of(), Map.of(), said, source.id(), true);
    }

    /** The same report naming the file as {@code file} (e.g. the path as the user typed it). */
    public IngestReport withFile(Path file) {
        return new IngestReport(file, format, endpoints, rejected, rejectedAt, firstRejections, kinds, warnings, sourceId, known);
    }

    public long read() {
        return endpoints.values().stream().mapToLong(EndpointCounts::read).sum();
    }

    public long added() {
        return endpoints.values().stream().mapToLong(EndpointCounts::added).sum();
    }

    /** Events the index refused (a value it cannot hold); counted in no endpoint's events. */
    public long refused() {
        return kinds.values().stream().mapToLong(KindCounts::rejected).sum();
    }

    /** True when every record of the file was read and every event indexed (or a duplicate). */
    public boolean whole() {
        return rejected == 0 && refused() == 0;
    }

    public long duplicates() {
        return endpoints.values().stream().mapToLong(EndpointCounts::duplicates).sum();
    }
}
