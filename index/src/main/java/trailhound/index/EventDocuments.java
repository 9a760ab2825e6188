package trailhound.index;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;
import trailhound.schema.IndexFields;

/*
 * Event -> Lucene document. One instance per indexing thread (see EndpointIndex#add): the Field
 * objects are created once and their values swapped per event, because allocating ~60 Field
 * objects per event was a measurable share of indexing time. IndexWriter consumes the document
 * before updateDocument returns, so reuse after that call is safe.
 *
 * Why each Lucene field exists:
 *  - term(f), StringField, DOCS only, no norms: the lower-cased value as one untokenized term, so
 *    equals and starts-with are term-dictionary lookups; no positions/frequencies because no
 *    query needs them, and they would grow the index.
 *  - display(f), SortedDocValuesField: the original value, read back to show and export events
 *    (no stored fields at all) and used for sort (event_uid) and facets (type, operation). Sorted
 *    rather than binary because values repeat across events and are stored once per segment.
 *    ts has no display value when its text is canonical: SORT_TS already holds it, and a unique
 *    value per event would be the most expensive sorted doc value in the index.
 *  - point(f): LongPoint for NUMBER/TIME (ranges), InetAddressPoint for IP (equals, CIDR, ranges);
 *    skipped when the text does not parse, the term still matches the text.
 *  - SORT_TS, NumericDocValues: the index sort (ts descending) and the newest-first search sort.
 *  - TYPE_OPERATION, StringField + SortedDocValuesField: "type/operation" as one term, so the
 *    whole-endpoint distribution is a walk over a handful of terms' docFreq instead of a pass over
 *    every document; and as one doc value (a few bits per event), so a distribution under a query
 *    reads one value per hit instead of two.
 */
final class EventDocuments {
    /** Index-internal term field "type/operation"; not part of the query contract. */
    static final String TYPE_OPERATION = "type/operation$t";

    private static final Field[] FIELDS = Field.all().toArray(Field[]::new);

    private final StringField[] terms = new StringField[FIELDS.length];
    private final SortedDocValuesField[] displays = new SortedDocValuesField[FIELDS.length];
    private final LongPoint[] longPoints = new LongPoint[FIELDS.length];
    private final NumericDocValuesField sortTs = new NumericDocValuesField(IndexFields.SORT_TS, 0L);
    private final StringField typeOperation = new StringField(TYPE_OPERATION, "", org.apache.lucene.document.Field.Store.NO);
    private final SortedDocValuesField typeOperationValue = new SortedDocValuesField(TYPE_OPERATION, new BytesRef());
    private final List<IndexableField> doc = new ArrayList<>(FIELDS.length * 3);
    private final String[] lower = new String[FIELDS.length];
    private final BytesRef[] lowerBytes = new BytesRef[FIELDS.length];
    private final BytesRef[] bytes = new BytesRef[FIELDS.length];
    private final boolean[] fresh = new boolean[FIELDS.length];

    /*
     * A small per-field memo keyed by String identity. Events of one process carry the very same
     * String instances for its ~17 process fields (the reader shares them), and those fields are most
     * of an event's text; lower-casing and UTF-8 encoding them once per process instead of once per
     * event was a fifth of indexing time. Direct-mapped: a miss just recomputes.
     */
    private static final int MEMO = 512;
    private final String[][] memoKey = new String[FIELDS.length][MEMO];
    private final String[][] memoLower = new String[FIELDS.length][MEMO];
    private final BytesRef[][] memoLowerBytes = new BytesRef[FIELDS.length][MEMO];
    private final BytesRef[][] memoBytes = new BytesRef[FIELDS.length][MEMO];

    EventDocuments() {
        for (Field f : FIELDS) {
            terms[f.ordinal()] = new StringField(IndexFields.term(f), new BytesRef(), org.apache.lucene.document.Field.Store.NO);
            displays[f.ordinal()] = new SortedDocValuesField(IndexFields.display(f), new BytesRef());
            if (f.kind() == FieldKind.NUMBER || f.kind() == FieldKind.TIME) {
                longPoints[f.ordinal()] = new LongPoint(IndexFields.point(f), 0L);
            }
        }
    }

    /** The dedup key from {@link #normalized} values: re-adding an event with the same uid replaces it. */
    static Term uidTerm(String[] lower) {
        return new Term(IndexFields.term(Field.EVENT_UID), lower[Field.EVENT_UID.ordinal()]);
    }

    /** The event's values lower-cased ({@link IndexFields#normalize}) by field ordinal; reused per thread. */
    String[] normalized(Event event) {
        for (Field f : FIELDS) {
            int i = f.ordinal();
            String value = event.get(f);
            if (value == null) {
                lower[i] = null;
                fresh[i] = false;
                continue;
            }
            int slot = System.identityHashCode(value) & (MEMO - 1);
            if (memoKey[i][slot] == value) {
                fresh[i] = false;
            } else {
                memoKey[i][slot] = value;
                memoLower[i][slot] = IndexFields.normalize(value);
                memoLowerBytes[i][slot] = new BytesRef(memoLower[i][slot]);
                memoBytes[i][slot] = value.equals(memoLower[i][slot]) ? memoLowerBytes[i][slot] : new BytesRef(value);
                fresh[i] = true;
            }
            lower[i] = memoLower[i][slot];
            lowerBytes[i] = memoLowerBytes[i][slot];
            bytes[i] = memoBytes[i][slot];
        }
        return lower;
    }

    /**
     * Which of the last {@link #normalized} values were not in the memo: only those can be new to the
     * value dictionary (a memo hit was offered to it before). Valid until the next call.
     */
    boolean[] fresh() {
        return fresh;
    }

    /** The document for the event and its {@link #normalized} values; valid until the next call. */
    List<IndexableField> document(Event event, String[] lower) {
        doc.clear();
        for (Field f : FIELDS) {
            String value = event.get(f);
            if (value == null) continue;
            int i = f.ordinal();
            StringField term = terms[i];
            term.setBytesValue(lowerBytes[i]);
            doc.add(term);
            switch (f.kind()) {
                case NUMBER, TIME -> {
                    Long n = parseLong(value);
                    if (n != null) {
                        longPoints[i].setLongValue(n);
                        doc.add(longPoints[i]);
                    }
                    if (f == Field.TS && n != null && Long.toString(n).equals(value)) {
                        continue; // read back from SORT_TS, see class comment
                    }
                }
                case IP -> {
                    InetAddress address = parseIp(value);
                    if (address != null) doc.add(new InetAddressPoint(IndexFields.point(f), address));
                }
                default -> {}
            }
            displays[i].setBytesValue(bytes[i]);
            doc.add(displays[i]);
        }
        sortTs.setLongValue(event.ts());
        doc.add(sortTs);
        String pair = typeOperation(event.type(), event.operation());
        typeOperation.setStringValue(pair);
        doc.add(typeOperation);
        typeOperationValue.setBytesValue(new BytesRef(pair));
        doc.add(typeOperationValue);
        return doc;
    }

    static String typeOperation(String type, String operation) {
        return IndexFields.normalize(type) + "/" + (operation == null ? "" : IndexFields.normalize(operation));
    }

    static Long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null; // not a number: the term still matches the text
        }
    }

    /**
     * Parses an IP literal without ever resolving a host name: InetAddress.getByName would do a DNS
     * lookup for anything that is not a literal, which an indexer must never do.
     */
    static InetAddress parseIp(String text) {
        String s = text.trim();
        try {
            if (s.indexOf(':') >= 0) {
                if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    boolean ok = Character.digit(c, 16) >= 0 || c == ':' || c == '.';
                    if (!ok) return null; // zones and anything else: keep the term only
                }
                return s.isEmpty() ? null : InetAddress.getByName(s);
            }
            byte[] bytes = ipv4(s);
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) return null;
            } else if (c == '.') {
                if (value < 0 || part == 4) return null;
                out[part++] = (byte) value;
                value = -1;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }
}
