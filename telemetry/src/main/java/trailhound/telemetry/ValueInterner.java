package trailhound.telemetry;

import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Gives equal values of imported events one String instance.
 *
 * <p>The index memoises its per-value work by String instance: lower-casing, term bytes and the
 * process variant's id (EventDocuments in the index module). The recorder reader hits those memos
 * because it shares one process's Strings between all its events; a JSON or XML parser makes a new
 * String for every value, so every imported event paid for all of it again, SHA-256 of its process
 * fields included. Per thread and direct-mapped by hash: a miss keeps the new String, so nothing
 * but time depends on it.
 */
public final class ValueInterner {
    private static final int SLOTS = 4096;
    /** Longer values are left alone: a thread keeps what its table holds, at most SLOTS x this many chars. */
    static final int MAX_LENGTH = 2048;
    /** Every field but the uid and the time, which are unique to an event. */
    private static final Field[] SHARED = Field.all().stream().filter(f -> f != Field.EVENT_UID && f != Field.TS).toArray(Field[]::new);
    private static final ThreadLocal<String[]> TABLE = ThreadLocal.withInitial(() -> new String[SLOTS]);

    private ValueInterner() {}

    /**
     * Replaces each value of the builder by an equal one seen before on this thread, when the table
     * still holds it; the uid and the time, unique to the event, are left alone.
     */
    public static Event.Builder internValues(Event.Builder event) {
        String[] table = TABLE.get();
        for (Field f : SHARED) {
            String value = event.get(f);
            if (value == null || value.length() > MAX_LENGTH) continue;
            int slot = (value.hashCode() * 0x9E3779B9 >>> 19) & (SLOTS - 1);
            String seen = table[slot];
            if (value.equals(seen)) {
                event.set(f, seen);
            } else {
                table[slot] = value;
            }
        }
        return event;
    }
}
