package trailhound.query;

import java.util.Set;

/**
 * Writing builder values as query-language text and reading them back: the escaping rules of
 * {@link QueryLanguage}, in one place so render and parse agree.
 */
final class RowText {
    /** Words the lexer takes as operators, so they must be quoted as values. */
    private static final Set<String> OPERATOR_WORDS = Set.of("AND", "OR", "NOT", "TO");
    /** Punctuation that is an ordinary term character anywhere in a term. */
    private static final String PLAIN = "_.@$%,;'=#";
    /** Plain only after a term's first character ({@code -x} is a negation, {@code /x/} a regex). */
    private static final String PLAIN_INSIDE = "-:/";

    private RowText() {}

    /** An exact value: bare when every character is plain, else a quoted phrase. */
    static String exact(String value) {
        boolean bare = !OPERATOR_WORDS.contains(value);
        for (int i = 0; i < value.length() && bare; i++) {
            bare = plain(value.charAt(i), i > 0);
        }
        if (bare) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * A value inside a term ({@code x*}, {@code *x*}, {@code >x}): every non-plain character is
     * backslash-escaped, so wildcards and spaces in the value are literal.
     *
     * @param atTermStart whether the value's first character starts the term
     */
    static String escaped(String value, boolean atTermStart) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!plain(c, i > 0 || !atTermStart)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A regex between slashes: every {@code /} not already escaped gets a backslash. */
    static String regex(String value) {
        StringBuilder out = new StringBuilder(value.length() + 4).append('/');
        int backslashes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' && backslashes % 2 == 0) {
                out.append('\\');
            }
            backslashes = c == '\\' ? backslashes + 1 : 0;
            out.append(c);
        }
        return out.append('/').toString();
    }

    /** The regex with every escaped slash {@code \/} written as {@code /}; both mean a literal slash. */
    static String canonicalRegex(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int backslashes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' && backslashes % 2 == 1) {
                out.setLength(out.length() - 1);
            }
            backslashes = c == '\\' ? backslashes + 1 : 0;
            out.append(c);
        }
        return out.toString();
    }

    static boolean endsWithEscape(String value) {
        return value.endsWith("\\");
    }

    /** Removes the backslash escapes of a term or phrase image, as the Lucene parser does. */
    static String unescape(String image) {
        StringBuilder out = new StringBuilder(image.length());
        for (int i = 0; i < image.length(); i++) {
            char c = image.charAt(i);
            if (c == '\\' && i + 1 < image.length()) {
                c = image.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean plain(char c, boolean inside) {
        return Character.isLetterOrDigit(c) || PLAIN.indexOf(c) >= 0 || (inside && PLAIN_INSIDE.indexOf(c) >= 0);
    }
}
