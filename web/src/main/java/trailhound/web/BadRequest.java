package trailhound.web;

/**
 * A request the server cannot answer as asked (bad parameter, bad query): 400 with the message and, for queries, the 1-based column.
 * The message names parameters as the JSON API's reader needs them ("parameter 'from' must be ..."); {@link #forPages}
 * may say the same in the page's terms (the time picker, the sort, the link), as {@link Errors} shows it there.
 */
public final class BadRequest extends RuntimeException {
    private final Integer column;
    private final String forPages;

    public BadRequest(String message, Integer column, String forPages) {
        super(message);
        this.column = column;
        this.forPages = forPages;
    }

    public BadRequest(String message, Integer column) {
        this(message, column, null);
    }

    public BadRequest(String message) {
        this(message, null, null);
    }

    /** The message for a page (an analyst in a browser): its own wording when given, else the message. */
    public static BadRequest withPageWording(String message, String forPages) {
        return new BadRequest(message, null, forPages);
    }

    /** 1-based column in the query text, or null. */
    public Integer column() {
        return column;
    }

    /** The message in a page's terms; the API message when no other was given. */
    public String forPages() {
        return forPages != null ? forPages : getMessage();
    }
}
