package trailhound.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.automaton.CharacterRunAutomaton;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.RegExp;
import trailhound.schema.Field;

/**
 * A pattern (contains, ends-with, wildcard, regex) over a KEYWORD field's values.
 *
 * <p>Design: events repeat a small set of distinct values per field (paths, command lines, users),
 * so a pattern is answered against the endpoint's <em>value dictionary</em> (every distinct value of
 * every KEYWORD field, indexed by trigrams and reversed), not against every event. The index
 * narrows the candidate values with the conjunction of the trigrams of {@link #requiredLiterals()},
 * verifies each candidate with {@link #matches(String)} (two-phase), and then replaces this query
 * with a term-set query over the matching values on {@link trailhound.query.IndexFields#term}.
 * This never scans the event index's term dictionary with a leading wildcard.
 *
 * <p>This query cannot run by itself: {@link #rewrite} fails if the index did not resolve it.
 * Immutable and thread-safe; the pattern is already lower-cased.
 */
public final class ValuePatternQuery extends Query {

    /** How {@link #pattern()} is read. */
    public enum Mode { CONTAINS, ENDS_WITH, WILDCARD, REGEX }

    private final Field field;
    private final Mode mode;
    private final String pattern;
    private final CharacterRunAutomaton automaton;

    public ValuePatternQuery(Field field, Mode mode, String pattern) {
        this.field = Objects.requireNonNull(field);
        this.mode = Objects.requireNonNull(mode);
        this.pattern = Objects.requireNonNull(pattern);
        this.automaton = switch (mode) {
            case CONTAINS, ENDS_WITH -> null;
            case WILDCARD -> new CharacterRunAutomaton(Operations.determinize(
                    WildcardQuery.toAutomaton(new Term("", pattern), Operations.DEFAULT_DETERMINIZE_WORK_LIMIT),
                    Operations.DEFAULT_DETERMINIZE_WORK_LIMIT));
            case REGEX -> new CharacterRunAutomaton(Operations.determinize(
                    new RegExp(pattern).toAutomaton(),
                    Operations.DEFAULT_DETERMINIZE_WORK_LIMIT));
        };
    }

    public Field field() {
        return field;
    }

    public Mode mode() {
        return mode;
    }

    /** The needle (CONTAINS, ENDS_WITH), glob (WILDCARD) or regular expression (REGEX), lower case. */
    public String pattern() {
        return pattern;
    }

    /** True when the lower-cased value matches; the verification step of the two-phase match. */
    public boolean matches(String lowerCaseValue) {
        return switch (mode) {
            case CONTAINS -> lowerCaseValue.contains(pattern);
            case ENDS_WITH -> lowerCaseValue.endsWith(pattern);
            case WILDCARD, REGEX -> automaton.run(lowerCaseValue);
        };
    }

    /**
     * Literal substrings every matching value must contain; their trigrams narrow the candidates.
     * Empty when nothing is known (e.g. a regex with no literal run): then every value is a candidate.
     */
    public List<String> requiredLiterals() {
        return switch (mode) {
            case CONTAINS, ENDS_WITH -> List.of(pattern);
            case WILDCARD -> literalRuns(pattern, "*?");
            case REGEX -> List.of();
        };
    }

    private static List<String> literalRuns(String glob, String wildcards) {
        List<String> runs = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                run.append(glob.charAt(++i));
            } else if (wildcards.indexOf(c) >= 0) {
                if (!run.isEmpty()) runs.add(run.toString());
                run.setLength(0);
            } else {
                run.append(c);
            }
        }
        if (!run.isEmpty()) runs.add(run.toString());
        return runs;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        throw new IllegalStateException("value pattern on " + field + " was not resolved by the index: " + this);
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String defaultField) {
        return field + ":" + mode.name().toLowerCase() + "(" + pattern + ")";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other)
                && field == ((ValuePatternQuery) other).field
                && mode == ((ValuePatternQuery) other).mode
                && pattern.equals(((ValuePatternQuery) other).pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), field, mode, pattern);
    }
}
