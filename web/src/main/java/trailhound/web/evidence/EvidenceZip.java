package trailhound.web.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Evidence as analysts take it away: a ZIP whose entry is encrypted with AES-256 (WinZip AE-2) under
 * the password {@value #PASSWORD}, the convention for malware samples, so that no scanner, mail filter
 * or double-click runs the file by accident. Entry names stay readable without the password (ZIP
 * encrypts data, not the directory), so the analyst sees what is inside before opening it. Streamed:
 * the file is read and written in 64 KiB pieces, never held whole.
 */
public final class EvidenceZip {
    public static final String PASSWORD = "infected";

    private EvidenceZip() {}

    /**
     * Writes a ZIP holding {@code file} to {@code out} (left open), as {@link #entryName} of
     * {@code originalName}; when that is not the original name exactly (a separator, a control
     * character, a character Windows refuses), a second entry {@code <entry>.name.txt} gives the
     * original, as UTF-8 text and escaped, so no name is lost.
     */
    public static void write(Path file, String originalName, long modifiedMillis, OutputStream out) throws IOException {
        write(file, originalName, null, modifiedMillis, out);
    }

    /**
     * As {@link #write(Path, String, long, OutputStream)}, of a name that was not UTF-8 on the endpoint:
     * {@code originalName} as people read it ({@code \xFF} for each byte that is not UTF-8) and
     * {@code originalBytes} the name's exact bytes (null when UTF-8), which the note then gives in hex.
     */
    public static void write(Path file, String originalName, byte[] originalBytes, long modifiedMillis, OutputStream out) throws IOException {
        String entryName = entryName(originalName);
        try (EncryptedZip zip = EncryptedZip.to(out, false); InputStream in = Files.newInputStream(file)) {
            in.transferTo(zip.entry(entryName, modifiedMillis));
            if (originalBytes != null) {
                zip.entry(entryName + ".name.txt", modifiedMillis).write(("The file " + entryName + " in this archive was named, on the"
                        + " endpoint, by bytes that are not all UTF-8; each \\xFF below is one byte that is not:\n" + originalName
                        + "\n\nThe name's bytes in hex:\n" + java.util.HexFormat.ofDelimiter(" ").formatHex(originalBytes) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (!entryName.equals(originalName)) {
                zip.entry(entryName + ".name.txt", modifiedMillis).write(("The file " + entryName + " in this archive was named, on the"
                        + " endpoint:\n" + originalName + "\n\nEscaped (Java and JSON \\uXXXX for every character outside printable"
                        + " ASCII):\n" + escaped(originalName) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /** {@code s} with every character outside printable ASCII (and the backslash) as a JSON escape: backslash, u, four hex digits. */
    static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch >= 0x20 && ch < 0x7f && ch != '\\') b.append(ch);
            else b.append(String.format("\\u%04x", (int) ch));
        }
        return b.toString();
    }

    /**
     * A name safe as a ZIP entry and a download name: no folders, no control characters, none of the
     * characters Windows refuses, not empty; everything else as it is (leading and trailing spaces,
     * any Unicode: zip4j marks the name UTF-8).
     */
    public static String entryName(String name) {
        // invisible format characters (bidi overrides that show "txt.exe" reversed, U+200B...) are dropped, not replaced
        String clean = name.replaceAll("\\p{Cf}", "").replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}\u0085\u2028\u2029]", "_");
        if (clean.isBlank() || clean.equals(".") || clean.equals("..")) return "file";
        return clean;
    }

    /**
     * A Content-Disposition for downloading {@code name} (RFC 6266): {@code filename*} the name in
     * UTF-8, percent-encoded (RFC 5987), and {@code filename} an ASCII fallback for old clients.
     */
    public static String contentDisposition(String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9._ ()\\[\\]+-]", "_");
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xff);
            boolean attrChar = ch < 0x80 && (Character.isLetterOrDigit(ch) || "!#$&+-.^_`|~".indexOf(ch) >= 0);
            encoded.append(attrChar ? String.valueOf(ch) : String.format("%%%02X", b & 0xff));
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
