package trailhound.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/*
 * The candidates of a suggestion: a walk of one field's term dictionary from the prefix on (a seek, then
 * next() while the prefix holds), never an automaton, a regex or a scan of documents. At most SCANNED
 * terms are read, so a one-letter prefix over a field of a million distinct command lines costs what
 * 10,000 terms cost; the best n of them by document frequency are kept in a bounded heap.
 */
final class TermSuggestions {
    /** Terms read at most per suggestion. */
    static final int SCANNED = 10_000;

    private static final Comparator<TermCount> WORST_FIRST =
            Comparator.comparingLong(TermCount::count).thenComparing(TermCount::term, Comparator.reverseOrder());

    private TermSuggestions() {}

    /**
     * The {@code n} terms of {@code field} starting with {@code prefix} held by most documents (most first,
     * then by term), with their document frequency (deleted documents included until merged away).
     * Long values' hashed terms (IndexFields#termOf: a NUL and a hash) are left out: they are no value
     * anyone could type.
     */
    static List<TermCount> top(IndexReader reader, String field, String prefix, int n) throws IOException {
        Terms terms = MultiTerms.getTerms(reader, field);
        if (terms == null) return List.of();
        TermsEnum te = terms.iterator();
        BytesRef start = new BytesRef(prefix);
        if (te.seekCeil(start) == TermsEnum.SeekStatus.END) return List.of();
        PriorityQueue<TermCount> best = new PriorityQueue<>(n + 1, WORST_FIRST);
        int scanned = 0;
        for (BytesRef t = te.term(); t != null && StringHelper.startsWith(t, start) && scanned < SCANNED; t = te.next(), scanned++) {
            String term = t.utf8ToString();
            if (term.indexOf('\u0000') >= 0) continue;
            best.add(new TermCount(term, te.docFreq()));
            if (best.size() > n) best.poll();
        }
        List<TermCount> out = new ArrayList<>(best);
        out.sort(WORST_FIRST.reversed());
        return out;
    }
}
