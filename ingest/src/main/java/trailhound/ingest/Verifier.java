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
import trailhound.store.EndpointInfo;
import trailhound.store.SourceInfo;

/**
 * Checks a data folder: every kept source against its SHA-256 and size, and every endpoint's index
 * against the catalogue (events per source and in all). Read-only.
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

    /** The state of a source's kept copy: {@code complete}/{@code failed}/... as catalogued, or {@code missing}/{@code changed}/{@code not kept}. */
    public static String fileState(DataDir data, SourceInfo s, boolean hash) throws IOException {
        if (s.path() == null) return "not kept";
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
                case SourceInfo.INGESTING -> notes.add(name + ": unfinished; ingest it again to complete it");
                default -> {}
            }
        }
        IndexBackend indexes = data.indexes();
        int endpoints = 0;
        for (EndpointInfo e : data.catalogue().endpoints()) {
            if (!indexes.exists(e.name())) {
                if (sources.stream().anyMatch(s -> fed(s, e.name()) > 0)) {
                    differences.add("endpoint " + e.name() + ": has sources but no index; re-index it");
                }
                continue;
            }
            endpoints++;
            OptionalInt stale = indexes.staleFormat(e.name());
            if (stale.isPresent()) {
                differences.add("endpoint " + e.name() + ": index format " + stale.getAsInt() + " needs a re-index"
                        + " (bin/trailhound reindex --data " + data.root() + " --endpoint " + e.name() + ")");
                continue;
            }
            try (IndexBackend.Lease lease = indexes.acquire(e.name())) {
                long total = lease.index().count(null);
                long expected = 0;
                Map<String, Long> bySource = new TreeMap<>();
                for (SourceInfo s : sources) {
                    // an unfinished source has no per-endpoint rows yet: only its label says what it committed
                    long catalogued = fed(s, e.name());
                    long indexed = lease.index().countSource(s.label());
                    if (s.state().equals(SourceInfo.COMPLETE)) {
                        expected += catalogued;
                        if (indexed != catalogued) bySource.put(s.label(), indexed - catalogued);
                    } else if (indexed > 0 && lease.index().checkpointOf(s.label()).isPresent()) {
                        // committed at a checkpoint: left out of every search until the source completes
                        notes.add("endpoint " + e.name() + ": " + indexed + " events of unfinished source " + s.label()
                                + " are kept aside until it completes (ingest it again to resume)");
                    } else if (indexed > 0) {
                        notes.add("endpoint " + e.name() + ": " + indexed + " events of unfinished source " + s.label());
                        expected += indexed;
                    }
                }
                bySource.forEach((label, diff) -> differences.add("endpoint " + e.name() + ": source " + label + " has "
                        + (diff > 0 ? diff + " more" : -diff + " fewer") + " events in the index than in the catalogue"));
                if (total != expected) {
                    differences.add("endpoint " + e.name() + ": the index holds " + total + " events, its sources account for "
                            + expected);
                }
            } catch (IndexFormatException ex) {
                differences.add("endpoint " + e.name() + ": " + ex.getMessage());
            }
        }
        return new Report(differences, notes, sources.size(), endpoints);
    }

    private static long fed(SourceInfo s, String endpoint) {
        return s.endpoints().stream().filter(x -> x.endpoint().equals(endpoint)).mapToLong(SourceInfo.SourceEndpoint::events)
                .sum();
    }
}
