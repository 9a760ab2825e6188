package trailhound.opensearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import org.apache.lucene.search.Query;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import trailhound.index.Distribution;
import trailhound.index.EventIndex;
import trailhound.index.EventPage;
import trailhound.index.EventSort;
import trailhound.index.Histogram;
import trailhound.index.HuntHit;
import trailhound.index.IndexStats;
import trailhound.index.PageCursor;
import trailhound.index.ProcessBranch;
import trailhound.index.ProcessGraph;
import trailhound.index.ProcessMatches;
import trailhound.index.ProcessNode;
import trailhound.index.ProcessView;
import trailhound.index.SourceProgress;
import trailhound.index.TermCount;
import trailhound.query.IndexFields;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;

/*
 * One endpoint's events on the opensearch backend: the shared index filtered and routed by endpoint.
 * Source states as in EndpointIndex: an unfinished source's events are left out of every query unless
 * it is being ingested now (then searches show them, partial, and the endpoint's own counts do not);
 * unfinished sources and checkpoints are saved in the backend's state index on commit.
 */
final class OpenSearchEndpointIndex implements EventIndex {
    private final OpenSearchBackend backend;
    private final OpenSearchEvents events;
    private final String endpoint;
    private final List<String> only;
    private final ConcurrentSkipListMap<String, String> unfinished = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, Ingesting> ingesting = new ConcurrentHashMap<>();

    /** The generation of the endpoint's events this index reads and writes (a re-index's publish moves it on). */
    private volatile int generation;
    /** A re-index's new generation: it sees only its own events, and its source states are saved on publish. */
    private final boolean rebuilding;

    private record Ingesting(LongSupplier events, long expected) {}

    /** The endpoint's current events, in {@code generation}. */
    OpenSearchEndpointIndex(OpenSearchBackend backend, OpenSearchEvents events, String endpoint, Map<String, String> unfinished,
            int generation) {
        this(backend, events, endpoint, unfinished, generation, false);
    }

    private OpenSearchEndpointIndex(OpenSearchBackend backend, OpenSearchEvents events, String endpoint, Map<String, String> unfinished,
            int generation, boolean rebuilding) {
        this.backend = backend;
        this.events = events;
        this.endpoint = endpoint;
        this.only = List.of(endpoint);
        this.unfinished.putAll(unfinished);
        this.generation = generation;
        this.rebuilding = rebuilding;
    }

    /** A re-index's new, empty generation of the endpoint's events, seen only through the index answered. */
    static OpenSearchEndpointIndex rebuilding(OpenSearchBackend backend, OpenSearchEvents events, String endpoint, int generation) {
        return new OpenSearchEndpointIndex(backend, events, endpoint, Map.of(), generation, true);
    }

    int generation() {
        return generation;
    }

    /** Source states as saved: label to checkpoint ("" when none). */
    Map<String, String> unfinished() {
        return Map.copyOf(unfinished);
    }

    /** Makes a published re-index's generation and source states this index's. */
    void publish(int newGeneration, Map<String, String> states) {
        unfinished.clear();
        unfinished.putAll(states);
        generation = newGeneration;
    }

    /** Labels to leave out: unfinished sources, except (withPartial) those being ingested now. */
    Collection<String> hidden(boolean withPartial) {
        return unfinished.keySet().stream().filter(l -> !withPartial || !ingesting.containsKey(l)).toList();
    }

    private org.opensearch.client.opensearch._types.query_dsl.Query prepare(Query query, boolean withPartial) {
        return scope(OpenSearchEvents.scoped(query, only, hidden(withPartial), rebuilding ? Map.of() : events.hiddenGenerations()));
    }

    /** The DSL query limited to this index's generation when it is a re-index's (the current one hides the others). */
    private org.opensearch.client.opensearch._types.query_dsl.Query scope(org.opensearch.client.opensearch._types.query_dsl.Query q) {
        if (!rebuilding) return q;
        return org.opensearch.client.opensearch._types.query_dsl.Query.of(x -> x.bool(b -> b.filter(q, OpenSearchEvents.generationIs(generation))));
    }

    /** Deletes this index's events matching the DSL query (only its generation's). */
    private long deleteWhere(org.opensearch.client.opensearch._types.query_dsl.Query q) throws IOException {
        return events.deleteWhere(endpoint, org.opensearch.client.opensearch._types.query_dsl.Query.of(x -> x.bool(
                b -> b.filter(q, OpenSearchEvents.generationIs(generation)))));
    }

    @Override
    public boolean add(Event event) throws IOException {
        return addAll(List.of(event)) > 0;
    }

    @Override
    public long addAll(Iterable<Event> batch) throws IOException {
        return events.addAll(endpoint, generation, batch);
    }

    @Override
    public boolean prefersBatches() {
        return true;
    }

    @Override
    public boolean[] addEach(List<Event> batch) throws IOException {
        return events.addEach(endpoint, generation, batch);
    }

    @Override
    public long countSource(String source) throws IOException {
        return events.client().count(c -> c.index(events.alias()).routing(endpoint)
                .query(scope(OpenSearchEvents.scoped(sourceIs(source), only, List.of(), rebuilding ? Map.of() : events.hiddenGenerations()))))
                .count();
    }

    private static Query sourceIs(String source) {
        return new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(IndexFields.term(Field.SOURCE),
                IndexFields.normalize(source)));
    }

    @Override
    public void deleteSource(String source) throws IOException {
        deleteWhere(QueryTranslator.translate(sourceIs(source)));
        unfinished.remove(source);
        ingesting.remove(source);
        commit();
    }

    @Override
    public Long cutoffForMaxEvents(long maxEvents) throws IOException {
        if (count(null) <= maxEvents) return null;
        IndexStats stats = stats();
        long lo = stats.firstTs();
        long hi = stats.lastTs() + 1; // at or after hi: none, at most maxEvents
        while (lo < hi) { // smallest t with count(ts >= t) <= maxEvents
            long mid = lo + (hi - lo) / 2;
            if (countFrom(mid) <= maxEvents) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private long countFrom(long ts) throws IOException {
        return count(org.apache.lucene.document.LongPoint.newRangeQuery(EventMappings.TS, ts, Long.MAX_VALUE));
    }

    @Override
    public long deleteOlderThan(long cutoffTs) throws IOException {
        return deleteWhere(org.opensearch.client.opensearch._types.query_dsl.Query.of(q -> q.range(
                r -> r.field(EventMappings.TS).lt(JsonData.of(cutoffTs)))));
    }

    @Override
    public void commit() throws IOException {
        if (!rebuilding) backend.saveState(endpoint, Map.copyOf(unfinished), generation); // a re-index's on publish
        refresh();
    }

    @Override
    public void checkpoint(String label, String position) throws IOException {
        unfinished.put(label, position);
        commit();
    }

    @Override
    public Optional<String> checkpointOf(String label) {
        return Optional.ofNullable(unfinished.get(label)).filter(p -> !p.isEmpty());
    }

    @Override
    public void startSource(String label, LongSupplier events, long expected) {
        unfinished.putIfAbsent(label, "");
        ingesting.put(label, new Ingesting(events, expected));
    }

    @Override
    public void stopIngesting(String label) {
        ingesting.remove(label);
    }

    @Override
    public List<SourceProgress> ingesting() {
        return ingesting.entrySet().stream()
                .map(e -> new SourceProgress(e.getKey(), e.getValue().events().getAsLong(), e.getValue().expected()))
                .sorted(Comparator.comparing(SourceProgress::source)).toList();
    }

    @Override
    public void finishSource(String label) {
        unfinished.remove(label);
        ingesting.remove(label);
    }

    @Override
    public void refresh() throws IOException {
        events.refresh();
    }

    @Override
    public long count(Query query) throws IOException {
        return events.client().count(c -> c.index(events.alias()).routing(endpoint).query(prepare(query, true))).count();
    }

    @Override
    public EventPage search(Query query, int limit, PageCursor after) throws IOException {
        // one more than asked: whether a next page exists, exactly
        SearchRequest.Builder s = request(query, limit + 1).sort(sort(EventSort.NEWEST_FIRST));
        if (after != null) s.searchAfter(FieldValue.of(after.ts()), FieldValue.of(after.eventUid()));
        List<Event> found = hits(s);
        List<Event> page = found.subList(0, Math.min(limit, found.size()));
        long total = count(query);
        Event last = page.isEmpty() ? null : page.getLast();
        PageCursor next = found.size() > limit ? new PageCursor(last.ts(), last.uid()) : null;
        return new EventPage(page, total, next, ingesting());
    }

    private SearchRequest.Builder request(Query query, int limit) {
        return new SearchRequest.Builder().index(events.alias()).routing(endpoint).size(limit).query(prepare(query, true));
    }

    private List<Event> hits(SearchRequest.Builder s) throws IOException {
        return OpenSearchEvents.events(events.client().search(s.build(), Map.class)).stream().map(HuntHit::event).toList();
    }

    /**
     * The order of a page as OpenSearch sort keys: the field (missing values last either way), then
     * newest first and event_uid, as EventSort's total order; for ts the field is the time itself.
     */
    static List<SortOptions> sort(EventSort order) {
        SortOrder direction = order.descending() ? SortOrder.Desc : SortOrder.Asc;
        List<SortOptions> keys = new ArrayList<>();
        Field f = order.field();
        if (f == Field.TS) {
            keys.add(SortOptions.of(o -> o.field(x -> x.field(EventMappings.TS).order(direction))));
            keys.add(SortOptions.of(o -> o.field(x -> x.field(EventMappings.EVENT_UID_VALUE)
                    .order(order.descending() ? SortOrder.Asc : SortOrder.Desc))));
            return keys;
        }
        String name = f.kind() == FieldKind.NUMBER ? EventMappings.point(f)
                : f == Field.EVENT_UID ? EventMappings.EVENT_UID_VALUE : IndexFields.term(f);
        keys.add(SortOptions.of(o -> o.field(x -> x.field(name).order(direction).missing(FieldValue.of("_last")))));
        if (f == Field.TYPE) {
            keys.add(SortOptions.of(o -> o.field(x -> x.field(IndexFields.term(Field.OPERATION)).order(direction)
                    .missing(FieldValue.of("_last")))));
        }
        keys.add(SortOptions.of(o -> o.field(x -> x.field(EventMappings.TS).order(SortOrder.Desc))));
        keys.add(SortOptions.of(o -> o.field(x -> x.field(EventMappings.EVENT_UID_VALUE).order(SortOrder.Asc))));
        return keys;
    }

    @Override
    public EventPage page(Query query, EventSort sort, int offset, int limit) throws IOException {
        if (limit < 1 || offset < 0 || (long) offset + limit > EventSort.MAX_DEPTH) {
            throw new IllegalArgumentException("a page is 1 or more events from offset 0 or more, at most "
                    + EventSort.MAX_DEPTH + " deep; was offset " + offset + ", limit " + limit);
        }
        List<Event> page = hits(request(query, limit).from(offset).sort(sort(sort)));
        long total = count(query);
        PageCursor next = null;
        if (sort.equals(EventSort.NEWEST_FIRST) && offset + page.size() < total && !page.isEmpty()) {
            next = new PageCursor(page.getLast().ts(), page.getLast().uid());
        }
        return new EventPage(page, total, next, ingesting());
    }

    /**
     * Pages of 1,000 by {@code search_after} in a point in time opened for the export (kept 5 minutes
     * between pages, closed at the end), so that events added or deleted while it runs neither appear
     * in it nor shift its pages, as a local export reads one searcher.
     */
    @Override
    public long export(Query query, EventSort sort, long max, EventSink sink) throws IOException {
        if (max < 0) throw new IllegalArgumentException("max must not be negative, was " + max);
        List<SortOptions> keys = sort(sort);
        var scoped = prepare(query, true);
        String pit = events.client().createPit(p -> p.index(events.alias()).routing(List.of(endpoint))
                .keepAlive(t -> t.time(PIT_KEEP_ALIVE))).pitId();
        try {
            long handed = 0;
            List<FieldValue> after = null;
            while (handed < max) {
                int size = (int) Math.min(1_000, max - handed);
                SearchRequest.Builder s = new SearchRequest.Builder().size(size).query(scoped).sort(keys)
                        .pit(new org.opensearch.client.opensearch.core.search.Pit.Builder().id(pit).keepAlive(PIT_KEEP_ALIVE).build());
                if (after != null) s.searchAfter(after);
                SearchResponse<Map> response = events.client().search(s.build(), Map.class);
                var hits = response.hits().hits();
                if (hits.isEmpty()) break;
                for (HuntHit hit : OpenSearchEvents.events(response)) {
                    sink.accept(hit.event());
                    handed++;
                }
                after = hits.getLast().sort();
                if (hits.size() < size) break;
            }
            return handed;
        } finally {
            events.client().deletePit(d -> d.pitId(pit));
        }
    }

    /** How long an export's point in time is kept between two pages (a slow sink, a spreadsheet's row). */
    private static final String PIT_KEEP_ALIVE = "5m";

    @Override
    public Distribution distribution(Query query) throws IOException {
        return events.distribution(endpoint, prepare(query, true));
    }

    @Override
    public Histogram histogram(Query query, Long from, Long to) throws IOException {
        return events.histogram(endpoint, q -> prepare(q, true), query, from, to);
    }

    @Override
    public ProcessMatches processesMatching(Query query, int limit) throws IOException {
        if (limit < 0) throw new IllegalArgumentException("limit must not be negative, was " + limit);
        SearchResponse<Void> r = events.client().search(s -> s.index(events.alias()).routing(endpoint).size(0)
                .query(prepare(query, true))
                .aggregations("p", a -> a.terms(t -> t.field(IndexFields.term(Field.PROCESS_KEY)).size(65_536))
                        .aggregations("first", x -> x.min(m -> m.field(EventMappings.TS)))
                        .aggregations("last", x -> x.max(m -> m.field(EventMappings.TS)))), Void.class);
        List<ProcessMatches.Match> all = new ArrayList<>();
        for (StringTermsBucket b : r.aggregations().get("p").sterms().buckets().array()) {
            all.add(new ProcessMatches.Match(b.key(), b.docCount(), b.aggregations().get("first").min().value().longValue(),
                    b.aggregations().get("last").max().value().longValue()));
        }
        all.sort(Comparator.comparingLong(ProcessMatches.Match::lastTs).reversed().thenComparing(ProcessMatches.Match::processKey));
        return new ProcessMatches(all.size(), List.copyOf(all.subList(0, Math.min(limit, all.size()))));
    }

    @Override
    public Optional<ProcessView> process(String processKey, int historyLimit) throws IOException {
        return process(processKey, historyLimit, Integer.MAX_VALUE);
    }

    @Override
    public Optional<ProcessView> process(String processKey, int historyLimit, int relatives) throws IOException {
        return graph().view(processKey, historyLimit, relatives);
    }

    @Override
    public List<ProcessNode> ancestry(String processKey) throws IOException {
        return graph().ancestry(processKey);
    }

    @Override
    public ProcessBranch children(String parentKey, int offset, int limit, String exclude, int levels, int budget) throws IOException {
        return graph().children(parentKey, offset, limit, exclude, levels, budget);
    }

    private ProcessGraph graph() {
        return new ProcessGraph(new OpenSearchProcessFacts(events, endpoint, q -> prepare(q, true)));
    }

    @Override
    public List<TermCount> suggest(Field field, String prefix, int limit) throws IOException {
        if (field.kind() == FieldKind.TIME) throw new IllegalArgumentException("field '" + field + "' has no values to suggest, only ranges");
        if (limit < 1 || limit > MAX_SUGGESTIONS) throw new IllegalArgumentException("limit must be 1 to " + MAX_SUGGESTIONS + ", was " + limit);
        if (prefix.length() > MAX_SUGGEST_PREFIX) throw new IllegalArgumentException("prefix longer than " + MAX_SUGGEST_PREFIX);
        String lower = IndexFields.lower(prefix);
        SearchResponse<Void> r = events.client().search(s -> s.index(events.alias()).routing(endpoint).size(0)
                .query(prepare(new org.apache.lucene.search.PrefixQuery(
                        new org.apache.lucene.index.Term(IndexFields.term(field), lower)), true))
                .aggregations("v", a -> a.terms(t -> t.field(IndexFields.term(field)).size(limit))), Void.class);
        List<TermCount> out = new ArrayList<>();
        for (StringTermsBucket b : r.aggregations().get("v").sterms().buckets().array()) {
            if (b.key().startsWith(lower)) out.add(new TermCount(b.key(), b.docCount()));
        }
        out.sort(Comparator.comparingLong(TermCount::count).reversed().thenComparing(TermCount::term));
        return out;
    }

    @Override
    public IndexStats stats() throws IOException {
        long n = events.client().count(c -> c.index(events.alias()).routing(endpoint).query(prepare(null, false))).count();
        long[] edges = n == 0 ? null : events.edges(endpoint, prepare(null, true));
        return new IndexStats(n, edges == null ? null : edges[0], edges == null ? null : edges[1], 0);
    }
}
