package trailhound.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/** Recognises a telemetry format from the first bytes of (decompressed) content. */
final class FormatSniffer {
    /** Enough for an XML prolog, a comment and the first {@code <Event} tag. */
    static final int HEAD_BYTES = 8192;

    private static final Pattern AUDIT_LINE =
            Pattern.compile("^(node=\\S+ )?type=[A-Za-z0-9_]+ msg=audit\\(\\d+\\.\\d+:\\d+\\)");

    /** A syslog line carrying an event: {@code May 11 18:10:20 host sysmon: <Event>...}. */
    private static final Pattern SYSLOG_EVENT = Pattern.compile("[^\\n<]{1,200}?: <Event[ >]");

    private FormatSniffer() {
    }

    static Optional<TelemetryFormat> sniff(byte[] head, int length) {
        if (trailhound.evtx.EvtxReader.isEvtx(java.util.Arrays.copyOf(head, Math.min(length, 8)))) {
            return Optional.of(TelemetryFormat.WINDOWS_EVTX);
        }
        // Event Viewer may save XML as UTF-16 with a byte order mark.
        boolean utf16le = length >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE;
        boolean utf16be = length >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF;
        String text = new String(head, utf16le || utf16be ? 2 : 0, utf16le || utf16be ? length - 2 : length,
                utf16le ? StandardCharsets.UTF_16LE : utf16be ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_8);
        int i = 0;
        if (text.startsWith("\uFEFF")) {
            i = 1;
        }
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i >= text.length()) {
            return Optional.empty();
        }
        char first = text.charAt(i);
        if (first == '{') {
            return Optional.of(TelemetryFormat.WINDOWS_JSON_LINES);
        }
        if (first == '<' && (text.contains("<Event>") || text.contains("<Event ") || text.contains("<Events"))) {
            return Optional.of(TelemetryFormat.WINDOWS_EVENT_XML);
        }
        if (SYSLOG_EVENT.matcher(text.substring(i)).lookingAt()) { // Sysmon for Linux through syslog
            return Optional.of(TelemetryFormat.WINDOWS_EVENT_XML);
        }
        if (auditLog(text.substring(i))) {
            return Optional.of(TelemetryFormat.LINUX_AUDIT);
        }
        return Optional.empty();
    }

    /**
     * Audit log text: its first lines are audit records, ausearch's separators ({@code ----},
     * {@code time->...}), or, first of all, the tail of a record cut by log rotation.
     */
    private static boolean auditLog(String text) {
        String[] lines = text.split("\n", 12);
        if (lines.length == 1) return AUDIT_LINE.matcher(text).lookingAt(); // a first record longer than the head
        int records = 0;
        for (int n = 0; n < Math.min(lines.length - 1, 10); n++) { // the last may be cut by the head's end
            String line = lines[n].strip();
            if (AUDIT_LINE.matcher(line).lookingAt()) records++;
            else if (!(line.isEmpty() || line.startsWith("----") || line.startsWith("time->") || n == 0)) return false;
        }
        return records > 0;
    }

    /** A short printable excerpt of the head, for error messages. */
    static String excerpt(byte[] head, int length) {
        if (length <= 0) {
            return "empty";
        }
        String text = new String(head, 0, Math.min(length, 40), StandardCharsets.UTF_8)
                .replaceAll("[\\p{Cntrl}\uFFFD]", ".");
        return "starts with \"" + text + "\"";
    }
}
