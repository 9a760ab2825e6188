package trailhound.web.evidence;

import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.CompressionMethod;
import net.lingala.zip4j.model.enums.EncryptionMethod;

/**
 * A ZIP of several entries, each encrypted as {@link EvidenceZip}'s (AES-256, password
 * {@value EvidenceZip#PASSWORD}, names readable without it), written as it goes: an entry's bytes go
 * straight through the compressor and cipher to {@code out}, never held. Not thread-safe.
 *
 * <pre>{@code
 * try (EncryptedZip zip = EncryptedZip.to(out, false)) {
 *     zip.entry("events.csv", now).write(csvBytes);
 *     zip.entry("events.json", now).write(jsonBytes);
 * }
 * }</pre>
 */
public final class EncryptedZip implements Closeable {
    private final ZipOutputStream zip;
    private boolean inEntry;

    private EncryptedZip(ZipOutputStream zip) {
        this.zip = zip;
    }

    /** A ZIP written to {@code out}; closing it closes {@code out} only when {@code closeOut} (a file, not a response). */
    public static EncryptedZip to(OutputStream out, boolean closeOut) throws IOException {
        OutputStream target = closeOut ? out : new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush(); // the response stays the server's to close
            }
        };
        return new EncryptedZip(new ZipOutputStream(target, EvidenceZip.PASSWORD.toCharArray()));
    }

    /**
     * Ends the entry being written, if any, and starts {@code name} (see {@link EvidenceZip#entryName});
     * answers the stream to write its content to (not to be closed: the next entry or {@link #close} ends it).
     */
    public OutputStream entry(String name, long modifiedMillis) throws IOException {
        if (inEntry) zip.closeEntry();
        ZipParameters p = new ZipParameters();
        p.setCompressionMethod(CompressionMethod.DEFLATE);
        p.setEncryptFiles(true);
        p.setEncryptionMethod(EncryptionMethod.AES);
        p.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
        p.setFileNameInZip(EvidenceZip.entryName(name));
        p.setLastModifiedFileTime(modifiedMillis);
        zip.putNextEntry(p);
        inEntry = true;
        return new FilterOutputStream(zip) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                zip.write(b, off, len);
            }

            @Override
            public void close() {
                // the entry ends with the next one or the ZIP
            }
        };
    }

    /** Ends the last entry and writes the ZIP's directory. */
    @Override
    public void close() throws IOException {
        if (inEntry) zip.closeEntry();
        inEntry = false;
        zip.close();
    }
}
