package trailhound.evtx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Writes small .evtx files byte by byte for tests, following the layouts in libyal's EVTX document
 * (as the reader does, but written independently of it): a file header, 64 KiB chunks with valid
 * checksums, and records whose BinXml is spelled out token by token.
 *
 * <pre>{@code
 * EvtxBuilder b = new EvtxBuilder();
 * b.chunk().record(1, x -> x.fragment().template(7, t -> t.open("Event").closeStart()
 *         .open("EventID").closeStart().sub(0, 0x06).end().end(), EvtxBuilder.uint16(4624)));
 * byte[] file = b.build(); // <Event><EventID>4624</EventID></Event>
 * }</pre>
 */
final class EvtxBuilder {
    static final long FILETIME_2019 = 131_965_616_760_957_280L; // 2019-03-08T23:34:36.0957280Z

    private final List<ChunkWriter> chunks = new ArrayList<>();
    private int fileFlags;

    EvtxBuilder fileFlags(int flags) {
        this.fileFlags = flags;
        return this;
    }

    ChunkWriter chunk() {
        ChunkWriter c = new ChunkWriter();
        chunks.add(c);
        return c;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(fileHeader(chunks.size(), fileFlags));
        for (ChunkWriter c : chunks) {
            out.writeBytes(c.finish());
        }
        return out.toByteArray();
    }

    static byte[] fileHeader(int chunkCount, int flags) {
        ByteBuffer h = le(4096);
        h.put("ElfFile\0".getBytes(StandardCharsets.US_ASCII));
        h.putLong(8, 0).putLong(16, Math.max(0, chunkCount - 1)).putLong(24, 1);
        h.putInt(32, 128).putShort(36, (short) 1).putShort(38, (short) 3).putShort(40, (short) 4096);
        h.putShort(42, (short) chunkCount).putInt(120, flags);
        CRC32 crc = new CRC32();
        crc.update(h.array(), 0, 120);
        h.putInt(124, (int) crc.getValue());
        return h.array();
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** One chunk: records are appended from offset 512; names are stored once and then referred to by offset. */
    static final class ChunkWriter {
        final ByteBuffer b = le(Chunk.SIZE);
        private final Map<String, Integer> names = new HashMap<>();
        private long firstId = -1;
        private long lastId;
        private int lastRecord;
        private int chunkFlags;

        ChunkWriter() {
            b.put("ElfChnk\0".getBytes(StandardCharsets.US_ASCII));
            b.position(512);
        }

        ChunkWriter flags(int flags) {
            this.chunkFlags = flags;
            return this;
        }

        /** Appends a record whose BinXml {@code body} writes; returns the record's chunk offset. */
        int record(long id, Consumer<BinXmlWriter> body) {
            int start = b.position();
            b.putInt(0x00002a2a).putInt(0).putLong(id).putLong(FILETIME_2019 + id * 10_000_000L);
            body.accept(new BinXmlWriter(this, false));
            b.put((byte) 0x00); // EOF
            while ((b.position() + 4) % 8 != 0) {
                b.put((byte) 0);
            }
            int size = b.position() + 4 - start;
            b.putInt(size);
            b.putInt(start + 4, size);
            if (firstId < 0) {
                firstId = id;
            }
            lastId = id;
            lastRecord = start;
            return start;
        }

        /** Where the next record will start. */
        int position() {
            return b.position();
        }

        byte[] finish() {
            int free = b.position();
            b.putLong(8, 1).putLong(16, 1 + lastId - firstId).putLong(24, firstId).putLong(32, lastId);
            b.putInt(40, 128).putInt(44, lastRecord).putInt(48, free).putInt(120, chunkFlags);
            CRC32 crc = new CRC32();
            crc.update(b.array(), 512, free - 512);
            b.putInt(52, (int) crc.getValue());
            crc.reset();
            crc.update(b.array(), 0, 120);
            crc.update(b.array(), 128, 384);
            b.putInt(124, (int) crc.getValue());
            return b.array();
        }

        /** Writes a name reference: the offset of the name, and the name itself when the chunk does not hold it yet. */
        void name(String name) {
            Integer at = names.get(name);
            if (at != null) {
                b.putInt(at);
                return;
            }
            int here = b.position() + 4;
            names.put(name, here);
            b.putInt(here).putInt(0).putShort((short) 0).putShort((short) name.length());
            putUtf16(name);
            b.putShort((short) 0);
        }

        void putUtf16(String s) {
            b.put(s.getBytes(StandardCharsets.UTF_16LE));
        }
    }

    /** BinXml tokens, written at the chunk's position. */
    static final class BinXmlWriter {
        private final ChunkWriter c;
        private final ByteBuffer b;
        private final boolean inTemplate;
        /** Per open element: where its data size and its attribute list size (or -1) are written. */
        private final List<int[]> open = new ArrayList<>();

        BinXmlWriter(ChunkWriter chunk, boolean inTemplate) {
            this.c = chunk;
            this.b = chunk.b;
            this.inTemplate = inTemplate;
        }

        BinXmlWriter fragment() {
            b.put((byte) 0x0f).put((byte) 1).put((byte) 1).put((byte) 0);
            return this;
        }

        /** An element start without attributes. Inside templates it carries the dependency identifier. */
        BinXmlWriter open(String name) {
            return open(name, false);
        }

        /** An element start whose attributes ({@link #attr}) follow, then {@link #closeStart} or {@link #closeEmpty}. */
        BinXmlWriter openWithAttributes(String name) {
            return open(name, true);
        }

        private BinXmlWriter open(String name, boolean attributes) {
            b.put((byte) (attributes ? 0x41 : 0x01));
            if (inTemplate) {
                b.putShort((short) -1);
            }
            int size = b.position();
            b.putInt(0);
            c.name(name);
            open.add(new int[] {size, attributes ? b.position() : -1});
            if (attributes) {
                b.putInt(0);
            }
            return this;
        }

        BinXmlWriter attr(String name) {
            b.put((byte) 0x06);
            c.name(name);
            return this;
        }

        BinXmlWriter closeStart() {
            patchAttributeList();
            b.put((byte) 0x02);
            return this;
        }

        BinXmlWriter closeEmpty() {
            patchAttributeList();
            b.put((byte) 0x03);
            patchSize();
            return this;
        }

        BinXmlWriter end() {
            b.put((byte) 0x04);
            patchSize();
            return this;
        }

        private void patchAttributeList() {
            int at = open.getLast()[1];
            if (at >= 0) {
                b.putInt(at, b.position() - at - 4);
            }
        }

        /** Writes the element's data size: its bytes after the size field, through its close (libevtx checks it). */
        private void patchSize() {
            int at = open.removeLast()[0];
            b.putInt(at, b.position() - at - 4);
        }

        BinXmlWriter text(String s) {
            b.put((byte) 0x05).put((byte) 0x01).putShort((short) s.length());
            c.putUtf16(s);
            return this;
        }

        BinXmlWriter cdata(String s) {
            b.put((byte) 0x07).putShort((short) s.length());
            c.putUtf16(s);
            return this;
        }

        BinXmlWriter charRef(char ch) {
            b.put((byte) 0x08).putShort((short) ch);
            return this;
        }

        BinXmlWriter entityRef(String name) {
            b.put((byte) 0x09);
            c.name(name);
            return this;
        }

        BinXmlWriter pi(String target, String data) {
            b.put((byte) 0x0a);
            c.name(target);
            b.put((byte) 0x0b).putShort((short) data.length());
            c.putUtf16(data);
            return this;
        }

        BinXmlWriter sub(int index, int type) {
            b.put((byte) 0x0d).putShort((short) index).put((byte) type);
            return this;
        }

        BinXmlWriter optionalSub(int index, int type) {
            b.put((byte) 0x0e).putShort((short) index).put((byte) type);
            return this;
        }

        /** A template instance with its definition ({@code definition} writes its element) inline; returns its offset. */
        int template(int id, Consumer<BinXmlWriter> definition, Value... values) {
            b.put((byte) 0x0c).put((byte) 1).putInt(id);
            int at = b.position() + 4;
            b.putInt(at);
            b.putInt(0); // next template definition
            b.putInt(id).putShort((short) 0).putShort((short) 0).putLong(0); // GUID
            int sizeAt = b.position();
            b.putInt(0);
            BinXmlWriter t = new BinXmlWriter(c, true);
            t.fragment();
            definition.accept(t);
            b.put((byte) 0x00);
            b.putInt(sizeAt, b.position() - sizeAt - 4);
            values(values);
            return at;
        }

        /** A template instance of the definition at chunk offset {@code definition}, defined earlier. */
        BinXmlWriter templateRef(int id, long definition, Value... values) {
            b.put((byte) 0x0c).put((byte) 1).putInt(id).putInt((int) definition);
            values(values);
            return this;
        }

        private void values(Value[] values) {
            b.putInt(values.length);
            int descriptors = b.position();
            for (Value v : values) {
                b.putShort((short) 0).put((byte) v.type).put((byte) 0);
            }
            for (int i = 0; i < values.length; i++) {
                int start = b.position();
                if (values[i].binXml != null) { // written in place: its names and templates are chunk offsets
                    values[i].binXml.accept(new BinXmlWriter(c, false));
                    b.put((byte) 0x00);
                } else {
                    b.put(values[i].bytes);
                }
                b.putShort(descriptors + 4 * i, (short) (b.position() - start));
            }
        }

        /** Raw bytes (ints 0-255), for damage. */
        BinXmlWriter raw(int... bytes) {
            for (int v : bytes) {
                b.put((byte) v);
            }
            return this;
        }
    }

    /** A template value: its type and bytes, or for BinXml (0x21) the tokens to write in place. */
    record Value(int type, byte[] bytes, Consumer<BinXmlWriter> binXml) {
        Value(int type, byte[] bytes) {
            this(type, bytes, null);
        }
    }

    static Value nul() {
        return new Value(0x00, new byte[0]);
    }

    static Value string(String s) {
        return new Value(0x01, s.getBytes(StandardCharsets.UTF_16LE));
    }

    static Value stringArray(String... items) {
        StringBuilder sb = new StringBuilder();
        for (String s : items) {
            sb.append(s).append('\0');
        }
        return new Value(0x81, sb.toString().getBytes(StandardCharsets.UTF_16LE));
    }

    static Value uint16(int v) {
        return new Value(0x06, le(2).putShort((short) v).array());
    }

    static Value uint32(long v) {
        return new Value(0x08, le(4).putInt((int) v).array());
    }

    /** A value of {@code type} from byte values given as ints (0-255). */
    static Value of(int type, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new Value(type, b);
    }

    static Value value(int type, byte[] bytes) {
        return new Value(type, bytes);
    }

    static Value ofLong(int type, long v) {
        return new Value(type, le(8).putLong(v).array());
    }

    static Value ofInt(int type, int v) {
        return new Value(type, le(4).putInt(v).array());
    }

    /** A BinXml value (type 0x21): a fragment whose tokens {@code body} writes. */
    static Value binXml(Consumer<BinXmlWriter> body) {
        return new Value(0x21, null, body);
    }
}
