package trailhound.ingest.auditd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.ingest.telemetry.ImportContext;

/**
 * Reads a Linux audit log and emits one canonical event per audit event (the records sharing
 * {@code msg=audit(time:serial)}, plus {@code node=}). Called by
 * {@code trailhound.ingest.telemetry.TelemetryImport}.
 *
 * <p>The records of one event are usually adjacent but may interleave with another's, and an
 * {@code EOE} record ends an event only when the kernel wrote one. So events stay open until their
 * EOE, or until {@value #OPEN_EVENTS} newer events are open, or the end of the file.
 *
 * <p>Endpoint: the override; else the record's {@code node=}; else the file name stem.
 */
public final class AuditLogReader {
    private static final int OPEN_EVENTS = 64;

    private AuditLogReader() {
    }

    /** @throws IOException from the stream (for an archive: it is truncated); open events are emitted first */
    public static void read(InputStream in, String entryName, ImportContext context) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        AuditEventMapper mapper = new AuditEventMapper();
        Map<String, List<AuditRecord>> open = new LinkedHashMap<>();
        long number = 0;
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                context.recordRead();
                AuditRecord record = AuditRecordParser.parse(line, number);
                if (record == null) {
                    context.malformed(number);
                    continue;
                }
                String key = record.groupKey();
                if (record.type().equals("EOE")) {
                    List<AuditRecord> group = open.remove(key);
                    if (group != null) {
                        emit(group, mapper, context);
                    }
                    continue;
                }
                open.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
                if (open.size() > OPEN_EVENTS) {
                    Iterator<List<AuditRecord>> oldest = open.values().iterator();
                    emit(oldest.next(), mapper, context);
                    oldest.remove();
                }
            }
        } finally {
            for (List<AuditRecord> group : open.values()) {
                emit(group, mapper, context);
            }
        }
    }

    private static void emit(List<AuditRecord> group, AuditEventMapper mapper, ImportContext context) {
        String node = group.getFirst().node();
        String endpoint = context.endpointOverride() != null ? context.endpointOverride()
                : node != null ? node : context.sourceStem();
        context.emit(mapper.map(group, endpoint));
    }
}
