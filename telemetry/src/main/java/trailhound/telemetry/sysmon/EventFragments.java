package trailhound.telemetry.sysmon;

import java.io.IOException;
import java.io.Reader;

/*
 * Cuts a stream of Windows event XML into one text fragment per <Event> element, without parsing it,
 * so that one broken event (cut short, an unescaped '&', a syslog line that lost its end) costs only
 * itself: the next fragment starts at the next "<Event" tag whatever came before. Whatever lies
 * between events (the XML declaration, an <Events> root, the "May 11 18:10:20 host sysmon: " prefix
 * of a syslog line, blank lines) is dropped. Memory is bounded by MAX_CHARS per fragment.
 */
final class EventFragments {
    /** Longer than any real event (the longest command line Windows allows is 32,767 chars). */
    static final int MAX_CHARS = 4 << 20;
    private static final String TAG = "<Event";
    private static final String END_TAG = "</Event>";

    /**
     * One event's text: from its {@code <Event} tag to just after its {@code </Event>}, or to where it
     * was cut; {@code line} is the tag's (1-based); {@code oversized}: longer than MAX_CHARS, text dropped.
     */
    record Fragment(String text, long line, boolean oversized) {}

    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    /** Text read and not yet given out starts at {@code pos}; what is before it is compacted away now and then. */
    private final StringBuilder text = new StringBuilder();
    private int pos;
    private int scanned; // text from pos up to here holds no tag
    private boolean started; // text at pos is an <Event tag
    private boolean oversized;
    private boolean eof;
    private long line = 1; // of text at pos
    private long fragmentLine = 1; // of the current fragment's tag

    EventFragments(Reader in) {
        this.in = in;
    }

    /** The next fragment, or null at the end of the stream. */
    Fragment next() throws IOException {
        while (true) {
            int at = nextTag(started ? pos + 1 : pos);
            if (at >= 0 && !started) { // what comes before the first event
                skip(at);
                fragmentLine = line;
                started = true;
                continue;
            }
            if (at >= 0) return take(at);
            if (eof) return started && pos < text.length() ? take(text.length()) : null;
            if (text.length() - pos > MAX_CHARS) { // forget the text, keep counting its lines
                skip(text.length() - TAG.length());
                oversized = started;
            }
            if (pos > (1 << 20) && pos > text.length() / 2) { // compact
                text.delete(0, pos);
                scanned -= pos;
                pos = 0;
            }
            int n = in.read(buffer);
            if (n < 0) eof = true;
            else text.append(buffer, 0, n);
        }
    }

    /** True once the stream has ended and nothing is left to give out. */
    boolean atEnd() {
        return eof && pos >= text.length();
    }

    /** Where the next {@code <Event} tag (followed by a space, '>' or '/') starts, from {@code from}; -1 if none yet. */
    private int nextTag(int from) {
        int i = Math.max(from, scanned);
        while (true) {
            int at = text.indexOf(TAG, i);
            if (at < 0 || at + TAG.length() >= text.length()) {
                scanned = Math.max(from, text.length() - TAG.length()); // a tag may straddle the next read
                return -1;
            }
            char c = text.charAt(at + TAG.length());
            if (c == '>' || c == '/' || Character.isWhitespace(c)) return at;
            i = at + 1; // <EventData, <EventID, <EventRecordID, <Events
        }
    }

    private Fragment take(int end) {
        int close = text.lastIndexOf(END_TAG, end - END_TAG.length());
        String fragment = text.substring(pos, close >= pos ? close + END_TAG.length() : end);
        Fragment f = new Fragment(oversized ? "" : fragment, fragmentLine, oversized);
        skip(end);
        fragmentLine = line;
        oversized = false;
        return f;
    }

    private void skip(int end) {
        for (int i = pos; i < end; i++) {
            if (text.charAt(i) == '\n') line++;
        }
        pos = end;
    }
}
