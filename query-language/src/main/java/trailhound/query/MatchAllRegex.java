package trailhound.query;

import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.RegExp;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/*
 * Whether a regular expression matches every value is a property of its language, not of its spelling:
 * "/.+/", "/(?s).+/", "/.{1,}/", "/[\s\S]+/" and "/(.*)/" are one language. The text-based guards it
 * replaces (no letter or digit in the pattern, a handful of sample values) let the spellings with a
 * letter in their syntax through (fourth try-out of issue #17). So the pattern, in RE2 syntax (what
 * agents run), is rewritten into Lucene's RegExp syntax and its automaton asked whether every non-empty
 * string is accepted.
 *
 * The rewrite only ever makes the language smaller or keeps it (it drops the (?i) flag; whole-value
 * anchors at the ends are no-ops) and gives up on anything it does not know (\b, \pL, \x41, [[:alpha:]],
 * an anchor inside): so "total" here means total in RE2 too, and an unknown construct answers false,
 * leaving the caller's other checks to decide.
 */

/**
 * Decides whether an RE2 regular expression, matched against a whole value, matches every non-empty value.
 *
 * <pre>{@code
 * MatchAllRegex.matchesEveryValue("(?s).+");   // true
 * MatchAllRegex.matchesEveryValue("[\\s\\S]+"); // true
 * MatchAllRegex.matchesEveryValue(".*-enc.*"); // false
 * }</pre>
 *
 * <p>Thread-safe (stateless). Bounded: a pattern whose automaton is too large to determinize answers false.
 */
public final class MatchAllRegex {
    private MatchAllRegex() {}

    /** Every string of at least one character (code point). */
    private static final Automaton NON_EMPTY = Operations.concatenate(Automata.makeAnyChar(), Automata.makeAnyString());

    /**
     * Whether {@code re2}, matched against a whole value as {@code Pattern.matches} does (dot matching line
     * breaks), matches every value of one character or more.
     *
     * @param re2 the pattern between the slashes, in RE2 syntax; null answers false
     * @return false too when the pattern holds a construct this cannot read, or is not valid
     */
    public static boolean matchesEveryValue(String re2) {
        if (re2 == null) return false;
        String lucene = toLucene(re2);
        if (lucene == null) return false;
        try {
            Automaton a = new RegExp(lucene, RegExp.NONE).toAutomaton();
            return Operations.isEmpty(Operations.minus(NON_EMPTY, a, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT));
        } catch (IllegalArgumentException | TooComplexToDeterminizeException e) {
            return false;
        }
    }

    /** The same language or a smaller one in Lucene's RegExp syntax, or null when a construct is not known here. */
    static String toLucene(String re2) {
        StringBuilder out = new StringBuilder(re2.length() + 8);
        int n = re2.length();
        boolean inClass = false;
        for (int i = 0; i < n; i++) {
            char c = re2.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) return null;
                char e = re2.charAt(++i);
                if (e == 'Q') { // \Q...\E: a literal run
                    int end = re2.indexOf("\\E", i + 1);
                    String literal = re2.substring(i + 1, end < 0 ? n : end);
                    for (int k = 0; k < literal.length(); k++) out.append('\\').append(literal.charAt(k));
                    i = end < 0 ? n : end + 1;
                } else if ("dDsSwW".indexOf(e) >= 0 || !Character.isLetterOrDigit(e)) {
                    out.append('\\').append(e);
                } else {
                    return null; // \b, \A, \z, \pL, \x41, \n...: not read here
                }
            } else if (inClass) {
                if (c == '[') return null; // [[:alpha:]]
                if (c == ']') inClass = false;
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                if (i + 1 < n && re2.charAt(i + 1) == '^') out.append(re2.charAt(++i));
                if (i + 1 < n && re2.charAt(i + 1) == ']') out.append('\\').append(re2.charAt(++i)); // a leading ] is literal
            } else if (c == '(' && i + 1 < n && re2.charAt(i + 1) == '?') {
                int j = i + 2;
                if (j < n && re2.charAt(j) == 'P' && j + 1 < n && re2.charAt(j + 1) == '<') { // (?P<name>
                    int close = re2.indexOf('>', j);
                    if (close < 0) return null;
                    out.append('(');
                    i = close;
                    continue;
                }
                while (j < n && (Character.isLetter(re2.charAt(j)) || re2.charAt(j) == '-')) j++;
                if (j >= n) return null;
                if (re2.charAt(j) == ')') i = j; // (?s), (?i): flags; dot already matches line breaks
                else if (re2.charAt(j) == ':') { out.append('('); i = j; } // (?:...), (?s:...)
                else return null;
            } else if (c == '^') {
                if (i != 0) return null; // an anchor inside
            } else if (c == '$') {
                if (i != n - 1) return null;
            } else if ("\"#@&<>~".indexOf(c) >= 0) {
                out.append('\\').append(c); // literal in RE2, operators in Lucene's syntax
            } else {
                out.append(c);
            }
        }
        return inClass ? null : out.toString();
    }
}
