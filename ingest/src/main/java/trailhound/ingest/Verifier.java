package trailhound.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import trailhound.index.IndexBackend;
import trailhound.index.IndexFormatException;
import trailhound.store.SourceInfo;

/**
 * Checks a data folder: every kept source against its SHA-256 and size, every endpoint's index
 * against the catalogue (events per source and in all), and the audit trail's hash chain. Read-only.
 */
public final class Verifier {
    /** What was found: {@code differences} make the folder inconsistent; {@code notes} do not. */
    public record Report(List<String> differences, List<String> notes, int sourcesChecked, int endpointsChecked) {
        public boolean consistent() {
            return differences.isEmpty();
        }
    }

    private final DataDir data;

    public Verifier(DataDir data) {
        this.data = data;
    }

    /**
     * The state of a source's kept copy: {@code complete}/{@code failed}/... as catalogued, or {@code
     * missing}/{@code changed}, or {@code not kept} (a complete source of a version that kept no files).
     * An unfinished source may have no copy yet: it is received while its events are read.
     */
    public static String fileState(DataDir data, SourceInfo s, boolean hash) throws IOException {
        if (s.path() == null) return s.state().equals(SourceInfo.COMPLETE) ? "not kept" : s.state();
        Path kept = data.root().resolve(s.path());
        if (!Files.isRegularFile(kept)) return "missing";
        if (Files.size(kept) != s.size()) return "changed";
        if (hash && s.sha256() != null && !Ingestor.sha256(kept).equals(s.sha256())) return "changed";
        return s.state();
    }

    public Report verify() throws IOException {
        List<String> differences = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<SourceInfo> sources = data.store().sources().list(null);
        for (SourceInfo s : sources) {
            String state = fileState(data, s, true);
            String name = "source " + s.label() + " (" + s.originalName() + ")";
            switch (state) {
                case "missing" -> differences.add(name + ": the kept copy " + s.path() + " is missing");
                case "changed" -> differences.add(name + ": the kept copy " + s.path() + " no longer has SHA-256 " + s.sha256());
                case "not kept" -> notes.add(name + ": imported before Trailhound kept its files; its events cannot be rebuilt");
                case SourceInfo.FAILED -> notes.add(name + ": failed (" + s.reason() + "); none of its events count");
                case SourceInfo.INGESTING -> notes.add(name + ": interrupted or still being ingested; ingest the file again"
                        + " to complete it");
                default -> {}
            }
        }
        notes.addAll(partFiles());
        IndexBackend indexes = data.indexes();
        int endpoints = 0;
        // an endpoint is catalogued when its first source completes: an index without a row holds only
        // what an interrupted first ingest committed
        java.util.SortedSet<String> names = new java.util.TreeSet<>(indexes.endpoints());
        data.catalogue().endpoints().forEach(e -> names.add(e.name()));
        for (String name : names) {
            if (!indexes.exists(name)) {
                if (sources.stream().anyMatch(s -> fed(s, name) > 0)) {
                    differences.add("endpoint " + name + ": has sources but no index; re-index it");
                }
                continue;
            }
            endpoints++;
            OptionalInt stale = indexes.staleFormat(name);
            if (stale.isPresent()) {
                differences.add("endpoint " + name + ": index format " + stale.getAsInt() + " needs a re-index"
                        + " (bin/trailhound reindex --data " + data.root() + " --endpoint " + name + ")");
                continue;
            }
            try (IndexBackend.Lease lease = indexes.acquire(name)) {
                long total = lease.index().count(null);
                long expected = 0;
                Map<String, Long> bySource = new TreeMap<>();
                for (SourceInfo s : sources) {
                    // an unfinished source has no per-endpoint rows yet: only its label says what it committed
                    long catalogued = fed(s, name);
                    long indexed = lease.index().countSource(s.label());
                    if (s.state().equals(SourceInfo.COMPLETE)) {
                        expected += catalogued;
                        if (indexed != catalogued) bySource.put(s.label(), indexed - catalogued);
                    } else if (indexed > 0 && lease.index().checkpointOf(s.label()).isPresent()) {
                        // committed at a checkpoint: left out of every search until the source completes
                        notes.add("endpoint " + name + ": " + indexed + " events of unfinished source " + s.label()
                                + " are kept aside until it completes (ingest it again to resume)");
                    } else if (indexed > 0) {
                        notes.add("endpoint " + name + ": " + indexed + " events of unfinished source " + s.label());
                        expected += indexed;
                    }
                }
                long live = lease.index().countSource(LiveIngest.SOURCE);
                long journal = LiveIngest.journalCount(data, name);
                expected += live;
                if (live > journal) {
                    differences.add("endpoint " + name + ": the index holds " + live + " live events, its journal " + journal
                            + "; re-index it");
                } else if (live < journal) {
                    // the index is committed every few seconds and caught up from the journal when its agent connects
                    notes.add("endpoint " + name + ": " + (journal - live) + " live events of the journal are not committed to the"
                            + " index yet (a running server commits them within seconds; otherwise the next connection of the agent, or"
                            + " a re-index, adds them)");
                }
                bySource.forEach((label, diff) -> differences.add("endpoint " + name + ": source " + label + " has "
                        + (diff > 0 ? diff + " more" : -diff + " fewer") + " events in the index than in the catalogue"));
                if (total != expected) {
                    differences.add("endpoint " + name + ": the index holds " + total + " events, its sources account for "
                            + expected);
                }
            } catch (IndexFormatException ex) {
                differences.add("endpoint " + name + ": " + ex.getMessage());
            }
        }
        // the audit trail's hash chain: changed, removed or reordered entries (AuditTrail)
        data.store().audit().verify().ifPresent(b -> differences.add("audit trail: entry " + b.seq() + ": " + b.reason()));
        data.store().foreignTriggers().forEach(t -> differences.add("server.db: trigger " + t + " was not made by Trailhound (it can"
                + " undo what Trailhound writes); serve or any access command removes it, with an audit entry"));
        return new Report(differences, notes, sources.size(), endpoints);
    }

    /** Copies in incoming/: being received now, or left by an ingest that was killed (the next writer of the folder deletes them). */
    private List<String> partFiles() throws IOException {
        Path incoming = data.root().resolve("incoming");
        if (!Files.isDirectory(incoming)) return List.of();
        List<String> notes = new ArrayList<>();
        try (var parts = Files.newDirectoryStream(incoming, "*.part")) {
            for (Path p : parts) {
                if (!Files.exists(p)) continue; // received meanwhile
                notes.add("incoming/" + p.getFileName() + " (" + Files.size(p) + " bytes): a file being received, or left by an"
                        + " interrupted ingest; the next command or server that writes the folder deletes it");
            }
        }
        return notes;
    }

    private static long fed(SourceInfo s, String endpoint) {
        return s.endpoints().stream().filter(x -> x.endpoint().equals(endpoint)).mapToLong(SourceInfo.SourceEndpoint::events)
                .sum();
    }
}
