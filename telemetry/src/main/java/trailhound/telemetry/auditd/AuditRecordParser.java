package trailhound.telemetry.auditd;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parses one audit log line into an {@link AuditRecord}, or returns null when the line is not one.
 * Checked field by field against the go-libaudit golden files (see the tests).
 *
 * <p>Values come three ways: {@code "quoted"} (literal), {@code 'single-quoted'} (the user-space
 * message, itself key=value pairs, merged into the record), and bare. The kernel writes a value
 * that contains spaces, quotes or control characters as bare upper-case hex instead of quoting it;
 * that is decoded for the fields that can carry such text (names, paths, commands, arguments).
 */
final class AuditRecordParser {
    /** Fields the kernel and auditd may hex-encode ({@code audit_log_untrustedstring}). */
    private static final Set<String> ENCODABLE = Set.of("proctitle", "name", "exe", "comm", "cwd", "path", "acct",
            "cmd", "data", "ocomm", "dir", "file", "key", "new", "old", "vm", "root_dir", "sauid", "watch");

    private AuditRecordParser() {
    }

    static AuditRecord parse(String line, long lineNumber) {
        int i = 0;
        String node = null;
        if (line.startsWith("node=")) {
            int sp = line.indexOf(' ');
            if (sp < 0) {
                return null;
            }
            node = line.substring(5, sp);
            i = sp + 1;
        }
        if (!line.startsWith("type=", i)) {
            return null;
        }
        int sp = line.indexOf(' ', i);
        if (sp < 0 || !line.startsWith("msg=audit(", sp + 1)) {
            return null;
        }
        String type = line.substring(i + 5, sp);
        int open = sp + 1 + "msg=audit(".length();
        int close = line.indexOf(')', open);
        int dot = line.indexOf('.', open);
        int colon = line.indexOf(':', open);
        if (close < 0 || dot < 0 || colon < 0 || dot > colon || colon > close) {
            return null;
        }
        long millis;
        long serial;
        try {
            long seconds = Long.parseLong(line.substring(open, dot));
            String fraction = (line.substring(dot + 1, colon) + "000").substring(0, 3);
            millis = seconds * 1000 + Integer.parseInt(fraction);
            serial = Long.parseLong(line.substring(colon + 1, close));
        } catch (NumberFormatException e) {
            return null;
        }
        int body = close + 1;
        if (body < line.length() && line.charAt(body) == ':') {
            body++;
        }
        Map<String, String> fields = new HashMap<>();
        String text = line.substring(body);
        int enriched = text.indexOf('\u001d');
        parsePairs(enriched < 0 ? text : text.substring(0, enriched), fields, type);
        if (enriched >= 0) {
            parsePairs(text.substring(enriched + 1).replace('\u001d', ' '), fields, type);
        }
        return new AuditRecord(node, type, millis, serial, fields, lineNumber);
    }

    private static void parsePairs(String s, Map<String, String> fields, String type) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int keyStart = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ' ') {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                continue; // a word without a value, e.g. "avc:  denied  {"
            }
            String key = s.substring(keyStart, i);
            i++;
            String value;
            if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                char quote = s.charAt(i);
                int end = s.indexOf(quote, i + 1);
                if (end < 0) {
                    end = n;
                }
                value = s.substring(i + 1, end);
                i = Math.min(n, end + 1);
                if (quote == '\'') {
                    parsePairs(value, fields, type); // msg='op=... res=success': its pairs are the record's
                    continue;
                }
            } else {
                int end = s.indexOf(' ', i);
                if (end < 0) {
                    end = n;
                }
                value = s.substring(i, end);
                i = end;
                if (isEncodable(key, type) && isHex(value)) {
                    value = decodeHex(value);
                }
            }
            if (!key.isEmpty()) {
                fields.put(key, value);
            }
        }
    }

    private static boolean isEncodable(String key, String type) {
        return ENCODABLE.contains(key) || (type.equals("EXECVE") && key.length() > 1 && key.charAt(0) == 'a'
                && Character.isDigit(key.charAt(1)));
    }

    private static boolean isHex(String v) {
        if (v.length() < 2 || v.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** Hex to UTF-8 text; NULs (argument separators in proctitle) become spaces. */
    static String decodeHex(String v) {
        byte[] bytes = new byte[v.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(v, 2 * i, 2 * i + 2, 16);
        }
        int len = bytes.length;
        while (len > 0 && bytes[len - 1] == 0) {
            len--;
        }
        for (int i = 0; i < len; i++) {
            if (bytes[i] == 0) {
                bytes[i] = ' ';
            }
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }
}
