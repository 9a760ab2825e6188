package trailhound.opensearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import trailhound.index.HuntHit;
import trailhound.index.ProcessFacts;
import trailhound.index.ProcessInfo;
import trailhound.query.IndexFields;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * One endpoint's process facts on the opensearch backend, for ProcessGraph (which builds the view and
 * tree as on the local backend). Each answer is one request on the endpoint's shard: the oldest
 * process/start, process/end and any event of each process by field collapsing on process_key (sorted
 * by ts, event_uid: the first hit of each key is its oldest), children and counts by terms
 * aggregations on the keyword fields, which are exact on one shard. Hints are not used: a hit is
 * looked up by key. At most 65,536 children per parent (the aggregation's size), as the local
 * backend's memo is bounded too.
 */
final class OpenSearchProcessFacts implements ProcessFacts {
    private static final int MAX_CHILDREN = 65_536;

    private final OpenSearchEvents events;
    private final String endpoint;
    private final Function<Query, org.opensearch.client.opensearch._types.query_dsl.Query> scope;

    /** {@code scope}: a query limited to the events this endpoint's searches may see. */
    OpenSearchProcessFacts(OpenSearchEvents events, String endpoint, Function<Query, org.opensearch.client.opensearch._types.query_dsl.Query> scope) {
        this.events = events;
        this.endpoint = endpoint;
        this.scope = scope;
    }

    @Override
    public long events(String key) throws IOException {
        return events.client().count(c -> c.index(events.alias()).routing(endpoint).query(scope.apply(term(Field.PROCESS_KEY, key)))).count();
    }

    @Override
    public List<Event> oldest(String key, int limit) throws IOException {
        return oldestFirst(term(Field.PROCESS_KEY, key), limit, false);
    }

    @Override
    public Map<String, ProcessInfo> describe(Map<String, Integer> keys) throws IOException {
        Map<String, ProcessInfo> out = new LinkedHashMap<>();
        if (keys.isEmpty()) return out;
        Query ofKeys = keys(keys.keySet());
        Map<String, Event> starts = byKey(oldestFirst(lifecycle(ofKeys, "start"), keys.size(), true));
        Map<String, Event> ends = byKey(oldestFirst(lifecycle(ofKeys, "end"), keys.size(), true));
        List<String> without = keys.keySet().stream().filter(k -> !starts.containsKey(k)).toList();
        Map<String, Event> any = without.isEmpty() ? Map.of() : byKey(oldestFirst(keys(without), without.size(), true));
        for (String k : keys.keySet()) {
            Event described = starts.containsKey(k) ? starts.get(k) : any.get(k);
            if (described == null) continue;
            Event start = starts.get(k);
            Event end = ends.get(k);
            out.put(k, ProcessInfo.of(described, start == null ? null : start.ts(), end == null ? null : end.ts()));
        }
        return out;
    }

    @Override
    public NavigableMap<String, Integer> childKeys(String parentKey) throws IOException {
        String field = IndexFields.term(Field.PROCESS_KEY);
        SearchResponse<Void> r = events.client().search(s -> s.index(events.alias()).routing(endpoint).size(0)
                .query(scope.apply(term(Field.PARENT_KEY, parentKey)))
                .aggregations("k", a -> a.terms(t -> t.field(field).size(MAX_CHILDREN))), Void.class);
        NavigableMap<String, Integer> out = new TreeMap<>();
        for (StringTermsBucket b : r.aggregations().get("k").sterms().buckets().array()) out.put(b.key(), null);
        return out;
    }

    @Override
    public Map<String, Map<String, Long>> typeCounts(Collection<String> keys) throws IOException {
        Map<String, Map<String, Long>> out = new HashMap<>();
        if (keys.isEmpty()) return out;
        SearchResponse<Void> r = events.client().search(s -> s.index(events.alias()).routing(endpoint).size(0)
                .query(scope.apply(keys(keys)))
                .aggregations("k", a -> a.terms(t -> t.field(IndexFields.term(Field.PROCESS_KEY)).size(keys.size()))
                        .aggregations("t", x -> x.terms(t -> t.field(IndexFields.term(Field.TYPE)).size(100)))), Void.class);
        for (StringTermsBucket b : r.aggregations().get("k").sterms().buckets().array()) {
            Map<String, Long> byType = new HashMap<>();
            for (StringTermsBucket t : b.aggregations().get("t").sterms().buckets().array()) byType.put(t.key(), t.docCount());
            out.put(b.key(), byType);
        }
        return out;
    }

    /** The oldest matches by (ts, event_uid); with {@code perKey}, only the oldest of each process. */
    private List<Event> oldestFirst(Query query, int limit, boolean perKey) throws IOException {
        SearchRequest.Builder s = new SearchRequest.Builder().index(events.alias()).routing(endpoint).size(limit)
                .query(scope.apply(query))
                .sort(o -> o.field(f -> f.field(EventMappings.TS).order(SortOrder.Asc)))
                .sort(o -> o.field(f -> f.field(EventMappings.EVENT_UID_VALUE).order(SortOrder.Asc)));
        if (perKey) s.collapse(c -> c.field(IndexFields.term(Field.PROCESS_KEY)));
        return OpenSearchEvents.events(events.client().search(s.build(), Map.class)).stream().map(HuntHit::event).toList();
    }

    private static Map<String, Event> byKey(List<Event> found) {
        Map<String, Event> out = new HashMap<>();
        for (Event e : found) out.putIfAbsent(IndexFields.normalize(e.get(Field.PROCESS_KEY)), e);
        return out;
    }

    private static Query lifecycle(Query ofKeys, String operation) {
        return new BooleanQuery.Builder()
                .add(ofKeys, Occur.FILTER)
                .add(term(Field.TYPE, "process"), Occur.FILTER)
                .add(term(Field.OPERATION, operation), Occur.FILTER)
                .build();
    }

    private static Query keys(Collection<String> keys) {
        List<BytesRef> terms = new ArrayList<>(keys.size());
        for (String k : keys) terms.add(new BytesRef(k));
        return new TermInSetQuery(IndexFields.term(Field.PROCESS_KEY), terms);
    }

    private static Query term(Field f, String normalized) {
        return new TermQuery(new Term(IndexFields.term(f), normalized));
    }
}
