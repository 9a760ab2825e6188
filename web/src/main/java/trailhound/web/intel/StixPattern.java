package trailhound.web.intel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;

/**
 * STIX 2.1 patterns to and from IOC trees: the subset Trailhound writes, read by a small recursive
 * descent parser over the OASIS grammar ({@code STIXPattern.g4}) rather than a generated one, so the
 * product needs no ANTLR runtime for a handful of forms.
 *
 * <h2>Written</h2>
 * Each item is its own observation expression, a group joins them with {@code AND} / {@code OR} in
 * parentheses: {@code ([file:hashes.'SHA-256' = '5f2b...'] OR [process:command_line LIKE '%-enc%'])}.
 * <table>
 *   <caption>indicator types and STIX object paths</caption>
 *   <tr><td>md5, sha1, sha256</td><td>{@code file:hashes.MD5}, {@code file:hashes.'SHA-1'}, {@code file:hashes.'SHA-256'}</td></tr>
 *   <tr><td>file_path</td><td>{@code [file:parent_directory_ref.path = DIR AND file:name = NAME]};
 *       contains: {@code file:parent_directory_ref.path LIKE '%v%'} (STIX files have no full-path
 *       property, so a contains reads only the folder)</td></tr>
 *   <tr><td>file_name</td><td>{@code file:name}</td></tr>
 *   <tr><td>process_name, command_line</td><td>{@code process:image_ref.name}, {@code process:command_line}</td></tr>
 *   <tr><td>ip</td><td>{@code ipv4-addr:value} or {@code ipv6-addr:value}</td></tr>
 *   <tr><td>domain</td><td>{@code domain-name:value}</td></tr>
 *   <tr><td>registry_key, registry_value, registry_data</td><td>{@code windows-registry-key:key},
 *       {@code windows-registry-key:values[*].name}, {@code windows-registry-key:values[*].data}</td></tr>
 * </table>
 * {@code is} is {@code =}; {@code contains} is {@code LIKE '%v%'}, or, when the value holds {@code %}
 * or {@code _} (LIKE's wildcards, which LIKE cannot escape), {@code MATCHES} with the value as an
 * escaped regex ({@code MATCHES 'x_y\\.exe'}), which STIX tools read as "contains" too.
 *
 * <h2>Read</h2>
 * Those forms, AND / OR at both levels (inside brackets and between them), parentheses, also
 * {@code process:name} and {@code network-traffic:dst_ref.value} / {@code src_ref.value}, and CIDR blocks of
 * addresses ({@code [ipv4-addr:value = '10.0.0.0/8']}, {@code ISSUBSET '10.0.0.0/8'}, IPv6 alike), which become
 * the query language's {@code ip:10.0.0.0/8}. Anything else
 * (other paths or operators, {@code NOT}, qualifiers such as {@code WITHIN}, {@code FOLLOWEDBY}, a
 * {@code LIKE} with other wildcards, a {@code MATCHES} regex that is not escaped literal text) is reported as not
 * imported; an AND that loses a part is left out whole, as it would otherwise match more, and reported so, naming
 * the part.
 */
public final class StixPattern {
    private StixPattern() {}

    /** The pattern of a tree. */
    public static String write(IocTree tree) {
        return switch (tree) {
            case IocTree.Item item -> "[" + comparison(item) + "]";
            case IocTree.Group g -> g.parts().size() == 1 ? write(g.parts().getFirst())
                    : "(" + String.join(" " + g.operator().name() + " ", g.parts().stream().map(StixPattern::write).toList()) + ")";
        };
    }

    private static String comparison(IocTree.Item item) {
        boolean is = item.condition() == IocTree.Condition.IS;
        if (item.type() == IndicatorType.FILE_PATH && is) {
            String v = item.value();
            int cut = Math.max(v.lastIndexOf('\\'), v.lastIndexOf('/'));
            if (cut >= 0) {
                return "file:parent_directory_ref.path = " + literal(v.substring(0, cut)) + " AND file:name = " + literal(v.substring(cut + 1));
            }
            return "file:name = " + literal(v);
        }
        String path = switch (item.type()) {
            case MD5 -> "file:hashes.MD5";
            case SHA1 -> "file:hashes.'SHA-1'";
            case SHA256 -> "file:hashes.'SHA-256'";
            case FILE_PATH -> "file:parent_directory_ref.path";
            case FILE_NAME -> "file:name";
            case PROCESS_NAME -> "process:image_ref.name";
            case COMMAND_LINE -> "process:command_line";
            case IP -> (item.value().contains(":") ? "ipv6-addr" : "ipv4-addr") + ":value";
            case DOMAIN -> "domain-name:value";
            case REGISTRY_KEY -> "windows-registry-key:key";
            case REGISTRY_VALUE -> "windows-registry-key:values[*].name";
            case REGISTRY_DATA -> "windows-registry-key:values[*].data";
        };
        if (is) return path + " = " + literal(item.value());
        // LIKE has no escape: a % or _ in the value would be a wildcard to other tools, so such a value goes as a regex
        boolean wildcards = item.value().contains("%") || item.value().contains("_");
        return path + (wildcards ? " MATCHES " + literal(regexOf(item.value())) : " LIKE " + literal("%" + item.value() + "%"));
    }

    private static final String REGEX_SPECIALS = "\\^$.|?*+()[]{}";

    /** A regex (PCRE, unanchored: as STIX MATCHES reads it) matching {@code text} literally. */
    static String regexOf(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (REGEX_SPECIALS.indexOf(c) >= 0) out.append('\\');
            out.append(c);
        }
        return out.toString();
    }

    /** The literal text of a regex of only literal characters and escaped punctuation (what {@link #regexOf} writes), else null. */
    static String literalOf(String regex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (++i >= regex.length() || Character.isLetterOrDigit(regex.charAt(i))) return null; // \d, \w, a dangling \
                out.append(regex.charAt(i));
            } else if (REGEX_SPECIALS.indexOf(c) >= 0) {
                return null;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * Reads a pattern into a tree, adding to {@code notImported} what was left out and why.
     *
     * @return the tree, or null when nothing of it could be imported
     * @throws IllegalArgumentException when the text is not a STIX pattern, with the column
     */
    public static IocTree read(String pattern, List<String> notImported) {
        Parser p = new Parser(pattern, notImported);
        Result r = p.observationOr();
        p.skipSpace();
        if (p.pos < pattern.length()) throw p.error("expected AND, OR or the end of the pattern");
        return r.tree();
    }

    /** A parsed part: its tree (null when nothing of it is imported) and whether something of it was left out. */
    private record Result(IocTree tree, boolean lost) {
        static Result join(IocTree.Operator op, List<Result> parts) {
            boolean lost = parts.stream().anyMatch(Result::lost);
            if (op == IocTree.Operator.AND && lost) return new Result(null, true);
            List<IocTree> trees = parts.stream().map(Result::tree).filter(t -> t != null).toList();
            if (trees.isEmpty()) return new Result(null, lost);
            return new Result(trees.size() == 1 ? trees.getFirst() : new IocTree.Group(op, trees), lost);
        }
    }

    private static final class Parser {
        final String s;
        final List<String> notImported;
        /** The text of each part left out so far, in order: an AND that loses one names it. */
        final List<String> lostTexts = new ArrayList<>();
        int pos;
        /** Parentheses open around {@link #pos}: bounded, as each level is a frame of this recursive parser. */
        int depth;

        Parser(String s, List<String> notImported) {
            this.s = s;
            this.notImported = notImported;
        }

        Result observationOr() {
            List<Result> parts = new ArrayList<>(List.of(observationAnd()));
            while (keyword("OR")) parts.add(observationAnd());
            return parts.size() == 1 ? parts.getFirst() : Result.join(IocTree.Operator.OR, parts);
        }

        Result observationAnd() {
            skipSpace();
            int start = pos;
            int lostBefore = lostTexts.size();
            List<Result> parts = new ArrayList<>(List.of(observationFollowed()));
            while (keyword("AND")) parts.add(observationFollowed());
            return parts.size() == 1 ? parts.getFirst() : andOf(parts, start, lostBefore);
        }

        /**
         * The AND of {@code parts} (from {@code start}); when a part is left out the whole AND is (without it the rest
         * would match more), and when other parts could have been imported the report says so naming the part that could
         * not, so nothing is dropped unsaid.
         */
        Result andOf(List<Result> parts, int start, int lostBefore) {
            Result r = Result.join(IocTree.Operator.AND, parts);
            boolean othersDropped = r.lost() && parts.stream().anyMatch(p -> p.tree() != null);
            if (othersDropped && lostTexts.size() > lostBefore) {
                List<String> lost = lostTexts.subList(lostBefore, lostTexts.size());
                String text = s.substring(start, pos).strip();
                notImported.add("'" + text + "': left out whole, as " + (lost.size() == 1 ? "its part '" + lost.getFirst() + "' is"
                        : "its parts '" + String.join("', '", lost) + "' are") + " not imported (above) and without "
                        + (lost.size() == 1 ? "it" : "them") + " the AND would match more");
                lostTexts.add(text);
            }
            return r;
        }

        Result observationFollowed() {
            int start = pos;
            Result first = observation();
            if (!peekKeyword("FOLLOWEDBY")) return first;
            while (keyword("FOLLOWEDBY")) observation();
            leave(s.substring(start, pos).strip(), "FOLLOWEDBY (an order of observations) is not supported");
            return new Result(null, true);
        }

        Result observation() {
            skipSpace();
            int start = pos;
            Result r;
            if (eat('[')) {
                r = comparisonOr();
                skipSpace();
                if (!eat(']')) throw error("expected ]");
            } else if (eat('(')) {
                deeper();
                r = observationOr();
                skipSpace();
                if (!eat(')')) throw error("expected )");
                depth--;
            } else {
                throw error("expected [ or (");
            }
            if (qualifiers()) {
                leave(s.substring(start, pos).strip(), "qualifiers (WITHIN, REPEATS, START/STOP) are not supported");
                return new Result(null, true);
            }
            return r;
        }

        /** Skips any qualifiers; true when there were some. */
        boolean qualifiers() {
            boolean any = false;
            while (true) {
                if (keyword("WITHIN")) {
                    number();
                    expectKeyword("SECONDS");
                } else if (keyword("REPEATS")) {
                    number();
                    expectKeyword("TIMES");
                } else if (keyword("START")) {
                    value();
                    expectKeyword("STOP");
                    value();
                } else {
                    return any;
                }
                any = true;
            }
        }

        Result comparisonOr() {
            List<Result> parts = new ArrayList<>(List.of(comparisonAnd()));
            while (keyword("OR")) parts.add(comparisonAnd());
            return parts.size() == 1 ? parts.getFirst() : Result.join(IocTree.Operator.OR, parts);
        }

        Result comparisonAnd() {
            skipSpace();
            int start = pos;
            int lostBefore = lostTexts.size();
            List<Object> parts = new ArrayList<>(List.of(comparison()));
            while (keyword("AND")) parts.add(comparison());
            // a folder and a name of the same file are one full path
            Comparison dir = null, name = null;
            for (Object o : parts) {
                if (o instanceof Comparison c && c.op.equals("=") && c.path.equals("file:parent_directory_ref.path")) dir = c;
                if (o instanceof Comparison c && c.op.equals("=") && c.path.equals("file:name")) name = c;
            }
            List<Result> results = new ArrayList<>();
            if (dir != null && name != null) {
                String sep = dir.value.contains("\\") || !dir.value.contains("/") ? "\\" : "/";
                String full = dir.value.endsWith(sep) ? dir.value + name.value : dir.value + sep + name.value;
                results.add(item(IndicatorType.FILE_PATH, IocTree.Condition.IS, full, dir.text + " AND " + name.text));
                parts.remove(dir);
                parts.remove(name);
            }
            for (Object o : parts) results.add(o instanceof Comparison c ? c.toResult() : (Result) o);
            return results.size() == 1 ? results.getFirst() : andOf(results, start, lostBefore);
        }

        /** A comparison, or a parenthesised comparison expression (a Result). */
        Object comparison() {
            skipSpace();
            int start = pos;
            if (eat('(')) {
                deeper();
                Result r = comparisonOr();
                skipSpace();
                if (!eat(')')) throw error("expected )");
                depth--;
                return r;
            }
            String path = objectPath();
            boolean not = keyword("NOT");
            skipSpace();
            String op;
            if (s.startsWith("!=", pos) || s.startsWith("<=", pos) || s.startsWith(">=", pos)) {
                op = s.substring(pos, pos + 2);
                pos += 2;
            } else if (pos < s.length() && "=<>".indexOf(s.charAt(pos)) >= 0) {
                op = String.valueOf(s.charAt(pos++));
            } else {
                String word = word().toUpperCase(Locale.ROOT);
                if (!List.of("LIKE", "MATCHES", "IN", "ISSUBSET", "ISSUPERSET").contains(word)) throw error("expected a comparison operator");
                op = word;
            }
            Object value = value();
            String text = s.substring(start, pos).strip();
            return new Comparison(path, not ? "NOT " + op : op, value instanceof String v ? v : null, text, this);
        }

        String objectPath() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '-' || s.charAt(pos) == '_')) pos++;
            if (pos == start || !eat(':')) throw error("expected an object path like file:name");
            StringBuilder path = new StringBuilder(s.substring(start, pos));
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\'') {
                    path.append('\'').append(string()).append('\'');
                } else if (c == '[') {
                    int close = s.indexOf(']', pos);
                    if (close < 0) throw error("expected ]");
                    path.append(s, pos, close + 1);
                    pos = close + 1;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.') {
                    path.append(c);
                    pos++;
                } else {
                    break;
                }
            }
            return path.toString();
        }

        Object value() {
            skipSpace();
            if (pos >= s.length()) throw error("expected a value");
            char c = s.charAt(pos);
            if (c == '\'') return string();
            if ((c == 't' || c == 'h' || c == 'b') && pos + 1 < s.length() && s.charAt(pos + 1) == '\'') {
                pos++;
                string();
                return new Object();
            }
            if (c == '(') {
                int close = s.indexOf(')', pos);
                if (close < 0) throw error("expected )");
                pos = close + 1;
                return new Object();
            }
            String w = word();
            if (w.isEmpty()) throw error("expected a value");
            return new Object();
        }

        String string() {
            if (!eat('\'')) throw error("expected '");
            StringBuilder out = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    out.append(s.charAt(pos++));
                } else if (c == '\'') {
                    return out.toString();
                } else {
                    out.append(c);
                }
            }
            throw error("a string is not closed with '");
        }

        void number() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) pos++;
            if (start == pos) throw error("expected a number");
        }

        String word() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.' || s.charAt(pos) == '-')) pos++;
            return s.substring(start, pos);
        }

        boolean keyword(String k) {
            if (!peekKeyword(k)) return false;
            skipSpace();
            pos += k.length();
            return true;
        }

        boolean peekKeyword(String k) {
            skipSpace();
            if (!s.regionMatches(true, pos, k, 0, k.length())) return false;
            int end = pos + k.length();
            return end >= s.length() || !Character.isLetterOrDigit(s.charAt(end));
        }

        void expectKeyword(String k) {
            if (!keyword(k)) throw error("expected " + k);
        }

        boolean eat(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        void deeper() {
            if (++depth > IocImport.MAX_NESTING) {
                throw new IllegalArgumentException("the STIX pattern nests parentheses more than " + IocImport.MAX_NESTING
                        + " deep (column " + pos + "), the most Trailhound imports: flatten it, or split it into several indicators");
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("STIX pattern, column " + (pos + 1) + ": " + what + " in " + s);
        }

        Result item(IndicatorType type, IocTree.Condition condition, String value, String text) {
            try {
                return new Result(new IocTree.Item(type, condition, value), false);
            } catch (IllegalArgumentException bad) {
                leave(text, bad.getMessage());
                return new Result(null, true);
            }
        }

        /** Reports {@code text} as not imported, saying why. */
        void leave(String text, String why) {
            notImported.add("'" + text + "': " + why);
            lostTexts.add(text);
        }
    }

    private record Comparison(String path, String op, String value, String text, Parser parser) {
        Result toResult() {
            IndicatorType type = switch (path.toLowerCase(Locale.ROOT)) {
                case "file:hashes.md5", "file:hashes.'md5'" -> IndicatorType.MD5;
                case "file:hashes.'sha-1'", "file:hashes.sha1" -> IndicatorType.SHA1;
                case "file:hashes.'sha-256'", "file:hashes.sha256" -> IndicatorType.SHA256;
                case "file:parent_directory_ref.path" -> IndicatorType.FILE_PATH;
                case "file:name" -> IndicatorType.FILE_NAME;
                case "process:image_ref.name", "process:name" -> IndicatorType.PROCESS_NAME;
                case "process:command_line" -> IndicatorType.COMMAND_LINE;
                case "ipv4-addr:value", "ipv6-addr:value", "network-traffic:dst_ref.value", "network-traffic:src_ref.value" -> IndicatorType.IP;
                case "domain-name:value" -> IndicatorType.DOMAIN;
                case "windows-registry-key:key" -> IndicatorType.REGISTRY_KEY;
                case "windows-registry-key:values[*].name" -> IndicatorType.REGISTRY_VALUE;
                case "windows-registry-key:values[*].data" -> IndicatorType.REGISTRY_DATA;
                default -> null;
            };
            if (type == null) return skip("the object path " + path + " is not one Trailhound searches");
            if (value == null) return skip("only string values are supported");
            if (op.equals("=")) {
                if (type == IndicatorType.FILE_PATH) return skip("a folder alone is not supported; give it with file:name, or use LIKE");
                return parser.item(type, IocTree.Condition.IS, value, text);
            }
            if (op.equals("ISSUBSET") && type == IndicatorType.IP) {
                // an address in a CIDR block (STIX writes a block with = too): the query language's ip:10.0.0.0/8
                return parser.item(type, IocTree.Condition.IS, value, text);
            }
            if (op.equals("LIKE")) {
                String inner = value.length() >= 2 && value.startsWith("%") && value.endsWith("%") ? value.substring(1, value.length() - 1) : null;
                if (inner == null || inner.isEmpty() || inner.contains("%") || inner.contains("_")) {
                    return skip("only LIKE '%text%' (contains) is supported");
                }
                return parser.item(type, IocTree.Condition.CONTAINS, inner, text);
            }
            if (op.equals("MATCHES")) {
                String inner = literalOf(value);
                if (inner == null || inner.isEmpty()) return skip("only MATCHES of literal text (contains, as Trailhound writes it) is supported");
                return parser.item(type, IocTree.Condition.CONTAINS, inner, text);
            }
            return skip("the operator " + op + " is not supported (=, LIKE '%text%', MATCHES with literal text)");
        }

        private Result skip(String why) {
            parser.leave(text, why);
            return new Result(null, true);
        }
    }
}
