package trailhound.index;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Keyset position after the last hit of a hunt's page: its time, event uid and endpoint (the order
 * is ts descending, event_uid ascending, endpoint ascending: one endpoint's page order, extended).
 * {@link #toString()} and {@link #parse} give a URL-safe token, {@code ts:endpoint:uid} with the
 * endpoint percent-encoded (so it holds no {@code :}).
 */
public record HuntCursor(long ts, String eventUid, String endpoint) {
    /** @throws IllegalArgumentException for anything {@link #toString()} did not write */
    public static HuntCursor parse(String token) {
        int first = token.indexOf(':');
        int second = first < 0 ? -1 : token.indexOf(':', first + 1);
        if (first <= 0 || second < 0) throw new IllegalArgumentException("bad hunt cursor: " + token);
        try {
            return new HuntCursor(Long.parseLong(token.substring(0, first)), token.substring(second + 1),
                    URLDecoder.decode(token.substring(first + 1, second), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad hunt cursor: " + token, e);
        }
    }

    @Override
    public String toString() {
        return ts + ":" + URLEncoder.encode(endpoint, StandardCharsets.UTF_8) + ":" + eventUid;
    }
}
