package trailhound.ingest.telemetry;

/**
 * A set of {@code long}s without boxing: open addressing, linear probing, kept at most half full.
 * Counting a few million distinct event hashes in a {@code HashSet<Long>} cost more than parsing
 * the events' time stamps; this costs one array slot per value. Not thread-safe.
 */
final class LongHashSet {
    private long[] slots = new long[1024];
    private int size;
    private boolean hasZero; // 0 marks a free slot, so the value 0 is kept aside

    /** Adds the value; false when it was already there. */
    boolean add(long value) {
        if (value == 0) {
            boolean added = !hasZero;
            hasZero = true;
            size += added ? 1 : 0;
            return added;
        }
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        return insert(slots, value);
    }

    int size() {
        return size;
    }

    private boolean insert(long[] table, long value) {
        int mask = table.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            if (table[i] == value) {
                return false;
            }
            if (table[i] == 0) {
                table[i] = value;
                size++;
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = hasZero ? 1 : 0;
        for (long v : old) {
            if (v != 0) {
                insert(slots, v);
            }
        }
    }

    private static int mix(long v) {
        v *= 0x9e3779b97f4a7c15L;
        return (int) (v ^ (v >>> 32));
    }
}
