package trailhound.index;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import trailhound.query.QueryLanguage;
import trailhound.query.ValuePatternQuery;
import trailhound.schema.Field;

/**
 * Throwaway measurement (not a test, no assertions) of free text on an existing endpoint index
 * (e.g. one ingested from {@code trailhound samples}), run from the index module after
 * test-compile:
 * {@code java -cp target/classes:target/test-classes:<deps> trailhound.index.FreeTextBench <index dir> word...}
 *
 * <p>Per word, in ms: (1) end to end through EndpointIndex, for the word and for
 * {@code command_line:*word*}: the first count (nothing about the word cached yet), and medians of
 * repeated counts and searches (count + newest 100; pattern and process resolutions cached for a
 * minute, Lucene's query cache warm); (2) by stage, medians of seven cold runs on freshly opened
 * side indexes (no cached resolution): looking the word up in the value dictionary for every
 * free-text field; resolving the process-field leaves against processes/ one by one (as before
 * QueryResolver grouped them) and as one OR; then medians of counting the events under each
 * resolved query without Lucene's query cache, and under {@code command_line:*word*} for scale.
 */
public final class FreeTextBench {
    /** Warm-up needles found in most Windows data, never measured. */
    private static final List<String> WARM_UP = List.of("windows", "program", "users", ".exe", ".dll", "microsoft",
            "appdata", "local", "roaming", "corp", "software", "system", "update", "google", "office");

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> words = Arrays.asList(args).subList(1, args.length);
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            System.out.printf("%d events%n", index.count(null));
            for (int round = 0; round < 20; round++) { // JIT warm-up (cached after the first round)
                for (String w : WARM_UP) {
                    index.count(QueryLanguage.parse(w));
                    index.search(QueryLanguage.parse(w), 100, null);
                    index.search(QueryLanguage.parse("command_line:*" + w + "*"), 100, null);
                }
            }
            System.out.printf("%-26s %9s %10s %10s %10s%n", "query", "hits", "count 1st", "count med", "search med");
            for (String word : words) {
                endToEnd(index, word);
                endToEnd(index, "command_line:" + fieldValue(word));
            }
        }
        try (DirectoryReader events = DirectoryReader.open(FSDirectory.open(dir.resolve("events")))) {
            IndexSearcher searcher = new IndexSearcher(events);
            searcher.setQueryCache(null); // every count pays for its clauses, as a new query does
            for (String w : WARM_UP) cold(dir, searcher, w, 0);
            System.out.printf("%n%-14s %10s %11s %12s %11s %13s %14s %14s%n", "word", "hits", "dictionary", "proc 1 by 1",
                    "proc as OR", "count 1 by 1", "count grouped", "count cmdline");
            for (String word : words) {
                double[][] runs = new double[3][7];
                for (int rep = 0; rep < 7; rep++) {
                    double[] r = cold(dir, searcher, word, rep);
                    for (int i = 0; i < 3; i++) runs[i][rep] = r[i];
                }
                Query[] resolved = resolved(dir, word);
                int hits = searcher.count(resolved[1]);
                if (hits != searcher.count(resolved[0])) throw new AssertionError("different hits for " + word);
                System.out.printf("%-14s %10d %11.2f %12.2f %11.2f %13.2f %14.2f %14.2f%n", word, hits,
                        median(runs[0]), median(runs[1]), median(runs[2]),
                        median(() -> searcher.count(resolved[0])), median(() -> searcher.count(resolved[1])),
                        median(() -> searcher.count(resolved[2])));
            }
        }
    }

    /** Dictionary, one-by-one and grouped resolution times of the word on fresh side indexes (no cache). */
    private static double[] cold(Path dir, IndexSearcher searcher, String word, int rep) throws Exception {
        BooleanQuery q = (BooleanQuery) QueryLanguage.parse(word);
        try (ValueDictionary dictionary = new ValueDictionary(FSDirectory.open(dir.resolve("values")));
                ProcessVariants variants = new ProcessVariants(FSDirectory.open(dir.resolve("processes")))) {
            dictionary.matching(new ValuePatternQuery(Field.USER, ValuePatternQuery.Mode.CONTAINS, "open")); // opens the reader
            variants.resolve(new TermQuery(new Term(Field.USER.canonicalName(), "open")));
            long t = System.nanoTime();
            for (BooleanClause c : q.clauses()) dictionary.matching((ValuePatternQuery) c.query()); // then cached
            double dictionaryMs = ms(t);
            double naiveMs = 0;
            double groupedMs = 0;
            for (int order = 0; order < 2; order++) {
                if ((order == 0) == (rep % 2 == 0)) {
                    t = System.nanoTime();
                    oneByOne(q, dictionary, variants);
                    naiveMs = ms(t);
                } else {
                    t = System.nanoTime();
                    QueryResolver.resolve(q, dictionary, variants);
                    groupedMs = ms(t);
                }
            }
            return new double[] {dictionaryMs, naiveMs, groupedMs};
        }
    }

    /** One by one, grouped, and command_line:*word*, resolved. */
    private static Query[] resolved(Path dir, String word) throws Exception {
        BooleanQuery q = (BooleanQuery) QueryLanguage.parse(word);
        try (ValueDictionary dictionary = new ValueDictionary(FSDirectory.open(dir.resolve("values")));
                ProcessVariants variants = new ProcessVariants(FSDirectory.open(dir.resolve("processes")))) {
            return new Query[] {oneByOne(q, dictionary, variants), QueryResolver.resolve(q, dictionary, variants),
                    QueryResolver.resolve(QueryLanguage.parse("command_line:" + fieldValue(word)), dictionary, variants)};
        }
    }

    /** The word as command_line's contains value: *word*, a phrase's space escaped. */
    private static String fieldValue(String word) {
        return "*" + word.replace("\"", "").replace(" ", "\\ ") + "*";
    }

    /** The resolution before grouping: every leaf on its own (process leaves each against processes/). */
    private static Query oneByOne(BooleanQuery q, ValueDictionary dictionary, ProcessVariants variants) throws Exception {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (BooleanClause c : q.clauses()) any.add(QueryResolver.resolve(c.query(), dictionary, variants), Occur.SHOULD);
        return any.build();
    }

    interface Op {
        Object run() throws Exception;
    }

    private static void endToEnd(EndpointIndex index, String text) throws Exception {
        Query query = QueryLanguage.parse(text);
        long t = System.nanoTime();
        long hits = index.count(query);
        double first = ms(t);
        System.out.printf("%-26s %9d %10.2f %10.2f %10.2f%n", text.length() <= 26 ? text : text.substring(0, 23) + "...", hits, first,
                median(() -> index.count(query)), median(() -> index.search(query, 100, null)));
    }

    private static double median(Op op) throws Exception {
        double[] times = new double[15];
        for (int i = 0; i < times.length; i++) {
            long t = System.nanoTime();
            op.run();
            times[i] = ms(t);
        }
        return median(times);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
