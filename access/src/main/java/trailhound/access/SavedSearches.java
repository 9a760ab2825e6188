package trailhound.access;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import trailhound.index.UnknownEndpointException;
import trailhound.query.QueryLanguage;
import trailhound.store.SavedSearches.Outcome;

/**
 * Saved searches as one caller may see and change them (from {@link Scope#savedSearches()}, one per
 * request).
 *
 * <ul>
 *   <li>Seen (listed and opened): one's own, everyone's shared ones, and for administrators every one;
 *       but only those whose endpoint the caller may see (or of all endpoints, the hunt). Any other id
 *       is "unknown saved search" (404), exactly like an id never given: a search of an endpoint
 *       outside the caller's groups never tells that the endpoint, or the search, exists.
 *       Administrators also see those of endpoints purged since, to delete them.
 *   <li>Renamed and deleted: by its owner, or an administrator (anyone else who sees it: 403).
 *   <li>Audited: {@code saved-search.create}, {@code .rename}, {@code .delete}, with the id, name and
 *       query; refusals as {@code access.denied}.
 * </ul>
 * Names are 1 to {@value #MAX_NAME} characters without control characters, unique per owner (ASCII
 * case ignored). Not thread-safe: one per request, like its scope.
 */
public final class SavedSearches {
    public static final int MAX_NAME = 200;
    /** The time picker's quick ranges (ids), which a search may keep instead of an absolute window. */
    public static final Set<String> RANGES = Set.of("15m", "1h", "24h", "7d", "30d");

    /**
     * A saved search as the caller sees it. {@code endpoint}: its current name (renames followed), null
     * for every endpoint (the hunt). {@code from}/{@code to} (epoch ms, either null: open) or
     * {@code range} (a quick range id, ending at the newest event when opened; null for an absolute
     * window). {@code changeable}: the caller may rename and delete it.
     */
    public record Saved(long id, String owner, String name, String query, String endpoint, Long from, Long to, String range,
            boolean shared, Instant created, Instant updated, boolean changeable) {}

    /** A search to save; {@code endpoint} null for all endpoints, {@code range} null or one of {@link #RANGES} (then no from/to). */
    public record Draft(String name, String query, String endpoint, Long from, Long to, String range, boolean shared) {}

    private final Scope scope;
    private final trailhound.store.SavedSearches store;
    private final AuditLog audit;
    private final Clock clock;

    SavedSearches(Scope scope, trailhound.store.SavedSearches store, AuditLog audit, Clock clock) {
        this.scope = scope;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** The searches the caller sees, by name (then owner). */
    public List<Saved> list() {
        Caller me = scope.caller();
        List<trailhound.store.SavedSearches.SavedSearch> all = administrator() ? store.list() : store.ownAndShared(me.user());
        return all.stream().map(this::seen).flatMap(Optional::stream)
                .sorted(java.util.Comparator.comparing((Saved s) -> s.name().toLowerCase(java.util.Locale.ROOT)).thenComparing(Saved::owner))
                .toList();
    }

    /** @throws AccessException (unknown: 404) when there is no such search for the caller */
    public Saved find(long id) {
        return store.find(id).flatMap(this::seen).orElseThrow(() -> unknown(id));
    }

    /**
     * Saves a search for the caller.
     *
     * @throws AccessException for a bad name (or one the caller has already), a query over the language's limit, a bad window
     * @throws UnknownEndpointException when the endpoint is not one the caller may see
     */
    public Saved create(Draft d) {
        String name = name(d.name());
        String query = d.query() == null ? "" : d.query();
        if (query.length() > QueryLanguage.MAX_LENGTH) {
            throw new AccessException("a query holds at most " + QueryLanguage.MAX_LENGTH + " characters; this one has " + query.length());
        }
        String endpoint = d.endpoint() == null || d.endpoint().isBlank() ? null : d.endpoint();
        if (endpoint != null) scope.endpoint(endpoint); // 404 for one the caller may not see
        if (d.range() != null && !RANGES.contains(d.range())) {
            throw new AccessException("a relative time range is one of 15m, 1h, 24h, 7d or 30d, not '" + d.range() + "'");
        }
        if (d.range() != null && (d.from() != null || d.to() != null)) {
            throw new AccessException("give either a relative time range or from/to, not both");
        }
        if (d.from() != null && d.to() != null && d.from() >= d.to()) {
            throw new AccessException("'from' must be before 'to'");
        }
        Caller me = scope.caller();
        long now = clock.millis();
        long id = store.insert(new trailhound.store.SavedSearches.SavedSearch(0, me.user(), name, query, endpoint, d.from(), d.to(),
                d.range(), d.shared(), now, now)).orElseThrow(() -> duplicate(name));
        Saved saved = find(id);
        audit.record(me, "saved-search.create", endpoint, AuditLog.OK, describe(saved));
        return saved;
    }

    /**
     * Gives a search of the caller's (an administrator: any) a new name.
     *
     * @throws AccessException unknown (404) as {@link #find}; a bad or taken name (400)
     * @throws AccessDeniedException (403, audited) when the caller sees it but is neither its owner nor an administrator
     */
    public Saved rename(long id, String newName) {
        Saved s = changeable(id, "rename");
        String name = name(newName);
        Outcome outcome = store.rename(id, name, clock.millis());
        if (outcome == Outcome.MISSING) throw unknown(id);
        if (outcome == Outcome.DUPLICATE_NAME) {
            throw new AccessException((s.owner().equals(scope.caller().user()) ? "you have" : "'" + s.owner() + "' has")
                    + " another saved search named '" + name + "'; choose another name");
        }
        audit.record(scope.caller(), "saved-search.rename", s.endpoint(), AuditLog.OK,
                "#" + id + " '" + s.name() + "' to '" + name + "' (of " + s.owner() + ")");
        return find(id);
    }

    /**
     * Deletes a search of the caller's (an administrator: any).
     *
     * @throws AccessException unknown (404) as {@link #find}
     * @throws AccessDeniedException (403, audited) when the caller sees it but is neither its owner nor an administrator
     */
    public void delete(long id) {
        Saved s = changeable(id, "delete");
        if (!store.delete(id)) throw unknown(id);
        audit.record(scope.caller(), "saved-search.delete", s.endpoint(), AuditLog.OK, describe(s));
    }

    private Saved changeable(long id, String verb) {
        Saved s = find(id);
        if (!s.changeable()) {
            audit.record(scope.caller(), "access.denied", s.endpoint(), AuditLog.DENIED, verb + " saved search #" + id + " of " + s.owner());
            throw new AccessDeniedException("only its owner (" + s.owner() + ") or an administrator may " + verb + " this saved search");
        }
        return s;
    }

    /** The stored search as the caller sees it, or empty when it is not theirs to see. */
    private Optional<Saved> seen(trailhound.store.SavedSearches.SavedSearch s) {
        Caller me = scope.caller();
        boolean mine = s.owner().equals(me.user());
        if (!mine && !s.shared() && !administrator()) return Optional.empty();
        String endpoint = null;
        if (s.endpoint() != null) {
            Optional<String> now = scope.sees(s.endpoint()) ? Optional.of(s.endpoint()) : scope.renamedTo(s.endpoint());
            // an administrator still sees one of a purged endpoint, to delete it (opening it finds no endpoint)
            if (now.isEmpty() && !administrator()) return Optional.empty();
            endpoint = now.orElse(s.endpoint());
        }
        return Optional.of(new Saved(s.id(), s.owner(), s.name(), s.query(), endpoint, s.fromTs(), s.toTs(), s.relativeRange(),
                s.shared(), Instant.ofEpochMilli(s.createdAt()), Instant.ofEpochMilli(s.updatedAt()), mine || administrator()));
    }

    private static String name(String typed) {
        String name = typed == null ? "" : typed.strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new AccessException("a saved search's name is 1 to " + MAX_NAME + " characters" + (name.isEmpty() ? "" : "; this one has "
                    + name.length()));
        }
        if (name.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT)) {
            throw new AccessException("a saved search's name cannot hold line breaks, tabs or other control or invisible characters");
        }
        return name;
    }

    private static AccessException duplicate(String name) {
        return new AccessException("you have a saved search named '" + name + "' already; choose another name, or rename or delete"
                + " that one");
    }

    private static AccessException unknown(long id) {
        return AccessException.unknown("unknown saved search " + id + ": the Saved searches page lists those you may open");
    }

    private static String describe(Saved s) {
        return "#" + s.id() + " '" + s.name() + "'" + (s.shared() ? " (shared)" : "") + ": " + s.query()
                + (s.range() != null ? " [last " + s.range() + "]" : s.from() == null && s.to() == null ? ""
                        : " [" + (s.from() == null ? "" : "from " + Instant.ofEpochMilli(s.from())) + (s.from() != null && s.to() != null
                                ? " " : "") + (s.to() == null ? "" : "to " + Instant.ofEpochMilli(s.to())) + "]");
    }

    private boolean administrator() {
        return scope.caller().role() == Role.ADMINISTRATOR;
    }
}
