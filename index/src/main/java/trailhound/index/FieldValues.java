package trailhound.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Field;

/**
 * The compact binary form of some of an event's original values, kept as one stored field: a
 * sequence of (field ordinal, value) pairs, ordinals as vints, values as Lucene strings (vint
 * length + UTF-8). One stored value per document replaced one sorted doc value per field, which
 * was a third of the cost of indexing an event; stored fields are compressed in blocks, and
 * reading a page of events back touches a handful of blocks.
 */
final class FieldValues {
    /** Not a field ordinal: marks the 16 bytes of the event's process variant id. */
    private static final int VARIANT = 255;

    static {
        if (Field.count() >= VARIANT) throw new ExceptionInInitializerError("field ordinals must stay below " + VARIANT);
    }

    private final ByteBuffersDataOutput out = new ByteBuffersDataOutput();

    /** Encodes {@code values[f.ordinal()]} for each of {@code fields} that is present, and the variant id if any. */
    byte[] encode(String[] values, Field[] fields, BytesRef variant) {
        out.reset();
        try {
            for (Field f : fields) {
                String v = values[f.ordinal()];
                if (v == null) continue;
                out.writeVInt(f.ordinal());
                out.writeString(v);
            }
            if (variant != null) {
                out.writeVInt(VARIANT);
                out.writeBytes(variant.bytes, variant.offset, variant.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory output: cannot happen
        }
        return out.toArrayCopy();
    }

    /** Puts the decoded values into {@code into} by field ordinal; returns the variant id, or null. */
    static BytesRef decode(BytesRef encoded, String[] into) {
        ByteArrayDataInput in = new ByteArrayDataInput(encoded.bytes, encoded.offset, encoded.length);
        BytesRef variant = null;
        while (!in.eof()) {
            int ordinal = in.readVInt();
            if (ordinal == VARIANT) {
                byte[] id = new byte[ProcessVariants.ID_BYTES];
                in.readBytes(id, 0, id.length);
                variant = new BytesRef(id);
            } else {
                try {
                    into[ordinal] = in.readString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // in-memory input: cannot happen
                }
            }
        }
        return variant;
    }
}
