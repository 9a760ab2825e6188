package trailhound.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import trailhound.query.EndpointRule;
import trailhound.query.QuerySyntaxException;
import trailhound.store.Catalogue;
import trailhound.store.ComputerGroups;
import trailhound.store.EndpointInfo;
import trailhound.store.StoreException;

/**
 * Computer groups and endpoint tags. A group's members are the endpoints named in it (static) plus
 * those its rule matches now (dynamic, an {@link EndpointRule} over name, hostname, os, ip and tags);
 * {@value ComputerGroups#ALL_ENDPOINTS} holds every endpoint. An endpoint may be in several groups.
 * Every change is audited. Thread-safe.
 */
public final class Groups {
    /** A group; {@code rule} null when static only, {@code endpoints} the ones named in it. */
    public record Group(String name, String rule, boolean builtin, List<String> endpoints) {}

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._@-]{0,63}");
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._@:-]{0,63}");

    private final ComputerGroups store;
    private final Catalogue catalogue;
    private final AuditLog audit;

    /** Every group's members, as computed at one membership generation (ComputerGroups#membershipGeneration). */
    private record Members(long generation, Map<String, SortedSet<String>> byGroup) {}

    private volatile Members members = new Members(-1, Map.of());

    Groups(ComputerGroups store, Catalogue catalogue, AuditLog audit) {
        this.store = store;
        this.catalogue = catalogue;
        this.audit = audit;
    }

    /** Every group, "All endpoints" first. */
    public List<Group> list() {
        return store.list().stream().map(g -> new Group(g.name(), g.rule(), g.builtin(), g.endpoints())).toList();
    }

    public Optional<Group> find(String name) {
        return list().stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /**
     * Adds a group.
     *
     * @param rule null or blank for a static group
     * @throws AccessException for a bad or taken name, or a rule that does not parse (with its column)
     */
    public void create(Caller by, String name, String rule, List<String> endpoints) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AccessException("a group name is 1 to 64 letters, digits, spaces and . _ @ - (starting with a letter or digit)");
        }
        if (find(name).isPresent()) throw new AccessException("a group named '" + name + "' exists already");
        String r = parseRule(rule);
        endpoints.forEach(Groups::checkEndpointName);
        try {
            store.create(name, r, endpoints);
        } catch (StoreException e) {
            throw new AccessException("cannot create group '" + name + "': " + e.getMessage());
        }
        audit.record(by, "group.create", null, AuditLog.OK, name + (r == null ? "" : " rule " + r)
                + (endpoints.isEmpty() ? "" : " endpoints " + String.join(", ", endpoints)));
    }

    /** Sets (or with null/blank, removes) the rule. */
    public void setRule(Caller by, String name, String rule) {
        changeable(name);
        String r = parseRule(rule);
        store.setRule(name, r);
        audit.record(by, "group.rule", null, AuditLog.OK, name + ": " + (r == null ? "(none)" : r));
    }

    /**
     * Sets whether the group's endpoints stream live events all the time ({@code true}) or only while
     * an analyst has a live connection open on them (the default). Audited ({@code group.stream}).
     */
    public void setStream(Caller by, String name, boolean stream) {
        changeable(name);
        store.setStream(name, stream);
        audit.record(by, "group.stream", null, AuditLog.OK, name + ": " + (stream ? "streams always" : "streams only when connected"));
    }

    /** The names of the groups set to stream, sorted. */
    public List<String> streaming() {
        return store.streaming();
    }

    /** Whether the endpoint is in a group set to stream now. */
    public boolean streams(String endpoint) {
        List<String> streaming = store.streaming();
        if (streaming.isEmpty()) return false;
        Map<String, SortedSet<String>> byGroup = current().byGroup();
        return streaming.stream().anyMatch(g -> byGroup.getOrDefault(g, new TreeSet<>()).contains(endpoint));
    }

    public void addEndpoint(Caller by, String name, String endpoint) {
        changeable(name);
        checkEndpointName(endpoint);
        store.addEndpoint(name, endpoint);
        audit.record(by, "group.add-endpoint", endpoint, AuditLog.OK, name);
    }

    public void removeEndpoint(Caller by, String name, String endpoint) {
        changeable(name);
        if (!store.removeEndpoint(name, endpoint)) {
            throw new AccessException("'" + endpoint + "' is not named in group '" + name + "'");
        }
        audit.record(by, "group.remove-endpoint", endpoint, AuditLog.OK, name);
    }

    /** Removes the group and every grant of it. */
    public void delete(Caller by, String name) {
        changeable(name);
        store.delete(name);
        audit.record(by, "group.delete", null, AuditLog.OK, name);
    }

    /** The group's members now (endpoints the data folder has), sorted. */
    public SortedSet<String> members(String name) {
        SortedSet<String> m = current().byGroup().get(name);
        if (m == null) throw new AccessException("unknown group '" + name + "'");
        return m;
    }

    /**
     * The endpoints named in the group that the data folder does not have (yet): named ahead of their
     * first ingest, or mistyped. They become members when an endpoint of that name appears.
     */
    public SortedSet<String> notSeen(String name) {
        Group g = find(name).orElseThrow(() -> new AccessException("unknown group '" + name + "'"));
        SortedSet<String> missing = new TreeSet<>(g.endpoints());
        catalogue.endpoints().forEach(e -> missing.remove(e.name()));
        return missing;
    }

    /**
     * What a group with this rule and these named endpoints would hold now: the preview shown while editing.
     *
     * @throws AccessException when the rule does not parse
     */
    public SortedSet<String> preview(String rule, List<String> endpoints) {
        String r = parseRule(rule);
        return membersOf(List.of(new Group("preview", r, false, endpoints)), snapshot());
    }

    /**
     * Which groups a rename or merge lets see events they do not see now ({@code gaining}), and which
     * stop seeing events they see now ({@code losing}), both sorted; the built-in group is in neither.
     */
    public record AccessChange(SortedSet<String> gaining, SortedSet<String> losing) {
        public boolean none() {
            return gaining.isEmpty() && losing.isEmpty();
        }

        /** "groups Finance, HR gain access; group Lab loses it", or "" when nothing changes. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!gaining.isEmpty()) parts.add(groups(gaining) + (gaining.size() == 1 ? " gains" : " gain") + " access");
            if (!losing.isEmpty()) parts.add(groups(losing) + (losing.size() == 1 ? " loses" : " lose") + " it");
            return String.join("; ", parts);
        }

        private static String groups(SortedSet<String> names) {
            return (names.size() == 1 ? "group " : "groups ") + String.join(", ", names);
        }
    }

    /**
     * What renaming {@code from} to {@code to} (or merging it into {@code to}) would change in who sees
     * what: a static group may name the new name before it exists, and rules test names, tags and
     * addresses, so a rename can widen access as much as a group change; it is shown before it is done.
     * For a merge a group gains when it sees the merged endpoint but not both before.
     */
    public AccessChange accessChange(String from, String to, boolean merge) {
        Map<String, SortedSet<String>> before = current().byGroup();
        Snapshot now = snapshot();
        Optional<EndpointInfo> moving = now.endpoints().stream().filter(e -> e.name().equals(from)).findFirst();
        if (moving.isEmpty()) return new AccessChange(new TreeSet<>(), new TreeSet<>());
        List<EndpointInfo> endpoints = new ArrayList<>(now.endpoints().stream().filter(e -> !e.name().equals(from)).toList());
        if (!merge) endpoints.add(new EndpointInfo(to, moving.get().os(), moving.get().hostname(), moving.get().ip(), moving.get().snapshotCount()));
        Map<String, SortedSet<String>> tags = new TreeMap<>(now.tags());
        SortedSet<String> movedTags = new TreeSet<>(tags.getOrDefault(to, new TreeSet<>()));
        movedTags.addAll(tags.getOrDefault(from, new TreeSet<>()));
        tags.remove(from);
        tags.put(to, movedTags);
        Snapshot after = new Snapshot(endpoints, tags);

        SortedSet<String> gaining = new TreeSet<>();
        SortedSet<String> losing = new TreeSet<>();
        for (Group g : list()) {
            if (g.builtin()) continue;
            List<String> named = g.endpoints().stream().map(e -> e.equals(from) ? to : e).distinct().toList();
            SortedSet<String> members = before.getOrDefault(g.name(), new TreeSet<>());
            boolean sawFrom = members.contains(from);
            boolean sawTo = merge && members.contains(to);
            boolean seesAfter = membersOf(List.of(new Group(g.name(), g.rule(), false, named)), after).contains(to);
            if (seesAfter && !(sawFrom && (sawTo || !merge))) gaining.add(g.name());
            if (!seesAfter && (sawFrom || sawTo)) losing.add(g.name());
        }
        return new AccessChange(gaining, losing);
    }

    /** Adds and removes tags of an endpoint; tags are what rules test with {@code tag:}. */
    public void tag(Caller by, String endpoint, Collection<String> add, Collection<String> remove) {
        if (catalogue.endpoint(endpoint).isEmpty()) throw new AccessException("unknown endpoint '" + endpoint + "'");
        for (String t : add) {
            if (!TAG.matcher(t).matches()) {
                throw new AccessException("a tag is 1 to 64 letters, digits and . _ @ : - (starting with a letter or digit), not '" + t + "'");
            }
        }
        if (add.isEmpty() && remove.isEmpty()) return; // nothing changes, nothing to audit
        catalogue.changeTags(endpoint, add, remove);
        audit.record(by, "endpoint.tag", endpoint, AuditLog.OK,
                (add.isEmpty() ? "" : "+" + String.join(" +", add)) + (remove.isEmpty() ? "" : (add.isEmpty() ? "" : " ") + "-" + String.join(" -", remove)));
    }

    /** Every endpoint's tags (endpoints without tags absent). */
    public Map<String, SortedSet<String>> tags() {
        return catalogue.tags();
    }

    /** The endpoints in any of the named groups, now. */
    Set<String> visibleThrough(List<String> groupNames) {
        Map<String, SortedSet<String>> byGroup = current().byGroup();
        if (groupNames.size() == 1) return byGroup.getOrDefault(groupNames.get(0), new TreeSet<>());
        Set<String> visible = new TreeSet<>();
        groupNames.forEach(g -> visible.addAll(byGroup.getOrDefault(g, new TreeSet<>())));
        return visible;
    }

    /**
     * Every group's members, computed again only when the membership generation moved: evaluating
     * every rule over every endpoint on each request cost 150 ms at 5,000 endpoints. The generation is
     * read before the groups and endpoints, so a change made meanwhile is never cached as seen.
     */
    private Members current() {
        long generation = store.membershipGeneration();
        Members m = members;
        if (m.generation() == generation) return m;
        Snapshot now = snapshot();
        Map<String, SortedSet<String>> byGroup = new TreeMap<>();
        for (Group g : list()) byGroup.put(g.name(), java.util.Collections.unmodifiableSortedSet(membersOf(List.of(g), now)));
        m = new Members(generation, Map.copyOf(byGroup));
        members = m;
        return m;
    }

    private record Snapshot(List<EndpointInfo> endpoints, Map<String, SortedSet<String>> tags) {}

    private Snapshot snapshot() {
        return new Snapshot(catalogue.endpoints(), catalogue.tags());
    }

    private static SortedSet<String> membersOf(List<Group> groups, Snapshot now) {
        SortedSet<String> members = new TreeSet<>();
        for (Group g : groups) {
            if (g.builtin()) {
                now.endpoints().forEach(e -> members.add(e.name()));
                continue;
            }
            Set<String> seen = new java.util.HashSet<>();
            now.endpoints().forEach(e -> seen.add(e.name()));
            g.endpoints().stream().filter(seen::contains).forEach(members::add); // a name not seen yet is no member (yet)
            EndpointRule rule = ruleOrNull(g.rule());
            if (rule == null) continue;
            for (EndpointInfo e : now.endpoints()) {
                if (!members.contains(e.name()) && rule.matches(new EndpointRule.Endpoint(e.name(), e.hostname(), e.os(), e.ip(),
                        now.tags().getOrDefault(e.name(), new TreeSet<>())))) {
                    members.add(e.name());
                }
            }
        }
        return members;
    }

    /** A stored rule that no longer parses (a future syntax change) grants nothing rather than failing every request. */
    private static EndpointRule ruleOrNull(String rule) {
        if (rule == null) return null;
        try {
            return EndpointRule.parse(rule);
        } catch (QuerySyntaxException e) {
            return null;
        }
    }

    private static String parseRule(String rule) {
        if (rule == null || rule.isBlank()) return null;
        try {
            return EndpointRule.parse(rule).text();
        } catch (QuerySyntaxException e) {
            throw new AccessException("bad rule: " + e.getMessage());
        }
    }

    private void changeable(String name) {
        Group g = find(name).orElseThrow(() -> new AccessException("unknown group '" + name + "'"));
        if (g.builtin()) throw new AccessException("'" + name + "' is built in and holds every endpoint; it cannot be changed");
    }

    private static void checkEndpointName(String endpoint) {
        if (endpoint == null || endpoint.isBlank() || endpoint.chars().anyMatch(Character::isISOControl)) {
            throw new AccessException("an endpoint name must not be blank or hold control characters");
        }
    }
}
