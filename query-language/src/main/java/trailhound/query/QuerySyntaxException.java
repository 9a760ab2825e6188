package trailhound.query;

import java.util.Optional;

/**
 * Query text that cannot be turned into a query: a syntax error, an unknown field, a value of the
 * wrong form for its field, or an operation the field does not support.
 *
 * <p>The message is meant for the analyst who typed the query: it names the 1-based
 * {@link #column()} (already part of the message), the offending field when there is one, and what
 * was expected. Unchecked, because a bad query is an input error to report, not to recover from.
 */
public class QuerySyntaxException extends IllegalArgumentException {
    private final int column;
    private final String field;

    public QuerySyntaxException(String message, int column, String field) {
        super(message);
        this.column = column;
        this.field = field;
    }

    /** 1-based column in the query text where the problem starts. */
    public int column() {
        return column;
    }

    /** The field (canonical name or alias as typed) the problem is about, if any. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
