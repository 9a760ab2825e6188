package trailhound.evtx;

import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The values of one template instance (MS-EVEN6 2.2.12 "TemplateInstanceData"; libyal "Value types"),
 * as offsets into the chunk, rendered to text on first use, the way Windows renders Event XML.
 *
 * <p>Renderings, one per value type: integers in decimal; HexInt32/HexInt64 (and SizeT, which
 * Windows pairs with them) as {@code 0x} and lower-case hex without leading zeros ({@code 0x3e7});
 * booleans {@code true}/{@code false} (any non-zero value is true); GUIDs upper case in braces;
 * SIDs {@code S-1-5-21-...}; FILETIME and SYSTEMTIME as {@code 2019-03-08T23:34:36.0957280Z}
 * (seven fractional digits, 100 ns, as Windows 10 and later print them); binary data (and the
 * undocumented EvtHandle and EvtXml types) as upper-case hex; UTF-16 strings and ANSI (windows-1252)
 * strings with trailing NULs removed; floats as their shortest exact decimal. Arrays (type | 0x80)
 * are split into items; the element holding one is repeated per item by {@link BinXml}.
 */
final class Values {
    static final int NULL = 0x00;
    static final int STRING = 0x01;
    static final int ANSI = 0x02;
    static final int BINXML = 0x21;
    static final int ARRAY = 0x80;

    static final Values NONE = new Values(null, new int[0], new int[0], new byte[0]);

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    /** Seconds from 1601-01-01, the FILETIME epoch, to 1970-01-01. */
    static final long FILETIME_EPOCH_SECONDS = 11_644_473_600L;
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private final Chunk c;
    private final int[] offsets;
    private final int[] sizes;
    private final byte[] types;
    private String[] texts;
    private String[][] items;

    Values(Chunk c, int[] offsets, int[] sizes, byte[] types) {
        this.c = c;
        this.offsets = offsets;
        this.sizes = sizes;
        this.types = types;
    }

    int type(int i) {
        if (i >= types.length) {
            throw new BinXmlException("substitution %" + i + " refers past the " + types.length
                    + " values of its template instance");
        }
        return types[i] & 0xff;
    }

    int offset(int i) {
        return offsets[i];
    }

    int size(int i) {
        return sizes[i];
    }

    static boolean isArray(int type) {
        return (type & ARRAY) != 0;
    }

    /** Value {@code i} as text; for an array value, item {@code item} of it ("" when there is no such item). */
    String text(int i, int item) {
        int type = type(i);
        if (isArray(type)) {
            String[] all = items(i);
            return item >= 0 && item < all.length ? all[item] : "";
        }
        if (texts == null) {
            texts = new String[types.length];
        }
        String s = texts[i];
        if (s == null) {
            s = render(type, offsets[i], sizes[i], i);
            texts[i] = s;
        }
        return s;
    }

    /** The items of array value {@code i}, each rendered as its element type. */
    String[] items(int i) {
        if (items == null) {
            items = new String[types.length][];
        }
        String[] all = items[i];
        if (all == null) {
            all = splitArray(type(i) & ~ARRAY, offsets[i], sizes[i], i);
            items[i] = all;
        }
        return all;
    }

    private String[] splitArray(int type, int off, int size, int index) {
        List<String> out = new ArrayList<>();
        int end = off + size;
        switch (type) {
            case STRING -> {
                int start = off;
                for (int p = off; p + 1 < end; p += 2) {
                    if (c.u16(p) == 0) {
                        out.add(c.utf16(start, (p - start) / 2));
                        start = p + 2;
                    }
                }
                if (start + 1 < end) {
                    out.add(c.utf16(start, (end - start) / 2));
                }
            }
            case ANSI -> {
                int start = off;
                for (int p = off; p < end; p++) {
                    if (c.data[p] == 0) {
                        out.add(new String(c.data, start, p - start, WINDOWS_1252));
                        start = p + 1;
                    }
                }
                if (start < end) {
                    out.add(new String(c.data, start, end - start, WINDOWS_1252));
                }
            }
            case 0x13 -> { // SIDs, each as long as its sub-authority count says
                int p = off;
                while (p + 8 <= end) {
                    int n = 8 + 4 * c.u8(p + 1);
                    if (p + n > end) {
                        throw new BinXmlException("value " + index + ": a SID of its array runs past the value's "
                                + size + " bytes");
                    }
                    out.add(sid(p, n));
                    p += n;
                }
            }
            default -> {
                int width = fixedSize(type, size);
                if (width <= 0) {
                    throw new BinXmlException("value " + index + ": arrays of type 0x" + Integer.toHexString(type)
                            + " are not defined");
                }
                if (size % width != 0) {
                    throw new BinXmlException("value " + index + ": " + size + " bytes are not a whole number of "
                            + width + "-byte items of type 0x" + Integer.toHexString(type));
                }
                for (int p = off; p < end; p += width) {
                    out.add(render(type, p, width, index));
                }
            }
        }
        return out.toArray(String[]::new);
    }

    /** Bytes per item of a fixed-size type, or 0 for the variable-size ones. */
    private static int fixedSize(int type, int size) {
        return switch (type) {
            case 0x03, 0x04 -> 1;
            case 0x05, 0x06 -> 2;
            case 0x07, 0x08, 0x0b, 0x0d, 0x14 -> 4;
            case 0x09, 0x0a, 0x0c, 0x11, 0x15 -> 8;
            case 0x0f, 0x12 -> 16;
            case 0x10 -> size % 8 == 0 ? 8 : 4; // SizeT: 64-bit when the bytes allow it
            default -> 0;
        };
    }

    private String render(int type, int off, int size, int index) {
        return switch (type) {
            case NULL -> "";
            case STRING -> utf16(off, size);
            case ANSI -> ansi(off, size);
            case 0x03 -> Integer.toString(c.data[fixed(off, size, 1, type, index)]);
            case 0x04 -> Integer.toString(c.u8(fixed(off, size, 1, type, index)));
            case 0x05 -> Integer.toString((short) c.u16(fixed(off, size, 2, type, index)));
            case 0x06 -> Integer.toString(c.u16(fixed(off, size, 2, type, index)));
            case 0x07 -> Integer.toString(c.i32(fixed(off, size, 4, type, index)));
            case 0x08 -> Long.toString(c.u32(fixed(off, size, 4, type, index)));
            case 0x09 -> Long.toString(c.u64(fixed(off, size, 8, type, index)));
            case 0x0a -> Long.toUnsignedString(c.u64(fixed(off, size, 8, type, index)));
            case 0x0b -> decimal(Float.toString(Float.intBitsToFloat(c.i32(fixed(off, size, 4, type, index)))));
            case 0x0c -> decimal(Double.toString(Double.longBitsToDouble(c.u64(fixed(off, size, 8, type, index)))));
            case 0x0d -> nonZero(off, size) ? "true" : "false"; // 32-bit, but seen narrower; any non-zero is true
            case 0x0e, 0x20, 0x23 -> hex(off, size); // binary; EvtHandle and EvtXml, undocumented, as binary
            case 0x0f -> guid(fixed(off, size, 16, type, index));
            case 0x10 -> "0x" + Long.toHexString(size == 4 ? c.u32(off) : c.u64(fixed(off, size, 8, type, index)));
            case 0x11 -> fileTime(c.u64(fixed(off, size, 8, type, index)));
            case 0x12 -> systemTime(fixed(off, size, 16, type, index));
            case 0x13 -> sid(off, size);
            case 0x14 -> "0x" + Long.toHexString(c.u32(fixed(off, size, 4, type, index)));
            case 0x15 -> "0x" + Long.toHexString(c.u64(fixed(off, size, 8, type, index)));
            case BINXML -> throw new BinXmlException("value " + index
                    + ": BinXml (type 0x21) can only be substituted into element content");
            default -> throw new BinXmlException("value " + index + ": unknown value type 0x"
                    + Integer.toHexString(type));
        };
    }

    private String utf16(int off, int size) {
        int n = size / 2;
        while (n > 0 && c.u16(off + 2 * (n - 1)) == 0) {
            n--;
        }
        return c.utf16(off, n);
    }

    private String ansi(int off, int size) {
        int n = size;
        while (n > 0 && c.data[off + n - 1] == 0) {
            n--;
        }
        return new String(c.data, off, n, WINDOWS_1252);
    }

    /** {@code off}, when the value's size is the type's; throws otherwise. */
    private static int fixed(int off, int size, int width, int type, int index) {
        if (size != width) {
            throw new BinXmlException("value " + index + ": " + size + " bytes for type 0x" + Integer.toHexString(type)
                    + ", which takes " + width);
        }
        return off;
    }

    private boolean nonZero(int off, int size) {
        for (int i = 0; i < size; i++) {
            if (c.data[off + i] != 0) {
                return true;
            }
        }
        return false;
    }

    /** Java's shortest round-trip digits, written out without exponent or a trailing ".0". */
    private static String decimal(String javaDigits) {
        if (javaDigits.equals("NaN") || javaDigits.endsWith("Infinity")) {
            return javaDigits;
        }
        return new BigDecimal(javaDigits).stripTrailingZeros().toPlainString();
    }

    private String hex(int off, int size) {
        char[] out = new char[2 * size];
        for (int i = 0; i < size; i++) {
            int b = c.data[off + i];
            out[2 * i] = HEX_UPPER[(b >> 4) & 0xf];
            out[2 * i + 1] = HEX_UPPER[b & 0xf];
        }
        return new String(out);
    }

    private String guid(int off) {
        char[] out = new char[38];
        out[0] = '{';
        hexDigits(out, 1, c.u32(off), 8);
        out[9] = '-';
        hexDigits(out, 10, c.u16(off + 4), 4);
        out[14] = '-';
        hexDigits(out, 15, c.u16(off + 6), 4);
        out[19] = '-';
        hexDigits(out, 20, c.u16BigEndian(off + 8), 4);
        out[24] = '-';
        for (int i = 0; i < 6; i++) {
            hexDigits(out, 25 + 2 * i, c.u8(off + 10 + i), 2);
        }
        out[37] = '}';
        return new String(out);
    }

    private static void hexDigits(char[] out, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX_UPPER[(int) value & 0xf];
            value >>>= 4;
        }
    }

    private static void hexDigits(StringBuilder sb, long value, int digits) {
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            sb.append(HEX_UPPER[(int) (value >>> shift) & 0xf]);
        }
    }

    /** A SID (MS-DTYP 2.4.2): revision, sub-authority count, 48-bit big-endian authority, 32-bit sub-authorities. */
    private String sid(int off, int size) {
        if (size < 8 || size < 8 + 4 * c.u8(off + 1)) {
            throw new BinXmlException("a SID of " + size + " bytes is shorter than its header says ("
                    + (size < 2 ? "none" : 8 + 4 * c.u8(off + 1)) + ")");
        }
        long authority = 0;
        for (int i = 2; i < 8; i++) {
            authority = authority << 8 | c.u8(off + i);
        }
        StringBuilder sb = new StringBuilder(48).append("S-").append(c.u8(off)).append('-');
        if (authority >= 1L << 32) {
            char[] digits = new char[12];
            hexDigits(digits, 0, authority, 12);
            sb.append("0x").append(digits);
        } else {
            sb.append(authority);
        }
        for (int i = 0, n = c.u8(off + 1); i < n; i++) {
            sb.append('-').append(c.u32(off + 8 + 4 * i));
        }
        return sb.toString();
    }

    /** A FILETIME (100 ns ticks since 1601, UTC) as {@code yyyy-MM-ddTHH:mm:ss.fffffffZ}. */
    static String fileTime(long ticks) {
        long seconds = Long.divideUnsigned(ticks, 10_000_000L);
        int fraction = (int) Long.remainderUnsigned(ticks, 10_000_000L);
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds - FILETIME_EPOCH_SECONDS, 0, ZoneOffset.UTC);
        return format(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
                fraction);
    }

    /** A SYSTEMTIME (eight 16-bit fields, milliseconds last) in the FILETIME format. */
    private String systemTime(int off) {
        return format(c.u16(off), c.u16(off + 2), c.u16(off + 6), c.u16(off + 8), c.u16(off + 10), c.u16(off + 12),
                c.u16(off + 14) * 10_000);
    }

    private static String format(int year, int month, int day, int hour, int minute, int second, int ticks) {
        int most = Math.max(Math.max(month, day), Math.max(Math.max(hour, minute), second));
        if (year > 9999 || most > 99 || ticks > 9_999_999) { // garbage only: FILETIME reaches year 60056
            return String.format("%d-%02d-%02dT%02d:%02d:%02d.%07dZ", year, month, day, hour, minute, second, ticks);
        }
        char[] out = "0000-00-00T00:00:00.0000000Z".toCharArray();
        digits(out, 0, year, 4);
        digits(out, 5, month, 2);
        digits(out, 8, day, 2);
        digits(out, 11, hour, 2);
        digits(out, 14, minute, 2);
        digits(out, 17, second, 2);
        digits(out, 20, ticks, 7);
        return new String(out);
    }

    /** Writes the low {@code n} decimal digits of {@code v} (zero-padded) at {@code out[at]}. */
    private static void digits(char[] out, int at, int v, int n) {
        for (int i = at + n - 1; i >= at; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }
}
