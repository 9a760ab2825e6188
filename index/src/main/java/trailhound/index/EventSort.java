package trailhound.index;

import java.util.EnumSet;
import java.util.Set;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import trailhound.query.IndexFields;
import trailhound.schema.Field;

/**
 * The order of a page of events: one field, ascending or descending. Only fields with doc values
 * in the index can be sorted on ({@link #sortable}): {@code ts}, {@code type} (by type, then
 * operation), {@code process_name} (case-insensitive), {@code pid}, {@code remote_port},
 * {@code process_key} and {@code event_uid}. Events without the field come last either way. Every
 * order is total: equal values are ordered newest first and then by {@code event_uid}, and the time
 * order descending is exactly the reverse of ascending, so offset pages of one order never skip or
 * repeat an event.
 *
 * <p>Text form ({@link #parse}, {@link #toString}): the canonical field name, with a leading
 * {@code -} for descending ({@code -ts}, newest first, is the default).
 */
public record EventSort(Field field, boolean descending) {
    // before NEWEST_FIRST: the constructor reads it
    private static final Set<Field> SORTABLE = EnumSet.of(Field.TS, Field.TYPE, Field.PROCESS_KEY, Field.EVENT_UID,
            Field.PROCESS_NAME, Field.PID, Field.REMOTE_PORT);

    /** Newest first, the default order. */
    public static final EventSort NEWEST_FIRST = new EventSort(Field.TS, true);

    /**
     * How deep offset pages reach: the first {@value} events of an order. Each page collects
     * everything before it, so deeper pages cost more; the other direction reaches the far end.
     */
    public static final int MAX_DEPTH = 100_000;

    /** @throws IllegalArgumentException for a field without doc values (naming it and the sortable ones) */
    public EventSort {
        if (!sortable(field)) {
            throw new IllegalArgumentException("events cannot be sorted by '" + field.canonicalName()
                    + "': sortable fields are " + sortableNames());
        }
    }

    /** True when the index keeps doc values to sort this field by. */
    public static boolean sortable(Field field) {
        return SORTABLE.contains(field);
    }

    /** "ts, type, process_key, event_uid": the sortable fields, for messages. */
    public static String sortableNames() {
        return "ts, type, process_name, pid, remote_port, process_key, event_uid";
    }

    /**
     * Reads {@code ts}, {@code -ts}, {@code type}...; blank is {@link #NEWEST_FIRST}.
     *
     * @throws IllegalArgumentException for an unknown or unsortable field, saying which ones work
     */
    public static EventSort parse(String text) {
        if (text == null || text.isBlank()) return NEWEST_FIRST;
        String t = text.strip();
        boolean descending = t.startsWith("-");
        String name = descending ? t.substring(1) : t;
        Field field = Field.byName(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown sort field '" + name + "': sortable fields are " + sortableNames()
                        + ", with a leading '-' for descending (e.g. -ts)"));
        return new EventSort(field, descending);
    }

    /** The same field the other way round. */
    public EventSort reversed() {
        return new EventSort(field, !descending);
    }

    /** The Lucene sort: this field, then ts newest first and event_uid (for ts itself: event_uid, reversed with ts). */
    Sort luceneSort() {
        SortField uid = new SortField(IndexFields.display(Field.EVENT_UID), SortField.Type.STRING, field == Field.TS && !descending);
        return switch (field) {
            case TS -> new Sort(new SortField(IndexFields.TS, SortField.Type.LONG, descending), uid);
            case EVENT_UID -> new Sort(new SortField(IndexFields.display(Field.EVENT_UID), SortField.Type.STRING, descending));
            default -> new Sort(first(), new SortField(IndexFields.TS, SortField.Type.LONG, true), uid);
        };
    }

    /** The sort by this field, events without it last in both directions (missing values sort before reversing). */
    private SortField first() {
        SortField f;
        if (field.kind() == trailhound.schema.FieldKind.NUMBER) {
            f = new SortField(docValuesName(field), SortField.Type.LONG, descending);
            f.setMissingValue(descending ? Long.MIN_VALUE : Long.MAX_VALUE);
        } else {
            f = new SortField(docValuesName(field), SortField.Type.STRING, descending);
            f.setMissingValue(descending ? SortField.STRING_FIRST : SortField.STRING_LAST);
        }
        return f;
    }

    /** Where the field's doc values are: numbers under their point's name, type in "type/operation" (EventDocuments). */
    static String docValuesName(Field field) {
        if (field == Field.TS) return IndexFields.TS;
        if (field == Field.TYPE) return EventDocuments.TYPE_OPERATION; // orders by type first
        return field.kind() == trailhound.schema.FieldKind.NUMBER ? IndexFields.point(field) : IndexFields.display(field);
    }

    /**
     * True when an index segment has events with this field but no doc values to sort them by: it
     * was written before the field became sortable (process_name, pid, remote_port), and only a
     * re-index adds them.
     */
    boolean missingIn(org.apache.lucene.index.LeafReader leaf) throws java.io.IOException {
        org.apache.lucene.index.FieldInfo info = leaf.getFieldInfos().fieldInfo(docValuesName(field));
        if (info != null && info.getDocValuesType() != org.apache.lucene.index.DocValuesType.NONE) return false;
        org.apache.lucene.index.Terms terms = leaf.terms(IndexFields.term(field));
        return terms != null && terms.size() != 0;
    }

    @Override
    public String toString() {
        return (descending ? "-" : "") + field.canonicalName();
    }
}
