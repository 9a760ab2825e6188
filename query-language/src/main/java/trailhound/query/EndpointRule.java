package trailhound.query;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.memory.MemoryIndex;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import trailhound.schema.Field;

/**
 * A computer group's rule: the query language ({@link QueryLanguage}: the same operators, value
 * forms, escapes and errors) over an endpoint's attributes instead of an event's fields:
 * {@code name}, {@code hostname}, {@code os}, {@code ip} and {@code tag} (also {@code tags}: a rule
 * term matches when any of the endpoint's tags does). {@code ip} takes addresses, CIDR blocks and
 * ranges; the others every keyword form. Case-insensitive, like event searches.
 *
 * <pre>{@code
 * EndpointRule rule = EndpointRule.parse("os:windows AND name:WS-*");
 * rule.matches(new EndpointRule.Endpoint("WS-FIN-01", "ws-fin-01.corp", "windows", "10.0.0.5", List.of("finance")));  // true
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class EndpointRule {
    /** What a rule sees of an endpoint; any value may be null, tags empty. */
    public record Endpoint(String name, String hostname, String os, String ip, Collection<String> tags) {}

    // Each attribute rides on an event field of the same kind, so FieldQueries builds its queries unchanged;
    // the names users type are only these.
    private static final Map<String, Field> ATTRIBUTES = attributes();
    private static final QueryFields.Vocabulary VOCABULARY = new QueryFields.Vocabulary() {
        @Override
        public Optional<List<Field>> resolve(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            Field f = ATTRIBUTES.get(lower.equals("tags") ? "tag" : lower);
            return f == null ? Optional.empty() : Optional.of(List.of(f));
        }

        @Override
        public List<String> knownNames() {
            return List.of("name", "hostname", "os", "ip", "tag", "tags");
        }

        @Override
        public String exampleField() {
            return "name";
        }
    };

    private final String text;
    private final Query query;

    private EndpointRule(String text, Query query) {
        this.text = text;
        this.query = query;
    }

    private static Map<String, Field> attributes() {
        Map<String, Field> m = new LinkedHashMap<>();
        m.put("name", Field.PROCESS_NAME);
        m.put("hostname", Field.USER);
        m.put("os", Field.SIGNATURE);
        m.put("ip", Field.LOCAL_IP);
        m.put("tag", Field.FILE_PATH);
        return Map.copyOf(m);
    }

    /**
     * Parses a rule.
     *
     * @throws QuerySyntaxException when the text is blank or not a valid rule, with the column
     */
    public static EndpointRule parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new QuerySyntaxException("a rule needs at least one term, e.g. os:windows AND name:WS-*", 1, null);
        }
        return new EndpointRule(text.strip(), new SchemaQueryParser(QueryText.of(text), Clock.systemUTC(), VOCABULARY).parseAll());
    }

    /** The rule as written. */
    public String text() {
        return text;
    }

    /** True when the endpoint's attributes satisfy the rule. */
    public boolean matches(Endpoint endpoint) {
        Map<Field, List<String>> values = new LinkedHashMap<>();
        values.put(Field.PROCESS_NAME, listOf(endpoint.name()));
        values.put(Field.USER, listOf(endpoint.hostname()));
        values.put(Field.SIGNATURE, listOf(endpoint.os()));
        values.put(Field.LOCAL_IP, listOf(endpoint.ip()));
        values.put(Field.FILE_PATH, endpoint.tags() == null ? List.of() : List.copyOf(endpoint.tags()));
        // One document, indexed the way the event index writes its fields (IndexFields), searched by the same queries.
        MemoryIndex doc = new MemoryIndex();
        values.forEach((field, vs) -> {
            for (String v : vs) {
                doc.addField(new StringField(IndexFields.term(field), IndexFields.normalize(v), Store.NO), null);
                if (field == Field.LOCAL_IP) {
                    InetAddress address = ipLiteral(v);
                    if (address != null) doc.addField(new InetAddressPoint(IndexFields.point(field), address), null);
                }
            }
        });
        return doc.search(resolvePatterns(query, values)) > 0;
    }

    /** Contains, ends-with, glob and regex leaves are resolved by the index; here, against the endpoint's values. */
    private static Query resolvePatterns(Query q, Map<Field, List<String>> values) {
        if (q instanceof ValuePatternQuery p) {
            boolean any = values.getOrDefault(p.field(), List.of()).stream().anyMatch(v -> p.matches(IndexFields.lower(v)));
            return any ? new MatchAllDocsQuery() : new MatchNoDocsQuery();
        }
        if (q instanceof BooleanQuery b) {
            BooleanQuery.Builder out = new BooleanQuery.Builder().setMinimumNumberShouldMatch(b.getMinimumNumberShouldMatch());
            for (BooleanClause c : b.clauses()) out.add(resolvePatterns(c.query(), values), c.occur());
            return out.build();
        }
        return q;
    }

    private static List<String> listOf(String v) {
        return v == null || v.isBlank() ? List.of() : List.of(v);
    }

    /** An IP literal, never a DNS lookup (the value comes from the endpoint's telemetry). */
    private static InetAddress ipLiteral(String s) {
        String v = s.strip();
        if (v.isEmpty() || !v.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        if (v.indexOf(':') < 0 && !v.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null; // hex letters without a colon: a name, which getByName would look up
        }
        try {
            return InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
