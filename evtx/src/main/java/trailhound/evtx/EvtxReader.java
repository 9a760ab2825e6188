package trailhound.evtx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Reads the records of a binary Windows Event Log file (.evtx) as Event XML trees.
 *
 * <p>Format, after libyal's "Windows XML Event Log (EVTX)" (libevtx/documentation) and
 * Microsoft's [MS-EVEN6] 2.2.12 (BinXml): a 4096-byte file header (signature {@code ElfFile\0},
 * flags at 120, CRC32 of its first 120 bytes at 124), then 64 KiB chunks, each a 512-byte header
 * and records, each record's event a BinXml document, mostly template instances whose templates
 * are defined once per chunk. See {@link BinXml} for the decoding and {@link EvtxElement} for how
 * values are rendered (as Windows renders Event XML).
 *
 * <p>Damaged input, as responders get it, never stops the read: every problem is reported to
 * {@link EvtxHandler#damaged} with its file offset, and reading goes on.
 * <ul>
 * <li>A 64 KiB block without the chunk signature is skipped (one that is all zeros is unused
 *     space and is skipped silently); so is a chunk cut off inside its header.
 * <li>A header or records checksum mismatch is reported, and the records are read anyway (files
 *     whose header flags say they carry no checksums, 0x4, are not checked).
 * <li>A record whose header does not hold (zero or oversized size, size copy differing) is
 *     reported, and reading resumes at the next record header found in the chunk.
 * <li>A record whose BinXml does not decode (an offset or size outside the chunk, an unknown
 *     token or value type, nesting deeper than 64, an expansion past 100,000 elements or 4 million
 *     characters, which only arrays and nested BinXml crafted to multiply reach) is reported and skipped.
 * <li>A file cut off mid-chunk keeps the records before the cut; a file that is only a header
 *     has no records and is no error.
 * </ul>
 *
 * <p>Memory is bounded whatever sizes the file claims: one chunk (64 KiB) is held at a time, with
 * its caches of names and templates; every offset and size is checked against the chunk first.
 * The header's chunk count and record numbers are not trusted (Windows leaves them stale in files
 * flagged dirty): every 64 KiB block up to the end of the stream is read.
 *
 * <p>Static and thread-safe; each call reads on the calling thread.
 * <pre>{@code
 * EvtxSummary s = EvtxReader.read(path, new EvtxHandler() {
 *     public void record(EvtxRecord r) { index(r.event().child("System").child("EventID").text()); }
 *     public void damaged(long offset, String reason) { warn(path + " @" + offset + ": " + reason); }
 * });
 * }</pre>
 */
public final class EvtxReader {
    static final int FILE_HEADER_SIZE = 4096;
    private static final byte[] FILE_SIGNATURE = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
    private static final byte[] CHUNK_SIGNATURE = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};

    private EvtxReader() {
    }

    /**
     * Reads every record of a .evtx stream, passing each to {@code handler} in file order, and each
     * damaged region to {@link EvtxHandler#damaged}. Reads the stream to its end; does not close it.
     *
     * @return counts of chunks and records read and reported damaged
     * @throws IOException when the stream fails, or when it is not an EVTX file: it has neither the
     *     file header signature {@code ElfFile} nor a chunk signature {@code ElfChnk} after 4 KiB
     */
    public static EvtxSummary read(InputStream in, EvtxHandler handler) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(handler, "handler");
        byte[] header = in.readNBytes(FILE_HEADER_SIZE);
        Chunk chunk = new Chunk();
        int n = header.length == FILE_HEADER_SIZE ? in.readNBytes(chunk.data, 0, Chunk.SIZE) : 0;
        int fileFlags = header.length >= 124 ? le32(header, 120) : 0;
        ChunkReader reader = new ChunkReader(chunk, handler, (fileFlags & ChunkReader.NO_CHECKSUMS) != 0);
        if (!isEvtx(header)) {
            if (n < CHUNK_SIGNATURE.length || !startsWith(chunk.data, CHUNK_SIGNATURE)) {
                throw new IOException("not an EVTX file: it starts with neither the file signature ElfFile nor, after "
                        + FILE_HEADER_SIZE + " bytes, a chunk signature ElfChnk");
            }
            handler.damaged(0, "file header: no file signature (ElfFile); the chunks after it are read");
        } else if (header.length < FILE_HEADER_SIZE) {
            handler.damaged(0, "file header: cut off by the end of the file after " + header.length + " of "
                    + FILE_HEADER_SIZE + " bytes; there are no chunks");
        } else if ((fileFlags & ChunkReader.NO_CHECKSUMS) == 0) {
            CRC32 crc = new CRC32();
            crc.update(header, 0, 120);
            int stored = le32(header, 124);
            if ((int) crc.getValue() != stored) {
                handler.damaged(0, "file header: checksum " + ChunkReader.hex32(stored) + " does not match the header ("
                        + ChunkReader.hex32((int) crc.getValue()) + "); its counts are not used anyway");
            }
        }
        long offset = FILE_HEADER_SIZE;
        while (n > 0) {
            chunk.reset(offset, n);
            if (n >= CHUNK_SIGNATURE.length && startsWith(chunk.data, CHUNK_SIGNATURE)) {
                reader.read();
            } else if (!allZero(chunk.data, n)) {
                reader.chunkDamaged("no chunk signature (found " + quoted(chunk.data) + "): skipped");
            }
            offset += n;
            n = n == Chunk.SIZE ? in.readNBytes(chunk.data, 0, Chunk.SIZE) : 0;
        }
        return new EvtxSummary(reader.chunks, reader.records, reader.damagedChunks, reader.damagedRecords);
    }

    /** {@link #read(InputStream, EvtxHandler)} on the file at {@code path}. */
    public static EvtxSummary read(Path path, EvtxHandler handler) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, handler);
        }
    }

    /** Whether {@code head}, the first bytes of a file (8 or more), start with the EVTX signature {@code ElfFile\0}. */
    public static boolean isEvtx(byte[] head) {
        return head.length >= FILE_SIGNATURE.length && startsWith(head, FILE_SIGNATURE);
    }

    private static boolean startsWith(byte[] data, byte[] signature) {
        for (int i = 0; i < signature.length; i++) {
            if (data[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(byte[] data, int n) {
        for (int i = 0; i < n; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int le32(byte[] b, int p) {
        return b[p] & 0xff | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    private static String quoted(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < CHUNK_SIGNATURE.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02X", data[i] & 0xff));
        }
        return sb.toString();
    }
}
