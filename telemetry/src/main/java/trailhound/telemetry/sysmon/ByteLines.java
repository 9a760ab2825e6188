package trailhound.telemetry.sysmon;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a stream into lines as byte ranges of one reusable buffer, so the JSON parser reads the
 * bytes directly and the uid hash sees exactly the bytes of the line (no decode/re-encode).
 * Handles {@code \n} and {@code \r\n}; a line is valid until the next call to {@link #next()}.
 */
final class ByteLines {
    /**
     * A longer line is not kept: its bytes are skipped to its end and it is reported ({@link #oversized()}).
     * Set by {@link trailhound.telemetry.ImportLimits#MAX_LINE_PROPERTY}.
     */
    static final int MAX_LINE_BYTES = trailhound.telemetry.ImportLimits.maxLineBytes();

    private final InputStream in;
    private boolean skipping; // inside a line longer than MAX_LINE_BYTES
    private boolean oversized; // the current line was one
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
        oversized = false;
        while (true) {
            int i = indexOfNewline(buf, pos, filled);
            if (i >= 0 && skipping) {
                return skipped(i + 1);
            }
            if (i >= 0) {
                start = pos;
                end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                pos = i + 1;
                number++;
                return true;
            }
            if (eof && skipping) {
                return skipped(filled);
            }
            if (filled - pos >= MAX_LINE_BYTES) { // forget this line's bytes so far; memory stays bounded
                skipping = true;
                pos = filled;
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

    /**
     * Skips empty lines ({@code \n}, {@code \r\n}) at the current position, counting them: a run of
     * millions (a compressed file of blank lines) in a tight loop rather than a line each.
     */
    void skipEmptyLines() throws IOException {
        while (!skipping) {
            while (pos < filled) {
                if (buf[pos] == '\n') {
                    pos++;
                } else if (buf[pos] == '\r' && pos + 1 < filled && buf[pos + 1] == '\n') {
                    pos += 2;
                } else {
                    return;
                }
                number++;
            }
            if (eof) {
                return;
            }
            fill();
        }
    }

    /*
     * Finding the line ends was the top frame of the import's profile (a byte-at-a-time loop over
     * ~1.8 KB lines), so eight bytes are tested at once: in x = word ^ 0x0a0a.., a '\n' byte is
     * 0, and (x - 0x0101..) & ~x & 0x8080.. sets the high bit of the first zero byte (borrows only
     * ever mark bytes above it), which numberOfTrailingZeros finds in little-endian order.
     */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The index of the first {@code '\n'} in {@code buf[from, to)}, or -1. */
    static int indexOfNewline(byte[] buf, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(buf, i) ^ 0x0a0a0a0a0a0a0a0aL;
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Ends an oversized line at {@code next}: an empty line flagged {@link #oversized()}. */
    private boolean skipped(int next) {
        skipping = false;
        oversized = true;
        pos = next;
        start = end = pos;
        number++;
        return true;
    }

    /** True when the current line was longer than {@link #MAX_LINE_BYTES}: its content is not kept (length 0). */
    boolean oversized() {
        return oversized;
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
