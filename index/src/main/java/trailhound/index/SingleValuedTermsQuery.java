package trailhound.index;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

/**
 * A multi-term query (prefix, term range, term set) on a field every document has at most one
 * term of, which is true of every term field of an event (one value per field) and of the process
 * variant id. Matches exactly what the wrapped query matches; what it adds is the count: the terms'
 * documents are disjoint, so a segment without deletions counts as the sum of the matching terms'
 * document frequencies instead of a pass over every match ("process_path:c\:\\windows\\*" on ten
 * million events: a walk over a few hundred terms instead of millions of postings).
 */
final class SingleValuedTermsQuery extends Query {
    private final MultiTermQuery matching;

    SingleValuedTermsQuery(MultiTermQuery matching) {
        this.matching = matching;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight inner = searcher.createWeight(searcher.rewrite(matching), scoreMode, boost);
        return new FilterWeight(this, inner) {
            @Override
            public int count(LeafReaderContext context) throws IOException {
                if (context.reader().hasDeletions()) return super.count(context);
                Terms terms = context.reader().terms(matching.getField());
                if (terms == null) return 0;
                TermsEnum te = matching.getTermsEnum(terms);
                long n = 0;
                while (te.next() != null) n += te.docFreq();
                return Math.toIntExact(n);
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        matching.visit(visitor.getSubVisitor(BooleanClause.Occur.MUST, this));
    }

    @Override
    public String toString(String defaultField) {
        return matching.toString(defaultField);
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && matching.equals(((SingleValuedTermsQuery) other).matching);
    }

    @Override
    public int hashCode() {
        return 31 * classHash() + matching.hashCode();
    }
}
