package trailhound.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.search.Query;
import trailhound.index.EventIndex;
import trailhound.index.HuntCursor;
import trailhound.index.HuntHit;
import trailhound.index.HuntResult;
import trailhound.index.HuntSuggestions;
import trailhound.index.IndexBackend;
import trailhound.index.SourceProgress;
import trailhound.index.TermCount;
import trailhound.index.UnknownEndpointException;
import trailhound.schema.Field;

/**
 * The {@code opensearch} index backend: every endpoint's events in one OpenSearch index
 * ({@link OpenSearchEvents}), behind the same boundary as the local one, so callers do not know which
 * they have. An endpoint's {@link EventIndex} is a view of the shared index filtered (and routed) by
 * endpoint; its source states (unfinished sources, checkpoints) are kept in a small second index,
 * {@code <alias>-state}, and leave the events of unfinished sources out of every query, as locally.
 *
 *
 * <p>Thread-safe.
 */
public final class OpenSearchBackend implements IndexBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchEvents events;
    private final String stateIndex;
    /** Endpoints created (acquireOrCreate) that may have no event yet. */
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Map<String, OpenSearchEndpointIndex> indexes = new ConcurrentHashMap<>();
    /** The highest generation each endpoint's events were ever written in by this backend (a new one is above it). */
    private final Map<String, Integer> highest = new ConcurrentHashMap<>();

    private OpenSearchBackend(OpenSearchEvents events) {
        this.events = events;
        this.stateIndex = events.alias() + "-state";
        events.hideSources(this::hiddenSources);
    }

    /**
     * Connects to the cluster and opens (or creates) the index {@code name} and its state index.
     *
     * @throws IOException when the cluster cannot be reached or refuses (the message says what it answered)
     */
    public static OpenSearchBackend open(OpenSearchConnection connection, String name, int shards) throws IOException {
        OpenSearchEvents events = OpenSearchEvents.open(connection, name, shards);
        OpenSearchBackend backend = new OpenSearchBackend(events);
        try {
            backend.loadStates();
        } catch (IOException | RuntimeException e) {
            events.close();
            throw e;
        }
        return backend;
    }

    private void loadStates() throws IOException {
        if (!events.client().indices().exists(e -> e.index(stateIndex)).value()) {
            events.send("PUT", "/" + stateIndex, Map.of(
                    "settings", Map.of("index", Map.of("number_of_shards", 1, "number_of_replicas", 0)),
                    "mappings", Map.of("dynamic", "strict", "properties", Map.of(
                            "endpoint", Map.of("type", "keyword"),
                            "generation", Map.of("type", "integer"),
                            "unfinished", Map.of("type", "object", "enabled", false)))));
        } else {
            // a state index made before re-index existed lacks the generation: adding a field is allowed
            events.send("PUT", "/" + stateIndex + "/_mapping", Map.of("properties", Map.of("generation", Map.of("type", "integer"))));
        }
        events.send("POST", "/" + stateIndex + "/_refresh", null);
        Map<String, Integer> current = new HashMap<>();
        String after = null;
        while (true) { // pages by endpoint name: any number of endpoints
            Map<String, Object> page = new HashMap<>(Map.of("size", 1_000, "sort", List.of(Map.of("endpoint", "asc"))));
            if (after != null) page.put("search_after", List.of(after));
            JsonNode hits = JSON.readTree(events.send("POST", "/" + stateIndex + "/_search", page)).path("hits").path("hits");
            if (hits.isEmpty()) break;
            for (JsonNode hit : hits) {
                String endpoint = hit.path("_source").path("endpoint").asText();
                Map<String, String> unfinished = new HashMap<>();
                hit.path("_source").path("unfinished").properties().forEach(e -> unfinished.put(e.getKey(), e.getValue().asText()));
                int generation = hit.path("_source").path("generation").asInt(0);
                created.add(endpoint);
                current.put(endpoint, generation);
                indexes.put(endpoint, new OpenSearchEndpointIndex(this, events, endpoint, unfinished, generation));
                after = endpoint;
            }
        }
        // Events of another generation than the endpoint's current one are a re-index's that did not end
        // (the server stopped while it ran, or before it deleted the replaced events): hidden, then deleted.
        for (Map.Entry<String, Set<Integer>> e : events.generations().entrySet()) {
            int now = current.getOrDefault(e.getKey(), 0);
            Set<Integer> stale = new TreeSet<>(e.getValue());
            stale.remove(now);
            highest.merge(e.getKey(), e.getValue().stream().max(Integer::compare).orElse(0), Math::max);
            if (stale.isEmpty()) continue;
            events.hideGenerations(e.getKey(), stale);
            for (int g : stale) events.deleteWhere(e.getKey(), OpenSearchEvents.generationIs(g));
            events.hideGenerations(e.getKey(), Set.of());
        }
    }

    /** Writes an endpoint's unfinished sources and current generation, durably (the state index refreshes at once). */
    void saveState(String endpoint, Map<String, String> unfinished, int generation) throws IOException {
        events.send("PUT", "/" + stateIndex + "/_doc/" + OpenSearchEvents.id(endpoint, "") + "?refresh=true",
                Map.of("endpoint", endpoint, "unfinished", unfinished, "generation", generation));
    }

    /** Labels of the unfinished sources nobody is ingesting now, over every endpoint (labels are unique). */
    private Collection<String> hiddenSources() {
        List<String> labels = new ArrayList<>();
        indexes.values().forEach(i -> labels.addAll(i.hidden(true)));
        return labels;
    }

    OpenSearchEvents events() {
        return events;
    }

    @Override
    public List<String> endpoints() throws IOException {
        Set<String> names = new TreeSet<>(created);
        names.addAll(events.countPerEndpoint(null, null).keySet());
        return List.copyOf(names);
    }

    @Override
    public boolean exists(String endpoint) {
        if (created.contains(endpoint)) return true;
        try {
            return events.count(List.of(endpoint), null) > 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Lease acquire(String endpoint) throws IOException {
        if (!exists(endpoint)) throw new UnknownEndpointException(endpoint);
        return lease(endpoint);
    }

    @Override
    public Lease acquireOrCreate(String endpoint) throws IOException {
        created.add(endpoint);
        return lease(endpoint);
    }

    private OpenSearchEndpointIndex index(String endpoint) {
        return indexes.computeIfAbsent(endpoint, e -> new OpenSearchEndpointIndex(this, events, e, Map.of(), 0));
    }

    private Lease lease(String endpoint) {
        OpenSearchEndpointIndex index = index(endpoint);
        return new Lease() {
            @Override
            public EventIndex index() {
                return index;
            }

            @Override
            public void close() {
                // nothing held: the cluster serves every search
            }
        };
    }

    @Override
    public HuntResult hunt(Query query, int limit) throws IOException {
        return hunt(query, limit, endpoints(), null);
    }

    @Override
    public HuntResult hunt(Query query, int limit, Collection<String> endpoints, HuntCursor after) throws IOException {
        List<String> only = List.copyOf(endpoints);
        if (only.isEmpty()) return new HuntResult(Map.of(), List.of(), null, Map.of(), 0);
        Map<String, Long> counts = events.countPerEndpoint(only, query);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        List<HuntHit> hits = events.hunt(only, query, limit, after);
        long start = after == null ? 0 : events.countBefore(only, query, after) + 1;
        HuntCursor next = hits.isEmpty() || start + hits.size() >= total ? null : cursor(hits.getLast());
        return new HuntResult(counts, hits, next, partial(only), start);
    }

    @Override
    public HuntResult huntBefore(Query query, int limit, Collection<String> endpoints, HuntCursor before) throws IOException {
        List<String> only = List.copyOf(endpoints);
        if (only.isEmpty()) return new HuntResult(Map.of(), List.of(), null, Map.of(), 0);
        Map<String, Long> counts = events.countPerEndpoint(only, query);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        List<HuntHit> hits = new ArrayList<>(events.hunt(only, query, limit, before, true));
        java.util.Collections.reverse(hits);
        long start = hits.isEmpty() ? (before == null ? total : events.countBefore(only, query, before))
                : events.countBefore(only, query, cursor(hits.getFirst()));
        HuntCursor next = hits.isEmpty() || start + hits.size() >= total ? null : cursor(hits.getLast());
        return new HuntResult(counts, List.copyOf(hits), next, partial(only), start);
    }

    private static HuntCursor cursor(HuntHit hit) {
        return new HuntCursor(hit.event().ts(), hit.event().uid(), hit.endpoint());
    }

    private Map<String, List<SourceProgress>> partial(Collection<String> endpoints) {
        Map<String, List<SourceProgress>> partial = new TreeMap<>();
        for (String e : endpoints) {
            OpenSearchEndpointIndex index = indexes.get(e);
            if (index != null && !index.ingesting().isEmpty()) partial.put(e, index.ingesting());
        }
        return partial;
    }

    @Override
    public HuntSuggestions suggest(Collection<String> endpoints, List<Field> fields, String prefix, int limit, int maxEndpoints)
            throws IOException {
        if (maxEndpoints < 1) throw new IllegalArgumentException("maxEndpoints must be at least 1, was " + maxEndpoints);
        List<String> consulted = endpoints.stream().sorted().limit(maxEndpoints).toList();
        Map<String, Long> sums = new HashMap<>();
        for (String endpoint : consulted) {
            if (!exists(endpoint)) continue;
            for (TermCount t : lease(endpoint).index().suggest(fields, prefix, limit)) sums.merge(t.term(), t.count(), Long::sum);
        }
        List<TermCount> best = sums.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(e -> new TermCount(e.getKey(), e.getValue())).toList();
        return new HuntSuggestions(best, consulted.size(), endpoints.size());
    }

    @Override
    public Map<String, Long> countAll(Query query) throws IOException {
        return events.countPerEndpoint(null, query);
    }

    @Override
    public List<HuntHit> searchAll(Query query, int limit) throws IOException {
        return events.hunt(null, query, limit, null);
    }

    /**
     * A re-index into the endpoint's next generation of events, written beside the current one in the
     * same index and hidden from every query until published; publishing saves the new generation as
     * the endpoint's, swaps which generation queries hide in one step, then deletes the replaced events.
     * A server stopped midway leaves another generation behind, which the next start deletes.
     */
    @Override
    public Rebuild rebuild(String endpoint) throws IOException {
        OpenSearchEndpointIndex current = index(endpoint);
        int old = current.generation();
        int next = highest.merge(endpoint, old + 1, (was, proposed) -> Math.max(was + 1, proposed));
        events.hideGenerations(endpoint, Set.of(next));
        OpenSearchEndpointIndex building = OpenSearchEndpointIndex.rebuilding(this, events, endpoint, next);
        return new Rebuild() {
            private boolean published;

            @Override
            public EventIndex index() {
                return building;
            }

            @Override
            public void publish() throws IOException {
                building.refresh();
                saveState(endpoint, building.unfinished(), next); // from here a restart keeps the new generation
                current.publish(next, building.unfinished()); // writes go to the new generation first, then
                events.hideGenerations(endpoint, Set.of(old)); // every query swaps in one step
                published = true;
                events.deleteWhere(endpoint, OpenSearchEvents.generationIs(old));
                events.hideGenerations(endpoint, Set.of());
            }

            @Override
            public void close() throws IOException {
                if (published) return;
                events.deleteWhere(endpoint, OpenSearchEvents.generationIs(next));
                events.hideGenerations(endpoint, Set.of());
            }
        };
    }

    @Override
    public void delete(String endpoint) throws IOException {
        events.deleteEndpoint(endpoint);
        events.hideGenerations(endpoint, Set.of());
        created.remove(endpoint);
        indexes.remove(endpoint);
        events.send("DELETE", "/" + stateIndex + "/_doc/" + OpenSearchEvents.id(endpoint, "") + "?refresh=true", null);
    }

    @Override
    public OptionalInt staleFormat(String endpoint) {
        return OptionalInt.empty(); // the mapping is the format; one cluster, one mapping
    }

    /** Removes the events, the state and the indexes (tests). */
    public void deleteAll() throws IOException {
        events.deleteAll();
        if (events.client().indices().exists(e -> e.index(stateIndex)).value()) events.send("DELETE", "/" + stateIndex, null);
    }

    @Override
    public void close() throws IOException {
        events.close();
    }
}
