package trailhound.index;

import org.apache.lucene.internal.hppc.LongHashSet;
import org.apache.lucene.util.BytesRef;

/*
 * 64-bit hashes of the event_uids an index holds: the first source to add an event keeps it, so a
 * present hash means "already indexed, skip". Looking the uid up in the index instead would cost a
 * term lookup per event in every segment; replacing (updateDocument) cost a sixth of indexing an
 * event and relabelled events with the later source. Two different uids share a hash with odds of
 * about n^2 / 2^65 (3 in a million at ten million events); uids are themselves hashes or row ids,
 * so the odds cannot be steered by event content.
 *
 * Lucene's primitive long set (its copy of HPPC), split into stripes by hash bits, each with its
 * own lock, so indexing threads rarely meet. About 16 bytes per uid: 10 million in about 160 MB.
 */
final class UidHashes {
    private static final int STRIPES = 64;

    private final LongHashSet[] stripes = new LongHashSet[STRIPES];

    UidHashes() {
        for (int i = 0; i < STRIPES; i++) stripes[i] = new LongHashSet();
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
        return h;
    }

    /** Adds the hash; true when it was not there before (the uid is certainly new). */
    boolean add(long hash) {
        LongHashSet stripe = stripes[(int) (hash >>> 58) & (STRIPES - 1)];
        synchronized (stripe) {
            return stripe.add(hash);
        }
    }
}
