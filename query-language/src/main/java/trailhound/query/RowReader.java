package trailhound.query;

import static org.apache.lucene.queryparser.classic.QueryParserConstants.*;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.queryparser.charstream.FastCharStream;
import org.apache.lucene.queryparser.classic.QueryParserTokenManager;
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import trailhound.query.BuilderRow.Connector;
import trailhound.query.BuilderRow.Operand;
import trailhound.schema.FieldKind;

/*
 * Reads query text back into builder rows. It lexes with Lucene's own token manager (after the
 * same lenient escapes as the query language), so a value is split exactly as the parser would
 * split it, and accepts only the flat shape the builder writes:
 *
 *   row ( [AND | OR] [NOT | - | +] field:value )*
 *
 * Mapping of negations, chosen so every row renders and reads back as itself:
 *   AND NOT field:v (or an implicit AND NOT)  -> connector AND_NOT, positive operand
 *   AND -field:v, OR NOT/-field:v, first NOT/-field:v -> negated operand (does not equal/contain)
 * Anything else valid (groups, two-sided ranges, globs, boosts, free text) is QueryTooComplexException:
 * the builder has no row for a term without a field, so such a query stays in the typed box.
 */
final class RowReader {
    private static final Set<Integer> FREE_TEXT_KINDS = Set.of(TERM, QUOTED, STAR, PREFIXTERM, WILDTERM, REGEXPTERM);

    private final QueryText text;
    private final List<Token> tokens = new ArrayList<>();
    private int at;

    private RowReader(QueryText text) {
        this.text = text;
    }

    static List<BuilderRow> read(String typed) {
        RowReader reader = new RowReader(QueryText.of(typed));
        reader.lex();
        return reader.rows();
    }

    private void lex() {
        QueryParserTokenManager lexer = new QueryParserTokenManager(new FastCharStream(new StringReader(text.lexed())));
        try {
            for (Token t = lexer.getNextToken(); ; t = lexer.getNextToken()) {
                tokens.add(t);
                if (t.kind == EOF) {
                    return;
                }
            }
        } catch (TokenMgrError e) {
            throw SchemaQueryParser.lexicalError(text, e);
        }
    }

    private List<BuilderRow> rows() {
        List<BuilderRow> rows = new ArrayList<>();
        while (peek().kind != EOF) {
            Connector connector = Connector.AND;
            if (!rows.isEmpty() && (peek().kind == AND || peek().kind == OR)) {
                connector = next().kind == OR ? Connector.OR : Connector.AND;
            }
            boolean negated = false;
            if (peek().kind == NOT || peek().kind == MINUS) {
                Token modifier = next();
                boolean notAfterAnd = modifier.kind == NOT && connector == Connector.AND && !rows.isEmpty();
                if (notAfterAnd) {
                    connector = Connector.AND_NOT;
                } else {
                    negated = true;
                }
            } else if (peek().kind == PLUS) {
                next();
            }
            rows.add(row(rows.isEmpty() ? Connector.AND : connector, negated));
        }
        return rows;
    }

    private BuilderRow row(Connector connector, boolean negated) {
        Token field = next();
        if (field.kind == LPAREN) {
            throw tooComplex("a group in parentheses", field);
        }
        if (field.kind != TERM || peek().kind != COLON) {
            if (field.kind == STAR && peek().kind == COLON) {
                throw tooComplex("'*:*'", field);
            }
            if (FREE_TEXT_KINDS.contains(field.kind)) {
                throw tooComplex("the free text '" + field.image + "' (a term without field:)", field);
            }
            throw new QuerySyntaxException("expected field:value at column " + column(field) + ", found "
                    + (field.kind == EOF ? "the end of the query" : "'" + field.image + "'"), column(field), null);
        }
        next();
        String name = RowText.unescape(field.image);
        Parameter parameter = Parameter.byName(name).orElseThrow(() -> unknownField(name, field));
        Token value = next();
        Operand operand;
        String text;
        switch (value.kind) {
            case QUOTED -> {
                text = RowText.unescape(value.image.substring(1, value.image.length() - 1));
                operand = exactOperand(parameter, text);
            }
            case TERM -> {
                boolean comparable = parameter.kind() != FieldKind.KEYWORD && parameter.kind() != FieldKind.ID;
                if (comparable && (value.image.startsWith(">") || value.image.startsWith("<"))) {
                    operand = value.image.startsWith(">") ? Operand.GREATER_THAN : Operand.LESS_THAN;
                    if (value.image.startsWith("=", 1)) {
                        throw tooComplex("'>=' and '<='", value);
                    }
                    text = RowText.unescape(value.image.substring(1));
                } else {
                    text = RowText.unescape(value.image);
                    operand = exactOperand(parameter, text);
                }
            }
            case PREFIXTERM, WILDTERM -> {
                Glob glob = Glob.of(value.image);
                text = glob.literal();
                operand = switch (glob.shape()) {
                    case PREFIX -> Operand.STARTS_WITH;
                    case CONTAINS -> Operand.CONTAINS;
                    case ENDS_WITH -> Operand.ENDS_WITH;
                    case EXISTS -> throw tooComplex("'" + name + ":*' (has the field)", value);
                    case WILDCARD -> throw tooComplex("the wildcard pattern '" + value.image + "'", value);
                };
            }
            case REGEXPTERM -> {
                text = value.image.substring(1, value.image.length() - 1);
                operand = Operand.MATCHES;
            }
            case RANGEIN_START, RANGEEX_START -> {
                Token lower = rangePart(RANGE_GOOP, RANGE_QUOTED, "a lower bound");
                rangePart(RANGE_TO, RANGE_TO, "TO");
                Token upper = rangePart(RANGE_GOOP, RANGE_QUOTED, "an upper bound");
                Token end = rangePart(RANGEIN_END, RANGEEX_END, "']' or '}'");
                boolean open = lower.image.equals("*") || upper.image.equals("*");
                if (lower.image.equals("*") && !upper.image.equals("*") && end.kind == RANGEEX_END) {
                    operand = Operand.LESS_THAN;
                    text = bound(upper);
                } else if (upper.image.equals("*") && !lower.image.equals("*") && value.kind == RANGEEX_START) {
                    operand = Operand.GREATER_THAN;
                    text = bound(lower);
                } else {
                    throw tooComplex(open ? "an inclusive range (>= or <=)" : "a range with two bounds", value);
                }
            }
            case STAR -> throw tooComplex("'" + name + ":*' (has the field)", value);
            case LPAREN -> throw tooComplex("a group in parentheses", value);
            default -> throw new QuerySyntaxException("expected a value after '" + name + ":' at column " + column(value)
                    + ", found " + (value.kind == EOF ? "the end of the query" : "'" + value.image + "'"), column(value), name);
        }
        if (peek().kind == CARAT || peek().kind == FUZZY_SLOP) {
            throw tooComplex("a boost (^) or fuzzy (~) suffix", peek());
        }
        if (negated) {
            operand = switch (operand) {
                case EQUALS -> Operand.NOT_EQUALS;
                case CONTAINS -> Operand.NOT_CONTAINS;
                default -> throw tooComplex("a negated '" + operand.label() + "'", value);
            };
        }
        try {
            return new BuilderRow(connector, parameter, operand, text);
        } catch (IllegalArgumentException invalid) {
            throw new QuerySyntaxException(invalid.getMessage() + " at column " + column(value), column(value), name);
        }
    }

    private Token rangePart(int kind, int otherKind, String expected) {
        Token t = next();
        if (t.kind != kind && t.kind != otherKind) {
            throw new QuerySyntaxException("expected " + expected + " in the range at column " + column(t) + ", found "
                    + (t.kind == EOF ? "the end of the query" : "'" + t.image + "'"), column(t), null);
        }
        return t;
    }

    private static Operand exactOperand(Parameter parameter, String value) {
        return parameter.kind() == FieldKind.IP && value.contains("/") ? Operand.IN_CIDR : Operand.EQUALS;
    }

    private static String bound(Token t) {
        return t.kind == RANGE_QUOTED ? RowText.unescape(t.image.substring(1, t.image.length() - 1)) : RowText.unescape(t.image);
    }

    private QuerySyntaxException unknownField(String name, Token field) {
        int column = column(field);
        String suggestion = QueryFields.suggest(name).map(s -> " (did you mean " + s + "?)").orElse("");
        return new QuerySyntaxException("unknown field '" + name + "' at column " + column + "; known fields: "
                + String.join(", ", QueryFields.knownNames()) + suggestion, column, name);
    }

    private QueryTooComplexException tooComplex(String what, Token t) {
        return new QueryTooComplexException(what, column(t));
    }

    private int column(Token t) {
        return text.column(t.beginColumn);
    }

    private Token peek() {
        return tokens.get(Math.min(at, tokens.size() - 1));
    }

    private Token next() {
        Token t = peek();
        at = Math.min(at + 1, tokens.size() - 1);
        return t;
    }
}
