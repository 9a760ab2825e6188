package trailhound.query;

/**
 * A wildcard term as typed ({@code *x*}, {@code *x}, {@code x*}, {@code a*b?c}) classified by its
 * shape, because each shape is answered differently: a prefix by the term dictionary, contains and
 * ends-with by the value dictionary's trigrams, other globs by an automaton over candidate values.
 *
 * @param literal the unescaped text between the wildcards for EXISTS/PREFIX/CONTAINS/ENDS_WITH
 * @param pattern for WILDCARD, a Lucene wildcard pattern: {@code *} and {@code ?} are wildcards,
 *     literal {@code * ? \} are backslash-escaped
 */
record Glob(Shape shape, String literal, String pattern) {

    enum Shape { EXISTS, PREFIX, CONTAINS, ENDS_WITH, WILDCARD }

    /** Reads the raw term image: backslash escapes a character, unescaped {@code * ?} are wildcards. */
    static Glob of(String raw) {
        StringBuilder literal = new StringBuilder();
        StringBuilder pattern = new StringBuilder();
        int wildcards = 0;
        int innerWildcards = 0;
        boolean leadingStar = false;
        boolean trailingStar = false;
        boolean onlyStars = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean escaped = c == '\\' && i + 1 < raw.length();
            if (escaped) {
                c = raw.charAt(++i);
            }
            if (!escaped && (c == '*' || c == '?')) {
                wildcards++;
                pattern.append(c);
                boolean first = pattern.length() == 1;
                boolean last = i == raw.length() - 1;
                if (c == '*' && first) {
                    leadingStar = true;
                } else if (c == '*' && last) {
                    trailingStar = true;
                } else {
                    innerWildcards++;
                }
                onlyStars &= c == '*';
            } else {
                onlyStars = false;
                literal.append(c);
                if (c == '*' || c == '?' || c == '\\') {
                    pattern.append('\\');
                }
                pattern.append(c);
            }
        }
        if (onlyStars) {
            return new Glob(Shape.EXISTS, "", raw);
        }
        String text = literal.toString();
        if (innerWildcards == 0 && wildcards > 0) {
            if (leadingStar && trailingStar) {
                return new Glob(Shape.CONTAINS, text, pattern.toString());
            }
            if (leadingStar) {
                return new Glob(Shape.ENDS_WITH, text, pattern.toString());
            }
            if (trailingStar) {
                return new Glob(Shape.PREFIX, text, pattern.toString());
            }
        }
        return new Glob(Shape.WILDCARD, text, pattern.toString());
    }
}
