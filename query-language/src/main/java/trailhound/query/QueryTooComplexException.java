package trailhound.query;

/**
 * Query text that is valid but cannot be shown as builder rows (groups in parentheses, ranges with
 * two bounds, negated patterns...): the UI keeps the typed text box instead of the builder.
 */
public final class QueryTooComplexException extends QuerySyntaxException {
    public QueryTooComplexException(String reason, int column) {
        super("query is too complex for the builder: " + reason + " at column " + column
                + "; keep editing it as text", column, null);
    }
}
