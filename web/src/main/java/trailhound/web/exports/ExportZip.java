package trailhound.web.exports;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.evidence.EncryptedZip;
import trailhound.web.search.EventCsv;

/**
 * One export's ZIP: an {@link EncryptedZip} (AES-256, password {@code infected}, the entry's name
 * readable without it) holding one CSV ({@link EventCsv}: canonical names, formula-safe cells, a UTF-8
 * byte-order mark for Excel), written event by event; memory stays a few buffers whatever the number
 * of events. Background export jobs write it to a file, the grid's direct export onto the response:
 * one format for every exported CSV. Not thread-safe.
 */
public final class ExportZip implements Closeable {
    private final EncryptedZip zip;
    private final BufferedWriter text;
    private final EventCsv csv;

    private ExportZip(EncryptedZip zip, BufferedWriter text, EventCsv csv) {
        this.zip = zip;
        this.text = text;
        this.csv = csv;
    }

    /** Creates {@code file} (replacing it) with one CSV entry named {@code csvName}, every field a column. */
    static ExportZip create(Path file, String csvName) throws IOException {
        return of(EncryptedZip.to(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), true), csvName, Field.all());
    }

    /** Writes onto {@code out} (a response: flushed, never closed) one CSV entry named {@code csvName} of {@code columns}. */
    public static ExportZip onto(OutputStream out, String csvName, List<Field> columns) throws IOException {
        return of(EncryptedZip.to(out, false), csvName, columns);
    }

    private static ExportZip of(EncryptedZip zip, String csvName, List<Field> columns) throws IOException {
        try {
            BufferedWriter text = new BufferedWriter(new OutputStreamWriter(zip.entry(csvName, System.currentTimeMillis()),
                    StandardCharsets.UTF_8), 1 << 16);
            text.write(EventCsv.BYTE_ORDER_MARK);
            return new ExportZip(zip, text, new EventCsv(text, columns));
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    public void write(Event event) throws IOException {
        csv.write(event);
    }

    /** Ends the CSV and adds a text entry {@code name} beside it (what the export left out, and why); no event after it. */
    public void note(String name, String note) throws IOException {
        csv.flush();
        text.flush();
        OutputStream out = zip.entry(name, System.currentTimeMillis());
        out.write((note + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            csv.flush();
            text.flush();
        } finally {
            zip.close();
        }
    }
}
