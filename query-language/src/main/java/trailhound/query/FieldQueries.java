package trailhound.query;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;
import trailhound.query.ValuePatternQuery.Mode;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;
import trailhound.query.IndexFields;

/*
 * One operation (equals, prefix, glob, regex, range) on one typed field name, routed by the field's
 * kind to the Lucene fields of IndexFields. An alias becomes a disjunction of the same operation on
 * each of its fields (they share one kind, so a value is valid for all or for none).
 *
 * Failures throw Rejected with a message naming the field, the value and the expected form; the
 * parser adds the column, which only it knows.
 */
final class FieldQueries {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private final Clock clock;

    FieldQueries(Clock clock) {
        this.clock = clock;
    }

    /** A value the field cannot take; the message has no column yet. */
    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message);
        }
    }

    Query equalsQuery(String name, List<Field> fields, String value, boolean quoted) {
        if (value.isEmpty()) {
            throw new Rejected("empty value for field '" + name + "'; to find events without it use NOT " + name + ":*");
        }
        FieldKind kind = fields.getFirst().kind();
        if (!quoted && kind != FieldKind.KEYWORD && kind != FieldKind.ID) {
            Comparison comparison = Comparison.of(value);
            if (comparison != null) {
                return comparison.lower()
                        ? rangeQuery(name, fields, comparison.operand(), null, comparison.inclusive(), true)
                        : rangeQuery(name, fields, null, comparison.operand(), true, comparison.inclusive());
            }
        }
        return anyOf(fields, f -> switch (f.kind()) {
            case KEYWORD, ID -> new TermQuery(new Term(IndexFields.term(f), IndexFields.normalize(value)));
            case NUMBER -> LongPoint.newExactQuery(IndexFields.point(f), number(name, value));
            case TIME -> {
                TimeSpan span = time(name, value);
                yield LongPoint.newRangeQuery(IndexFields.point(f), span.start(), span.end() - 1);
            }
            case IP -> ipEquals(name, f, value);
        });
    }

    /**
     * Free text: the text as a literal needle (a phrase's spaces and {@code * ?} included), contains
     * on each field, the same leaf as {@code field:*text*} gives.
     */
    Query containsQuery(List<Field> fields, String text) {
        if (text.isEmpty()) {
            throw new Rejected("empty free-text phrase \"\"; write the text to search for, or field:value");
        }
        String needle = IndexFields.lower(text);
        return anyOf(fields, f -> new ValuePatternQuery(f, Mode.CONTAINS, needle));
    }

    /** Here and in globQuery and regexQuery a name of null means free text (a term without field:). */
    Query prefixQuery(String name, List<Field> fields, String prefix) {
        if (fields.getFirst().kind() == FieldKind.TIME) {
            throw new Rejected("field '" + name + "' does not support starts-with ('" + prefix + "*'); use a range like "
                    + name + ":[2020-10-19 TO now] or " + name + ":>now-1h");
        }
        return anyOf(fields, f -> new PrefixQuery(new Term(IndexFields.term(f), IndexFields.prefixTerm(prefix))));
    }

    /** A glob term as typed (escapes still in): routed by its shape. */
    Query globQuery(String name, List<Field> fields, String raw) {
        Glob glob = Glob.of(raw);
        if (glob.shape() == Glob.Shape.EXISTS) {
            // "Any term" is "the event has this field"; TIME fields have no term, every value is a point.
            return anyOf(fields, f -> f.kind() == FieldKind.TIME
                    ? LongPoint.newRangeQuery(IndexFields.point(f), Long.MIN_VALUE, Long.MAX_VALUE)
                    : new PrefixQuery(new Term(IndexFields.term(f), "")));
        }
        if (glob.shape() == Glob.Shape.PREFIX) {
            return prefixQuery(name, fields, glob.literal());
        }
        FieldKind kind = fields.getFirst().kind();
        if (kind != FieldKind.KEYWORD) {
            throw unsupported(name, kind, switch (glob.shape()) {
                case CONTAINS -> "contains ('*" + glob.literal() + "*')";
                case ENDS_WITH -> "ends-with ('*" + glob.literal() + "')";
                default -> "wildcard patterns ('" + raw + "')";
            });
        }
        String literal = IndexFields.lower(glob.literal());
        try {
            return anyOf(fields, f -> switch (glob.shape()) {
                case CONTAINS -> new ValuePatternQuery(f, Mode.CONTAINS, literal);
                case ENDS_WITH -> new ValuePatternQuery(f, Mode.ENDS_WITH, literal);
                default -> new ValuePatternQuery(f, Mode.WILDCARD, IndexFields.lower(glob.pattern()));
            });
        } catch (TooComplexToDeterminizeException tooComplex) {
            throw new Rejected("the wildcard pattern '" + abbreviate(raw) + "' " + forField(name)
                    + " is too complex to run; use fewer '*' and '?'");
        }
    }

    Query regexQuery(String name, List<Field> fields, String regex) {
        FieldKind kind = fields.getFirst().kind();
        if (kind != FieldKind.KEYWORD) {
            throw unsupported(name, kind, "regular expressions ('/" + regex + "/')");
        }
        if (regex.length() > QueryLanguage.MAX_REGEX_LENGTH) {
            throw new Rejected("the regular expression " + forField(name) + " is " + regex.length()
                    + " characters long; the limit is " + QueryLanguage.MAX_REGEX_LENGTH + " (QueryLanguage.MAX_REGEX_LENGTH)");
        }
        if (RegexSize.nesting(regex) > QueryLanguage.MAX_NESTING) {
            throw new Rejected("the regular expression " + forField(name) + " nests parentheses deeper than "
                    + QueryLanguage.MAX_NESTING + " levels (QueryLanguage.MAX_NESTING)");
        }
        String normalized = normalizeRegex(regex);
        try {
            RegexSize.check(normalized);
            return anyOf(fields, f -> new ValuePatternQuery(f, Mode.REGEX, normalized));
        } catch (TooComplexToDeterminizeException | RegexSize.TooLarge tooComplex) {
            throw new Rejected("the regular expression '/" + abbreviate(regex) + "/' " + forField(name)
                    + " is too complex to run (its automaton would be too large); simplify it");
        } catch (IllegalArgumentException invalid) {
            throw new Rejected("invalid regular expression '/" + regex + "/' " + forField(name) + ": " + invalid.getMessage());
        }
    }

    /** Bounds are null when open ({@code *}). */
    Query rangeQuery(String name, List<Field> fields, String lower, String upper, boolean includeLower, boolean includeUpper) {
        return anyOf(fields, f -> switch (f.kind()) {
            case KEYWORD, ID -> TermRangeQuery.newStringRange(IndexFields.term(f),
                    lower == null ? null : IndexFields.normalize(lower), upper == null ? null : IndexFields.normalize(upper),
                    includeLower, includeUpper);
            case NUMBER -> longRange(f, lower == null ? Long.MIN_VALUE : number(name, lower), includeLower || lower == null,
                    upper == null ? Long.MAX_VALUE : number(name, upper), includeUpper || upper == null);
            case TIME -> {
                // A bound names a span: include it whole, or exclude it whole.
                TimeSpan lo = lower == null ? null : time(name, lower);
                TimeSpan hi = upper == null ? null : time(name, upper);
                long from = lo == null ? Long.MIN_VALUE : includeLower ? lo.start() : lo.end();
                long to = hi == null ? Long.MAX_VALUE : includeUpper ? hi.end() - 1 : hi.start() - 1;
                yield LongPoint.newRangeQuery(IndexFields.point(f), from, to);
            }
            case IP -> ipRange(name, f, lower, upper, includeLower, includeUpper);
        });
    }

    private static Query longRange(Field f, long lower, boolean includeLower, long upper, boolean includeUpper) {
        if ((!includeLower && lower == Long.MAX_VALUE) || (!includeUpper && upper == Long.MIN_VALUE)) {
            return new MatchNoDocsQuery("empty range on " + f);
        }
        return LongPoint.newRangeQuery(IndexFields.point(f), includeLower ? lower : lower + 1, includeUpper ? upper : upper - 1);
    }

    private static Query ipEquals(String name, Field f, String value) {
        int slash = value.indexOf('/');
        if (slash < 0) {
            return InetAddressPoint.newExactQuery(IndexFields.point(f), ip(name, value));
        }
        InetAddress address = ip(name, value.substring(0, slash));
        int bits;
        try {
            bits = Integer.parseInt(value.substring(slash + 1));
            return InetAddressPoint.newPrefixQuery(IndexFields.point(f), address, bits);
        } catch (IllegalArgumentException badLength) {
            throw new Rejected("field '" + name + "' expects a CIDR prefix length of 0 to "
                    + (address.getAddress().length * 8) + ", not '" + value + "'");
        }
    }

    private static Query ipRange(String name, Field f, String lower, String upper, boolean includeLower, boolean includeUpper) {
        InetAddress lo = lower == null ? InetAddressPoint.MIN_VALUE : ip(name, lower);
        InetAddress hi = upper == null ? InetAddressPoint.MAX_VALUE : ip(name, upper);
        try {
            return InetAddressPoint.newRangeQuery(IndexFields.point(f),
                    includeLower || lower == null ? lo : InetAddressPoint.nextUp(lo),
                    includeUpper || upper == null ? hi : InetAddressPoint.nextDown(hi));
        } catch (ArithmeticException beyondEnd) {
            return new MatchNoDocsQuery("empty range on " + f);
        }
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new Rejected("field '" + name + "' expects a whole number (e.g. " + name + ":4, " + name + ":[1 TO 1023], "
                    + name + ":>1000), not '" + value + "'");
        }
    }

    private TimeSpan time(String name, String value) {
        return TimeSpan.parse(value, clock).orElseThrow(() ->
                new Rejected("field '" + name + "' expects " + TimeSpan.FORMS + ", not '" + value + "'"));
    }

    /** Parses an address literal only; never resolves a host name (getByName would ask DNS). */
    static InetAddress ip(String name, String value) {
        String v = value.trim();
        if (IPV4.matcher(v).matches() || IPV6.matcher(v).matches()) {
            try {
                return InetAddress.getByName(v);
            } catch (UnknownHostException | IllegalArgumentException invalid) {
                // falls through to the message below
            }
        }
        throw new Rejected("field '" + name + "' expects an IPv4 or IPv6 address (10.0.0.1, fe80::1), a CIDR block"
                + " (10.0.0.0/8) or a range ([10.0.0.1 TO 10.0.0.255]), not '" + value + "'");
    }

    private static String forField(String name) {
        return name == null ? "in free text (a term without field:)" : "for field '" + name + "'";
    }

    private static Rejected unsupported(String name, FieldKind kind, String what) {
        String supported = switch (kind) {
            case ID -> "only equals and starts-with (" + name + ":value, " + name + ":val*)";
            case NUMBER -> "only equals, starts-with and ranges (" + name + ":4, " + name + ":[1 TO 1023], " + name + ":>1000)";
            case TIME -> "only ranges and comparisons (" + name + ":[2020-10-19 TO now], " + name + ":>now-1h)";
            case IP -> "only equals, starts-with, CIDR and ranges (" + name + ":10.0.0.1, " + name + ":10.*, "
                    + name + ":10.0.0.0/8)";
            case KEYWORD -> "every operation";
        };
        return new Rejected("field '" + name + "' supports " + supported + ", not " + what);
    }

    /**
     * Lower-cases a regex like the values it runs on, except the letter of a class escape
     * ({@code \D \S \W} differ from {@code \d \s \w}).
     */
    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    static String normalizeRegex(String regex) {
        StringBuilder out = new StringBuilder(regex.length());
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(++i);
                out.append(c).append("DSW".indexOf(next) >= 0 ? String.valueOf(next) : String.valueOf(next).toLowerCase(Locale.ROOT));
            } else {
                out.append(String.valueOf(c).toLowerCase(Locale.ROOT));
            }
        }
        return out.toString();
    }

    private static Query anyOf(List<Field> fields, Function<Field, Query> perField) {
        if (fields.size() == 1) {
            return perField.apply(fields.getFirst());
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (Field f : fields) {
            any.add(perField.apply(f), Occur.SHOULD);
        }
        return any.build();
    }

    /** {@code >x}, {@code >=x}, {@code <x}, {@code <=x} on NUMBER, TIME and IP fields. */
    record Comparison(boolean lower, boolean inclusive, String operand) {
        static Comparison of(String value) {
            boolean greater = value.startsWith(">");
            if (!greater && !value.startsWith("<")) {
                return null;
            }
            boolean inclusive = value.startsWith("=", 1);
            return new Comparison(greater, inclusive, value.substring(inclusive ? 2 : 1));
        }
    }
}
