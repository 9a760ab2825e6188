package trailhound.query;

import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.queryparser.charstream.FastCharStream;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import trailhound.schema.Field;

/*
 * The classic Lucene parser with every query factory replaced, so the grammar (lexing, operators,
 * groups, ranges, escapes) stays Lucene's while every produced query follows the schema.
 *
 * Two behaviours differ from classic Lucene on purpose:
 *  - Boolean precedence. Classic Lucene turns "a AND b OR c" into "+a b c" (a required, the rest
 *    optional), which surprises everyone. addClause records each clause's conjunction and
 *    getBooleanQuery builds NOT > AND > OR: the OR-separated groups are alternatives (SHOULD), each a
 *    conjunction of MUST / MUST_NOT clauses. A group with only negative clauses gets a
 *    MatchAllDocsQuery MUST, so "NOT user:system" means "everything except".
 *  - Free text instead of a default field: a term without "field:" is the OR of the same term over
 *    the vocabulary's free-text fields, a plain word or phrase as contains (FieldQueries.containsQuery),
 *    a word with wildcards or a regex as the same value form on each field. A vocabulary without
 *    free-text fields (computer-group rules) refuses such a term with an example.
 *
 * Columns: every hook runs right after the parser consumed the value's tokens, so the token chain
 * from the start of the input up to the parser's current token tells where the field and value are.
 *
 * One instance per parse (the parser is stateful); not thread-safe.
 */
final class SchemaQueryParser extends QueryParser {
    /** Default field given to Lucene; seeing it in a hook means the term had no "field:". */
    private static final String NO_FIELD = "\u0000";
    // QueryParserBase's values, package-private there.
    private static final int CONJ_OR = 2;
    private static final int MOD_NOT = 10;
    private static final Pattern LEXICAL_COLUMN = Pattern.compile("column (\\d+)");

    private final QueryText text;
    private final FieldQueries queries;
    private final QueryFields.Vocabulary vocabulary;
    private final Map<List<BooleanClause>, List<Integer>> conjunctions = new IdentityHashMap<>();
    private Token head;

    SchemaQueryParser(QueryText text, Clock clock) {
        this(text, clock, QueryFields.EVENTS);
    }

    SchemaQueryParser(QueryText text, Clock clock, QueryFields.Vocabulary vocabulary) {
        super(NO_FIELD, null);
        this.text = text;
        this.queries = new FieldQueries(clock);
        this.vocabulary = vocabulary;
        setSplitOnWhitespace(true);
    }

    Query parseAll() {
        ReInit(new FastCharStream(new StringReader(text.lexed())));
        head = token;
        try {
            return TopLevelQuery(NO_FIELD);
        } catch (ParseException e) {
            throw syntaxError(e);
        } catch (TokenMgrError e) {
            throw lexicalError(text, e);
        } catch (IndexSearcher.TooManyClauses e) {
            throw new QuerySyntaxException("the query has more than " + IndexSearcher.getMaxClauseCount()
                    + " terms in one group, Lucene's limit; split it into several searches", 1, null);
        }
    }

    // ---- query factories -------------------------------------------------------------------

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) {
        if (isFreeText(field)) {
            return build(field, fields -> queries.containsQuery(fields, queryText));
        }
        return build(field, fields -> queries.equalsQuery(field, fields, queryText, quoted));
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, int slop) {
        if (slop != 0) {
            throw error("proximity search (\"...\"~" + slop + ") is not supported; values are matched whole", valueColumn(), field);
        }
        if (isFreeText(field)) {
            return build(field, fields -> queries.containsQuery(fields, queryText));
        }
        return build(field, fields -> queries.equalsQuery(field, fields, queryText, true));
    }

    @Override
    protected Query getPrefixQuery(String field, String termStr) {
        return build(field, fields -> queries.prefixQuery(name(field), fields, termStr));
    }

    @Override
    protected Query getWildcardQuery(String field, String termStr) {
        if (field.equals("*") && termStr.equals("*")) {
            return new MatchAllDocsQuery();
        }
        return build(field, fields -> queries.globQuery(name(field), fields, termStr));
    }

    @Override
    protected Query getRegexpQuery(String field, String termStr) {
        return build(field, fields -> queries.regexQuery(name(field), fields, termStr));
    }

    @Override
    protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) {
        throw error("fuzzy search ('" + termStr + "~') is not supported; use contains (*x*) or a regex (/x/)",
                valueColumn(), field);
    }

    @Override
    protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive, boolean endInclusive) {
        if (isFreeText(field)) {
            throw error("a range needs a field (e.g. remote_port:[1 TO 1023], ts:[2020-10-19 TO now])", valueColumn(), null);
        }
        return build(field, fields -> queries.rangeQuery(field, fields, part1, part2, startInclusive, endInclusive));
    }

    private interface FieldsQuery {
        Query apply(List<Field> fields);
    }

    private Query build(String field, FieldsQuery query) {
        List<Field> fields = fields(field);
        try {
            return query.apply(fields);
        } catch (FieldQueries.Rejected rejected) {
            throw error(rejected.getMessage(), valueColumn(), field);
        }
    }

    /** True for a term without "field:" where the vocabulary searches free text (else fields() refuses it). */
    private boolean isFreeText(String field) {
        return field.equals(NO_FIELD) && !vocabulary.freeText().isEmpty();
    }

    /** The field name FieldQueries puts in its messages; null for free text. */
    private static String name(String field) {
        return field.equals(NO_FIELD) ? null : field;
    }

    private List<Field> fields(String name) {
        if (name.equals(NO_FIELD)) {
            if (!vocabulary.freeText().isEmpty()) {
                return vocabulary.freeText();
            }
            Token value = valueToken();
            throw error("expected field:value but found '" + value.image + "' without a field"
                    + " (e.g. " + vocabulary.exampleField() + ":" + value.image + ")", text.column(value.beginColumn), null);
        }
        return vocabulary.resolve(name).orElseThrow(() -> {
            Optional<String> suggestion = vocabulary.suggest(name);
            int column = fieldColumn(name);
            return new QuerySyntaxException("unknown field '" + name + "' at column " + column + "; known fields: "
                    + String.join(", ", vocabulary.knownNames())
                    + suggestion.map(s -> " (did you mean " + s + "?)").orElseGet(() -> quoteHint(column)), column, name);
        });
    }

    /**
     * For an unknown field where free text is allowed: the typed "name:value" in quotes, since text
     * with a colon (c:\windows, http://...) reads as field:value unless quoted.
     */
    private String quoteHint(int fieldColumn) {
        if (vocabulary.freeText().isEmpty()) {
            return "";
        }
        String typed = text.typed();
        int end = text.column(valueToken().endColumn) - 1; // a token's endColumn is exclusive
        if (end < fieldColumn || end > typed.length()) {
            return "";
        }
        // on to the next space: "http://x.example" lexes as http: //, then x.example
        while (end < typed.length() && !Character.isWhitespace(typed.charAt(end)) && typed.charAt(end) != ')') {
            end++;
        }
        String word = typed.substring(fieldColumn - 1, end);
        return "; to search for text with a ':' in any field, quote it: \"" + word + "\"";
    }

    // ---- boolean precedence ----------------------------------------------------------------

    @Override
    protected void addClause(List<BooleanClause> clauses, int conj, int mods, Query q) {
        if (q == null) {
            return;
        }
        conjunctions.computeIfAbsent(clauses, c -> new ArrayList<>()).add(conj);
        clauses.add(newBooleanClause(q, mods == MOD_NOT ? Occur.MUST_NOT : Occur.MUST));
    }

    @Override
    protected Query getBooleanQuery(List<BooleanClause> clauses) {
        List<Integer> conj = conjunctions.remove(clauses);
        List<Query> alternatives = new ArrayList<>();
        List<BooleanClause> group = new ArrayList<>();
        for (int i = 0; i < clauses.size(); i++) {
            if (i > 0 && conj.get(i) == CONJ_OR) {
                alternatives.add(conjunction(group));
                group = new ArrayList<>();
            }
            group.add(clauses.get(i));
        }
        alternatives.add(conjunction(group));
        if (alternatives.size() == 1) {
            return alternatives.getFirst();
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        alternatives.forEach(q -> any.add(q, Occur.SHOULD));
        return any.build();
    }

    private static Query conjunction(List<BooleanClause> group) {
        if (group.size() == 1 && group.getFirst().occur() == Occur.MUST) {
            return group.getFirst().query();
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        boolean positive = false;
        for (BooleanClause c : group) {
            all.add(c);
            positive |= c.occur() == Occur.MUST;
        }
        if (!positive) {
            all.add(new MatchAllDocsQuery(), Occur.MUST);
        }
        return all.build();
    }

    // ---- positions and errors --------------------------------------------------------------

    private List<Token> consumed() {
        List<Token> tokens = new ArrayList<>();
        for (Token t = head.next; t != null; t = t.next) {
            tokens.add(t);
            if (t == token) {
                break;
            }
        }
        return tokens;
    }

    /** The last value token consumed: the term, phrase, regex or range start the hook is about. */
    private Token valueToken() {
        Token value = token;
        for (Token t : consumed()) {
            switch (t.kind) {
                case TERM, STAR, PREFIXTERM, WILDTERM, REGEXPTERM, QUOTED, RANGEIN_START, RANGEEX_START -> value = t;
                default -> { }
            }
        }
        return value;
    }

    private int valueColumn() {
        return text.column(valueToken().beginColumn);
    }

    /** Column of the last "name:" before the current value, falling back to the value's column. */
    private int fieldColumn(String name) {
        int column = valueColumn();
        for (Token t : consumed()) {
            if (t.kind == TERM && t.next != null && t.next.kind == COLON && t.image.replace("\\", "").equalsIgnoreCase(name)) {
                column = text.column(t.beginColumn);
            }
        }
        return column;
    }

    private static QuerySyntaxException error(String message, int column, String field) {
        return new QuerySyntaxException(message + " at column " + column, column, field == null || field.equals(NO_FIELD) ? null : field);
    }

    private QuerySyntaxException syntaxError(ParseException e) {
        if (e.currentToken == null || e.currentToken.next == null) {
            return new QuerySyntaxException(e.getMessage(), 1, null);
        }
        Token bad = e.currentToken.next;
        int column = text.column(bad.beginColumn);
        String found = bad.kind == EOF ? "end of query" : "'" + bad.image + "'";
        String hint = (bad.kind == MINUS || bad.kind == PLUS) && e.currentToken.kind == COLON
                ? " (write a value starting with '" + bad.image + "' as \\" + bad.image + " or in quotes)"
                : "";
        Set<String> expected = new LinkedHashSet<>();
        for (int[] sequence : e.expectedTokenSequences) {
            expected.add(describe(sequence[0]));
        }
        return new QuerySyntaxException("unexpected " + found + " at column " + column + "; expected "
                + String.join(" or ", expected) + hint, column, null);
    }

    private static String describe(int kind) {
        return switch (kind) {
            case TERM, QUOTED, STAR, PREFIXTERM, WILDTERM, REGEXPTERM, NUMBER, BAREOPER, RANGEIN_START, RANGEEX_START -> "a value";
            case COLON -> "':' after the field name";
            case AND, OR -> "AND/OR";
            case NOT, PLUS, MINUS -> "NOT";
            case LPAREN -> "'('";
            case RPAREN -> "')'";
            case CARAT -> "'^'";
            case FUZZY_SLOP -> "'~'";
            case RANGE_TO -> "TO";
            case RANGE_GOOP, RANGE_QUOTED -> "a range bound";
            case RANGEIN_END, RANGEEX_END -> "']' or '}'";
            case EOF -> "end of query";
            default -> tokenImage[kind];
        };
    }

    /** A lexer failure (unclosed quote, trailing backslash...) as an error with the typed column. */
    static QuerySyntaxException lexicalError(QueryText text, TokenMgrError e) {
        Matcher m = LEXICAL_COLUMN.matcher(String.valueOf(e.getMessage()));
        int column = m.find() ? text.column(Integer.parseInt(m.group(1)) - 1) : text.typed().length() + 1;
        String message;
        if (trailingBackslashes(text.typed()) % 2 == 1) {
            message = "the query ends with a lone backslash at column " + text.typed().length()
                    + "; a backslash escapes the next character, write \\\\ for a backslash";
            column = text.typed().length();
        } else if (String.valueOf(e.getMessage()).contains("<EOF>")) {
            message = "unexpected end of query at column " + column + ": a quote (\"), regex (/) or range ([ ]) is not closed";
        } else {
            message = "cannot read the query at column " + column + ": " + e.getMessage();
        }
        return new QuerySyntaxException(message, column, null);
    }

    private static int trailingBackslashes(String s) {
        int n = 0;
        while (n < s.length() && s.charAt(s.length() - 1 - n) == '\\') {
            n++;
        }
        return n;
    }
}
