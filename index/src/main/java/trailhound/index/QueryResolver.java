package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;
import trailhound.query.ValuePatternQuery;
import trailhound.query.IndexFields;

/**
 * Turns a query in the contract's terms (IndexFields) into one the event index can answer, leaf by
 * leaf: a {@link ValuePatternQuery} becomes a term-set query over the values the value dictionary
 * says match (MatchNoDocsQuery when none do); then a clause on process fields becomes a term-set
 * query over the ids of the process variants it matches; a multi-term leaf (prefix, range, term
 * set) counts from document frequencies (SingleValuedTermsQuery). Walks the compound queries the
 * query language builds (boolean, boost, constant score, disjunction max); others are leaves.
 */
final class QueryResolver {
    private QueryResolver() {}

    static Query resolve(Query query, ValueDictionary dictionary, ProcessVariants variants) throws IOException {
        return switch (query) {
            case BooleanQuery b -> {
                BooleanQuery.Builder builder = new BooleanQuery.Builder()
                        .setMinimumNumberShouldMatch(b.getMinimumNumberShouldMatch());
                for (BooleanClause c : b.clauses()) builder.add(resolve(c.query(), dictionary, variants), c.occur());
                yield builder.build();
            }
            case BoostQuery b -> new BoostQuery(resolve(b.getQuery(), dictionary, variants), b.getBoost());
            case ConstantScoreQuery c -> new ConstantScoreQuery(resolve(c.getQuery(), dictionary, variants));
            case DisjunctionMaxQuery d -> {
                List<Query> parts = new ArrayList<>();
                for (Query q : d.getDisjuncts()) parts.add(resolve(q, dictionary, variants));
                yield new DisjunctionMaxQuery(parts, d.getTieBreakerMultiplier());
            }
            default -> {
                Query leaf = query instanceof ValuePatternQuery p ? values(p, dictionary) : query;
                if (ProcessVariants.isProcessClause(leaf)) yield variants.resolve(leaf);
                yield leaf instanceof MultiTermQuery terms ? new SingleValuedTermsQuery(terms) : leaf;
            }
        };
    }

    private static Query values(ValuePatternQuery p, ValueDictionary dictionary) throws IOException {
        List<BytesRef> values = dictionary.matching(p);
        return values.isEmpty()
                ? new MatchNoDocsQuery("no " + p.field() + " value matches " + p)
                : new TermInSetQuery(IndexFields.term(p.field()), values);
    }
}
