package trailhound.opensearch;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PointRangeQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefIterator;
import org.apache.lucene.search.TermRangeQuery;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch._types.query_dsl.RangeQuery;
import trailhound.query.ValuePatternQuery;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;

/**
 * The query language's queries ({@link trailhound.query.QueryLanguage#parse}) as OpenSearch query DSL
 * over {@link EventMappings}' fields, with the local engine's semantics, leaf by leaf:
 *
 * <ul>
 *   <li>equals ({@code TermQuery} on a normalised term) and starts-with ({@code PrefixQuery}): {@code term}
 *       and {@code prefix} on the keyword term field, which holds the very same normalised term; an
 *       empty prefix ({@code field:*}) is {@code exists}.
 *   <li>any of a set of terms ({@code TermInSetQuery}, built by the process view, not the language): {@code terms}.
 *   <li>keyword ranges ({@code TermRangeQuery}): {@code range} on the term field, both comparing UTF-8 bytes.
 *   <li>numbers, time, IP equals, ranges and CIDR (points): {@code range} on {@code <name>$p} with the
 *       bounds decoded from the point query (inclusive, as Lucene holds them); a CIDR block is the
 *       address range it covers; an unbounded side is left out.
 *   <li>contains, ends-with, globs and regexes ({@link ValuePatternQuery}): {@code wildcard} and
 *       {@code regexp} on the wildcard field of the whole lower-cased value, with the same pattern
 *       syntax (Lucene's wildcard and RegExp, all flags, as locally).
 *   <li>boolean queries keep Lucene's meaning exactly: required and prohibited clauses as
 *       {@code filter} and {@code must_not}; optional clauses matter only without required ones, then
 *       at least one (or the minimum) must match; a query of only prohibited clauses matches nothing,
 *       as in Lucene (the language adds match-all to "NOT x" itself).
 * </ul>
 * Everything runs in filter context: hits are ordered by time, never by score.
 *
 * <p>Stateless and thread-safe.
 *
 * @throws IllegalArgumentException for a Lucene query the language never builds (the message names it)
 */
public final class QueryTranslator {
    private QueryTranslator() {}

    /** The DSL for the query; null means every event. */
    public static Query translate(org.apache.lucene.search.Query query) {
        if (query == null) return Query.of(q -> q.matchAll(m -> m));
        return switch (query) {
            case MatchAllDocsQuery all -> Query.of(q -> q.matchAll(m -> m));
            case MatchNoDocsQuery none -> matchNone();
            case BooleanQuery b -> bool(b);
            case BoostQuery b -> translate(b.getQuery());
            case ConstantScoreQuery c -> translate(c.getQuery());
            case TermQuery t -> Query.of(q -> q.term(x -> x.field(t.getTerm().field())
                    .value(FieldValue.of(t.getTerm().text()))));
            case TermInSetQuery t -> termsIn(t);
            case PrefixQuery p -> p.getPrefix().text().isEmpty()
                    ? Query.of(q -> q.exists(x -> x.field(p.getField())))
                    : Query.of(q -> q.prefix(x -> x.field(p.getField()).value(p.getPrefix().text())));
            case TermRangeQuery r -> termRange(r);
            case PointRangeQuery r -> pointRange(r);
            case ValuePatternQuery v -> pattern(v);
            default -> throw new IllegalArgumentException("no OpenSearch translation for " + query.getClass().getSimpleName()
                    + " (" + query + "); the query language does not build it");
        };
    }

    /** Any of a set of terms (the process view's lookups of several keys at once): {@code terms}. */
    private static Query termsIn(TermInSetQuery t) {
        List<FieldValue> values = new ArrayList<>();
        try {
            BytesRefIterator terms = t.getBytesRefIterator();
            for (BytesRef term = terms.next(); term != null; term = terms.next()) values.add(FieldValue.of(term.utf8ToString()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // an in-memory term set: never
        }
        return Query.of(q -> q.terms(x -> x.field(t.getField()).terms(v -> v.value(values))));
    }

    private static Query matchNone() {
        return Query.of(q -> q.matchNone(m -> m));
    }

    private static Query bool(BooleanQuery b) {
        List<Query> required = new ArrayList<>();
        List<Query> prohibited = new ArrayList<>();
        List<Query> optional = new ArrayList<>();
        for (BooleanClause c : b.clauses()) {
            switch (c.occur()) {
                case MUST, FILTER -> required.add(translate(c.query()));
                case MUST_NOT -> prohibited.add(translate(c.query()));
                case SHOULD -> optional.add(translate(c.query()));
            }
        }
        int minimumShould = b.getMinimumNumberShouldMatch();
        if (required.isEmpty() && optional.isEmpty()) {
            return matchNone(); // Lucene: only prohibited clauses (or none) match nothing
        }
        if (!required.isEmpty() && minimumShould == 0) {
            optional.clear(); // beside required clauses, optional ones only score
        }
        int atLeast = optional.isEmpty() ? 0 : Math.max(1, minimumShould);
        if (required.size() == 1 && prohibited.isEmpty() && optional.isEmpty()) return required.getFirst();
        if (optional.size() == 1 && required.isEmpty() && prohibited.isEmpty()) return optional.getFirst();
        return Query.of(q -> q.bool(x -> {
            x.filter(required).mustNot(prohibited).should(optional);
            if (atLeast > 0) x.minimumShouldMatch(Integer.toString(atLeast));
            return x;
        }));
    }

    private static Query termRange(TermRangeQuery r) {
        return Query.of(q -> q.range(x -> {
            x.field(r.getField());
            if (r.getLowerTerm() != null) {
                JsonData lower = JsonData.of(r.getLowerTerm().utf8ToString());
                if (r.includesLower()) x.gte(lower); else x.gt(lower);
            }
            if (r.getUpperTerm() != null) {
                JsonData upper = JsonData.of(r.getUpperTerm().utf8ToString());
                if (r.includesUpper()) x.lte(upper); else x.lt(upper);
            }
            return x;
        }));
    }

    private static Query pointRange(PointRangeQuery r) {
        String name = r.getField();
        Field field = Field.byName(name.substring(0, name.length() - "$p".length()))
                .orElseThrow(() -> new IllegalArgumentException("no field behind point " + name));
        RangeQuery.Builder range = new RangeQuery.Builder().field(name);
        if (field.kind() == FieldKind.IP) {
            InetAddress lower = InetAddressPoint.decode(r.getLowerPoint());
            InetAddress upper = InetAddressPoint.decode(r.getUpperPoint());
            if (!lower.equals(InetAddressPoint.MIN_VALUE)) range.gte(JsonData.of(lower.getHostAddress()));
            if (!upper.equals(InetAddressPoint.MAX_VALUE)) range.lte(JsonData.of(upper.getHostAddress()));
        } else {
            long lower = LongPoint.decodeDimension(r.getLowerPoint(), 0);
            long upper = LongPoint.decodeDimension(r.getUpperPoint(), 0);
            if (lower > upper) return matchNone();
            if (lower != Long.MIN_VALUE) range.gte(JsonData.of(lower));
            if (upper != Long.MAX_VALUE) range.lte(JsonData.of(upper));
        }
        RangeQuery built = range.build();
        if (built.gte() == null && built.lte() == null) {
            return Query.of(q -> q.exists(x -> x.field(name))); // every value: the event has the field
        }
        return Query.of(q -> q.range(built));
    }

    private static Query pattern(ValuePatternQuery v) {
        String field = EventMappings.wildcard(v.field());
        return switch (v.mode()) {
            case CONTAINS -> wildcard(field, "*" + escapeWildcard(v.pattern()) + "*");
            case ENDS_WITH -> wildcard(field, "*" + escapeWildcard(v.pattern()));
            case WILDCARD -> wildcard(field, v.pattern());
            case REGEX -> Query.of(q -> q.regexp(x -> x.field(field).value(v.pattern()).flags("ALL")));
        };
    }

    private static Query wildcard(String field, String pattern) {
        return Query.of(q -> q.wildcard(x -> x.field(field).value(pattern)));
    }

    /** A literal needle as a wildcard pattern: {@code * ? \} escaped. */
    static String escapeWildcard(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 8);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '*' || c == '?' || c == '\\') out.append('\\');
            out.append(c);
        }
        return out.toString();
    }
}
