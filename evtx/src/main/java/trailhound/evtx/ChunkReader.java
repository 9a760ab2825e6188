package trailhound.evtx;

import java.time.Instant;
import java.util.zip.CRC32;

/**
 * Reads the records of one chunk at a time and keeps the counts for {@link EvtxSummary}.
 *
 * <p>Chunk layout (libyal, "Chunk header"): signature {@code ElfChnk\0}; first/last record number
 * and identifier at 8-32; last record offset at 44; free space offset at 48; CRC32 of the records
 * (bytes 512 up to the free space offset) at 52; flags at 120; CRC32 of bytes 0-120 and 128-512 at
 * 124; the common string and template hash tables at 128 and 384; records from 512. Record layout:
 * signature {@code 2A 2A 00 00}, size, identifier, FILETIME written, BinXml, the size again.
 */
final class ChunkReader {
    /*
     * The string and template tables of the header are hash buckets the writer uses to find what it
     * has already stored; a reader never needs them, because records name strings and templates by
     * chunk offset (read once and cached by Chunk). So a corrupt table costs nothing: its header
     * checksum is reported and the records are read (security_bad_string_cache.evtx).
     *
     * Damage inside a chunk: a record whose header does not hold (signature, a size that fits, the
     * size copy at its end) is reported, and the rest of the chunk's records area is searched for
     * the next record header that holds and carries an identifier in the chunk's range, so one
     * broken record (a zero size, a record overwritten while the file was copied) does not lose
     * the records after it. A record whose BinXml does not decode is reported and skipped by its size.
     */
    static final int HEADER_SIZE = 512;
    private static final int RECORD_SIGNATURE = 0x00002a2a;
    private static final int RECORD_HEADER = 24;
    /** Header, at least one BinXml token (EOF), size copy. */
    private static final int MIN_RECORD = RECORD_HEADER + 4 + 1;
    static final int NO_CHECKSUMS = 0x4;

    private final Chunk c;
    private final BinXml binXml;
    private final EvtxHandler handler;
    private final CRC32 crc = new CRC32();
    private final boolean fileHasNoChecksums;

    long chunks;
    long records;
    long damagedChunks;
    long damagedRecords;

    ChunkReader(Chunk chunk, EvtxHandler handler, boolean fileHasNoChecksums) {
        this.c = chunk;
        this.binXml = new BinXml(chunk);
        this.handler = handler;
        this.fileHasNoChecksums = fileHasNoChecksums;
    }

    /** Reads the chunk loaded in {@link #c}, which starts with the chunk signature. */
    void read() {
        if (c.length < HEADER_SIZE) {
            chunkDamaged("cut off by the end of the file after " + c.length + " bytes, inside its " + HEADER_SIZE
                    + "-byte header: skipped");
            return;
        }
        chunks++;
        long freeSpace = c.u32(48);
        int end = freeSpace >= HEADER_SIZE && freeSpace <= c.length ? (int) freeSpace : c.length;
        String problems = checksums(freeSpace);
        if (freeSpace < HEADER_SIZE || freeSpace > Chunk.SIZE) {
            problems = join(problems, "free space offset " + freeSpace + " is outside the chunk");
        }
        if (c.length < Chunk.SIZE) {
            problems = join(problems, "cut off by the end of the file after " + c.length + " of " + Chunk.SIZE
                    + " bytes, so the records past that are lost");
        }
        if (problems != null) {
            chunkDamaged(problems + "; records read anyway");
        }
        long lastOffset = c.u32(44);
        boolean lastKnown = lastOffset >= HEADER_SIZE && lastOffset < end;
        int last = lastKnown ? (int) lastOffset : end - 1;
        int p = HEADER_SIZE;
        while (p <= last && p + RECORD_HEADER <= end) {
            String problem = recordProblem(p, end);
            if (problem == null) {
                int size = (int) c.u32(p + 4);
                readRecord(p, size);
                p += size;
                continue;
            }
            if (!lastKnown && allZero(p, end)) {
                break; // zeros after the last record, where the free space offset points past them
            }
            int next = resync(p + 1, end);
            if (next < 0) {
                recordDamaged(p, problem + "; no further record in the chunk (" + (end - p) + " bytes skipped)");
                break;
            }
            recordDamaged(p, problem + "; skipped " + (next - p) + " bytes to the next record, at offset "
                    + (c.fileOffset + next));
            p = next;
        }
    }

    private void readRecord(int p, int size) {
        long id = c.u64(p + 8);
        EvtxElement event;
        try {
            event = binXml.document(p + RECORD_HEADER, p + size - 4);
        } catch (BinXmlException e) {
            recordDamaged(p, "record " + Long.toUnsignedString(id) + ": " + e.getMessage() + "; skipped");
            return;
        } catch (RuntimeException e) { // a decoding bug must cost the record, not the file
            recordDamaged(p, "record " + Long.toUnsignedString(id) + " could not be decoded (" + e + "); skipped");
            return;
        }
        records++;
        handler.record(new EvtxRecord(id, c.fileOffset + p, instant(c.u64(p + 16)), event));
    }

    /** Why no record starts at {@code p}, or null when its header holds. */
    private String recordProblem(int p, int end) {
        if (c.i32(p) != RECORD_SIGNATURE) {
            return "no record signature (found " + hex(p, 4) + ")";
        }
        long size = c.u32(p + 4);
        if (size >= MIN_RECORD && p + size <= end && c.u32(p + (int) size - 4) == size) {
            return null;
        }
        String record = "record " + Long.toUnsignedString(c.u64(p + 8)) + ": size " + size;
        if (size < MIN_RECORD) {
            return record + " is too small for a record";
        }
        if (p + size > end) {
            return record + " runs past the end of the chunk's records (chunk offset " + end + ")";
        }
        return record + " differs from its copy at the record's end (" + c.u32(p + (int) size - 4) + ")";
    }

    /** The next offset from {@code from} where a record with an identifier in the chunk's range starts, or -1. */
    private int resync(int from, int end) {
        long first = c.u64(24);
        long last = c.u64(32);
        boolean rangeKnown = Long.compareUnsigned(first, last) <= 0;
        for (int q = from; q + RECORD_HEADER <= end; q++) {
            if (c.i32(q) == RECORD_SIGNATURE && recordProblem(q, end) == null) {
                long id = c.u64(q + 8);
                if (!rangeKnown || Long.compareUnsigned(id, first) >= 0 && Long.compareUnsigned(id, last) <= 0) {
                    return q;
                }
            }
        }
        return -1;
    }

    private String checksums(long freeSpace) {
        if (fileHasNoChecksums || (c.i32(120) & NO_CHECKSUMS) != 0) {
            return null;
        }
        String problems = null;
        crc.reset();
        crc.update(c.data, 0, 120);
        crc.update(c.data, 128, HEADER_SIZE - 128);
        if ((int) crc.getValue() != c.i32(124)) {
            problems = "header checksum " + hex32(c.i32(124)) + " does not match the header ("
                    + hex32((int) crc.getValue()) + ")";
        }
        if (freeSpace >= HEADER_SIZE && freeSpace <= c.length) {
            crc.reset();
            crc.update(c.data, HEADER_SIZE, (int) freeSpace - HEADER_SIZE);
            if ((int) crc.getValue() != c.i32(52)) {
                problems = join(problems, "records checksum " + hex32(c.i32(52)) + " does not match the records ("
                        + hex32((int) crc.getValue()) + ")");
            }
        }
        return problems;
    }

    private boolean allZero(int from, int end) {
        for (int i = from; i < end; i++) {
            if (c.data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    void chunkDamaged(String reason) {
        damagedChunks++;
        handler.damaged(c.fileOffset, "chunk: " + reason);
    }

    private void recordDamaged(int p, String reason) {
        damagedRecords++;
        handler.damaged(c.fileOffset + p, reason);
    }

    static Instant instant(long fileTime) {
        long seconds = Long.divideUnsigned(fileTime, 10_000_000L) - Values.FILETIME_EPOCH_SECONDS;
        return Instant.ofEpochSecond(seconds, Long.remainderUnsigned(fileTime, 10_000_000L) * 100);
    }

    private static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }

    static String hex32(int v) {
        return String.format("0x%08x", v);
    }

    private String hex(int p, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02X", c.u8(p + i)));
        }
        return sb.toString();
    }
}
