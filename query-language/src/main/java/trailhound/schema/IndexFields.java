package trailhound.schema;

import java.util.Locale;

/**
 * The Lucene field names behind each canonical {@link Field}: the contract between the query
 * language (which builds queries) and the index (which writes documents). Nothing else may invent
 * Lucene field names.
 *
 * <ul>
 *   <li>{@link #term} — every field: the value lower-cased ({@link #normalize}) as one untokenized
 *       term, docs only, no norms: equals and starts-with (prefix) are term-dictionary lookups.
 *       For NUMBER and TIME fields the term is the decimal text; for IP the canonical address text.
 *   <li>{@link #display} — every field: the original value as {@code SortedDocValues}, read to show
 *       and export events. Sorted (not binary) because most values repeat across events (paths,
 *       command lines, users), so each distinct value is stored once per segment.
 *   <li>{@link #point} — NUMBER ({@code LongPoint}), TIME ({@code LongPoint}) and IP
 *       ({@code InetAddressPoint}) fields: ranges and CIDR.
 *   <li>{@link #SORT_TS} — {@code NumericDocValues} of {@code ts}: the index sort (newest first), so
 *       newest-first pages terminate early.
 * </ul>
 * Contains, ends-with, wildcard and regex on KEYWORD fields are never answered by scanning the
 * event index's term dictionary: see {@link trailhound.query.ValuePatternQuery}.
 */
public final class IndexFields {
    /** Numeric doc values of {@code ts}; the index is sorted on it, descending. */
    public static final String SORT_TS = "ts$sort";

    private IndexFields() {}

    public static String term(Field field) {
        return field.canonicalName();
    }

    public static String display(Field field) {
        return field.canonicalName() + "$v";
    }

    public static String point(Field field) {
        return field.canonicalName() + "$p";
    }

    /** The form every term is indexed and queried in: lower case (ROOT locale), values are case-insensitive. */
    public static String normalize(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
