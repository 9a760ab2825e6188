package trailhound.web.reputation;

import java.util.Locale;
import trailhound.schema.Field;

/** Recognises the file hashes reputation works with: MD5, SHA-1 and SHA-256 in hex. */
public final class Hashes {
    private Hashes() {}

    public static boolean isHash(String text) {
        if (text == null) {
            return false;
        }
        int n = text.length();
        if (n != 32 && n != 40 && n != 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when a grid column (by its header, the field's label: MD5, SHA-1, SHA-256) holds a hash
     * and the cell's value is one: such a cell gets a verdict badge.
     */
    public static boolean inHashColumn(String header, String value) {
        return (Field.HASH_MD5.label().equals(header) || Field.HASH_SHA1.label().equals(header)
                || Field.HASH_SHA256.label().equals(header)) && isHash(value);
    }

    /** True when the field (canonical name) is a hash field and the value is a hash: such a value gets a verdict badge. */
    public static boolean isHashField(String field, String value) {
        return (Field.HASH_MD5.canonicalName().equals(field) || Field.HASH_SHA1.canonicalName().equals(field)
                || Field.HASH_SHA256.canonicalName().equals(field)) && isHash(value);
    }

    /** The lower-case hash, or an IllegalArgumentException saying what a hash looks like. */
    public static String normalise(String text) {
        String h = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (!isHash(h)) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a hash: expected 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hex digits");
        }
        return h;
    }
}
