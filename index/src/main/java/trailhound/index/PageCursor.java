package trailhound.index;

/**
 * Keyset position after the last event of a page: its time and event uid (the sort is ts
 * descending, event_uid ascending). {@link #toString()} and {@link #parse} give a URL-safe token.
 */
public record PageCursor(long ts, String eventUid) {
    public static PageCursor parse(String token) {
        int colon = token.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("bad page cursor: " + token);
        return new PageCursor(Long.parseLong(token.substring(0, colon)), token.substring(colon + 1));
    }

    @Override
    public String toString() {
        return ts + ":" + eventUid;
    }
}
