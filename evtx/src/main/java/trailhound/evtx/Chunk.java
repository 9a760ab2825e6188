package trailhound.evtx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One 64 KiB chunk in memory, with the bounds-checked little-endian reads every parser of its bytes
 * goes through, and the per-chunk caches of names and compiled templates (both keyed by their
 * offset in the chunk, which is how records refer to them).
 *
 * <p>One instance is reused for every chunk of a file: {@link #reset} clears the caches.
 */
final class Chunk {
    static final int SIZE = 0x10000;

    private static final VarHandle SHORTS = view(short[].class);
    private static final VarHandle INTS = view(int[].class);
    private static final VarHandle LONGS = view(long[].class);

    final byte[] data = new byte[SIZE];
    /** Bytes of {@link #data} read from the file: less than SIZE only for a chunk cut off by the end of the file. */
    int length;
    /** Offset of the chunk in the file. */
    long fileOffset;

    private final String[] names = new String[SIZE];
    private final BinXml.Template[] templates = new BinXml.Template[SIZE];
    private int[] usedNames = new int[64];
    private int usedNameCount;
    private int[] usedTemplates = new int[16];
    private int usedTemplateCount;

    private static VarHandle view(Class<?> arrayType) {
        return MethodHandles.byteArrayViewVarHandle(arrayType, ByteOrder.LITTLE_ENDIAN);
    }

    void reset(long fileOffset, int length) {
        this.fileOffset = fileOffset;
        this.length = length;
        for (int i = 0; i < usedNameCount; i++) {
            names[usedNames[i]] = null;
        }
        for (int i = 0; i < usedTemplateCount; i++) {
            templates[usedTemplates[i]] = null;
        }
        usedNameCount = 0;
        usedTemplateCount = 0;
    }

    /** Throws unless {@code [pos, pos + n)} lies within {@code [0, end)} (end at most {@link #length}). */
    void need(long pos, long n, int end, String what) {
        if (pos < 0 || n < 0 || pos + n > end) {
            throw new BinXmlException(what + " at chunk offset " + pos + " (" + n + " bytes) runs past "
                    + (end == length ? "the end of the chunk" : "its enclosing data, which ends at " + end));
        }
    }

    int u8(int pos) {
        return data[pos] & 0xff;
    }

    int u16(int pos) {
        return (short) SHORTS.get(data, pos) & 0xffff;
    }

    int u16BigEndian(int pos) {
        return (data[pos] & 0xff) << 8 | data[pos + 1] & 0xff;
    }

    /** An unsigned 32-bit value as a long, so offsets and sizes from the file are never negative. */
    long u32(int pos) {
        return (int) INTS.get(data, pos) & 0xffffffffL;
    }

    int i32(int pos) {
        return (int) INTS.get(data, pos);
    }

    long u64(int pos) {
        return (long) LONGS.get(data, pos);
    }

    /** {@code count} UTF-16LE code units at {@code pos} (already bounds-checked) as a string. */
    String utf16(int pos, int count) {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++) {
            chars[i] = (char) (short) SHORTS.get(data, pos + 2 * i);
        }
        return new String(chars);
    }

    String cachedName(int offset) {
        return names[offset];
    }

    void cacheName(int offset, String name) {
        if (usedNameCount == usedNames.length) {
            usedNames = Arrays.copyOf(usedNames, usedNameCount * 2);
        }
        usedNames[usedNameCount++] = offset;
        names[offset] = name;
    }

    BinXml.Template cachedTemplate(int offset) {
        return templates[offset];
    }

    void cacheTemplate(int offset, BinXml.Template template) {
        if (usedTemplateCount == usedTemplates.length) {
            usedTemplates = Arrays.copyOf(usedTemplates, usedTemplateCount * 2);
        }
        usedTemplates[usedTemplateCount++] = offset;
        templates[offset] = template;
    }
}
