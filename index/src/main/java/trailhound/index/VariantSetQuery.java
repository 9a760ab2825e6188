package trailhound.index;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * The events whose process variant is one of a set (or, negated, is not one of it: events without
 * a variant included, as a Lucene NOT). Two ways to answer, chosen per segment by the cost of the
 * clause that leads the search (the idea of Lucene's IndexOrDocValuesQuery):
 *  - through the postings of the variant ids ({@code postings}, a term-set query): when this
 *    clause leads, or the lead is large. A set of variants that covers most of the endpoint (the
 *    busiest user's) is millions of postings to read into a bit set;
 *  - through each event's variant number (ProcessVariants#NUMBER, a numeric doc value) looked up
 *    in {@code numbers}: when another clause leads with few events ("type:process AND NOT
 *    user:X" on ten million events: 366,000 events checked instead of 8.3 million postings read).
 * The cost of this clause for the lead is the postings', or the whole segment's when negated.
 */
final class VariantSetQuery extends Query {
    /** A lead this many times smaller than the postings makes checking each led event cheaper. */
    private static final int LEAD_RATIO = 8;

    private final Query postings;
    private final FixedBitSet numbers;
    private final boolean negated;

    /**
     * @param postings the positive set as a query on ProcessVariants#ID
     * @param numbers the same variants by number (ProcessVariants#NUMBER)
     */
    VariantSetQuery(Query postings, FixedBitSet numbers, boolean negated) {
        this.postings = postings;
        this.numbers = numbers;
        this.negated = negated;
    }

    /** The events this query leaves out. */
    VariantSetQuery negate() {
        return new VariantSetQuery(postings, numbers, !negated);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight inner = searcher.createWeight(searcher.rewrite(postings), ScoreMode.COMPLETE_NO_SCORES, 1f);
        return new ConstantScoreWeight(this, boost) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                int maxDoc = context.reader().maxDoc();
                ScorerSupplier positive = inner.scorerSupplier(context);
                FieldInfo info = context.reader().getFieldInfos().fieldInfo(ProcessVariants.NUMBER);
                boolean hasNumbers = info != null && info.getDocValuesType() == DocValuesType.NUMERIC;
                if (!negated && positive == null) return null;
                float score = score();
                return new ScorerSupplier() {
                    @Override
                    public Scorer get(long leadCost) throws IOException {
                        if (hasNumbers && leadCost <= cost() / LEAD_RATIO) {
                            return new ConstantScoreScorer(score, scoreMode, byNumber(context, maxDoc));
                        }
                        if (!negated) return positive.get(leadCost);
                        FixedBitSet left = new FixedBitSet(maxDoc);
                        if (positive != null) left.or(positive.get(Long.MAX_VALUE).iterator());
                        left.flip(0, maxDoc);
                        return new ConstantScoreScorer(score, scoreMode, new BitSetIterator(left, maxDoc - left.cardinality()));
                    }

                    @Override
                    public long cost() {
                        return negated ? maxDoc : positive.cost();
                    }
                };
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return true;
            }

            @Override
            public int count(LeafReaderContext context) throws IOException {
                int in = inner.count(context);
                if (!negated || in < 0) return in;
                return context.reader().hasDeletions() ? -1 : context.reader().maxDoc() - in;
            }
        };
    }

    private TwoPhaseIterator byNumber(LeafReaderContext context, int maxDoc) throws IOException {
        NumericDocValues values = DocValues.getNumeric(context.reader(), ProcessVariants.NUMBER);
        return new TwoPhaseIterator(DocIdSetIterator.all(maxDoc)) {
            @Override
            public boolean matches() throws IOException {
                // a variant newer than the set (numbered after it was resolved) is not in it
                boolean in = values.advanceExact(approximation.docID()) && values.longValue() < numbers.length()
                        && numbers.get((int) values.longValue());
                return in != negated;
            }

            @Override
            public float matchCost() {
                return 5; // a doc value read and a bit
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        postings.visit(visitor.getSubVisitor(negated ? BooleanClause.Occur.MUST_NOT : BooleanClause.Occur.MUST, this));
    }

    @Override
    public String toString(String field) {
        return (negated ? "-" : "") + postings.toString(field);
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && negated == ((VariantSetQuery) other).negated
                && postings.equals(((VariantSetQuery) other).postings) && numbers.equals(((VariantSetQuery) other).numbers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), postings, numbers, negated);
    }
}
