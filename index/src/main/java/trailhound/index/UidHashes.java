package trailhound.index;

import org.apache.lucene.util.BytesRef;

/*
 * 64-bit hashes of the event_uids an index holds, so that adding an event whose uid is certainly
 * new is a plain addDocument. updateDocument (delete by uid term, then add) was about a sixth of
 * the cost of indexing an event: every delete term is buffered and looked up in every segment at
 * flush. A hash that is present only means "maybe indexed": the caller then updates by the uid term
 * itself, so a collision costs an update, never a lost or duplicated event.
 *
 * Open addressing over long arrays, split into stripes (by hash bits) each with its own lock, so
 * indexing threads rarely meet. 0 marks an empty slot (a hash of 0 is stored as 1). About 16 bytes
 * per uid at the lowest load, 10 million uids in about 160 MB.
 */
final class UidHashes {
    private static final int STRIPES = 64;

    private final Stripe[] stripes = new Stripe[STRIPES];

    UidHashes() {
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Stripe();
    }

    /** The hash of a lower-cased uid as its UTF-8 term bytes. */
    static long hash(BytesRef uid) {
        long h = 0x9E3779B97F4A7C15L ^ uid.length;
        for (int i = uid.offset, end = uid.offset + uid.length; i < end; i++) {
            h = (h ^ (uid.bytes[i] & 0xff)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        h ^= h >>> 32;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        return h == 0 ? 1 : h;
    }

    /** Adds the hash; true when it was not there before (the uid is certainly new). */
    boolean add(long hash) {
        return stripes[(int) (hash >>> 58) & (STRIPES - 1)].add(hash);
    }

    private static final class Stripe {
        private long[] slots = new long[1024];
        private int size;

        synchronized boolean add(long hash) {
            int mask = slots.length - 1;
            int i = (int) hash & mask;
            while (slots[i] != 0) {
                if (slots[i] == hash) return false;
                i = (i + 1) & mask;
            }
            slots[i] = hash;
            if (++size * 2 > slots.length) grow();
            return true;
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            int mask = slots.length - 1;
            for (long h : old) {
                if (h == 0) continue;
                int i = (int) h & mask;
                while (slots[i] != 0) i = (i + 1) & mask;
                slots[i] = h;
            }
        }

    }
}
