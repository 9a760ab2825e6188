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
 *   <li>{@link #display} — the original value as {@code SortedDocValues}, only for the fields the
 *       index sorts or groups on ({@code event_uid}, {@code process_key}); values are shown from
 *       a stored field the index module owns.
 *   <li>{@link #point} — NUMBER ({@code LongPoint}), TIME ({@code LongPoint}) and IP
 *       ({@code InetAddressPoint}) fields: ranges and CIDR. {@code ts} also has
 *       {@code NumericDocValues} under its point's name ({@link #TS}): the newest-first sort, which
 *       Lucene speeds up by skipping documents through the points only when both share one name.
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

    /** The form every term is indexed and queried in: lower case (ROOT locale), values are case-insensitive. */
    public static String normalize(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
