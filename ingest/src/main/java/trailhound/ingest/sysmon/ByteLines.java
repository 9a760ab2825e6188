package trailhound.ingest.sysmon;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines as byte ranges of one reusable buffer, so the JSON parser reads the
 * bytes directly and the uid hash sees exactly the bytes of the line (no decode/re-encode).
 * Handles {@code \n} and {@code \r\n}; a line is valid until the next call to {@link #next()}.
 */
final class ByteLines {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int filled;
    private int pos;
    private int start;
    private int end;
    private long number;
    private boolean eof;

    ByteLines(InputStream in) {
        this.in = in;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        while (true) {
            for (int i = pos; i < filled; i++) {
                if (buf[i] == '\n') {
                    start = pos;
                    end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    pos = i + 1;
                    number++;
                    return true;
                }
            }
            if (eof) {
                if (pos < filled) {
                    start = pos;
                    end = filled;
                    pos = filled;
                    number++;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, filled - pos);
            filled -= pos;
            pos = 0;
        }
        if (filled == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
        }
        int n = in.read(buf, filled, buf.length - filled);
        if (n < 0) {
            eof = true;
        } else {
            filled += n;
        }
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    int length() {
        return end - start;
    }

    /** 1-based number of the current line. */
    long number() {
        return number;
    }

    boolean isBlank() {
        for (int i = start; i < end; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
