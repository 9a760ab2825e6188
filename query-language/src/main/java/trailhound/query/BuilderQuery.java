package trailhound.query;

import java.util.List;
import java.util.Objects;

/**
 * The query builder's model: rows of (connector, parameter, operand, value) to query text and
 * back. The text is exactly the {@link QueryLanguage}: what the builder shows is what the analyst
 * could have typed, and a typed query of the same flat shape opens in the builder.
 *
 * <p>Rendering, by operand ({@code f} the parameter's field name, values escaped as the language
 * requires, see {@link QueryLanguage}):
 * <pre>
 * equals            f:value   or f:"value with spaces"
 * does not equal    -f:value
 * contains          f:*value*          does not contain   -f:*value*
 * starts with       f:value*           ends with          f:*value
 * matches           f:/regex/
 * greater than      f:&gt;value           less than          f:&lt;value
 * in CIDR           f:10.0.0.0/8
 * </pre>
 * Rows are joined with {@code AND}, {@code OR} or {@code AND NOT}; the first row's connector is
 * ignored. Precedence is the language's: {@code a AND b OR c} is {@code (a AND b) OR c}.
 *
 * <p>{@code parse(render(rows))} equals {@code rows} (with a first connector of AND), and
 * {@code render(parse(text))} equals {@code text} for text {@code render} produced.
 */
public final class BuilderQuery {
    private BuilderQuery() {}

    /** The query text for the rows; empty rows give empty text (match everything). */
    public static String render(List<BuilderRow> rows) {
        StringBuilder text = new StringBuilder();
        for (BuilderRow row : rows) {
            if (!text.isEmpty()) {
                text.append(' ').append(row.connector().label()).append(' ');
            }
            if (row.operand().negated()) {
                text.append('-');
            }
            text.append(row.parameter().name()).append(':').append(value(row));
        }
        return text.toString();
    }

    /**
     * The rows for query text of the builder's flat shape.
     *
     * @throws QueryTooComplexException for a valid query the rows cannot show (parentheses, ranges
     *     with two bounds, glob patterns, negated starts-with...): keep the text box
     * @throws QuerySyntaxException for text that is not a query (unknown field, missing value...)
     */
    public static List<BuilderRow> parse(String text) {
        Objects.requireNonNull(text, "text");
        return List.copyOf(RowReader.read(text));
    }

    private static String value(BuilderRow row) {
        String v = row.value();
        return switch (row.operand()) {
            case EQUALS, NOT_EQUALS, IN_CIDR -> RowText.exact(v);
            case CONTAINS, NOT_CONTAINS -> "*" + RowText.escaped(v, false) + "*";
            case STARTS_WITH -> RowText.escaped(v, true) + "*";
            case ENDS_WITH -> "*" + RowText.escaped(v, false);
            case MATCHES -> RowText.regex(v);
            case GREATER_THAN -> ">" + RowText.escaped(v, false);
            case LESS_THAN -> "<" + RowText.escaped(v, false);
        };
    }
}
