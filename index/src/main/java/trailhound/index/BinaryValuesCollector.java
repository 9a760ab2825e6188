package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.util.BytesRef;

/** Collects a binary doc value (copied) of every hit, in no particular order. */
final class BinaryValuesCollector extends SimpleCollector {
    private final String field;
    private final List<BytesRef> out = new ArrayList<>();
    private BinaryDocValues values;

    private BinaryValuesCollector(String field) {
        this.field = field;
    }

    /** For IndexSearcher#search: the values of {@code field} of every hit. */
    static CollectorManager<BinaryValuesCollector, List<BytesRef>> of(String field) {
        return new CollectorManager<>() {
            @Override
            public BinaryValuesCollector newCollector() {
                return new BinaryValuesCollector(field);
            }

            @Override
            public List<BytesRef> reduce(Collection<BinaryValuesCollector> collectors) {
                List<BytesRef> all = new ArrayList<>();
                for (BinaryValuesCollector c : collectors) all.addAll(c.out);
                return all;
            }
        };
    }

    @Override
    protected void doSetNextReader(LeafReaderContext context) throws IOException {
        values = context.reader().getBinaryDocValues(field);
    }

    @Override
    public void collect(int doc) throws IOException {
        if (values != null && values.advanceExact(doc)) out.add(BytesRef.deepCopyOf(values.binaryValue()));
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }
}
