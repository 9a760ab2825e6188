package trailhound.opensearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import trailhound.index.Distribution;
import trailhound.index.HuntCursor;
import trailhound.index.HuntHit;
import trailhound.index.PageCursor;
import trailhound.query.IndexFields;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Every endpoint's events in one OpenSearch index (docs/decisions.md, "OpenSearch: one shared index
 * routed by endpoint"): the index {@code <name>-<generation>} behind the alias {@code <name>}, each
 * event routed by its endpoint so one endpoint's events live in one shard, and filtered by it.
 *
 * <pre>{@code
 * try (OpenSearchEvents events = OpenSearchEvents.open(OpenSearchConnection.of(url), "trailhound-events", 1)) {
 *     events.addAll("ws-01", batch);
 *     events.refresh();
 *     long n = events.count(List.of("ws-01"), QueryLanguage.parse("type:process"));
 * }
 * }</pre>
 *
 * Queries are the query language's ({@link QueryTranslator}), answers the local engine's records
 * ({@link trailhound.index.EventPage}, {@link Distribution}, {@link HuntHit}), in the same orders: newest
 * first is time descending, then {@code event_uid} (then endpoint), as locally.
 *
 * <p>Thread-safe (the client is).
 */
public final class OpenSearchEvents implements Closeable {
    /** Events per bulk request: about 5 MB of JSON, OpenSearch's advice for a bulk's size. */
    static final int BULK = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchClient client;
    private final String alias;
    /** Source labels whose events every query leaves out (unfinished sources, see OpenSearchBackend). */
    private volatile java.util.function.Supplier<Collection<String>> hidden = List::of;
    /**
     * Generations of endpoints' events that no query of the endpoint's current events sees: a re-index's
     * before it is published, the replaced one until its events are deleted. Replaced whole (copy on
     * write), so a swap is one step for every search.
     */
    private volatile Map<String, java.util.Set<Integer>> hiddenGenerations = Map.of();

    private OpenSearchEvents(OpenSearchClient client, String alias) {
        this.client = client;
        this.alias = alias;
    }

    /**
     * Connects, and creates the index and its alias when the alias does not exist yet.
     *
     * @param name the alias, lower case ({@code trailhound-events}); the index is {@code name-000001}
     * @param shards primary shards of a new index (replicas: none on one node, set by the cluster's admin)
     */
    public static OpenSearchEvents open(OpenSearchConnection connection, String name, int shards) throws IOException {
        if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("an OpenSearch index name is lower case letters, digits, - and _; was '" + name + "'");
        }
        OpenSearchEvents events = new OpenSearchEvents(connection.client(), name);
        try {
            if (!events.client.indices().existsAlias(a -> a.name(name)).value()) {
                events.createIndex(name + "-000001", shards);
                events.send("POST", "/_aliases", Map.of("actions", List.of(
                        Map.of("add", Map.of("index", name + "-000001", "alias", name)))));
            } else {
                // an index made before re-index existed lacks the generation field: adding a field is allowed
                events.send("PUT", "/" + name + "/_mapping", Map.of("properties",
                        Map.of(EventMappings.GENERATION, Map.of("type", "keyword"))));
            }
        } catch (IOException | RuntimeException e) {
            events.close();
            throw e;
        }
        return events;
    }

    private void createIndex(String index, int shards) throws IOException {
        send("PUT", "/" + index, Map.of(
                "settings", Map.of("index", Map.of(
                        "number_of_shards", shards,
                        "number_of_replicas", 0,
                        // offset pages go as deep as the local engine's (EventSort.MAX_DEPTH)
                        "max_result_window", 101_000,
                        // The local engine makes events searchable within about a second too.
                        "refresh_interval", "1s")),
                "mappings", EventMappings.mapping()));
    }

    String send(String method, String endpoint, Object body) throws IOException {
        Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(endpoint);
        if (body != null) request.json(JSON.writeValueAsString(body));
        try (Response response = client.generic().execute(request.build())) {
            String text = response.getBody().map(b -> b.bodyAsString()).orElse("");
            if (response.getStatus() >= 300) {
                throw new IOException("OpenSearch refused " + method + " " + endpoint + ": " + response.getStatus() + " " + text);
            }
            return text;
        }
    }

    /** The alias every search reads. */
    public String alias() {
        return alias;
    }

    /**
     * Adds the events under {@code endpoint} unless an event with the same {@code event_uid} is there
     * already (the first one stays, as locally: a bulk {@code create}, whose conflict is the duplicate).
     * Not searchable before {@link #refresh()} (or the next second's refresh). Returns how many were new.
     *
     * @throws IOException when OpenSearch refuses an event for another reason than being a duplicate
     */
    public long addAll(String endpoint, Iterable<Event> events) throws IOException {
        return addAll(endpoint, 0, events);
    }

    /** As {@link #addAll(String, Iterable)}, into the endpoint's events of {@code generation}. */
    long addAll(String endpoint, int generation, Iterable<Event> events) throws IOException {
        long added = 0;
        List<Event> batch = new ArrayList<>(BULK);
        for (Event e : events) {
            batch.add(e);
            if (batch.size() == BULK) {
                added += bulk(endpoint, generation, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) added += bulk(endpoint, generation, batch);
        return added;
    }

    /** As {@link #addAll}, one outcome per event in order: true where it was new (false: a duplicate). */
    public boolean[] addEach(String endpoint, List<Event> events) throws IOException {
        return addEach(endpoint, 0, events);
    }

    /** As {@link #addEach(String, List)}, into the endpoint's events of {@code generation}. */
    boolean[] addEach(String endpoint, int generation, List<Event> events) throws IOException {
        boolean[] added = new boolean[events.size()];
        for (int from = 0; from < events.size(); from += BULK) {
            List<Event> batch = events.subList(from, Math.min(events.size(), from + BULK));
            List<BulkResponseItem> items = bulkItems(endpoint, generation, batch);
            for (int i = 0; i < items.size(); i++) added[from + i] = items.get(i).error() == null;
        }
        return added;
    }

    private long bulk(String endpoint, int generation, List<Event> batch) throws IOException {
        long added = 0;
        for (BulkResponseItem item : bulkItems(endpoint, generation, batch)) {
            if (item.error() == null) added++;
        }
        return added;
    }

    /** One bulk create of the batch; its items in order; a refusal other than a duplicate throws. */
    private List<BulkResponseItem> bulkItems(String endpoint, int generation, List<Event> batch) throws IOException {
        BulkRequest.Builder request = new BulkRequest.Builder().index(alias);
        for (Event e : batch) {
            Map<String, Object> doc = EventMappings.document(endpoint, generation, e);
            String id = generation == 0 ? id(endpoint, e.uid()) : id(endpoint, e.uid() + "\u0000" + generation);
            request.operations(op -> op.create(c -> c.id(id).routing(endpoint).document(doc)));
        }
        BulkResponse response = client.bulk(request.build());
        for (BulkResponseItem item : response.items()) {
            if (item.error() != null && item.status() != 409) {
                throw new IOException("OpenSearch refused event " + item.id() + " of " + endpoint + ": "
                        + item.error().type() + ": " + item.error().reason());
            }
        }
        return response.items();
    }

    /** The document id: one per endpoint and uid (uids are unique per endpoint only), of bounded length. */
    static String id(String endpoint, String uid) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(endpoint.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(uid.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes everything added searchable now. */
    public void refresh() throws IOException {
        client.indices().refresh(r -> r.index(alias));
    }

    /** Sets where the labels of the sources to leave out of every query come from. */
    void hideSources(java.util.function.Supplier<Collection<String>> labels) {
        this.hidden = labels;
    }

    OpenSearchClient client() {
        return client;
    }

    /** The query restricted to the endpoints (null: every endpoint), without the hidden sources' events. */
    Query scoped(org.apache.lucene.search.Query query, Collection<String> endpoints) {
        return scoped(query, endpoints, hidden.get(), hiddenGenerations);
    }

    /**
     * As {@link #scoped(org.apache.lucene.search.Query, Collection)}, leaving out the sources labelled
     * {@code hide} and the endpoints' {@code generations} listed.
     */
    static Query scoped(org.apache.lucene.search.Query query, Collection<String> endpoints, Collection<String> hide,
            Map<String, java.util.Set<Integer>> generations) {
        Query translated = QueryTranslator.translate(query);
        if (endpoints == null && hide.isEmpty() && generations.isEmpty()) return translated;
        return Query.of(q -> q.bool(b -> {
            generations.forEach((endpoint, numbers) -> numbers.forEach(g ->
                    b.mustNot(n -> n.bool(x -> x.filter(endpointIs(endpoint), generationIs(g))))));
            b.filter(translated);
            if (endpoints != null) {
                List<FieldValue> names = endpoints.stream().map(FieldValue::of).toList();
                b.filter(f -> f.terms(t -> t.field(EventMappings.ENDPOINT).terms(v -> v.value(names))));
            }
            if (!hide.isEmpty()) {
                List<FieldValue> labels = hide.stream().map(l -> FieldValue.of(IndexFields.normalize(l))).toList();
                b.mustNot(n -> n.terms(t -> t.field(IndexFields.term(Field.SOURCE)).terms(v -> v.value(labels))));
            }
            return b;
        }));
    }

    private static String routing(Collection<String> endpoints) {
        return endpoints != null && endpoints.size() == 1 ? endpoints.iterator().next() : null;
    }

    /** The exact number of events matching the query (null: all) on the endpoints (null: every endpoint). */
    public long count(Collection<String> endpoints, org.apache.lucene.search.Query query) throws IOException {
        return count(endpoints, scoped(query, endpoints));
    }

    /**
     * A count of the DSL query, routed to one shard for one endpoint. The client's count takes routing
     * as varargs, where a null would be sent as a routing value and count one shard only: so none is set
     * for several endpoints.
     */
    private long count(Collection<String> endpoints, Query query) throws IOException {
        String routing = routing(endpoints);
        return client.count(c -> {
            c.index(alias).query(query);
            if (routing != null) c.routing(routing);
            return c;
        }).count();
    }

    /** The exact number of matching events per endpoint with at least one, by name. */
    public Map<String, Long> countPerEndpoint(Collection<String> endpoints, org.apache.lucene.search.Query query) throws IOException {
        SearchResponse<Void> response = client.search(s -> s.index(alias).size(0).query(scoped(query, endpoints))
                .aggregations("endpoints", a -> a.terms(t -> t.field(EventMappings.ENDPOINT).size(65_536))), Void.class);
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (StringTermsBucket b : response.aggregations().get("endpoints").sterms().buckets().array()) {
            counts.put(b.key(), b.docCount());
        }
        return counts;
    }

    /** A page of one endpoint's matching events newest first, after {@code after} (null: the first page). */
    public List<Event> newestFirst(String endpoint, org.apache.lucene.search.Query query, int limit, PageCursor after) throws IOException {
        SearchRequest.Builder s = new SearchRequest.Builder().index(alias).routing(endpoint).size(limit)
                .query(scoped(query, List.of(endpoint)))
                .sort(o -> o.field(f -> f.field(EventMappings.TS).order(SortOrder.Desc)))
                .sort(o -> o.field(f -> f.field(EventMappings.EVENT_UID_VALUE).order(SortOrder.Asc)));
        if (after != null) s.searchAfter(FieldValue.of(after.ts()), FieldValue.of(after.eventUid()));
        return events(client.search(s.build(), Map.class)).stream().map(HuntHit::event).toList();
    }

    /**
     * A page of the matching events of the endpoints (null: all) newest first, then by uid and endpoint
     * as the local hunt orders them, after {@code after} (null: from the newest).
     */
    public List<HuntHit> hunt(Collection<String> endpoints, org.apache.lucene.search.Query query, int limit, HuntCursor after)
            throws IOException {
        return hunt(endpoints, query, limit, after, false);
    }

    /** As {@link #hunt(Collection, org.apache.lucene.search.Query, int, HuntCursor)}, or oldest first from the cursor on. */
    List<HuntHit> hunt(Collection<String> endpoints, org.apache.lucene.search.Query query, int limit, HuntCursor after,
            boolean oldestFirst) throws IOException {
        SortOrder time = oldestFirst ? SortOrder.Asc : SortOrder.Desc;
        SortOrder ties = oldestFirst ? SortOrder.Desc : SortOrder.Asc;
        SearchRequest.Builder s = new SearchRequest.Builder().index(alias).size(limit).query(scoped(query, endpoints))
                .routing(routing(endpoints))
                .sort(o -> o.field(f -> f.field(EventMappings.TS).order(time)))
                .sort(o -> o.field(f -> f.field(EventMappings.EVENT_UID_VALUE).order(ties)))
                .sort(o -> o.field(f -> f.field(EventMappings.ENDPOINT).order(ties)));
        if (after != null) {
            s.searchAfter(FieldValue.of(after.ts()), FieldValue.of(after.eventUid()), FieldValue.of(after.endpoint()));
        }
        return events(client.search(s.build(), Map.class));
    }

    /**
     * How many matching events of the endpoints sort before the cursor newest first (newer, or as new
     * with a smaller uid, or the same uid on an endpoint sorting first): the position of the cursor's event.
     */
    long countBefore(Collection<String> endpoints, org.apache.lucene.search.Query query, HuntCursor cursor) throws IOException {
        Query newer = Query.of(q -> q.range(r -> r.field(EventMappings.TS).gt(JsonData.of(cursor.ts()))));
        Query sameTs = Query.of(q -> q.term(t -> t.field(EventMappings.TS).value(FieldValue.of(cursor.ts()))));
        Query smallerUid = Query.of(q -> q.range(r -> r.field(EventMappings.EVENT_UID_VALUE).lt(JsonData.of(cursor.eventUid()))));
        Query sameUid = Query.of(q -> q.term(t -> t.field(EventMappings.EVENT_UID_VALUE).value(FieldValue.of(cursor.eventUid()))));
        Query smallerEndpoint = Query.of(q -> q.range(r -> r.field(EventMappings.ENDPOINT).lt(JsonData.of(cursor.endpoint()))));
        // Three conjunctions counted apart rather than one disjunction: simpler for the engine to answer
        // exactly (each is a filter intersection).
        Query scoped = scoped(query, endpoints);
        long before = 0;
        for (List<Query> part : List.of(List.of(scoped, newer), List.of(scoped, sameTs, smallerUid),
                List.of(scoped, sameTs, sameUid, smallerEndpoint))) {
            before += count(endpoints, Query.of(q -> q.bool(b -> b.filter(part))));
        }
        return before;
    }

    @SuppressWarnings("unchecked")
    static List<HuntHit> events(SearchResponse<Map> response) {
        List<HuntHit> hits = new ArrayList<>();
        for (Hit<Map> hit : response.hits().hits()) {
            Map<String, Object> source = hit.source();
            hits.add(new HuntHit((String) source.get(EventMappings.ENDPOINT),
                    EventMappings.event((Map<String, ?>) source.get(EventMappings.VALUES))));
        }
        return hits;
    }

    /**
     * Counts per type and per {@code type/operation} of one endpoint's matching events, most first, as
     * the local distribution: the terms aggregations are exact here (one shard holds the endpoint).
     */
    public Distribution distribution(String endpoint, org.apache.lucene.search.Query query) throws IOException {
        return distribution(endpoint, scoped(query, List.of(endpoint)));
    }

    /** As {@link #distribution(String, org.apache.lucene.search.Query)}, of the events the DSL query matches. */
    Distribution distribution(String endpoint, Query scoped) throws IOException {
        String type = IndexFields.term(Field.TYPE);
        String operation = IndexFields.term(Field.OPERATION);
        SearchResponse<Void> response = client.search(s -> s.index(alias).routing(endpoint).size(0)
                .trackTotalHits(t -> t.enabled(true))
                .query(scoped)
                .aggregations("types", a -> a.terms(t -> t.field(type).size(10_000))
                        .aggregations("operations", o -> o.terms(t -> t.field(operation).size(10_000)))), Void.class);
        Map<String, Long> types = new LinkedHashMap<>();
        Map<String, Long> operations = new java.util.HashMap<>();
        for (StringTermsBucket t : response.aggregations().get("types").sterms().buckets().array()) {
            types.put(t.key(), t.docCount());
            for (StringTermsBucket o : t.aggregations().get("operations").sterms().buckets().array()) {
                operations.put(t.key() + "/" + o.key(), o.docCount());
            }
        }
        return new Distribution(response.hits().total().value(), byCountDescending(types), byCountDescending(operations));
    }

    static Map<String, Long> byCountDescending(Map<String, Long> counts) {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * The endpoint's matching events per bucket of time, as the local index counts them ({@link trailhound.index.Histogram}: at
     * most 120 aligned buckets over [from, to), or the matching events' own span when either is null).
     */
    public trailhound.index.Histogram histogram(String endpoint, org.apache.lucene.search.Query query) throws IOException {
        return histogram(endpoint, q -> scoped(q, List.of(endpoint)), query, null, null);
    }

    /** As {@link #histogram(String, org.apache.lucene.search.Query)}, the Lucene query made a DSL one by {@code scope}. */
    trailhound.index.Histogram histogram(String endpoint, java.util.function.Function<org.apache.lucene.search.Query, Query> scope,
            org.apache.lucene.search.Query query, Long from, Long to) throws IOException {
        if (from != null && to != null && from >= to) {
            throw new IllegalArgumentException("from must be before to, was [" + from + ", " + to + ")");
        }
        org.apache.lucene.search.Query window = org.apache.lucene.document.LongPoint.newRangeQuery(EventMappings.TS,
                from == null ? Long.MIN_VALUE : from, to == null ? Long.MAX_VALUE : to - 1);
        org.apache.lucene.search.Query both = query == null ? window : new org.apache.lucene.search.BooleanQuery.Builder()
                .add(query, org.apache.lucene.search.BooleanClause.Occur.FILTER)
                .add(window, org.apache.lucene.search.BooleanClause.Occur.FILTER).build();
        long[] edges = from != null && to != null ? null : edges(endpoint, scope.apply(both));
        if (edges == null && (from == null || to == null)) return new trailhound.index.Histogram(from, to, 0, List.of(), 0);
        long start = from == null ? edges[0] : from;
        long end = to == null ? edges[1] + 1 : to;
        long size = trailhound.index.Histogram.bucketMillis(start, end);
        SearchResponse<Void> response = client.search(s -> s.index(alias).routing(endpoint).size(0)
                .query(scope.apply(both))
                .aggregations("t", a -> a.histogram(h -> h.field(EventMappings.TS).interval((double) size).minDocCount(0))),
                Void.class);
        Map<Long, Long> counts = new java.util.HashMap<>();
        long total = 0;
        for (org.opensearch.client.opensearch._types.aggregations.HistogramBucket b : response.aggregations().get("t").histogram().buckets().array()) {
            counts.put((long) b.key(), b.docCount());
            total += b.docCount();
        }
        List<trailhound.index.Histogram.Bucket> buckets = new ArrayList<>();
        for (long b = Math.floorDiv(start, size) * size; b < end; b += size) {
            buckets.add(new trailhound.index.Histogram.Bucket(b, b + size, counts.getOrDefault(b, 0L)));
        }
        return new trailhound.index.Histogram(start, end, size, buckets, total);
    }

    /** Oldest and newest time of the endpoint's events the DSL query matches, or null when none match. */
    long[] edges(String endpoint, Query scoped) throws IOException {
        SearchResponse<Void> r = client.search(s -> s.index(alias).routing(endpoint).size(0)
                .query(scoped)
                .aggregations("min", a -> a.min(m -> m.field(EventMappings.TS)))
                .aggregations("max", a -> a.max(m -> m.field(EventMappings.TS))), Void.class);
        Double min = r.aggregations().get("min").min().value();
        Double max = r.aggregations().get("max").max().value();
        if (min == null || max == null || min.isInfinite()) return null;
        return new long[] {min.longValue(), max.longValue()};
    }

    /** The first {@code limit} events of the process by time (then uid), as the process page's history. */
    public List<Event> processHistory(String endpoint, String processKey, int limit) throws IOException {
        Query ofProcess = Query.of(q -> q.term(t -> t.field(IndexFields.term(Field.PROCESS_KEY))
                .value(FieldValue.of(IndexFields.normalize(processKey)))));
        SearchRequest request = new SearchRequest.Builder().index(alias).routing(endpoint).size(limit)
                .query(q -> q.bool(b -> b.filter(ofProcess, endpointIs(endpoint))))
                .sort(o -> o.field(f -> f.field(EventMappings.TS).order(SortOrder.Asc)))
                .sort(o -> o.field(f -> f.field(EventMappings.EVENT_UID_VALUE).order(SortOrder.Asc)))
                .build();
        return events(client.search(request, Map.class)).stream().map(HuntHit::event).toList();
    }

    /** The distinct process keys (normalised, sorted) of the events whose parent is {@code parentKey}. */
    public List<String> childKeys(String endpoint, String parentKey) throws IOException {
        Query ofParent = Query.of(q -> q.term(t -> t.field(IndexFields.term(Field.PARENT_KEY))
                .value(FieldValue.of(IndexFields.normalize(parentKey)))));
        SearchResponse<Void> response = client.search(s -> s.index(alias).routing(endpoint).size(0)
                .query(q -> q.bool(b -> b.filter(ofParent, endpointIs(endpoint))))
                .aggregations("children", a -> a.terms(t -> t.field(IndexFields.term(Field.PROCESS_KEY)).size(65_536))), Void.class);
        return response.aggregations().get("children").sterms().buckets().array().stream()
                .map(StringTermsBucket::key).sorted().toList();
    }

    static Query endpointIs(String endpoint) {
        return Query.of(q -> q.term(t -> t.field(EventMappings.ENDPOINT).value(FieldValue.of(endpoint))));
    }

    /** The events of a generation: generation 0's documents have no generation field. */
    static Query generationIs(int generation) {
        if (generation == 0) return Query.of(q -> q.bool(b -> b.mustNot(n -> n.exists(e -> e.field(EventMappings.GENERATION)))));
        return Query.of(q -> q.term(t -> t.field(EventMappings.GENERATION).value(FieldValue.of(Integer.toString(generation)))));
    }

    /** The generations of the endpoint's events that no query of its current events sees. */
    Map<String, java.util.Set<Integer>> hiddenGenerations() {
        return hiddenGenerations;
    }

    /** Sets the endpoint's hidden generations (empty: none), for every search at once. */
    synchronized void hideGenerations(String endpoint, java.util.Set<Integer> generations) {
        Map<String, java.util.Set<Integer>> next = new java.util.HashMap<>(hiddenGenerations);
        if (generations.isEmpty()) next.remove(endpoint); else next.put(endpoint, java.util.Set.copyOf(generations));
        hiddenGenerations = Map.copyOf(next);
    }

    /**
     * The generations each endpoint's events are in now, by a terms aggregation (generation 0 for the
     * documents without the field): more than one only while or after a re-index.
     */
    Map<String, java.util.Set<Integer>> generations() throws IOException {
        SearchResponse<Void> r = client.search(s -> s.index(alias).size(0)
                .aggregations("e", a -> a.terms(t -> t.field(EventMappings.ENDPOINT).size(65_536))
                        .aggregations("g", x -> x.terms(t -> t.field(EventMappings.GENERATION).missing(FieldValue.of("0")).size(100)))),
                Void.class);
        Map<String, java.util.Set<Integer>> out = new java.util.TreeMap<>();
        for (StringTermsBucket e : r.aggregations().get("e").sterms().buckets().array()) {
            java.util.Set<Integer> found = new java.util.TreeSet<>();
            for (StringTermsBucket g : e.aggregations().get("g").sterms().buckets().array()) found.add(Integer.parseInt(g.key()));
            out.put(e.key(), found);
        }
        return out;
    }

    /** Removes every event of the endpoint (and makes that visible). */
    public void deleteEndpoint(String endpoint) throws IOException {
        deleteWhere(endpoint, Query.of(q -> q.matchAll(m -> m)));
    }

    /**
     * Removes the endpoint's events matching the DSL query, refreshes, and returns how many went. By
     * ids read in pages and bulk deletes, not {@code _delete_by_query}: that one lives in OpenSearch's
     * reindex module, which a cluster may leave out (the test node does).
     */
    long deleteWhere(String endpoint, Query query) throws IOException {
        Query only = endpointIs(endpoint);
        Query both = Query.of(q -> q.bool(b -> b.filter(only, query)));
        long deleted = 0;
        while (true) {
            SearchResponse<Void> page = client.search(s -> s.index(alias).routing(endpoint).size(BULK).source(x -> x.fetch(false))
                    .query(both), Void.class);
            if (page.hits().hits().isEmpty()) break;
            BulkRequest.Builder request = new BulkRequest.Builder();
            for (Hit<Void> hit : page.hits().hits()) {
                String index = hit.index();
                String id = hit.id();
                request.operations(op -> op.delete(d -> d.index(index).id(id).routing(endpoint)));
            }
            BulkResponse response = client.bulk(request.refresh(org.opensearch.client.opensearch._types.Refresh.True).build());
            for (BulkResponseItem item : response.items()) {
                if (item.error() != null && item.status() != 404) {
                    throw new IOException("OpenSearch refused to delete event " + item.id() + " of " + endpoint + ": "
                            + item.error().type() + ": " + item.error().reason());
                }
                deleted++;
            }
        }
        return deleted;
    }

    /** Removes the alias and every index behind it (tests, and a purge of the whole backend). */
    public void deleteAll() throws IOException {
        send("DELETE", "/" + alias + "-*", null);
    }

    /** The mapped fields of the index, as OpenSearch reports them (for the field-count check). */
    public String mappingJson() throws IOException {
        return send("GET", "/" + alias + "/_mapping", null);
    }

    @Override
    public void close() throws IOException {
        try {
            client._transport().close();
        } catch (Exception e) {
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }
}
