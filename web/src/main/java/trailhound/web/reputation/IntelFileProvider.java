package trailhound.web.reputation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verdicts from a local intel file, {@code DIR/intel.csv}: one line per (hash, source) with the
 * columns {@code hash,verdict,source,date}, an optional header line, {@code #} comment lines and
 * RFC 4180 quoting. The same hash may appear on several lines, one per source.
 *
 * <p>Thread-safe. The file is read when first needed and read again when its modification time
 * changes, so copying a new intel file into a running server's data folder takes effect; a
 * missing file means no intel. A malformed file is not half-read: every lookup then answers with
 * an "intel file" source whose detail is the {@link IntelFileException} message (file, line,
 * column, what to fix), so the analyst sees the intel is missing and why, and the log has it once.
 */
final class IntelFileProvider implements ReputationProvider {
    private static final String NAME = "intel file";
    private static final Logger LOG = LoggerFactory.getLogger(IntelFileProvider.class);

    private final Path file;
    private volatile Loaded loaded = new Loaded(null, Map.of(), null);

    IntelFileProvider(Path file) {
        this.file = file;
    }

    @Override
    public List<SourceVerdict> lookup(String hash) {
        Loaded l = current();
        if (l.error() != null) {
            return List.of(l.error());
        }
        return l.byHash().getOrDefault(hash.toLowerCase(Locale.ROOT), List.of());
    }

    private Loaded current() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return new Loaded(null, Map.of(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read intel file " + file, e);
        }
        Loaded l = loaded;
        if (!modified.equals(l.modified())) {
            synchronized (this) {
                l = loaded;
                if (!modified.equals(l.modified())) {
                    try {
                        l = new Loaded(modified, read(), null);
                    } catch (IntelFileException e) {
                        LOG.warn("intel file ignored until fixed: {}", e.getMessage());
                        l = new Loaded(modified, Map.of(),
                                new SourceVerdict(NAME, Verdict.UNKNOWN, "intel file not used: " + e.getMessage(), null, List.of()));
                    }
                    loaded = l;
                }
            }
        }
        return l;
    }

    /** @throws IntelFileException at the first malformed line */
    Map<String, List<SourceVerdict>> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read intel file " + file, e);
        }
        Map<String, List<SourceVerdict>> byHash = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNo = i + 1;
            if (line.isBlank() || line.startsWith("#") || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("hash,"))) {
                continue;
            }
            List<String> cells = Csv.split(line, file, lineNo);
            if (cells.size() < 2) {
                throw new IntelFileException(file, lineNo, line.length() + 1,
                        "expected hash,verdict,source,date but found " + cells.size() + " column(s)");
            }
            String hash = cells.get(0).strip().toLowerCase(Locale.ROOT);
            if (!Hashes.isHash(hash)) {
                throw new IntelFileException(file, lineNo, 1,
                        "'" + cells.get(0) + "' is not an MD5, SHA-1 or SHA-256 hex hash");
            }
            Verdict verdict;
            try {
                verdict = Verdict.parse(cells.get(1));
            } catch (IllegalArgumentException e) {
                throw new IntelFileException(file, lineNo, line.indexOf(',') + 2, e.getMessage());
            }
            String source = cells.size() > 2 && !cells.get(2).isBlank() ? cells.get(2).strip() : "unnamed source";
            String date = cells.size() > 3 && !cells.get(3).isBlank() ? cells.get(3).strip() : null;
            byHash.computeIfAbsent(hash, h -> new ArrayList<>())
                    .add(new SourceVerdict(NAME + ": " + source, verdict, "listed as " + verdict.label() + " by " + source,
                            date, List.of()));
        }
        byHash.replaceAll((h, v) -> List.copyOf(v));
        return Map.copyOf(byHash);
    }

    /** The file as last read: its verdicts, or (when malformed) the verdict that reports why not. */
    private record Loaded(FileTime modified, Map<String, List<SourceVerdict>> byHash, SourceVerdict error) {}
}
