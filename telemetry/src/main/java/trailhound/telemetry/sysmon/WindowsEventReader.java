package trailhound.telemetry.sysmon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.codec.digest.MurmurHash3;
import trailhound.telemetry.ImportContext;
import trailhound.schema.Event;

/**
 * Reads Windows events (Sysmon and any other channel) as JSON lines or as Event Viewer XML and
 * emits canonical events to the {@link ImportContext}. Called by
 * {@code trailhound.telemetry.TelemetryImport}, which owns format detection and archives.
 */
public final class WindowsEventReader {
    /* Jackson factories are thread-safe and costly to create; parsers are per line. */
    /* Values as long as a line may be (Jackson refuses strings over 20 M characters by default). */
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(
            com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(ByteLines.MAX_LINE_BYTES).build()).build();
    private static final HexFormat HEX = HexFormat.of();
    private static final int UID_SEED = 0x7261696c; // fixed forever: part of every JSON-lines event_uid

    private WindowsEventReader() {
    }

    /**
     * One flat JSON object per line. A line's {@code event_uid} is a hash of its bytes (these
     * exports carry no record id), so the same line shipped twice is the same event. Blank lines
     * are skipped; a line that is not a JSON object with a numeric {@code EventID} and a time is
     * counted as malformed and skipped. The lines are parsed on {@link ImportContext#threads()}
     * threads, in batches cut by this one.
     *
     * @throws IOException from the stream (for an archive: it is truncated), once the lines read
     *     before it were imported
     */
    public static void readJsonLines(InputStream in, String entryName, ImportContext context) throws IOException {
        ClockSkew clockSkew = new ClockSkew();
        LineBatches.forEach(in, context.threads(), batch -> clockSkew.addAll(readBatch(batch, context)));
        clockSkew.report(entryName, context);
    }

    /** Parses, maps and emits one batch of lines (on any thread); returns the batch's clock skews. */
    private static ClockSkew readBatch(LineBatches.Batch batch, ImportContext context) {
        ImportContext.Tally tally = context.newTally();
        ClockSkew clockSkew = new ClockSkew();
        Map<String, String> fields = new HashMap<>(64);
        byte[] bytes = batch.bytes();
        for (int i = 0; i < batch.count(); i++) {
            if (batch.isBlank(i)) {
                continue;
            }
            tally.recordRead();
            if (batch.oversized().get(i)) {
                tally.malformed(batch.firstLine() + i, "longer than " + (ByteLines.MAX_LINE_BYTES >> 20) + " MB: not read");
                continue;
            }
            fields.clear();
            int start = batch.start(i);
            int length = batch.end(i) - start;
            if (!parseFlatObject(bytes, start, length, fields)) {
                tally.malformed(batch.firstLine() + i, "not one JSON object");
                continue;
            }
            // the record id when the line kept it (the same uid as the .evtx or XML form); else a 128-bit
            // MurmurHash3 of the line's bytes: a published, fixed algorithm (uids must never change between
            // versions) and several times cheaper than SHA-256 on the hot path
            String uid = WindowsUids.ofRecord(fields);
            if (uid == null) {
                long[] hash = MurmurHash3.hash128x64(bytes, start, length, UID_SEED);
                uid = "j" + HEX.toHexDigits(hash[0]) + HEX.toHexDigits(hash[1]);
            }
            Event event = WindowsEventMapper.map(fields, uid, context.endpointOverride(), context::hostless, context.localZone());
            if (event == null) {
                tally.malformed(batch.firstLine() + i, fields.get("EventID") == null ? "no EventID" : "no time that can be read");
            } else {
                if (WindowsEventMapper.timedByLocalTime(fields)) context.timedByLocalTime();
                clockSkew.observe(fields);
                tally.emit(event, WindowsEventMapper.os(event));
            }
        }
        context.add(tally);
        return clockSkew;
    }

    /**
     * Many {@code <Event>} elements, with or without an enclosing root. {@code event_uid} is
     * {@code host:channel:EventRecordID}. A document that stops being well-formed ends the read
     * with a warning (XML cannot be resynchronised reliably); the events before it are kept.
     *
     * @throws IOException from the stream (for an archive: it is truncated)
     */
    public static void readXml(InputStream in, String entryName, ImportContext context) throws IOException {
        new XmlEventReader(context).read(in, entryName);
    }

    /**
     * A binary Windows event log (.evtx), every channel: each record's Event XML tree read into fields
     * as an XML event is ({@link EventXml#fields}), so the same record maps to the same event and uid.
     * A damaged record or chunk is reported with its byte offset and the rest is read.
     *
     * @throws IOException from the stream (for an archive: it is truncated)
     */
    public static void readEvtx(InputStream in, String entryName, ImportContext context) throws IOException {
        trailhound.evtx.EvtxReader.read(in, new trailhound.evtx.EvtxHandler() {
            @Override
            public void record(trailhound.evtx.EvtxRecord record) {
                context.recordRead();
                Map<String, String> fields = EventXml.fields(record.event());
                String uid = WindowsUids.ofRecord(fields);
                if (uid == null) uid = "e" + fields.getOrDefault("Hostname", "") + ":" + record.recordId(); // no EventRecordID
                Event event = WindowsEventMapper.map(fields, uid, context.endpointOverride(), context::hostless, context.localZone());
                if (event == null) {
                    context.damaged(record.offset(), "record " + record.recordId() + " has no EventID or time");
                } else {
                    context.emit(event, WindowsEventMapper.os(event));
                }
            }

            @Override
            public void damaged(long offset, String reason) {
                context.recordRead();
                context.damaged(offset, reason);
            }
        });
    }

    /*
     * Forwarders stamp TimeCreated in the collector's idea of time: in the OTRF exports it is hours
     * away from Sysmon's UtcTime, even with a "Z". Events that only have TimeCreated (Security,
     * System...) therefore cannot be placed exactly; the report says by how much the two disagree
     * rather than silently shifting or trusting either.
     */
    private static final class ClockSkew {
        private static final long QUARTER_HOUR = 15 * 60_000L;
        private final Map<String, Map<Long, Long>> countsByHostAndSkew = new java.util.TreeMap<>();

        void observe(Map<String, String> fields) {
            String utc = fields.get("UtcTime");
            String created = fields.get("TimeCreated");
            if (utc == null || created == null) {
                return;
            }
            long a = WindowsTimes.parse(utc);
            long b = WindowsTimes.parse(created);
            if (a == Long.MIN_VALUE || b == Long.MIN_VALUE) {
                return;
            }
            long skew = Math.round((double) (a - b) / QUARTER_HOUR) * QUARTER_HOUR;
            if (skew != 0) {
                countsByHostAndSkew.computeIfAbsent(String.valueOf(fields.get("Hostname")), h -> new java.util.TreeMap<>())
                        .merge(skew, 1L, Long::sum);
            }
        }

        synchronized void addAll(ClockSkew other) {
            other.countsByHostAndSkew.forEach((host, skews) -> skews.forEach((skew, count) ->
                    countsByHostAndSkew.computeIfAbsent(host, h -> new java.util.TreeMap<>()).merge(skew, count, Long::sum)));
        }

        synchronized void report(String entryName, ImportContext context) {
            countsByHostAndSkew.forEach((host, skews) -> skews.forEach((skew, count) -> context.warn(
                    (entryName.isEmpty() ? "" : entryName + ": ") + "TimeCreated is " + hours(skew)
                            + (skew > 0 ? " behind" : " ahead of") + " UtcTime on " + count + " events of " + host
                            + "; events without UtcTime "
                            + "(Security, System...) are timed by TimeCreated and may be off by as much")));
        }
    }

    private static String hours(long skewMillis) {
        double hours = Math.abs(skewMillis) / 3_600_000.0;
        return (hours == Math.rint(hours) ? Long.toString((long) hours) : Double.toString(hours)) + "h";
    }

    /**
     * The line's values by the names the mapper reads; false when the bytes are not one JSON object.
     * See {@link JsonShapes} for the shapes read (flat, Winlogbeat/ECS, Sentinel / Log Analytics).
     */
    private static boolean parseFlatObject(byte[] buf, int start, int length, Map<String, String> fields) {
        try (JsonParser p = JSON.createParser(buf, start, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            if (!JsonShapes.readMembers(p, "", fields)) {
                return false;
            }
            if (p.nextToken() != null) {
                return false;
            }
            JsonShapes.normalize(fields);
            return true;
        } catch (IOException e) {
            return false; // JsonParseException: the line is not JSON
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
