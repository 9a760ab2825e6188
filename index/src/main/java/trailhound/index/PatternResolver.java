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
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;
import trailhound.query.ValuePatternQuery;
import trailhound.schema.IndexFields;

/**
 * Replaces every {@link ValuePatternQuery} in a query tree by a term-set query over the values the
 * value dictionary says match (MatchNoDocsQuery when none do). Walks the compound queries the query
 * language builds (boolean, boost, constant score, disjunction max); other queries are leaves.
 */
final class PatternResolver {
    private PatternResolver() {}

    /** True when the query contains a pattern to resolve, so plain queries skip the dictionary. */
    static boolean hasPatterns(Query query) {
        boolean[] found = {false};
        query.visit(new QueryVisitor() {
            @Override
            public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
                return this; // the default skips MUST_NOT clauses, which may hold patterns too
            }

            @Override
            public void visitLeaf(Query leaf) {
                if (leaf instanceof ValuePatternQuery) found[0] = true;
            }
        });
        return found[0];
    }

    static Query resolve(Query query, ValueDictionary dictionary) throws IOException {
        return switch (query) {
            case ValuePatternQuery p -> {
                List<BytesRef> values = dictionary.matching(p);
                yield values.isEmpty()
                        ? new MatchNoDocsQuery("no " + p.field() + " value matches " + p)
                        : new TermInSetQuery(IndexFields.term(p.field()), values);
            }
            case BooleanQuery b -> {
                BooleanQuery.Builder builder = new BooleanQuery.Builder()
                        .setMinimumNumberShouldMatch(b.getMinimumNumberShouldMatch());
                for (BooleanClause c : b.clauses()) builder.add(resolve(c.query(), dictionary), c.occur());
                yield builder.build();
            }
            case BoostQuery b -> new BoostQuery(resolve(b.getQuery(), dictionary), b.getBoost());
            case ConstantScoreQuery c -> new ConstantScoreQuery(resolve(c.getQuery(), dictionary));
            case DisjunctionMaxQuery d -> {
                List<Query> parts = new ArrayList<>();
                for (Query q : d.getDisjuncts()) parts.add(resolve(q, dictionary));
                yield new DisjunctionMaxQuery(parts, d.getTieBreakerMultiplier());
            }
            default -> query;
        };
    }
}
