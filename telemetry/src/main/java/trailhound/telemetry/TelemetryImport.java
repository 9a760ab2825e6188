package trailhound.telemetry;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import trailhound.telemetry.auditd.AuditLogReader;
import trailhound.telemetry.sysmon.WindowsEventReader;
import trailhound.schema.Event;

/**
 * Imports telemetry recorded by other tools: Windows event JSON lines (Sysmon and other channels),
 * Windows event XML, and Linux audit logs, plain or inside a {@code .zip} (every entry) or
 * {@code .gz}. Formats and containers are recognised from the content, never from the file name.
 * The mapping to canonical fields is documented in {@code docs/telemetry-import.md}.
 *
 * <p>Streaming: events go to the sink as they are read, so a file of any size needs little memory.
 * Malformed records are counted and skipped; a truncated archive ends the read with a warning and
 * keeps what was read. Stateless and thread-safe. Windows event JSON lines can be parsed on several
 * threads (see {@link #read(Path, String, Consumer, int)}); the report is the same either way.
 */
public final class TelemetryImport {
    private static final int ZIP_MAGIC = 0x504b0304;
    private static final int GZIP_MAGIC = 0x1f8b;

    private TelemetryImport() {
    }

    /**
     * Detects the format from the content and streams every event to the sink, on the calling
     * thread. Events carry {@code endpoint} = the host named in the record, unless
     * {@code endpointOverride} is not null.
     *
     * @throws UnsupportedFormatException when the content is none of the {@link TelemetryFormat}s
     * @throws TelemetryReadException when the file cannot be read at all
     */
    public static ImportReport read(Path file, String endpointOverride, Consumer<Event> sink) {
        return read(file, endpointOverride, sink, 1);
    }

    /**
     * Like {@link #read(Path, String, Consumer)}, but Windows event JSON lines are parsed on
     * {@code threads} worker threads while the calling thread only reads (and decompresses) the
     * file: the sink must then be thread-safe, and is called from those threads in no particular
     * order. Other formats, and {@code threads <= 1}, call the sink on the calling thread.
     */
    public static ImportReport read(Path file, String endpointOverride, Consumer<Event> sink, int threads) {
        return read(file, file.getFileName().toString(), endpointOverride, sink, threads);
    }

    /**
     * Like {@link #read(Path, String, Consumer, int)}, for a file kept under another name: records
     * without a host name get the endpoint named after {@code originalName}, as when it was first read.
     */
    public static ImportReport read(Path file, String originalName, String endpointOverride, Consumer<Event> sink, int threads) {
        return read(file, originalName, endpointOverride, null, sink, threads);
    }

    /**
     * Like {@link #read(Path, String, String, Consumer, int)}; {@code localZone} is the zone of times
     * written without one (NXLog's EventTime), null when not known: they are read as UTC, with a warning.
     */
    public static ImportReport read(Path file, String originalName, String endpointOverride, java.time.ZoneId localZone,
            Consumer<Event> sink, int threads) {
        ImportContext context = new ImportContext(endpointOverride, stem(Path.of(originalName).getFileName()), sink, threads,
                localZone);
        TelemetryFormat first = null;
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            switch (container(in)) {
                case ZIP -> first = readZip(file, in, context);
                case GZIP -> first = readEntry(file, "", new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16),
                        context, "gzip").format();
                case PLAIN -> first = readEntry(file, "", in, context, null).format();
            }
        } catch (IOException e) {
            throw new TelemetryReadException(file, "cannot read: " + e, e);
        }
        return context.report(file, first);
    }

    /** The format of the file's content (of its first archive entry), or empty when it is none of ours. */
    public static Optional<TelemetryFormat> detect(Path file) {
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream content = switch (container(in)) {
                case ZIP -> {
                    ZipInputStream zip = new ZipInputStream(in);
                    ZipEntry entry = zip.getNextEntry();
                    while (entry != null && entry.isDirectory()) {
                        entry = zip.getNextEntry();
                    }
                    yield entry == null ? InputStream.nullInputStream() : zip;
                }
                case GZIP -> new GZIPInputStream(in);
                case PLAIN -> in;
            };
            byte[] head = content.readNBytes(FormatSniffer.HEAD_BYTES);
            return FormatSniffer.sniff(head, head.length);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private enum Container { ZIP, GZIP, PLAIN }

    private static Container container(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length == 4 && ((magic[0] & 0xff) << 24 | (magic[1] & 0xff) << 16 | (magic[2] & 0xff) << 8
                | (magic[3] & 0xff)) == ZIP_MAGIC) {
            return Container.ZIP;
        }
        if (magic.length >= 2 && ((magic[0] & 0xff) << 8 | (magic[1] & 0xff)) == GZIP_MAGIC) {
            return Container.GZIP;
        }
        return Container.PLAIN;
    }

    private static TelemetryFormat readZip(Path file, InputStream in, ImportContext context) throws IOException {
        TelemetryFormat first = null;
        String unknownEntry = null;
        ZipInputStream zip = new ZipInputStream(in);
        try {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.isDirectory()) {
                    continue;
                }
                BufferedInputStream content = new BufferedInputStream(unclosable(zip), 1 << 16);
                Entry read = readEntry(file, entry.getName(), content, context, "zip");
                if (read.format() == null) {
                    unknownEntry = unknownEntry == null ? entry.getName() : unknownEntry;
                } else if (first == null) {
                    first = read.format();
                }
                if (read.truncated()) {
                    break;
                }
            }
        } catch (IOException e) {
            // A truncated or damaged local header: the entries before it were read in full.
            context.warn("zip truncated or damaged after " + context.recordsRead() + " records: kept what was read ("
                    + e.getMessage() + ")");
        }
        if (first == null) {
            throw new UnsupportedFormatException(file, unknownEntry == null
                    ? "a zip without any readable entry" : "zip entry " + unknownEntry + " is not telemetry");
        }
        return first;
    }

    /** The format of one content stream (null: not telemetry) and whether it ended early. */
    private record Entry(TelemetryFormat format, boolean truncated) {
    }

    /**
     * Reads one plain content stream. Its format is null for an unrecognised zip entry (warned
     * about); an unrecognised plain or gzip file throws. An I/O error inside a compressed stream is
     * a truncation: warned about, what was read is kept.
     */
    private static Entry readEntry(Path file, String entryName, BufferedInputStream in, ImportContext context,
            String archiveKind) throws IOException {
        byte[] head;
        in.mark(FormatSniffer.HEAD_BYTES);
        try {
            head = in.readNBytes(FormatSniffer.HEAD_BYTES);
            in.reset();
        } catch (IOException e) {
            if (archiveKind == null) {
                throw e;
            }
            context.warn(archiveKind + " truncated before any record of " + describe(file, entryName) + ": nothing read ("
                    + e.getMessage() + ")");
            return new Entry(null, true);
        }
        Optional<TelemetryFormat> format = FormatSniffer.sniff(head, head.length);
        if (format.isEmpty()) {
            if (archiveKind == null || archiveKind.equals("gzip")) {
                throw new UnsupportedFormatException(file, FormatSniffer.excerpt(head, head.length));
            }
            context.warn("zip entry " + entryName + " skipped: not a telemetry format ("
                    + FormatSniffer.excerpt(head, head.length) + ")");
            return new Entry(null, false);
        }
        try {
            switch (format.get()) {
                case WINDOWS_JSON_LINES -> WindowsEventReader.readJsonLines(in, entryName, context);
                case WINDOWS_EVENT_XML -> WindowsEventReader.readXml(in, entryName, context);
                case LINUX_AUDIT -> AuditLogReader.read(in, entryName, context);
            }
        } catch (IOException e) {
            if (archiveKind == null) {
                throw e;
            }
            context.warn(archiveKind + " truncated after " + context.recordsRead() + " records"
                    + (entryName.isEmpty() ? "" : " (in entry " + entryName + ")") + ": kept what was read ("
                    + e.getMessage() + ")");
            return new Entry(format.get(), true);
        }
        return new Entry(format.get(), false);
    }

    private static String describe(Path file, String entryName) {
        return entryName.isEmpty() ? file.toString() : file + "!" + entryName;
    }

    private static InputStream unclosable(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // the zip stream is closed once, by its owner, after the last entry
            }
        };
    }

    /** The file name without known extensions: {@code host1.audit.log.gz} gives {@code host1}. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".gz", ".zip", ".json", ".jsonl", ".ndjson", ".xml", ".log", ".audit"}) {
            if (lower.endsWith(ext) && lower.length() > ext.length()) {
                name = name.substring(0, name.length() - ext.length());
                lower = lower.substring(0, lower.length() - ext.length());
            }
        }
        return name;
    }
}
