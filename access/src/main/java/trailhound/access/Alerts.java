package trailhound.access;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import trailhound.ingest.DataDir;
import trailhound.ingest.IndexedEvents;
import trailhound.query.IocTree;
import trailhound.schema.Event;
import trailhound.store.Alerts.Alert;
import trailhound.store.Iocs.Ioc;

/**
 * Alerts: what an IOC set to alert (or a policy) found among the events of an endpoint as they were
 * indexed, imports and live streams alike. Told of every batch the indexers take
 * ({@link IndexedEvents}); each IOC set to alert is tested on each event in memory
 * ({@link IocTree#compile}, the same test as the IOC's hunt). The events a rule matches on an endpoint
 * go into its open alert there (new or acknowledged: its count and last seen grow) or, when it has
 * none, a new one, each event at most once per rule and endpoint; a closed alert is followed by a new
 * one. With no IOC set to alert the indexers hand nothing over ({@link #wanted()} is a field read).
 *
 * <p>States: {@code new}, {@code acknowledged}, {@code closed}; every raise (as the system) and every
 * change of state (as the user) is audited ({@code alert.raise}, {@code alert.state}). A user sees
 * the alerts of the endpoints they may see. Thread-safe: one per data folder, held by {@link Access}.
 */
public final class Alerts implements IndexedEvents {
    /** The states an alert moves through. */
    public static final List<String> STATES = List.of("new", "acknowledged", "closed");
    /** The kinds of rule that raise alerts. */
    public static final List<String> RULE_KINDS = List.of("ioc", "policy");
    static final Caller SYSTEM = new Caller(Accounts.SYSTEM, Role.ADMINISTRATOR, "alerts", null);

    private record Rule(long id, String name, java.util.function.Predicate<java.util.function.Function<trailhound.schema.Field, String>> test) {}

    private final DataDir data;
    private final AuditLog audit;
    private final Clock clock;
    private volatile List<Rule> rules = List.of();
    /*
     * Every policy's id by name (names are unique), the disabled ones too: an event recorded while a
     * policy was enabled may be indexed after it was disabled, and still names it. Empty: no policy, so
     * no agent has one to enforce.
     */
    private volatile Map<String, Long> policies = Map.of();

    Alerts(DataDir data, AuditLog audit, Clock clock) {
        this.data = data;
        this.audit = audit;
        this.clock = clock;
        reload();
    }

    /** Reads the IOCs set to alert again (after one is made, changed or removed). */
    void reload() {
        List<Rule> loaded = new ArrayList<>();
        for (Ioc ioc : data.store().iocs().alerting()) {
            try {
                loaded.add(new Rule(ioc.id(), ioc.name(), IocJson.read(ioc.tree()).compile()));
            } catch (IllegalArgumentException unreadable) {
                audit.record(SYSTEM, "alert.rule", null, AuditLog.FAILED, "IOC " + ioc.id() + " cannot alert: " + unreadable.getMessage());
            }
        }
        rules = List.copyOf(loaded);
        reloadPolicies();
    }

    /** Reads the protection policies again (after one changed): their events raise alerts under their ids. */
    void reloadPolicies() {
        Map<String, Long> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (var p : data.store().policies().list()) byName.put(p.name(), p.id());
        policies = byName;
    }

    @Override
    public boolean wanted() {
        return !rules.isEmpty() || !policies.isEmpty();
    }

    @Override
    public void indexed(String endpoint, List<Event> events) {
        policyEvents(endpoint, events);
        for (Rule rule : rules) {
            List<String> uids = new ArrayList<>();
            for (Event e : events) {
                if (rule.test().test(e::get)) uids.add(e.uid());
            }
            if (!uids.isEmpty()) {
                try {
                    raise(endpoint, "ioc", rule.id(), rule.name(), uids);
                } catch (RuntimeException e) {
                    // the indexer must go on; the trail says what was missed
                    audit.record(SYSTEM, "alert.raise", endpoint, AuditLog.FAILED, "IOC " + rule.id() + ": " + e.getMessage());
                }
            }
        }
    }

    /*
     * Policy events (type policy) come from the agents: each policy's block and alert events of a batch
     * raise one alert (or add to its open one), under the policy's id; a policy renamed or removed since
     * is named as the event says, id 0.
     */
    private void policyEvents(String endpoint, List<Event> events) {
        Map<String, List<String>> byPolicy = null;
        for (Event e : events) {
            if (!"policy".equals(e.get(trailhound.schema.Field.TYPE))) continue;
            String name = e.get(trailhound.schema.Field.POLICY);
            if (byPolicy == null) byPolicy = new java.util.LinkedHashMap<>();
            byPolicy.computeIfAbsent(name == null ? "" : name, k -> new ArrayList<>()).add(e.uid());
        }
        if (byPolicy == null) return;
        for (var entry : byPolicy.entrySet()) {
            long id = policies.getOrDefault(entry.getKey(), 0L);
            try {
                raise(endpoint, "policy", id, entry.getKey(), entry.getValue());
            } catch (RuntimeException e) {
                audit.record(SYSTEM, "alert.raise", endpoint, AuditLog.FAILED, "policy " + entry.getKey() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Names those of {@code eventUids} the rule {@code ruleKind} ({@code ioc} or {@code policy})
     * {@code ruleId}, named {@code ruleName}, has not named on {@code endpoint} before, in its open
     * alert there or a new one; audited. For policies' enforcement events too.
     *
     * @return the alert as it is now, or empty when every event was named before
     */
    public Optional<Alert> raise(String endpoint, String ruleKind, long ruleId, String ruleName, List<String> eventUids) {
        var raised = data.store().alerts().raise(endpoint, ruleKind, ruleId, ruleName, eventUids, clock.millis());
        raised.ifPresent(r -> audit.record(SYSTEM, "alert.raise", endpoint, AuditLog.OK, "alert " + r.alert().id() + ": " + ruleKind + " "
                + ruleId + " (" + ruleName + "), " + (r.created() ? "" : "+") + r.added() + (r.added() == 1 ? " event" : " events")
                + (r.created() ? "" : ", " + r.alert().events() + " in all")));
        return raised.map(trailhound.store.Alerts.Raised::alert);
    }

    /** The alerts of endpoints the caller may see, the one that last named an event first. */
    public List<Alert> list(Scope scope) {
        return data.store().alerts().list().stream().filter(a -> visible(scope, a)).toList();
    }

    /**
     * As {@link #list(Scope)}, only those in {@code state} (null: any) of rule {@code ruleKind}
     * {@code ruleId} (kind null: any rule; id null: any of that kind).
     *
     * @throws AccessException for an unknown state or rule kind
     */
    public List<Alert> list(Scope scope, String state, String ruleKind, Long ruleId) {
        if (state != null && !STATES.contains(state)) throw new AccessException("'" + state + "' is no alert state; expected one of " + STATES);
        if (ruleKind != null && !RULE_KINDS.contains(ruleKind)) {
            throw new AccessException("'" + ruleKind + "' is no kind of rule; expected one of " + RULE_KINDS);
        }
        return list(scope).stream().filter(a -> (state == null || a.state().equals(state))
                && (ruleKind == null || a.ruleKind().equals(ruleKind) && (ruleId == null || a.ruleId() == ruleId))).toList();
    }

    /** The alert, when it exists and its endpoint is the caller's. */
    public Optional<Alert> find(Scope scope, long id) {
        return data.store().alerts().find(id).filter(a -> visible(scope, a));
    }

    /** The uids of the events the alert names (empty when the caller may not see it). */
    public List<String> events(Scope scope, long id) {
        return find(scope, id).map(a -> data.store().alerts().events(id)).orElse(List.of());
    }

    /**
     * Moves the alert to {@code state}; audited.
     *
     * @throws AccessDeniedException for a read-only user
     * @throws AccessException for an unknown state
     * @throws AccessException (unknown, 404) for an alert the caller may not see
     * @throws AccessException (conflict, 409) reopening a closed alert while another of its rule on its endpoint is open
     */
    public Alert setState(Scope scope, long id, String state) {
        scope.require(Action.INVESTIGATE);
        String s = state == null ? "" : state.strip().toLowerCase(Locale.ROOT);
        if (!STATES.contains(s)) throw new AccessException("'" + state + "' is no alert state; expected one of " + STATES);
        Alert alert = find(scope, id).orElseThrow(() -> AccessException.unknown("unknown alert " + id + ": the Alerts page lists them"
                + " (GET /api/v1/alerts)"));
        Optional<Long> other = data.store().alerts().setStateUnlessOtherOpen(id, s, scope.caller().user(), clock.millis());
        if (other.isPresent()) {
            throw AccessException.conflict("alert " + id + " cannot be " + s + " again: alert " + other.get() + " is open for the same rule ("
                    + alert.ruleKind() + " " + alert.ruleName() + ") on " + alert.endpoint() + ", and a rule has at most one open alert per"
                    + " endpoint; work on alert " + other.get() + " instead, or close it first");
        }
        scope.audit("alert.state", alert.endpoint(), AuditLog.OK, "alert " + id + " (" + alert.ruleKind() + " " + alert.ruleName() + "): "
                + alert.state() + " -> " + s);
        return data.store().alerts().find(id).orElseThrow();
    }

    /** What makes two alerts the same rule's on one endpoint (a rule known by name only by its name). */
    private static String openKey(Alert a) {
        return a.ruleKind() + "\u0000" + a.ruleId() + "\u0000" + a.endpoint() + "\u0000" + (a.ruleId() == 0 ? a.ruleName() : "");
    }

    /**
     * Moves each of the alerts {@code ids} to {@code state}, each audited as {@link #setState} does; all
     * or none: every id is checked first.
     *
     * @return the alerts as they are now, in the order of {@code ids}
     * @throws AccessDeniedException for a read-only user
     * @throws AccessException for an unknown state, no ids, or more than {@link #MAX_AT_ONCE}
     * @throws AccessException (unknown, 404) naming the first alert the caller may not see
     */
    public List<Alert> setStates(Scope scope, List<Long> ids, String state) {
        scope.require(Action.INVESTIGATE);
        if (ids.isEmpty()) throw new AccessException("no alerts given: select one or more");
        if (ids.size() > MAX_AT_ONCE) throw new AccessException(ids.size() + " alerts at once; at most " + MAX_AT_ONCE + ": change them in parts");
        List<Long> distinct = List.copyOf(new java.util.LinkedHashSet<>(ids));
        for (long id : distinct) {
            find(scope, id).orElseThrow(() -> AccessException.unknown("unknown alert " + id + ": the Alerts page lists them (GET /api/v1/alerts);"
                    + " nothing was changed"));
        }
        String s = state == null ? "" : state.strip().toLowerCase(Locale.ROOT);
        if (!"closed".equals(s)) { // all or none: a reopening that would make two open alerts of one rule refuses the whole change
            List<Alert> every = data.store().alerts().list();
            java.util.Set<String> opened = new java.util.HashSet<>();
            for (long id : distinct) {
                Alert a = every.stream().filter(x -> x.id() == id).findFirst().orElseThrow();
                if (!opened.add(openKey(a))) {
                    throw AccessException.conflict("alerts " + distinct + " hold two of the same rule (" + a.ruleKind() + " " + a.ruleName()
                            + ") on " + a.endpoint() + ": a rule has at most one open alert per endpoint; nothing was changed");
                }
                every.stream().filter(x -> x.id() != id && x.open() && !distinct.contains(x.id()) && openKey(x).equals(openKey(a))).findFirst()
                        .ifPresent(other -> {
                            throw AccessException.conflict("alert " + id + " cannot be " + s + " again: alert " + other.id() + " is open"
                                    + " for the same rule (" + a.ruleKind() + " " + a.ruleName() + ") on " + a.endpoint() + ", and a rule has at"
                                    + " most one open alert per endpoint; nothing was changed");
                        });
            }
        }
        List<Alert> out = new ArrayList<>();
        for (long id : distinct) out.add(setState(scope, id, state));
        return out;
    }

    /** The most alerts {@link #setStates} changes at once. */
    public static final int MAX_AT_ONCE = 1_000;

    private static boolean visible(Scope scope, Alert a) {
        return scope.caller().role() == Role.ADMINISTRATOR || scope.sees(a.endpoint());
    }
}
