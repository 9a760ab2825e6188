package trailhound.query;

import org.apache.lucene.util.automaton.RegExp;

/*
 * Bounds a regex before Lucene builds its automaton. Building is not bounded by Lucene's determinize
 * work limit: a{1,1000}{1,1000} makes a million states (minutes of CPU, hundreds of MB) before
 * determinizing starts. The estimate below multiplies repeat bounds through the parsed tree, so it is
 * an upper bound on the states building would make; anything above MAX_STATES is refused. Nesting is
 * checked on the text first, since RegExp's parser recurses once per parenthesis.
 */
final class RegexSize {
    /** Far above any regex an analyst writes ({@code \d{1,5}}, alternations of a few hundred characters). */
    static final long MAX_STATES = 50_000;

    private RegexSize() {}

    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** The deepest nesting of unescaped parentheses in the regex text. */
    static int nesting(String regex) {
        int depth = 0;
        int deepest = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            }
        }
        return deepest;
    }

    /**
     * @throws TooLarge when the automaton could exceed {@link #MAX_STATES}
     * @throws IllegalArgumentException when the regex is not valid
     */
    static void check(String regex) {
        if (states(new RegExp(regex)) > MAX_STATES) {
            throw new TooLarge();
        }
    }

    /** An upper bound on the automaton's states, saturating just above the limit. */
    private static long states(RegExp r) {
        if (r == null) {
            return 0;
        }
        long n = switch (r.kind) {
            case REGEXP_UNION, REGEXP_CONCATENATION, REGEXP_INTERSECTION -> states(r.exp1) + states(r.exp2);
            case REGEXP_REPEAT_MIN -> states(r.exp1) * (r.min + 1L);
            case REGEXP_REPEAT_MINMAX -> states(r.exp1) * Math.max(1L, r.max);
            case REGEXP_OPTIONAL, REGEXP_REPEAT, REGEXP_COMPLEMENT -> states(r.exp1) + 1;
            case REGEXP_STRING -> r.s.length() + 1L;
            default -> 2;
        };
        return Math.min(n, MAX_STATES + 1);
    }
}
