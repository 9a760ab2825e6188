package trailhound.query;

import java.util.Arrays;

/**
 * Query text as the analyst typed it, and the same text with the lenient escapes added that the
 * Lucene lexer needs, plus a map from every lexed character back to its typed column.
 *
 * <p>Why: in classic Lucene syntax a second {@code :} or a {@code /} inside a value ends the term
 * ({@code ts:2020-10-19T07:00}, {@code remote_ip:fe80::1}, {@code remote_ip:10.0.0.0/8},
 * {@code process_path:c:\\windows}), so analysts would have to escape them by hand. Neither can
 * mean anything else there (a field name never follows a value; a regex only starts a term), so
 * this class escapes them: every {@code :} after a term's first one, and every {@code /} that is
 * not at the start of a term. Quoted phrases, {@code /regex/} and {@code [range]} are copied as is.
 */
record QueryText(String typed, String lexed, int[] origin) {

    /**
     * @throws QuerySyntaxException when the text is longer than {@link QueryLanguage#MAX_LENGTH} or
     *     nests groups deeper than {@link QueryLanguage#MAX_NESTING}: checked here, before Lucene's
     *     recursive parser sees it, since a few thousand {@code (} would overflow its stack
     */
    static QueryText of(String typed) {
        if (typed.length() > QueryLanguage.MAX_LENGTH) {
            throw new QuerySyntaxException("the query is " + typed.length() + " characters long; the limit is "
                    + QueryLanguage.MAX_LENGTH + " (QueryLanguage.MAX_LENGTH) at column " + (QueryLanguage.MAX_LENGTH + 1),
                    QueryLanguage.MAX_LENGTH + 1, null);
        }
        int depth = 0;
        StringBuilder out = new StringBuilder(typed.length() + 8);
        int[] origin = new int[typed.length() * 2 + 1];
        int n = typed.length();
        int i = 0;
        boolean termStart = true;
        boolean fieldSeen = false;
        while (i < n) {
            char c = typed.charAt(i);
            if (Character.isWhitespace(c) || c == '(' || c == ')') {
                depth = Math.max(0, depth + (c == '(' ? 1 : c == ')' ? -1 : 0));
                if (depth > QueryLanguage.MAX_NESTING) {
                    throw new QuerySyntaxException("parentheses nest deeper than " + QueryLanguage.MAX_NESTING
                            + " levels (QueryLanguage.MAX_NESTING) at column " + (i + 1), i + 1, null);
                }
                origin[out.length()] = i;
                out.append(c);
                termStart = true;
                fieldSeen = false;
                i++;
            } else if (c == '\\' && i + 1 < n) {
                i = copy(typed, i, i + 2, out, origin);
                termStart = false;
            } else if (c == '"') {
                i = copy(typed, i, closing(typed, i, "\""), out, origin);
                termStart = false;
            } else if (termStart && c == '/') {
                i = copy(typed, i, closing(typed, i, "/"), out, origin);
                termStart = false;
            } else if (termStart && (c == '[' || c == '{')) {
                i = copy(typed, i, closing(typed, i, "]}"), out, origin);
                termStart = false;
            } else if (c == '/' || (c == ':' && fieldSeen)) {
                origin[out.length()] = i;
                out.append('\\');
                i = copy(typed, i, i + 1, out, origin);
                termStart = false;
            } else if (c == ':' && !termStart) {
                i = copy(typed, i, i + 1, out, origin);
                fieldSeen = true;
                termStart = true;
            } else {
                i = copy(typed, i, i + 1, out, origin);
                // Modifiers keep the next character at a term start: -/regex/, !field:value.
                termStart = termStart && (c == '+' || c == '-' || c == '!');
            }
        }
        origin[out.length()] = n;
        return new QueryText(typed, out.toString(), Arrays.copyOf(origin, out.length() + 1));
    }

    /** The 1-based typed column of a 0-based offset into {@link #lexed()}. */
    int column(int lexedOffset) {
        return origin[Math.max(0, Math.min(lexedOffset, origin.length - 1))] + 1;
    }

    /** Index just past the first unescaped character of {@code ends} after {@code from}, or the end. */
    private static int closing(String s, int from, String ends) {
        for (int i = from + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (ends.indexOf(c) >= 0) {
                return i + 1;
            }
        }
        return s.length();
    }

    private static int copy(String s, int from, int to, StringBuilder out, int[] origin) {
        int end = Math.min(to, s.length());
        for (int i = from; i < end; i++) {
            origin[out.length()] = i;
            out.append(s.charAt(i));
        }
        return end;
    }
}
