package trailhound.query;

import java.util.Locale;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;

/**
 * The Lucene field names behind each canonical {@link Field}: the contract between the query
 * language (which builds queries) and the index (which writes documents). Nothing else may invent
 * Lucene field names.
 *
 * <ul>
 *   <li>{@link #term} — every field but TIME ones: the value lower-cased ({@link #normalize}) as one
 *       untokenized term, docs only, no norms: equals and starts-with (prefix) are term-dictionary
 *       lookups. For NUMBER fields the term is the decimal text; for IP the canonical address text.
 *       TIME values are always numbers and only ever queried as ranges, so a point is enough (a
 *       term per distinct millisecond was among the costliest fields to index).
 *   <li>{@link #display} — the value as {@code SortedDocValues}, only for the fields the index
 *       sorts or groups on ({@code event_uid} in original case, {@code process_key} and
 *       {@code process_name} lower-cased); values are shown from a stored field the index module owns.
 *   <li>{@link #point} — NUMBER ({@code LongPoint}), TIME ({@code LongPoint}) and IP
 *       ({@code InetAddressPoint}) fields: ranges and CIDR. {@code ts} also has
 *       {@code NumericDocValues} under its point's name ({@link #TS}): the newest-first sort, which
 *       Lucene speeds up by skipping documents through the points only when both share one name;
 *       so do {@code pid} and {@code remote_port}, for the grid's sort by them.
 * </ul>
 * Contains, ends-with, wildcard and regex on KEYWORD fields are never answered by scanning the
 * event index's term dictionary: see {@link trailhound.query.ValuePatternQuery}.
 */
public final class IndexFields {
    /** The point and the numeric doc values of {@code ts}, = {@code point(Field.TS)} (see the class comment). */
    public static final String TS = "ts$p";

    private IndexFields() {}

    public static String term(Field field) {
        return field.canonicalName();
    }

    public static String display(Field field) {
        return field.canonicalName() + "$v";
    }

    public static String point(Field field) {
        return field.canonicalName() + "$p"; // for ts that is TS, which its doc values share
    }

    /**
     * Values longer than this (in chars) are indexed as a prefix of this length plus a hash of the
     * whole value ({@link #termOf}): Lucene refuses terms over 32,766 UTF-8 bytes, and a real command
     * line can be 34,000 characters. 3,900 chars are at most 11,700 bytes.
     */
    public static final int MAX_TERM_CHARS = 3_900;

    /** The form every term is indexed and queried in: lower case (ROOT locale), long values as {@link #termOf}. */
    public static String normalize(String value) {
        return termOf(lower(value));
    }

    /** Lower case (ROOT locale), values are case-insensitive; the form patterns are matched in. */
    public static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * The term of a lower-cased value: itself, or for a value over {@link #MAX_TERM_CHARS} its first
     * MAX_TERM_CHARS chars (one fewer when that would split a surrogate pair), a NUL and the hex
     * SHA-256 of the whole value. Equals finds a long value exactly (the hash), starts-with finds it
     * by any prefix up to MAX_TERM_CHARS; contains is answered from the value dictionary, which keeps
     * the whole value. Every value over the limit is hashed, so no shorter value can equal such a term.
     */
    public static String termOf(String lower) {
        if (lower.length() <= MAX_TERM_CHARS) return lower;
        int cut = Character.isHighSurrogate(lower.charAt(MAX_TERM_CHARS - 1)) ? MAX_TERM_CHARS - 1 : MAX_TERM_CHARS;
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(lower.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return lower.substring(0, cut) + '\u0000' + java.util.HexFormat.of().formatHex(sha);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The term prefix for starts-with: lower case, cut at {@link #MAX_TERM_CHARS} like long terms are. */
    public static String prefixTerm(String prefix) {
        String lower = lower(prefix);
        return lower.length() <= MAX_TERM_CHARS ? lower : lower.substring(0, MAX_TERM_CHARS);
    }
}
