package trailhound.web.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.CompressionMethod;
import net.lingala.zip4j.model.enums.EncryptionMethod;

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

    /** Writes a ZIP holding {@code file} as {@code entryName} to {@code out} (left open). */
    public static void write(Path file, String entryName, long modifiedMillis, OutputStream out) throws IOException {
        ZipParameters p = new ZipParameters();
        p.setCompressionMethod(CompressionMethod.DEFLATE);
        p.setEncryptFiles(true);
        p.setEncryptionMethod(EncryptionMethod.AES);
        p.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
        p.setFileNameInZip(entryName);
        p.setLastModifiedFileTime(modifiedMillis);
        OutputStream unclosed = new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush(); // the response stays the server's to close
            }
        };
        try (ZipOutputStream zip = new ZipOutputStream(unclosed, PASSWORD.toCharArray());
             InputStream in = Files.newInputStream(file)) {
            zip.putNextEntry(p);
            in.transferTo(zip);
            zip.closeEntry();
        }
    }

    /** A name safe as a ZIP entry and a download name: no folders, no control characters, not empty. */
    public static String entryName(String name) {
        String clean = name.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").strip();
        if (clean.isEmpty() || clean.equals(".") || clean.equals("..")) return "file";
        return clean;
    }
}
