package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
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
 * query language builds (boolean, boost, constant score, disjunction max); others are leaves. In a
 * disjunction the process-field leaves are resolved together (see disjunction).
 */
final class QueryResolver {
    private QueryResolver() {}

    static Query resolve(Query query, ValueDictionary dictionary, ProcessVariants variants) throws IOException {
        return switch (query) {
            case BooleanQuery b when isDisjunction(b) -> disjunction(b, dictionary, variants);
            case BooleanQuery b -> {
                BooleanQuery.Builder builder = new BooleanQuery.Builder()
                        .setMinimumNumberShouldMatch(b.getMinimumNumberShouldMatch());
                boolean required = b.clauses().stream().anyMatch(c -> c.occur() == Occur.MUST || c.occur() == Occur.FILTER);
                for (BooleanClause c : b.clauses()) {
                    Query resolved = resolve(c.query(), dictionary, variants);
                    if (required && c.occur() == Occur.MUST_NOT && resolved instanceof VariantSetQuery v) {
                        // a filter, not an exclusion: Lucene gives an exclusion no lead cost, so it would
                        // read every posting of the set even when the required clauses lead with few events
                        builder.add(v.negate(), Occur.FILTER);
                    } else {
                        builder.add(resolved, c.occur());
                    }
                }
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
                Query leaf = patternsResolved(query, dictionary);
                if (ProcessVariants.isProcessClause(leaf)) yield variants.resolve(leaf);
                yield onEvents(leaf);
            }
        };
    }

    /**
     * A disjunction (free text, an alias): its leaves on process fields are resolved against the
     * variants together, as one OR, so they cost one search of processes/ and one term set of
     * variant ids on the events instead of one of each per field. An event matches one of them
     * exactly when its variant does, so the events matched do not change.
     */
    private static Query disjunction(BooleanQuery b, ValueDictionary dictionary, ProcessVariants variants) throws IOException {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        List<Query> onProcesses = new ArrayList<>();
        for (BooleanClause c : b.clauses()) {
            if (isCompound(c.query())) {
                any.add(resolve(c.query(), dictionary, variants), Occur.SHOULD);
                continue;
            }
            Query leaf = patternsResolved(c.query(), dictionary);
            if (ProcessVariants.isProcessClause(leaf)) {
                onProcesses.add(leaf);
            } else if (!(leaf instanceof MatchNoDocsQuery)) {
                any.add(onEvents(leaf), Occur.SHOULD);
            }
        }
        if (onProcesses.size() == 1) {
            any.add(variants.resolve(onProcesses.getFirst()), Occur.SHOULD);
        } else if (!onProcesses.isEmpty()) {
            BooleanQuery.Builder anyProcess = new BooleanQuery.Builder();
            onProcesses.forEach(q -> anyProcess.add(q, Occur.SHOULD));
            any.add(variants.resolve(anyProcess.build()), Occur.SHOULD);
        }
        BooleanQuery resolved = any.build();
        return resolved.clauses().isEmpty() ? new MatchNoDocsQuery("no clause of " + b + " matches") : resolved;
    }

    /** Only SHOULD clauses, any one enough. */
    private static boolean isDisjunction(BooleanQuery b) {
        return b.getMinimumNumberShouldMatch() <= 1 && !b.clauses().isEmpty()
                && b.clauses().stream().allMatch(c -> c.occur() == Occur.SHOULD);
    }

    private static boolean isCompound(Query q) {
        return q instanceof BooleanQuery || q instanceof BoostQuery || q instanceof ConstantScoreQuery
                || q instanceof DisjunctionMaxQuery;
    }

    private static Query patternsResolved(Query leaf, ValueDictionary dictionary) throws IOException {
        return leaf instanceof ValuePatternQuery p ? values(p, dictionary) : leaf;
    }

    private static Query onEvents(Query leaf) {
        return leaf instanceof MultiTermQuery terms ? new SingleValuedTermsQuery(terms) : leaf;
    }

    private static Query values(ValuePatternQuery p, ValueDictionary dictionary) throws IOException {
        List<BytesRef> values = dictionary.matching(p);
        return values.isEmpty()
                ? new MatchNoDocsQuery("no " + p.field() + " value matches " + p)
                : new TermInSetQuery(IndexFields.term(p.field()), values);
    }
}
