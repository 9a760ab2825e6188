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
        Bundle bundle;
        try {
            ImportLimits.maxLineBytes(); // a bad setting fails here, before anything is read
            bundle = new Bundle(file, context, ImportLimits.maxContentBytes(Files.size(file)));
        } catch (IOException e) {
            throw new TelemetryReadException(file, "cannot read: " + e, e);
        }
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            bundle.read("", in, 0);
        } catch (IOException e) {
            throw new TelemetryReadException(file, "cannot read: " + e, e);
        }
        if (bundle.first == null) {
            if (!bundle.entries) throw new UnsupportedFormatException(file, bundle.unknown);
            throw new UnsupportedFormatException(file, bundle.unknownEntries.isEmpty() ? "an archive without any file"
                    : "no file in it is telemetry (" + String.join(", ", bundle.unknownEntries) + ")");
        }
        return context.report(file, bundle.first);
    }

    /** The format of the file's content (of the first archive entry that is telemetry), or empty when it is none of ours. */
    public static Optional<TelemetryFormat> detect(Path file) {
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return sniff(in, 0);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * How the file starts, for a message about a file of no known format, never quoting its bytes as they are:
     * {@code starts with "..."} for text, {@code is 1,234 bytes of binary data, beginning 7F 45 4C 46...} (or {@code empty}).
     */
    public static String startOf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(40);
            String excerpt = FormatSniffer.excerpt(head, head.length);
            return excerpt.startsWith("is binary data") ? String.format(java.util.Locale.ROOT, "is %,d bytes of binary data%s", Files.size(file),
                    excerpt.substring("is binary data".length())) : excerpt;
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    private static Optional<TelemetryFormat> sniff(BufferedInputStream in, int depth) throws IOException {
        Container container = depth > MAX_DEPTH ? Container.PLAIN : container(in);
        switch (container) {
            case ZIP, TAR -> {
                ArchiveEntries entries = ArchiveEntries.of(container, in);
                for (int n = 0; n < MAX_SNIFFED_ENTRIES && entries.next() != null; n++) {
                    Optional<TelemetryFormat> format = sniff(new BufferedInputStream(entries.content(), 1 << 16), depth + 1);
                    if (format.isPresent()) return format;
                }
                return Optional.empty();
            }
            case GZIP -> { // a truncated .gz: what it holds before the cut decides, as when it is read
                return sniff(new BufferedInputStream(new Truncation(new GZIPInputStream(in, 1 << 16)), 1 << 16), depth + 1);
            }
            default -> {
                byte[] head = in.readNBytes(FormatSniffer.HEAD_BYTES);
                return FormatSniffer.sniff(head, head.length);
            }
        }
    }

    /** Containers inside containers (a .tar.gz in a .zip) are opened up to this depth; deeper is read as it is. */
    private static final int MAX_DEPTH = 4;
    private static final int MAX_SNIFFED_ENTRIES = 1000;

    private enum Container { ZIP, GZIP, TAR, PLAIN }

    private static Container container(BufferedInputStream in) throws IOException {
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        if (head.length >= 4 && ((head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8
                | (head[3] & 0xff)) == ZIP_MAGIC) {
            return Container.ZIP;
        }
        if (head.length >= 2 && ((head[0] & 0xff) << 8 | (head[1] & 0xff)) == GZIP_MAGIC) {
            return Container.GZIP;
        }
        if (head.length == 512 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
            return Container.TAR;
        }
        return Container.PLAIN;
    }

    /** The files of a zip or tar archive, one after the other (a stream: nothing is extracted to disk). */
    private interface ArchiveEntries {
        /** The next file's name (folders are skipped), or null after the last. */
        String next() throws IOException;

        /** The current file's content, to read before {@link #next}; closing it leaves the archive open. */
        InputStream content();

        static ArchiveEntries of(Container kind, InputStream in) {
            org.apache.commons.compress.archivers.ArchiveInputStream<?> archive = kind == Container.ZIP
                    ? new org.apache.commons.compress.archivers.zip.ZipArchiveInputStream(in)
                    : new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(in);
            return new ArchiveEntries() {
                @Override
                public String next() throws IOException {
                    for (var e = archive.getNextEntry(); e != null; e = archive.getNextEntry()) {
                        if (!e.isDirectory() && archive.canReadEntryData(e)) return e.getName();
                    }
                    return null;
                }

                @Override
                public InputStream content() {
                    return unclosable(archive);
                }
            };
        }
    }

    /*
     * One file read as a bundle: plain content, or .gz, .zip, .tar (and .tar.gz, zips in zips...) holding
     * any number of files in any order, each recognised on its own. A file that is no telemetry inside an
     * archive is skipped with a warning naming it; a plain file (or .gz) that is none throws. A damaged
     * or truncated compressed stream ends that content like its end: every complete record before the
     * cut is read, the one cut is not, and a warning says so.
     */
    private static final class Bundle {
        private final Path file;
        private final ImportContext context;
        TelemetryFormat first;
        boolean entries;
        final java.util.List<String> unknownEntries = new java.util.ArrayList<>();
        String unknown = "empty";
        /** The compressed streams the content being read comes through, innermost first. */
        private final java.util.Deque<Truncation> open = new java.util.ArrayDeque<>();

        /** Content bytes the readers may still be given, over all the bundle's files (ImportLimits). */
        private long budget;
        private final long maxContent;

        Bundle(Path file, ImportContext context, long maxContent) {
            this.file = file;
            this.context = context;
            this.budget = maxContent;
            this.maxContent = maxContent;
        }

        void read(String name, BufferedInputStream in, int depth) throws IOException {
            Container container = depth > MAX_DEPTH ? Container.PLAIN : container(in);
            switch (container) {
                case ZIP, TAR -> {
                    entries = true;
                    ArchiveEntries archive = ArchiveEntries.of(container, in);
                    String kind = container == Container.ZIP ? "zip" : "tar";
                    while (true) {
                        String entry;
                        try {
                            entry = archive.next();
                        } catch (IOException e) {
                            context.warn(kind + " " + (name.isEmpty() ? "" : name + " ") + "truncated or damaged after "
                                    + context.recordsRead() + " records: kept what was read (" + e.getMessage() + ")");
                            return;
                        }
                        if (entry == null) return;
                        String path = name.isEmpty() ? entry : name + "!" + entry;
                        Truncation content = new Truncation(archive.content());
                        open.push(content);
                        try {
                            read(path, new BufferedInputStream(content, 1 << 16), depth + 1);
                        } finally {
                            open.pop();
                        }
                        if (content.failure != null) {
                            truncated(kind, path, content.failure);
                            return;
                        }
                    }
                }
                case GZIP -> {
                    Truncation content;
                    try {
                        content = new Truncation(new GZIPInputStream(in, 1 << 16));
                    } catch (IOException e) {
                        truncated("gzip", name, e);
                        return;
                    }
                    open.push(content);
                    try {
                        read(name, new BufferedInputStream(content, 1 << 16), depth + 1);
                    } finally {
                        open.pop();
                    }
                    if (content.failure != null) truncated("gzip", name, content.failure);
                }
                default -> plain(name, in);
            }
        }

        private void truncated(String kind, String name, IOException cause) {
            context.warn(kind + " truncated after " + context.recordsRead() + " records" + (name.isEmpty() ? "" : " (in " + name + ")")
                    + ": kept every complete record before the cut (" + cause.getMessage() + ")");
        }

        private void plain(String name, BufferedInputStream in) throws IOException {
            in.mark(FormatSniffer.HEAD_BYTES);
            byte[] head = in.readNBytes(FormatSniffer.HEAD_BYTES);
            in.reset();
            Optional<TelemetryFormat> format = FormatSniffer.sniff(head, head.length);
            if (format.isEmpty()) {
                if (!entries) { // a plain file or .gz: read() throws
                    unknown = FormatSniffer.excerpt(head, head.length);
                    return;
                }
                unknownEntries.add(name);
                context.warn(name + " skipped: not a telemetry format (" + FormatSniffer.excerpt(head, head.length) + ")");
                return;
            }
            if (first == null) first = format.get();
            Budgeted content = new Budgeted(in);
            // a record the cut ends is not a complete record: the readers leave it out
            context.endIsCut(() -> content.exhausted || open.stream().anyMatch(t -> t.failure != null));
            BufferedInputStream limited = new BufferedInputStream(content, 1 << 16);
            switch (format.get()) {
                case WINDOWS_EVTX -> WindowsEventReader.readEvtx(limited, name, context);
                case WINDOWS_JSON_LINES -> WindowsEventReader.readJsonLines(limited, name, context);
                case WINDOWS_EVENT_XML -> WindowsEventReader.readXml(limited, name, context);
                case LINUX_AUDIT -> AuditLogReader.read(limited, name, context);
            }
            if (content.exhausted) {
                context.warn((name.isEmpty() ? "" : name + ": ") + "stopped after " + context.recordsRead() + " records: the content"
                        + " expands to more than " + (maxContent >> 20) + " MB, " + ImportLimits.expansionRatio()
                        + " times the file's size (a decompression bomb?); kept what was read. Raise the limit with -D"
                        + ImportLimits.MAX_EXPANSION_PROPERTY + "=N (see docs/telemetry-import.md)");
            }
        }

        /** The content given to a reader, counted against the bundle's budget; reads as ended once it is spent. */
        private final class Budgeted extends FilterInputStream {
            boolean exhausted;

            Budgeted(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (budget <= 0) {
                    exhausted |= super.read() >= 0; // spent exactly at the content's end is no overflow
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, budget));
                if (n > 0) budget -= n;
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(Math.min(n, Math.max(0, budget)));
                budget -= skipped;
                return skipped;
            }

            @Override
            public boolean markSupported() {
                return false;
            }

            @Override
            public void close() {
                // the stream underneath belongs to its reader
            }
        }
    }

    /**
     * A decompressed stream whose failure (a truncated or damaged file) reads as its end, so the
     * reader above it keeps every complete record; the failure is kept to be reported.
     */
    private static final class Truncation extends FilterInputStream {
        IOException failure;

        Truncation(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (failure != null) return -1;
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                return -1;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (failure != null) return -1;
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                return -1;
            }
        }

        @Override
        public void close() {
            // the archive or file underneath belongs to its reader
        }
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
        for (String ext : new String[] {".gz", ".tgz", ".tar", ".zip", ".json", ".jsonl", ".ndjson", ".xml", ".log", ".audit", ".evtx"}) {
            if (lower.endsWith(ext) && lower.length() > ext.length()) {
                name = name.substring(0, name.length() - ext.length());
                lower = lower.substring(0, lower.length() - ext.length());
            }
        }
        return name;
    }
}
