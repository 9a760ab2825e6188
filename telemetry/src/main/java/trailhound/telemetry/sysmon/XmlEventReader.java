package trailhound.telemetry.sysmon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import trailhound.telemetry.ImportContext;
import trailhound.schema.Event;

/*
 * Event Viewer and wevtutil write one <Events> root or bare <Event> elements one after the other;
 * syslog forwarders (Sysmon for Linux) put each on a line of its own after a syslog prefix. The text
 * is cut into one fragment per event (EventFragments) and each is parsed on its own (EventXml), so
 * one broken event costs only itself. An event cut short keeps the values closed before the cut when
 * what it is about (its object: the process, file, key...) survived; else it is malformed. Each event
 * is flattened into the same name/value fields the JSON lines carry, so one mapper serves both.
 */
final class XmlEventReader {
    private static final int EXAMPLES = 5;

    private final ImportContext context;
    private final MessageDigest sha256 = WindowsEventReader.sha256();

    XmlEventReader(ImportContext context) {
        this.context = context;
    }

    void read(InputStream in, String entryName) throws IOException {
        EventFragments fragments = new EventFragments(new BufferedReader(new InputStreamReader(in, charset(in)), 1 << 16));
        List<Long> cutKept = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        long cutKeptCount = 0;
        long rejectedCount = 0;
        long repaired = 0;
        for (EventFragments.Fragment f = fragments.next(); f != null; f = fragments.next()) {
            context.recordRead();
            if (f.oversized()) {
                String reason = "longer than " + EventFragments.MAX_CHARS + " characters";
                context.malformed(f.line(), reason);
                if (rejectedCount++ < EXAMPLES) rejected.add("line " + f.line() + ": " + reason);
                continue;
            }
            EventXml.Parsed parsed = EventXml.parse(f.text());
            repaired += parsed.repairedEntities();
            Event event = null;
            if (parsed.event() != null) {
                Map<String, String> fields = EventXml.fields(parsed.event());
                event = WindowsEventMapper.map(fields, uid(fields), context.endpointOverride(), context::hostless, context.localZone());
            }
            // an event cut by the end of a truncated file is not kept: only complete records before the cut are
            boolean truncatedHere = parsed.cut() && context.endIsCut() && fragments.atEnd();
            if (event == null || (parsed.cut() && event.object() == null) || truncatedHere) {
                String reason = truncatedHere ? "cut by the end of the truncated file"
                        : parsed.problem() != null ? parsed.problem() : "no EventID or time";
                context.malformed(f.line(), reason);
                if (rejectedCount++ < EXAMPLES) rejected.add("line " + f.line() + ": " + reason);
                continue;
            }
            if (parsed.cut() && cutKeptCount++ < EXAMPLES) cutKept.add(f.line());
            context.emit(event, WindowsEventMapper.os(event));
        }
        String prefix = entryName.isEmpty() ? "" : entryName + ": ";
        if (rejectedCount > 0) {
            context.warn(prefix + rejectedCount + " XML events could not be read and were skipped (" + String.join("; ", rejected)
                    + (rejectedCount > EXAMPLES ? "; ..." : "") + ")");
        }
        if (cutKeptCount > 0) {
            context.warn(prefix + cutKeptCount + " XML events were cut short (at line " + join(cutKept)
                    + (cutKeptCount > EXAMPLES ? ", ..." : "") + "): kept with the values before the cut");
        }
        if (repaired > 0) {
            context.warn(prefix + repaired + " entity references in XML text lacked their ';' (e.g. '&lt '): read as meant");
        }
    }

    private static String join(List<Long> lines) {
        return String.join(", ", lines.stream().map(String::valueOf).toList());
    }

    /** {@link WindowsUids#ofRecord}; without a record id, a hash of the sorted fields. */
    private String uid(Map<String, String> fields) {
        String uid = WindowsUids.ofRecord(fields);
        if (uid != null) {
            return uid;
        }
        sha256.update(new TreeMap<>(fields).toString().getBytes(StandardCharsets.UTF_8));
        return "x" + HexFormat.of().formatHex(sha256.digest(), 0, 16);
    }

    private static Charset charset(InputStream in) throws IOException {
        in.mark(3);
        byte[] bom = in.readNBytes(3);
        in.reset();
        if (bom.length >= 2 && (bom[0] & 0xff) == 0xFF && (bom[1] & 0xff) == 0xFE) {
            return StandardCharsets.UTF_16LE; // Event Viewer "Save as XML" on some versions
        }
        if (bom.length >= 2 && (bom[0] & 0xff) == 0xFE && (bom[1] & 0xff) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        return StandardCharsets.UTF_8;
    }
}
