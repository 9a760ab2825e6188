package trailhound.telemetry.auditd;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.telemetry.ImportContext;
import trailhound.telemetry.ImportLimits;

/**
 * Reads a Linux audit log and emits one canonical event per audit event (the records sharing
 * {@code msg=audit(time:serial)}, plus {@code node=}). Called by
 * {@code trailhound.telemetry.TelemetryImport}.
 *
 * <p>The records of one event are usually adjacent but may interleave with another's, and an
 * {@code EOE} record ends an event only when the kernel wrote one. So an event stays open until
 * its EOE, or until no record of it came in the last {@value #IDLE_LINES} lines, or more than
 * {@value #OPEN_EVENTS} events are open, or the file ends. Events are emitted in the order they
 * began, so an execve is mapped before its children's events (process keys depend on it).
 *
 * <p>Endpoint: the override; else the record's {@code node=}; else the file name stem.
 */
public final class AuditLogReader {
    /*
     * An event's records share msg=audit(time:serial) and usually come together, ended by EOE; a
     * central aggregator interleaves hosts and may write one event's records far apart (case 11: the
     * SYSCALL 90 lines before its EXECVE). Events stay open until EOE, or until they have been idle for
     * IDLE_LINES lines or OPEN_EVENTS are open (memory stays bounded): generous, so that a late record
     * joins its event instead of making a second event with the same uid.
     */
    private static final int OPEN_EVENTS = 4096;
    private static final int IDLE_LINES = 20_000;

    private AuditLogReader() {
    }

    /** @throws IOException from the stream (for an archive: it is truncated); open events are emitted first */
    public static void read(InputStream in, String entryName, ImportContext context) throws IOException {
        int maxLine = ImportLimits.maxLineBytes();
        BoundedLines lines = new BoundedLines(new InputStreamReader(in, StandardCharsets.UTF_8), maxLine);
        AuditEventMapper mapper = new AuditEventMapper();
        Map<String, Pending> open = new LinkedHashMap<>();
        long number = 0;
        String next;
        try {
            for (String line = lines.readLine(); line != null; line = next) {
                next = lines.readLine();
                number++;
                if (line == BoundedLines.OVERSIZED) {
                    context.recordRead();
                    context.malformed(number, "longer than " + (maxLine >> 20) + " MB: not read");
                    continue;
                }
                if (line.isBlank() || separator(line)) {
                    continue;
                }
                if (next == null && context.endIsCut()) { // cut by the end of a truncated file: not a complete record
                    context.recordRead();
                    context.malformed(number, "cut by the end of the truncated file");
                    break;
                }
                context.recordRead();
                AuditRecord record = AuditRecordParser.parse(line, number);
                if (record == null) {
                    context.malformed(number, "not an audit record (type=... msg=audit(time:serial): ...)");
                    continue;
                }
                Pending pending = open.get(record.groupKey());
                if (record.type().equals("EOE")) {
                    if (pending != null) {
                        pending.ended = true;
                    }
                } else {
                    if (pending == null) {
                        pending = new Pending();
                        open.put(record.groupKey(), pending);
                    }
                    pending.records.add(record);
                    pending.lastLine = number;
                }
                emitReady(open, number, mapper, context);
            }
        } finally {
            for (Pending pending : open.values()) {
                emit(pending.records, mapper, context);
            }
        }
    }

    /** The lines ausearch writes between events ({@code ----}, {@code time->Sun Jul 18 12:29:23 2021}). */
    static boolean separator(String line) {
        return line.startsWith("----") || line.startsWith("time->");
    }

    /** Emits the oldest open events while they are finished, idle, or too many are open. */
    private static void emitReady(Map<String, Pending> open, long line, AuditEventMapper mapper, ImportContext context) {
        Iterator<Pending> oldest = open.values().iterator();
        while (oldest.hasNext()) {
            Pending head = oldest.next();
            if (!(head.ended || line - head.lastLine > IDLE_LINES || open.size() > OPEN_EVENTS)) {
                return;
            }
            emit(head.records, mapper, context);
            oldest.remove();
        }
    }

    /** The records of one event read so far. */
    private static final class Pending {
        final List<AuditRecord> records = new ArrayList<>();
        long lastLine;
        boolean ended;
    }

    private static void emit(List<AuditRecord> group, AuditEventMapper mapper, ImportContext context) {
        String node = group.getFirst().node();
        String endpoint = context.endpointOverride() != null ? context.endpointOverride()
                : node != null ? node : context.hostless();
        context.emit(mapper.map(group, endpoint), "linux");
    }
}
