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

    /** Bytes of the head an excerpt shows: as text at most this many characters, as binary at most {@value #BINARY_SHOWN} bytes in hex. */
    private static final int EXCERPT = 40;
    private static final int BINARY_SHOWN = 8;

    /**
     * A short description of the head, for error messages, never quoting a byte as it is: text as
     * {@code starts with "..."} (its first {@value #EXCERPT} characters, line breaks and tabs as '.'), anything
     * else (bytes that are not UTF-8, control or invisible characters) as {@code is binary data, beginning 7F 45 4C
     * 46...} (its first {@value #BINARY_SHOWN} bytes in hex); {@code empty} for none.
     */
    static String excerpt(byte[] head, int length) {
        if (length <= 0) {
            return "empty";
        }
        int n = Math.min(length, EXCERPT);
        String text = text(head, n);
        if (text == null) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(n, BINARY_SHOWN); i++) hex.append(i == 0 ? "" : " ").append(String.format("%02X", head[i] & 0xff));
            return "is binary data, beginning " + hex + (length > BINARY_SHOWN ? "..." : "");
        }
        return "starts with \"" + text.replaceAll("[\t\r\n]", ".") + "\"";
    }

    /** The first {@code n} bytes as text when they are UTF-8 (a sequence cut at the end dropped) of printing characters, tabs and line breaks; else null. */
    private static String text(byte[] head, int n) {
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT).onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(n);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(head, 0, n);
        java.nio.charset.CoderResult r = utf8.decode(in, out, true);
        // a malformed sequence within the last 3 bytes may be one cut by the excerpt's end
        if (r.isError() && in.position() < n - 3) return null;
        out.flip();
        String text = out.toString();
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\t' || c == '\r' || c == '\n') continue;
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || c == 0xFFFD || c != ' ' && type == Character.SPACE_SEPARATOR) {
                return null;
            }
        }
        return text;
    }
}
