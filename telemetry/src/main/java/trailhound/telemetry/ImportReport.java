package trailhound.telemetry;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@link TelemetryImport#read} did.
 *
 * @param file the file read
 * @param format its format (of the first entry, for an archive)
 * @param recordsRead records read: JSON lines, XML {@code <Event>} elements or audit log lines,
 *     not counting blank lines
 * @param eventsEmitted events handed to the sink, duplicates included
 * @param distinctEvents events with distinct {@code event_uid}s among those emitted
 * @param countsByKind emitted events by kind, {@code type/operation} (for type {@code other} from
 *     Windows: {@code other/<channel>/<event id>}), sorted by kind
 * @param endpointOs endpoints the events carry, sorted, with their operating system ({@code windows}, {@code linux})
 * @param malformed records that could not be read (counted, not emitted)
 * @param firstMalformedLines the line numbers of the first ten malformed records (byte offsets in an .evtx)
 * @param firstMalformed the same records with why they could not be read ({@code line 50: cut short before </Event>},
 *     {@code offset 73728: bad chunk signature})
 * @param warnings things the analyst should know, e.g. a truncated archive
 */
public record ImportReport(
        Path file,
        TelemetryFormat format,
        long recordsRead,
        long eventsEmitted,
        long distinctEvents,
        Map<String, Long> countsByKind,
        Map<String, String> endpointOs,
        long malformed,
        List<Long> firstMalformedLines,
        List<String> firstMalformed,
        List<String> warnings) {

    public ImportReport {
        countsByKind = Collections.unmodifiableMap(new TreeMap<>(countsByKind));
        endpointOs = Collections.unmodifiableMap(new TreeMap<>(endpointOs));
        firstMalformedLines = List.copyOf(firstMalformedLines);
        firstMalformed = List.copyOf(firstMalformed);
        warnings = List.copyOf(warnings);
    }

    /** The endpoints the events carry, sorted. */
    public List<String> endpoints() {
        return List.copyOf(endpointOs.keySet());
    }
}
