package trailhound.web;

/** A request the server cannot answer as asked (bad parameter, bad query): 400 with the message and, for queries, the 1-based column. */
public final class BadRequest extends RuntimeException {
    private final Integer column;

    public BadRequest(String message, Integer column) {
        super(message);
        this.column = column;
    }

    public BadRequest(String message) {
        this(message, null);
    }

    /** 1-based column in the query text, or null. */
    public Integer column() {
        return column;
    }
}
