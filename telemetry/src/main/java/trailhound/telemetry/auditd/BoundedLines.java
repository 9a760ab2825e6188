package trailhound.telemetry.auditd;

import java.io.IOException;
import java.io.Reader;

/**
 * Lines of a reader as {@link java.io.BufferedReader#readLine()} cuts them ({@code \n}, {@code \r},
 * {@code \r\n}), but a line longer than {@code max} characters is read to its end without being kept
 * and returned as {@link #OVERSIZED}: memory stays bounded whatever the input. Not thread-safe.
 */
final class BoundedLines {
    /** Returned, by identity, for a line longer than the limit. */
    static final String OVERSIZED = new String("(longer than the limit)");

    private final Reader in;
    private final int max;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int filled;
    private boolean skipLineFeed; // the last line ended with '\r': a '\n' right after belongs to it

    BoundedLines(Reader in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The next line without its end, {@link #OVERSIZED}, or null at the end of the input. */
    String readLine() throws IOException {
        StringBuilder line = null;
        boolean oversized = false;
        while (true) {
            if (pos == filled) {
                filled = Math.max(0, in.read(buf, 0, buf.length));
                pos = 0;
                if (filled == 0) {
                    return oversized ? OVERSIZED : line == null ? null : line.toString();
                }
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            while (pos < filled && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            if (!oversized) {
                if (line == null) line = new StringBuilder(Math.min(pos - start + 16, max));
                if (line.length() + (pos - start) > max) {
                    oversized = true;
                    line = null;
                } else {
                    line.append(buf, start, pos - start);
                }
            }
            if (pos < filled) {
                skipLineFeed = buf[pos++] == '\r';
                return oversized ? OVERSIZED : line.toString();
            }
        }
    }
}
