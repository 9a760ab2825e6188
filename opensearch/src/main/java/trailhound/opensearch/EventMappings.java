package trailhound.opensearch;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import trailhound.index.IndexedValues;
import trailhound.query.IndexFields;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;

/*
 * The OpenSearch fields behind each canonical field, built from the schema, and an event's document.
 *
 * The local engine's semantics follow from what it indexes, so the documents hold the same values in
 * the same forms, computed by the same code (IndexFields, IndexedValues), rather than leaving the
 * lower-casing and parsing to OpenSearch's analyzers, whose rules differ at the edges (Unicode case
 * folding, long values, what counts as an address):
 *
 *  - <name>       keyword: the term, IndexFields.normalize(value) (lower case, a long value cut and
 *                 hashed): equals, starts-with (prefix), keyword ranges, exists, terms aggregations.
 *                 Every kind but TIME, as locally (NUMBER: the decimal text; IP: the text as written).
 *  - <name>$w     wildcard field type, KEYWORD fields only: the whole value lower-cased. Contains,
 *                 ends-with, globs and regexes, which the local engine answers from its trigram value
 *                 dictionary verified against the whole value; the wildcard type is the same design
 *                 (an n-gram index narrowing candidates, verified against the stored value), so no
 *                 leading-wildcard scan of a term dictionary, and the same answers.
 *  - <name>$p     long (NUMBER, when the text is a whole number; ts always) or ip (IP, when the text is
 *                 an address literal): equals, ranges, CIDR as an address range, as LongPoint and
 *                 InetAddressPoint locally. ts is a long, not a date: the query language's bounds are
 *                 already epoch milliseconds, and a date field refuses the open bounds' extremes.
 *  - event_uid$v  keyword, the uid as given: the tie-break of the newest-first order (as locally).
 *  - endpoint$v   keyword, the catalogue's endpoint name the event was indexed under (the shared
 *                 index's routing key and the per-endpoint filter; docs/decisions.md).
 *  - e            object, not indexed: the event's values as given, for display and exports.
 *
 * The mapping is strict (dynamic: strict): a document with any other field is refused, so the index
 * never grows fields (Timesketch's field-limit trouble), about 110 mapped fields whatever the data.
 */
final class EventMappings {
    static final String EVENT_UID_VALUE = "event_uid$v";
    static final String ENDPOINT = "endpoint$v";
    /**
     * The generation of the endpoint's events the document belongs to (a re-index writes the next one
     * beside the current); absent for generation 0, so documents written before re-index existed are
     * generation 0 as they are.
     */
    static final String GENERATION = "generation$v";
    static final String VALUES = "e";
    static final String TS = IndexFields.point(Field.TS);

    private EventMappings() {}

    static String term(Field f) {
        return IndexFields.term(f);
    }

    static String wildcard(Field f) {
        return f.canonicalName() + "$w";
    }

    static String point(Field f) {
        return IndexFields.point(f);
    }

    /** The index mapping, as the JSON object under "mappings". */
    static Map<String, Object> mapping() {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Field f : Field.all()) {
            if (f.kind() != FieldKind.TIME) {
                properties.put(term(f), Map.of("type", "keyword"));
            }
            switch (f.kind()) {
                case KEYWORD -> properties.put(wildcard(f), Map.of("type", "wildcard"));
                case NUMBER, TIME -> properties.put(point(f), Map.of("type", "long"));
                case IP -> properties.put(point(f), Map.of("type", "ip"));
                case ID -> { }
            }
        }
        properties.put(EVENT_UID_VALUE, Map.of("type", "keyword"));
        properties.put(ENDPOINT, Map.of("type", "keyword"));
        properties.put(GENERATION, Map.of("type", "keyword"));
        properties.put(VALUES, Map.of("type", "object", "enabled", false));
        return Map.of("dynamic", "strict", "properties", properties);
    }

    /** The event's document, indexed under {@code endpoint} in its events' {@code generation}. */
    static Map<String, Object> document(String endpoint, int generation, Event event) {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (Field f : Field.all()) {
            String value = event.get(f);
            if (value == null) continue;
            values.put(f.canonicalName(), value);
            if (f.kind() != FieldKind.TIME) {
                doc.put(term(f), IndexFields.normalize(value));
            }
            switch (f.kind()) {
                case KEYWORD -> doc.put(wildcard(f), IndexFields.lower(value));
                case TIME -> doc.put(point(f), event.ts());
                case NUMBER -> {
                    Long n = IndexedValues.parseLong(value);
                    if (n != null) doc.put(point(f), n);
                }
                case IP -> {
                    InetAddress address = IndexedValues.parseIp(value);
                    if (address != null) doc.put(point(f), address.getHostAddress());
                }
                case ID -> { }
            }
        }
        doc.put(EVENT_UID_VALUE, event.uid());
        doc.put(ENDPOINT, endpoint);
        if (generation != 0) doc.put(GENERATION, Integer.toString(generation));
        doc.put(VALUES, values);
        return doc;
    }

    /** The event back from a document's {@link #VALUES}. */
    static Event event(Map<String, ?> values) {
        Event.Builder builder = Event.builder();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Field.byName(e.getKey()).ifPresent(f -> {
                Object v = e.getValue();
                if (v != null) builder.set(f, v.toString());
            });
        }
        return builder.build();
    }
}
