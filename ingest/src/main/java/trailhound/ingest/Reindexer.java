package trailhound.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import trailhound.index.EventIndex;
import trailhound.index.IndexBackend;
import trailhound.recorder.RecorderReader;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.SourceInfo;
import trailhound.telemetry.TelemetryImport;

/**
 * Rebuilds an endpoint's index from its sources of truth into a new generation, checks it (events
 * per source against the catalogue) and swaps it in atomically; searches keep answering from the
 * current generation meanwhile and never see a half-built one. Sources are read in the order they
 * were first ingested, so the first source to add an event keeps it, exactly as in the original
 * ingests. Not thread-safe: one re-index of an endpoint at a time.
 */
public final class Reindexer {
    /** What a re-index of one endpoint did: events per source label, and remarks (changed counts). */
    public record Result(String endpoint, long events, Map<String, Long> eventsBySource, List<String> remarks,
            double seconds) {}

    /**
     * Progress: events read so far for the endpoint being rebuilt, every 50,000 events and at the end
     * of each source. Throwing {@link java.util.concurrent.CancellationException} stops the rebuild
     * and throws the new generation away (the current one stays).
     */
    public interface Progress {
        void update(String endpoint, long events);
    }

    /** The events the catalogue says the endpoint's complete sources hold: what a re-index reads. */
    public long expectedEvents(String endpoint) {
        return data.store().sources().list(endpoint).stream().filter(s -> s.state().equals(SourceInfo.COMPLETE))
                .flatMap(s -> s.endpoints().stream()).filter(e -> e.endpoint().equals(endpoint))
                .mapToLong(SourceInfo.SourceEndpoint::events).sum();
    }

    private final DataDir data;
    private final int threads;

    public Reindexer(DataDir data, int threads) {
        this.data = data;
        this.threads = Math.max(1, threads);
    }

    /**
     * Rebuilds the endpoint's index. Fails with {@link IngestException} (the current generation
     * stays) when a source's kept copy is missing or changed, or when the rebuilt counts disagree
     * with the catalogue for an index of the current format.
     */
    public Result reindex(String endpoint, Progress progress) throws IOException {
        try (EndpointLocks.Held alone = data.endpointLocks().rebuilding(endpoint, "re-index")) { // no ingest writes it meanwhile
            return rebuild(endpoint, progress, false);
        }
    }

    /**
     * Rebuilds the endpoint after a source of it was removed: the events the removed source added
     * first may also be in another source, which now adds them first, so that source's count may rise;
     * the rebuilt counts are recorded instead of being checked against the catalogue.
     */
    Result reindexAfterRemoval(String endpoint, Progress progress) throws IOException {
        try (EndpointLocks.Held alone = data.endpointLocks().rebuilding(endpoint, "re-index")) {
            return rebuild(endpoint, progress, true);
        }
    }

    private Result rebuild(String endpoint, Progress progress, boolean recount) throws IOException {
        long start = System.nanoTime();
        if (data.catalogue().endpoint(endpoint).isEmpty()) {
            throw new IngestException(data.root(), "unknown endpoint '" + endpoint + "'", null);
        }
        OptionalInt stale = data.indexes().staleFormat(endpoint);
        List<SourceInfo> sources = new ArrayList<>();
        for (SourceInfo s : data.store().sources().list(null)) {
            if (!s.state().equals(SourceInfo.COMPLETE)) continue; // failed or unfinished: none of its events count
            boolean fed = s.endpoints().stream().anyMatch(e -> e.endpoint().equals(endpoint));
            // an import from before sources were kept does not say which endpoints it fed: it may feed this one
            boolean unknown = s.endpoints().isEmpty() && s.sha256() == null;
            if (fed || unknown) sources.add(s.path() == null ? adopt(s) : s);
        }
        for (SourceInfo s : sources) {
            Path kept = data.root().resolve(s.path());
            if (!Files.isRegularFile(kept)) {
                throw new IngestException(kept, "source " + s.label() + " (" + s.originalName() + ") of endpoint " + endpoint
                        + " is missing: restore the file, or remove the source, before re-indexing", null);
            }
            // a source is the truth only as received: a kept copy changed since (a byte appended, edited) is refused
            if (s.sha256() != null && (Files.size(kept) != s.size() || !Ingestor.sha256(kept).equals(s.sha256()))) {
                throw new IngestException(kept, "source " + s.label() + " (" + s.originalName() + ") of endpoint " + endpoint
                        + " has changed since it was ingested (its SHA-256 is no longer " + s.sha256() + "): ingest the original"
                        + " file again to restore it, or remove the source, before re-indexing", null);
            }
        }
        Map<String, Long> bySource = new LinkedHashMap<>();
        List<String> remarks = new ArrayList<>();
        AtomicLong read = new AtomicLong();
        try (IndexBackend.Rebuild rebuild = data.indexes().rebuild(endpoint)) {
            EventIndex index = rebuild.index();
            for (SourceInfo s : sources) {
                read(s, endpoint, index, read, progress);
            }
            readLiveJournal(endpoint, index, read, progress); // after the files, as live events arrive after the snapshots they overlap
            index.commit();
            long retained = RetentionPolicy.apply(data, endpoint, index, false); // as after each ingest
            // a limit lifted or loosened since brings events back from the sources: counts may rise
            boolean everRetained = data.store().retention().applied(endpoint).map(a -> a.removed() > 0).orElse(false);
            long catalogedTotal = 0;
            java.util.Set<String> wasCatalogued = new java.util.HashSet<>();
            long rebuiltTotal = 0;
            for (SourceInfo s : sources) {
                long rebuilt = index.countSource(s.label());
                bySource.put(s.label(), rebuilt);
                long catalogued = s.endpoints().stream().filter(e -> e.endpoint().equals(endpoint))
                        .mapToLong(SourceInfo.SourceEndpoint::events).findFirst().orElse(0);
                catalogedTotal += catalogued;
                if (catalogued != 0) wasCatalogued.add(s.label());
                rebuiltTotal += rebuilt;
                if (rebuilt != catalogued) {
                    if (recount) {
                        remarks.add(s.label() + " (" + s.originalName() + "): " + catalogued + " -> " + rebuilt
                                + " events (a source of the endpoint was removed: events it held too now count here)");
                        continue;
                    }
                    if (stale.isEmpty() && retained == 0 && !everRetained) {
                        throw new IngestException(data.root().resolve(s.path()), "re-index of " + endpoint + ": source "
                                + s.label() + " gave " + rebuilt + " events, the catalogue says " + catalogued
                                + "; the current index is kept", null);
                    }
                    remarks.add(s.label() + " (" + s.originalName() + "): " + catalogued + " -> " + rebuilt + " events ("
                            + (retained > 0 || everRetained ? "retention" : "format " + stale.getAsInt()
                                    + " counted events read, duplicates included")
                            + ")");
                }
            }
            long total = index.count(null);
            rebuild.publish();
            if (retained > 0 && catalogedTotal > rebuiltTotal) { // a limit set or lowered since the last ingest
                data.store().retention().recordApplied(endpoint, catalogedTotal - rebuiltTotal, null);
            }
            bySource.forEach((label, n) -> {
                if (n > 0 || wasCatalogued.contains(label)) data.store().sources().setEvents(Long.parseLong(label.substring(1)), endpoint, n);
            });
            return new Result(endpoint, total, bySource, remarks, (System.nanoTime() - start) / 1e9);
        }
    }

    private void read(SourceInfo s, String endpoint, EventIndex index, AtomicLong read, Progress progress)
            throws IOException {
        Path kept = data.root().resolve(s.path());
        String label = s.label();
        Map<String, String> aliases = data.catalogue().aliases();
        Adder adder = new Adder(index);
        Consumer<Event> sink = e -> {
            String named = e.get(Field.ENDPOINT);
            String owner = aliases.getOrDefault(named, named); // renamed or merged: the events belong to the new name
            if (!endpoint.equals(owner)) return; // a telemetry file may feed several endpoints
            adder.accept(label.equals(e.get(Field.SOURCE)) && owner.equals(named) ? e
                    : e.toBuilder().set(Field.SOURCE, label).set(Field.ENDPOINT, owner).build());
            long n = read.incrementAndGet();
            if (n % 50_000 == 0) progress.update(endpoint, n);
        };
        try {
            if (s.kind().equals("snapshot")) {
                try (RecorderReader reader = RecorderReader.open(kept)) {
                    String override = s.endpointOverride();
                    reader.read(label, override == null ? sink : e -> sink.accept(e.toBuilder().set(Field.ENDPOINT, override).build()));
                }
            } else {
                // nameless records and times without a zone: as first read
                TelemetryImport.read(kept, s.originalName(), s.endpointOverride(),
                        s.timeZone() == null ? null : java.time.ZoneId.of(s.timeZone()), sink, threads);
            }
            adder.flush();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            throw e; // the progress callback asked to stop: the new generation is thrown away
        } catch (RuntimeException e) {
            throw new IngestException(kept, "cannot read source " + label + " (" + s.originalName() + "): " + e.getMessage(), e);
        }
        progress.update(endpoint, read.get());
    }

    /** Adds the endpoint's live journal (a source of truth like the files; none when it never had an agent). */
    private void readLiveJournal(String endpoint, EventIndex index, AtomicLong read, Progress progress) throws IOException {
        Adder adder = new Adder(index);
        try {
            LiveIngest.readJournal(data, endpoint, e -> {
                adder.accept(e);
                long n = read.incrementAndGet();
                if (n % 50_000 == 0) progress.update(endpoint, n);
            });
            adder.flush();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        progress.update(endpoint, read.get());
    }

    /**
     * Adds events to the new generation, in order: one at a time to an index for which that costs
     * nothing (the local one), in batches to one that prefers them (a bulk request per batch on
     * opensearch, instead of a round trip per event). Thread-safe (a telemetry file is read by several
     * threads); {@link #flush()} adds what is held.
     */
    private static final class Adder implements Consumer<Event> {
        private static final int BATCH = 2_000;
        private final EventIndex index;
        private final boolean batches;
        private final List<Event> held = new ArrayList<>();

        Adder(EventIndex index) {
            this.index = index;
            this.batches = index.prefersBatches();
        }

        @Override
        public void accept(Event e) {
            try {
                if (!batches) {
                    index.add(e); // thread-safe, and no lock between the reading threads
                    return;
                }
                synchronized (this) {
                    held.add(e);
                    if (held.size() == BATCH) flush();
                }
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }

        synchronized void flush() throws IOException {
            if (held.isEmpty()) return;
            index.addAll(List.copyOf(held));
            held.clear();
        }
    }

    /**
     * A source recorded before Trailhound kept telemetry files has only its original path: when the
     * file is still there, it is kept now; otherwise the endpoint cannot be rebuilt whole.
     */
    private SourceInfo adopt(SourceInfo s) throws IOException {
        Path original = Path.of(s.originalName());
        if (!Files.isRegularFile(original)) {
            throw new IngestException(original, "source " + s.label() + " of this endpoint was imported before Trailhound kept"
                    + " its files, and " + original + " is gone: put the file back there, or ingest it into a new data folder", null);
        }
        String sha = Ingestor.sha256(original);
        Path kept = Ingestor.keep(original, data.root().resolve("sources"), sha);
        data.store().sources().adopt(s.id(), sha, Files.size(original), data.root().relativize(kept).toString());
        return data.store().sources().get(s.id()).orElseThrow();
    }
}
