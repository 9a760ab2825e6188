package trailhound.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
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

    /**
     * A name an administrator gives an endpoint: 1 to 255 letters, digits, spaces and {@code . _ - @ $ ( )},
     * starting and ending with a letter or digit. Names from telemetry are taken as recorded; a name typed
     * here should look like a host name, and hold nothing a path, page or spreadsheet could misread.
     */
    private static final Pattern NEW_NAME = Pattern.compile("[\\p{L}\\p{N}]([\\p{L}\\p{N} ._@$()-]{0,253}[\\p{L}\\p{N}])?");

    /**
     * Checks a new endpoint name for a rename.
     *
     * @throws EndpointChangeException saying what a name may hold, or naming the endpoint it differs from only in case
     */
    public void checkNewName(String from, String to) {
        if (to == null || !NEW_NAME.matcher(to).matches()) {
            throw new EndpointChangeException("an endpoint name is 1 to 255 letters, digits, spaces and . _ - @ $ ( ), starting"
                    + " and ending with a letter or digit (e.g. ws-fin-01.corp.example)" + (to == null ? "" : ", not '" + to + "'"));
        }
        data.catalogue().endpoints().stream().filter(e -> !e.name().equals(to) && !e.name().equals(from) && e.name().equalsIgnoreCase(to))
                .findFirst().ifPresent(twin -> {
                    throw new EndpointChangeException("an endpoint named '" + twin.name() + "' exists, differing only in case: merge into it"
                            + " instead, or choose another name");
                });
    }

    /** The catalogue's own words (or SQLite's), without the server.db path a StoreException puts around them. */
    private static EndpointChangeException refused(StoreException e, String what) {
        Throwable cause = e.getCause();
        if (cause instanceof java.sql.SQLException sql && sql.getErrorCode() == 0) return new EndpointChangeException(sql.getMessage());
        return new EndpointChangeException("cannot " + what + ": " + (cause == null ? "the catalogue refused" : cause.getMessage()));
    }

    /*
     * A live endpoint's name is its agent's for good (the agent sends under it, its journal lives in its
     * folder): a rename or merge would leave the agent writing under the old name. Purging needs the
     * agent revoked first, or it would come back with the next batch.
     */
    private void checkLiveAgent(String endpoint, String what) {
        for (trailhound.store.LiveAgents.Agent a : data.store().liveAgents().agents()) {
            if (!a.endpoint().equals(endpoint)) continue;
            if (!what.equals("purge")) {
                throw new EndpointChangeException("'" + endpoint + "' is the endpoint of agent " + a.agentId() + ", which sends its live"
                        + " events under that name: a live endpoint keeps the name its agent enrolled with. To use another name, revoke"
                        + " the agent (Administration > Agents, or bin/trailhound agents revoke " + a.agentId() + "), purge '" + endpoint + "' and enrol the agent"
                        + " again with --name");
            }
            if (a.revokedAt() == null) {
                throw new EndpointChangeException("'" + endpoint + "' is the endpoint of agent " + a.agentId() + ", still enrolled:"
                        + " its next batch would bring the endpoint back. Revoke it first (bin/trailhound agents revoke "
                        + a.agentId() + ", or Administration > Agents)");
            }
        }
    }

    private Reindexer.Result move(String from, String to, boolean merge) throws IOException {
        if (!merge) checkNewName(from, to);
        checkLiveAgent(from, merge ? "merge" : "rename");
        try {
            data.catalogue().moveEndpoint(from, to, merge);
        } catch (StoreException e) {
            // the catalogue's own words, without the server.db path around them
            throw refused(e, (merge ? "merge '" : "rename '") + from + "'");
        }
        Reindexer.Result result = reindexer.reindex(to, (e, n) -> {});
        try (EndpointLocks.Held alone = data.endpointLocks().rebuilding(from, merge ? "merge" : "rename")) {
            data.indexes().delete(from);
        }
        return result;
    }

    /** Removes the endpoint, its index, snapshots and the sources that fed only it; returns the sources removed. */
    public List<SourceInfo> purge(String endpoint) throws IOException {
        checkLiveAgent(endpoint, "purge");
        List<Long> only;
        try {
            only = data.catalogue().purgeEndpoint(endpoint);
        } catch (StoreException e) {
            throw refused(e, "purge '" + endpoint + "'");
        }
        try (EndpointLocks.Held alone = data.endpointLocks().rebuilding(endpoint, "purge")) {
            data.indexes().delete(endpoint);
            // the live journal is a source like the others: gone with the endpoint, and its name free again
            Path journal = data.endpointDir(endpoint).resolve(LiveJournal.FILE);
            for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(journal.resolveSibling(LiveJournal.FILE + suffix));
            data.store().liveAgents().forgetRevoked(endpoint);
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
