package trailhound.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import trailhound.store.SourceInfo;
import trailhound.store.StoreException;

/**
 * Rename, merge and purge endpoints (administrators). Rename and merge keep every event: the old
 * name becomes an alias (events recorded under it, now and in later ingests, belong to the new
 * endpoint) and the target's index is rebuilt from the sources; purge removes the endpoint with its
 * index, its snapshots and every source that fed nothing else.
 */
public final class EndpointAdmin {
    private final DataDir data;
    private final Reindexer reindexer;

    public EndpointAdmin(DataDir data) {
        this.data = data;
        this.reindexer = new Reindexer(data, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Renames {@code from} to the new name {@code to}; returns the rebuilt index's result. */
    public Reindexer.Result rename(String from, String to) throws IOException {
        return move(from, to, false);
    }

    /** Merges {@code from} (e.g. the short host name) into the existing endpoint {@code into} (e.g. the FQDN). */
    public Reindexer.Result merge(String from, String into) throws IOException {
        return move(from, into, true);
    }

    private Reindexer.Result move(String from, String to, boolean merge) throws IOException {
        if (to == null || to.isBlank()) throw new IngestException(data.root(), "the new endpoint name is blank", null);
        try {
            data.catalogue().moveEndpoint(from, to, merge);
        } catch (StoreException e) {
            throw new IngestException(data.root(), e.getMessage(), e);
        }
        Reindexer.Result result = reindexer.reindex(to, (e, n) -> {});
        try (EndpointLocks.Held alone = data.endpointLocks().rebuilding(from, merge ? "merge" : "rename")) {
            data.indexes().delete(from);
        }
        return result;
    }

    /** Removes the endpoint, its index, snapshots and the sources that fed only it; returns the sources removed. */
    public List<SourceInfo> purge(String endpoint) throws IOException {
        List<Long> only;
        try {
            only = data.catalogue().purgeEndpoint(endpoint);
        } catch (StoreException e) {
            throw new IngestException(data.root(), e.getMessage(), e);
        }
        try (EndpointLocks.Held alone = data.endpointLocks().rebuilding(endpoint, "purge")) {
            data.indexes().delete(endpoint);
        }
        List<SourceInfo> removed = only.stream().map(id -> data.store().sources().get(id)).flatMap(java.util.Optional::stream)
                .toList();
        for (SourceInfo s : removed) {
            if (s.path() != null) Files.deleteIfExists(data.root().resolve(s.path()));
            data.store().sources().delete(s.id());
        }
        Path snapshots = data.endpointDir(endpoint).resolve("snapshots");
        if (Files.isDirectory(snapshots)) {
            try (var left = Files.list(snapshots)) {
                if (left.findAny().isEmpty()) Files.delete(snapshots);
            }
        }
        return removed;
    }

    /**
     * Removes a source with every event it added (from each endpoint it fed, or every endpoint for a
     * source that never completed), its kept file and its catalogue rows. An endpoint another source
     * also fed is then rebuilt from its remaining sources: they may hold some of the removed events too
     * (the same file under another form), which count for them from then on.
     *
     * @throws IngestException when there is no such source
     */
    public SourceInfo removeSource(long id) throws IOException {
        SourceInfo s = data.store().sources().get(id)
                .orElseThrow(() -> new IngestException(data.root(), "no source s" + id + " (bin/trailhound sources lists them)", null));
        List<String> endpoints = s.endpoints().isEmpty() ? data.indexes().endpoints()
                : s.endpoints().stream().map(SourceInfo.SourceEndpoint::endpoint).toList();
        for (String endpoint : endpoints) {
            if (!data.indexes().exists(endpoint)) continue;
            try (trailhound.index.IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                lease.index().deleteSource(s.label());
            }
        }
        if (s.path() != null) Files.deleteIfExists(data.root().resolve(s.path()));
        data.store().sources().delete(id);
        for (String endpoint : endpoints) {
            if (data.catalogue().endpoint(endpoint).isEmpty()) continue;
            if (data.store().sources().list(endpoint).isEmpty()) {
                purge(endpoint); // nothing is left of it
            } else if (s.state().equals(SourceInfo.COMPLETE) && data.indexes().exists(endpoint)) {
                reindexer.reindexAfterRemoval(endpoint, (e, n) -> {});
            }
        }
        return s;
    }
}
