package trailhound.web.exports;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import trailhound.schema.Event;
import trailhound.web.evidence.EncryptedZip;
import trailhound.web.search.EventCsv;

/**
 * One export's file: an {@link EncryptedZip} holding one CSV ({@link EventCsv}: every field, canonical
 * names, formula-safe cells, a UTF-8 byte-order mark for Excel), written event by event; memory
 * stays a few buffers whatever the number of events. Not thread-safe.
 */
final class ExportZip implements Closeable {
    private final EncryptedZip zip;
    private final BufferedWriter text;
    private final EventCsv csv;

    private ExportZip(EncryptedZip zip, BufferedWriter text, EventCsv csv) {
        this.zip = zip;
        this.text = text;
        this.csv = csv;
    }

    /** Creates {@code file} (replacing it) with one CSV entry named {@code csvName}. */
    static ExportZip create(Path file, String csvName) throws IOException {
        EncryptedZip zip = EncryptedZip.to(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), true);
        try {
            BufferedWriter text = new BufferedWriter(new OutputStreamWriter(zip.entry(csvName, System.currentTimeMillis()),
                    StandardCharsets.UTF_8), 1 << 16);
            text.write(EventCsv.BYTE_ORDER_MARK);
            return new ExportZip(zip, text, new EventCsv(text));
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    void write(Event event) throws IOException {
        csv.write(event);
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
