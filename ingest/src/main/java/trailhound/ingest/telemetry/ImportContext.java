package trailhound.ingest.telemetry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * What a format reader needs while reading one file: where events go, the endpoint override, and
 * the tallies that become the {@link ImportReport}. Readers in {@code trailhound.ingest.sysmon} and
 * {@code trailhound.ingest.auditd} get one from {@link TelemetryImport}; it is public only for them.
 *
 * <p>Not thread-safe: one reader on one thread per file.
 */
public final class ImportContext {
    private static final int MALFORMED_LINES_KEPT = 10;

    private final String endpointOverride;
    private final String sourceStem;
    private final Consumer<Event> sink;
    private final Map<String, long[]> countsByKind = new TreeMap<>();
    private final Set<String> endpoints = new TreeSet<>();
    /* 64-bit hashes of the uids, not the uids: a few million events stay a few tens of MB. */
    private final Set<Long> uidHashes = new HashSet<>();
    private final List<Long> firstMalformedLines = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long recordsRead;
    private long emitted;
    private long malformed;

    ImportContext(String endpointOverride, String sourceStem, Consumer<Event> sink) {
        this.endpointOverride = endpointOverride == null || endpointOverride.isBlank() ? null : endpointOverride;
        this.sourceStem = sourceStem;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The endpoint every event must carry, or {@code null} to take the host named in each record. */
    public String endpointOverride() {
        return endpointOverride;
    }

    /** The file's name without directories and known extensions, the endpoint of last resort. */
    public String sourceStem() {
        return sourceStem;
    }

    /** Counts one record read (a line, an element), malformed or not. */
    public void recordRead() {
        recordsRead++;
    }

    /** Counts a record that could not be read; {@code line} is 1-based within the file or archive entry. */
    public void malformed(long line) {
        malformed++;
        if (firstMalformedLines.size() < MALFORMED_LINES_KEPT) {
            firstMalformedLines.add(line);
        }
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    /** Hands the event to the sink and counts it under its kind (see {@link ImportReport#countsByKind()}). */
    public void emit(Event event) {
        String kind = "other".equals(event.type()) && event.has(Field.CHANNEL)
                ? "other/" + event.get(Field.CHANNEL) + "/" + event.get(Field.EVENT_ID)
                : event.type() + "/" + event.operation();
        countsByKind.computeIfAbsent(kind, k -> new long[1])[0]++;
        endpoints.add(event.get(Field.ENDPOINT));
        uidHashes.add(hash64(event.get(Field.ENDPOINT) + '\u0000' + event.uid()));
        emitted++;
        sink.accept(event);
    }

    long recordsRead() {
        return recordsRead;
    }

    ImportReport report(java.nio.file.Path file, TelemetryFormat format) {
        Map<String, Long> counts = new TreeMap<>();
        countsByKind.forEach((k, v) -> counts.put(k, v[0]));
        return new ImportReport(file, format, recordsRead, emitted, uidHashes.size(), counts,
                new ArrayList<>(endpoints), malformed, firstMalformedLines, warnings);
    }

    /** FNV-1a over the chars, then a final mix: cheap, and collisions only understate the distinct count. */
    private static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }
}
