package trailhound.access;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.search.Query;
import trailhound.index.HuntCursor;
import trailhound.index.HuntResult;
import trailhound.index.IndexBackend;
import trailhound.index.UnknownEndpointException;
import trailhound.ingest.DataDir;
import trailhound.store.EndpointInfo;
import trailhound.store.Retention;
import trailhound.store.SnapshotInfo;

/**
 * A data folder as one caller may see it: the only way web handlers reach endpoints, indexes and the
 * catalogue. Administrators see every endpoint; everyone else the members of the groups granted to
 * them, computed once per scope (one request). An endpoint outside them does not exist for the
 * caller: every method answers as for an unknown endpoint ({@link UnknownEndpointException}, 404).
 * Not thread-safe: one per request.
 */
public final class Scope {
    private final Caller caller;
    private final DataDir data;
    private final Groups groups;
    private final Accounts accounts;
    private final AuditLog audit;
    private final java.time.Clock clock;
    private Set<String> visible; // null until asked; for administrators: every endpoint

    Scope(Caller caller, DataDir data, Groups groups, Accounts accounts, AuditLog audit, java.time.Clock clock) {
        this.clock = clock;
        this.caller = caller;
        this.data = data;
        this.groups = groups;
        this.accounts = accounts;
        this.audit = audit;
    }

    public Caller caller() {
        return caller;
    }

    public boolean may(Action action) {
        return caller.role().allows(action);
    }

    /** @throws AccessDeniedException (403) when the caller's role does not allow it (audited) */
    public void require(Action action) {
        require(action, null);
    }

    /**
     * As {@link #require(Action)}, the audit entry naming the refused {@code request} (e.g. "GET /admin/users").
     *
     * @throws AccessDeniedException (403) when the caller's role does not allow it (audited)
     */
    public void require(Action action, String request) {
        if (!may(action)) {
            audit.record(caller, "access.denied", null, AuditLog.DENIED,
                    (request == null ? "" : request + ": ") + "needs " + action.name().toLowerCase());
            throw AccessDeniedException.of(caller, action);
        }
    }

    /** The endpoints the caller may see, by name; for administrators also indexes not yet catalogued. */
    public List<EndpointInfo> endpoints() throws IOException {
        Map<String, EndpointInfo> known = new TreeMap<>();
        for (EndpointInfo info : data.catalogue().endpoints()) {
            known.put(info.name(), info);
        }
        if (isAdministrator()) {
            // an index without a catalogue entry (an interrupted first ingest) is still there to repair
            for (String name : data.indexes().endpoints()) {
                known.putIfAbsent(name, new EndpointInfo(name, null, null, null, 0));
            }
            return new ArrayList<>(known.values());
        }
        Set<String> mine = visible();
        return known.values().stream().filter(e -> mine.contains(e.name())).toList();
    }

    /** True when the endpoint exists and the caller may see it. */
    public boolean sees(String endpoint) {
        if (isAdministrator()) return data.catalogue().endpoint(endpoint).isPresent() || data.indexes().exists(endpoint);
        return visible().contains(endpoint) && data.catalogue().endpoint(endpoint).isPresent();
    }

    /** @throws UnknownEndpointException when absent or not the caller's (the latter audited) */
    public EndpointInfo endpoint(String name) {
        if (!sees(name)) throw unknown(name);
        return data.catalogue().endpoint(name).orElse(new EndpointInfo(name, null, null, null, 0));
    }

    /**
     * The caller hears "unknown" of an endpoint outside their groups, exactly as of one that does not
     * exist; the audit trail, for administrators, tells the two apart.
     */
    private UnknownEndpointException unknown(String name) {
        if (name != null && data.catalogue().endpoint(name).isPresent()) {
            audit.record(caller, "access.denied", name, AuditLog.DENIED, "endpoint outside the caller's groups");
        }
        return new UnknownEndpointException(name);
    }

    /** True when the endpoint is the caller's and has an index. */
    public boolean hasIndex(String endpoint) {
        return sees(endpoint) && data.indexes().exists(endpoint);
    }

    /**
     * The endpoint's index, to release after use.
     *
     * @throws UnknownEndpointException when absent, not the caller's, or without index
     */
    public IndexBackend.Lease index(String endpoint) throws IOException {
        if (!sees(endpoint)) throw unknown(endpoint);
        if (!data.indexes().exists(endpoint)) throw new UnknownEndpointException(endpoint);
        return data.indexes().acquire(endpoint);
    }

    /**
     * One query over every endpoint the caller may see (administrators: every endpoint with an index):
     * exact counts per endpoint and the newest {@code limit} hits after {@code after} (null: from the
     * newest), as {@link IndexBackend#hunt(Query, int, java.util.Collection, HuntCursor)}. Endpoints
     * outside the caller's groups are never searched: they are in neither the counts nor the hits. Not
     * audited here: the caller audits a hunt once ({@link #audit}, action {@code hunt}, the query
     * text), not each page of it.
     */
    public HuntResult hunt(Query query, int limit, HuntCursor after) throws IOException {
        return data.indexes().hunt(query, limit, huntable(), after);
    }

    /**
     * As {@link #hunt}, the page before {@code before} (null: the last page), as
     * {@link IndexBackend#huntBefore(Query, int, java.util.Collection, HuntCursor)}; over the same endpoints.
     */
    public HuntResult huntBefore(Query query, int limit, HuntCursor before) throws IOException {
        return data.indexes().huntBefore(query, limit, huntable(), before);
    }

    private List<String> huntable() throws IOException {
        return isAdministrator() ? data.indexes().endpoints() : endpoints().stream().map(EndpointInfo::name).toList();
    }

    /**
     * Values of {@code fields} (one field, or an alias's fields) starting with {@code prefix}, with how
     * many of the endpoint's events have each, most first, at most {@code limit}:
     * {@link trailhound.index.EventIndex#suggest}'s bounds and errors. For an alias a value counts the
     * events having it in any of the fields, as the query {@code alias:value} does (an event with the
     * same path as process and parent counts once): the fields' candidates are merged, the
     * {@code limit} best by their summed counts kept and each counted again as that disjunction. Not
     * audited: it answers while a query is typed, a few times a second, and shows no more than the
     * search it leads to, which is audited; an entry per keystroke would bury the trail.
     *
     * @throws UnknownEndpointException as {@link #index}
     */
    public List<trailhound.index.TermCount> suggest(String endpoint, List<trailhound.schema.Field> fields, String prefix, int limit)
            throws IOException {
        try (IndexBackend.Lease lease = index(endpoint)) {
            return lease.index().suggest(fields, prefix, limit);
        }
    }

    /**
     * As {@link #suggest(String, List, String, int)} over the endpoints the caller may see (as
     * {@link #hunt} searches them), at most {@code maxEndpoints} of them, the ones already open first:
     * {@link IndexBackend#suggest}. For the hunt page's query box; not audited, as above.
     */
    public trailhound.index.HuntSuggestions suggest(List<trailhound.schema.Field> fields, String prefix, int limit, int maxEndpoints)
            throws IOException {
        List<String> names = isAdministrator() ? data.indexes().endpoints() : endpoints().stream().map(EndpointInfo::name).toList();
        return data.indexes().suggest(names, fields, prefix, limit, maxEndpoints);
    }

    /** Saved searches as this caller may see and change them. */
    public SavedSearches savedSearches() {
        return new SavedSearches(this, data.store().savedSearches(), audit, clock);
    }

    /** The endpoint's snapshots, newest first. @throws UnknownEndpointException as {@link #endpoint} */
    public List<SnapshotInfo> snapshots(String endpoint) {
        endpoint(endpoint);
        return data.catalogue().snapshots(endpoint);
    }

    public Optional<SnapshotInfo> snapshot(String endpoint, String id) {
        endpoint(endpoint);
        return data.catalogue().snapshot(endpoint, id);
    }

    /** Snapshots of the endpoints the caller may see, and uploads (analysts and administrators). */
    public Snapshots snapshots() {
        return new Snapshots(this, data);
    }

    /** The name an old endpoint name now has (renamed or merged), when the caller may see that endpoint. */
    public Optional<String> renamedTo(String oldName) {
        String now = data.currentName(oldName);
        return now.equals(oldName) || !sees(now) ? Optional.empty() : Optional.of(now);
    }

    /** The retention settings (limits are not secret; what was removed is per endpoint, see {@link #endpoint}). */
    public Retention retention() {
        return data.store().retention();
    }

    /** Saved evidence files as this caller may see and handle them. */
    public Evidence evidence() {
        return new Evidence(this, data, clock);
    }

    /** Saved evidence items of every kind (events, processes, files, snapshots) as this caller may see and handle them. */
    public SavedEvidence savedEvidence() {
        return new SavedEvidence(this, data, clock);
    }

    /** Event exports run as background jobs, as this caller may start, watch and download them. */
    public Exports exports() {
        return new Exports(this, data);
    }

    /** Writes an audit entry for this caller. */
    public void audit(String action, String endpoint, String outcome, String detail) {
        audit.record(caller, action, endpoint, outcome, detail);
    }

    /**
     * The data folder itself, for administrative work (jobs, rename, merge, purge) that acts on
     * every endpoint.
     *
     * @throws AccessDeniedException unless the caller is an administrator
     */
    public DataDir administration() {
        require(Action.ADMINISTER);
        return data;
    }

    private boolean isAdministrator() {
        return caller.role() == Role.ADMINISTRATOR;
    }

    private Set<String> visible() {
        if (visible == null) {
            List<String> granted = accounts.find(caller.user()).map(Accounts.User::groups).orElse(List.of());
            visible = groups.visibleThrough(granted);
        }
        return visible;
    }
}
