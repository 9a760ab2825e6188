package trailhound.ingest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of ingesting one file: its format, per-endpoint counts, rows or lines rejected
 * (with the first few positions) and warnings such as a truncated archive.
 *
 * @param rejectedAt the first (at most ten) rejected row ids or line numbers
 * @param countsByKind events read per "type/operation" (telemetry imports; empty for snapshots)
 */
public record IngestReport(
        Path file,
        String format,
        Map<String, EndpointCounts> endpoints,
        long rejected,
        List<Long> rejectedAt,
        Map<String, Long> countsByKind,
        List<String> warnings) {

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
