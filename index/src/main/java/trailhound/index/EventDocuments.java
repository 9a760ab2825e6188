package trailhound.index;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.security.MessageDigest;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;
import trailhound.query.IndexFields;

/*
 * Event -> Lucene document. One instance per indexing thread, for every index the thread writes
 * (see EndpointIndex#add): the Field objects are created once and their values swapped per event,
 * because allocating the Field objects per event was a measurable share of indexing time.
 * IndexWriter consumes the document before updateDocument returns, so reuse after that call is safe.
 *
 * One per thread, not per index and thread: the memos below keep the values they last saw alive, and
 * with one per index 200 streaming endpoints held 200 sets of them, most of a live server's growing
 * old generation (docs/performance.md, live endpoints, sessions 17 and 18). What a memo entry says about an
 * index (offered to its dictionary, its variant number) holds only for the index it was made for,
 * named by the owner number each index gets (EndpointIndex), never a reference, so a closed
 * index is not kept alive by a slot.
 *
 * The acting process's fields are not on the event: the event carries the id of its process
 * variant (ProcessVariants), and everything below is about the remaining, event-specific fields.
 *
 * Why each Lucene field exists:
 *  - term(f), StringField, DOCS only, no norms: the lower-cased value as one untokenized term, so
 *    equals and starts-with are term-dictionary lookups; no positions/frequencies because no
 *    query needs them, and they would grow the index.
 *  - point(f): LongPoint for NUMBER/TIME (ranges), InetAddressPoint for IP (equals, CIDR, ranges);
 *    skipped when the text does not parse, the term still matches the text.
 *  - VALUES_DV, one binary doc value: the original values (FieldValues) and the variant id, read back
 *    to show and export events. ts is left out when its text is canonical: its doc value holds it.
 *    Not a stored field (VALUES, as segments written before it hold it): stored fields are LZ4 blocks
 *    of about a thousand events, so reading the 100 events of a process spread over the index
 *    decompressed 100 blocks (a busy process's view took 3x SQLite's time); a binary doc value is
 *    read where it lies, uncompressed (docs/decisions.md, "Event values in doc values").
 *  - ProcessVariants.ID, StringField: the variant id, what process-field clauses resolve to.
 *  - ProcessVariants.NUMBER, NumericDocValues: the variant's number, so a clause led by another
 *    with few events checks each of them against the set of variants (VariantSetQuery) instead
 *    of reading the set's postings; a few bits per event.
 *  - display(event_uid), SortedDocValues, original case: the second key of every page sort (page
 *    cursors carry the original uid).
 *  - display(process_key), SortedDocValues: children of a process are the distinct process keys
 *    of the events under it, collected from ords without reading events.
 *  - IndexFields.TS, NumericDocValues beside the ts point of the same value: the newest-first and
 *    oldest-first search sorts, which skip documents through the points (IndexFields).
 *  - display(process_name) SortedDocValues (lower case), and NumericDocValues under the point's
 *    name for pid and remote_port: the grid's sort by those columns (EventSort); a few bytes per
 *    event, measured in docs/performance.md ("Sortable columns").
 *  - TYPE_OPERATION, StringField + SortedDocValuesField: "type/operation" as one term, so the
 *    whole-endpoint distribution is a walk over a handful of terms' docFreq instead of a pass over
 *    every document; and as one doc value (a few bits per event), so a distribution under a query
 *    reads one value per hit instead of two.
 */
final class EventDocuments {
    /** Index-internal term field "type/operation"; not part of the query contract. */
    static final String TYPE_OPERATION = "type/operation$t";
    /** The event's own original values and its variant id, see FieldValues: a stored field, in segments written before VALUES_DV. */
    static final String VALUES = "event$values";
    /** The same as a binary doc value, in every segment written since (a new name: a field keeps its doc values type). */
    static final String VALUES_DV = "event$values$dv";

    /** The fields indexed on the event itself: all but the process fields. */
    static final Field[] EVENT_FIELDS = Field.all().stream().filter(f -> !f.isProcessField()).toArray(Field[]::new);
    private static final Field[] PROCESS_FIELDS = ProcessVariants.FIELDS;

    private final StringField[] terms = new StringField[Field.count()];
    private final LongPoint[] longPoints = new LongPoint[Field.count()];
    private final SortedDocValuesField uidValue = new SortedDocValuesField(IndexFields.display(Field.EVENT_UID), new BytesRef());
    private final SortedDocValuesField processKeyValue = new SortedDocValuesField(IndexFields.display(Field.PROCESS_KEY), new BytesRef());
    private final SortedDocValuesField processNameValue = new SortedDocValuesField(IndexFields.display(Field.PROCESS_NAME), new BytesRef());
    private final NumericDocValuesField[] sortValues = new NumericDocValuesField[Field.count()];
    private final BinaryDocValuesField values = new BinaryDocValuesField(VALUES_DV, new BytesRef());
    private final StringField variantTerm = new StringField(ProcessVariants.ID, new BytesRef(), org.apache.lucene.document.Field.Store.NO);
    private final NumericDocValuesField variantNumberValue = new NumericDocValuesField(ProcessVariants.NUMBER, 0L);
    private final NumericDocValuesField tsValue = new NumericDocValuesField(IndexFields.TS, 0L);
    private final StringField typeOperation = new StringField(TYPE_OPERATION, new BytesRef(), org.apache.lucene.document.Field.Store.NO);
    private final SortedDocValuesField typeOperationValue = new SortedDocValuesField(TYPE_OPERATION, new BytesRef());
    private final FieldValues encoder = new FieldValues();
    private final List<IndexableField> doc = new ArrayList<>(EVENT_FIELDS.length * 2 + 8);
    private final String[] lower = new String[Field.count()];
    private final BytesRef[] lowerBytes = new BytesRef[Field.count()];
    private final String[] own = new String[Field.count()];
    private final boolean[] fresh = new boolean[Field.count()];

    /*
     * A small per-field memo keyed by String identity. Readers share String instances between the
     * events of a process and for repeated values (type, operation, keys); lower-casing and UTF-8
     * encoding them once instead of once per event was a fifth of indexing time. Direct-mapped: a
     * miss just recomputes.
     */
    private static final int MEMO = 4096; // 512 missed a third of the process fields' values
    // Rows allocated on a field's first value: an event type uses a third of the fields, and one
    // instance exists per indexing thread and open endpoint.
    private final String[][] memoKey = new String[Field.count()][];
    private final String[][] memoLower = new String[Field.count()][];
    private final BytesRef[][] memoLowerBytes = new BytesRef[Field.count()][];
    /** The owner (index) whose dictionary each entry's value was last offered to. */
    private final int[][] memoOwner = new int[Field.count()][];

    /*
     * The same idea for the variant id, which costs a SHA-256 over the process fields: events whose
     * process-field Strings are the very instances of an earlier event (a recorder reader shares
     * them per process) reuse its id and number. An entry is made once the variant is numbered
     * ({@link #numbered}), so a failed write of a new variant leaves nothing in the memo.
     */
    private static final int VARIANT_MEMO = 4096;
    private final String[][] variantMemoValues = new String[VARIANT_MEMO][];
    private final BytesRef[] variantMemoIds = new BytesRef[VARIANT_MEMO];
    private final int[] variantMemoNumbers = new int[VARIANT_MEMO];
    private final int[] variantMemoOwners = new int[VARIANT_MEMO];
    private final MessageDigest sha256 = ProcessVariants.sha256();
    private final byte[][] scratch = {new byte[1024]};
    private boolean variantRepeated;
    private int variantSlot;
    private BytesRef variantId;
    private Event variantEvent;
    private int variantNumber;
    private int variantOwner;

    private final String[] pairMemoType = new String[64];
    private final String[] pairMemoOperation = new String[64];
    private final BytesRef[] pairMemo = new BytesRef[64];

    EventDocuments() {
        for (Field f : EVENT_FIELDS) {
            if (f.kind() != FieldKind.TIME) {
                terms[f.ordinal()] = new StringField(IndexFields.term(f), new BytesRef(), org.apache.lucene.document.Field.Store.NO);
            }
            if (f.kind() == FieldKind.NUMBER || f.kind() == FieldKind.TIME) {
                longPoints[f.ordinal()] = new LongPoint(IndexFields.point(f), 0L);
            }
            if (f.kind() == FieldKind.NUMBER && EventSort.sortable(f)) {
                sortValues[f.ordinal()] = new NumericDocValuesField(IndexFields.point(f), 0L);
            }
        }
    }

    /**
     * The event's own (non-process) values lower-cased ({@link IndexFields#normalize}) by field
     * ordinal; process and TIME fields (no term) null; reused per thread. {@code owner} is the number
     * of the index the event goes to ({@link #fresh} is about its dictionary).
     */
    String[] normalized(Event event, int owner) {
        for (Field f : EVENT_FIELDS) {
            int i = f.ordinal();
            String value = f.kind() == FieldKind.TIME ? null : event.get(f);
            if (value == null) {
                lower[i] = null;
                fresh[i] = false;
                continue;
            }
            int slot = System.identityHashCode(value) & (MEMO - 1);
            if (memoKey[i] == null) {
                memoKey[i] = new String[MEMO];
                memoLower[i] = new String[MEMO];
                memoLowerBytes[i] = new BytesRef[MEMO];
                memoOwner[i] = new int[MEMO];
            }
            if (memoKey[i][slot] == value) {
                // the lower case holds for every index; "offered" only for the one it was offered to
                fresh[i] = memoOwner[i][slot] != owner;
            } else {
                memoKey[i][slot] = value;
                memoLower[i][slot] = IndexFields.normalize(value);
                memoLowerBytes[i][slot] = new BytesRef(memoLower[i][slot]);
                fresh[i] = true;
            }
            memoOwner[i][slot] = owner;
            lower[i] = memoLower[i][slot];
            lowerBytes[i] = memoLowerBytes[i][slot];
        }
        return lower;
    }

    /** The lower-cased uid of the last {@link #normalized} event as its term bytes. */
    BytesRef uidBytes() {
        return lowerBytes[Field.EVENT_UID.ordinal()];
    }

    /**
     * Which of the last {@link #normalized} values were not in the memo for this owner: only those can
     * be new to its value dictionary (a memo hit was offered to it before). Valid until the next call.
     */
    boolean[] fresh() {
        return fresh;
    }

    /**
     * True when the last {@link #variant} came from the memo: this thread has already passed that
     * variant to ProcessVariants#add and {@link #numbered} it, so it is known to be written.
     */
    boolean variantRepeated() {
        return variantRepeated;
    }

    /** Gives the last {@link #variant}, not repeated, its number in ProcessVariants, and memoises both. */
    void numbered(int number) {
        variantNumber = number;
        String[] values = new String[PROCESS_FIELDS.length];
        Event event = variantEvent;
        for (int i = 0; i < values.length; i++) values[i] = event.get(PROCESS_FIELDS[i]);
        variantMemoValues[variantSlot] = values;
        variantMemoIds[variantSlot] = variantId;
        variantMemoNumbers[variantSlot] = number;
        variantMemoOwners[variantSlot] = variantOwner;
    }

    /**
     * The id of the event's process variant, or null when it has no process field. Unless
     * {@link #variantRepeated}, the caller writes it to the owner's variants and calls {@link #numbered}
     * before {@link #document}. A memo entry is reused only for the owner it was numbered for: each
     * index numbers its variants itself.
     */
    BytesRef variant(Event event, int owner) {
        String first = null;
        for (Field f : PROCESS_FIELDS) {
            first = event.get(f);
            if (first != null) break;
        }
        variantRepeated = false;
        variantEvent = null;
        if (first == null) return null;
        int slot = System.identityHashCode(first) & (VARIANT_MEMO - 1);
        String[] seen = variantMemoValues[slot];
        if (seen != null && variantMemoOwners[slot] == owner && sameInstances(seen, event)) {
            variantRepeated = true;
            variantNumber = variantMemoNumbers[slot];
            return variantMemoIds[slot];
        }
        variantSlot = slot;
        variantOwner = owner;
        variantEvent = event;
        variantNumber = -1;
        variantId = ProcessVariants.id(event, sha256, scratch);
        return variantId;
    }

    private static boolean sameInstances(String[] seen, Event event) {
        for (int i = 0; i < seen.length; i++) {
            if (seen[i] != event.get(PROCESS_FIELDS[i])) return false;
        }
        return true;
    }

    /** The document for the event, its {@link #normalized} values and its variant; valid until the next call. */
    List<IndexableField> document(Event event, String[] lower, BytesRef variant) {
        doc.clear();
        for (Field f : EVENT_FIELDS) {
            int i = f.ordinal();
            String value = event.get(f);
            own[i] = value;
            if (value == null) continue;
            if (f.kind() != FieldKind.TIME) { // TIME: the point is enough, see IndexFields
                StringField term = terms[i];
                term.setBytesValue(lowerBytes[i]);
                doc.add(term);
            }
            switch (f.kind()) {
                case NUMBER, TIME -> {
                    // ts: the point must equal the doc value, or the sort would skip wrongly
                    Long n = f == Field.TS ? Long.valueOf(event.ts()) : parseLong(value);
                    if (n != null) {
                        longPoints[i].setLongValue(n);
                        doc.add(longPoints[i]);
                        if (sortValues[i] != null) {
                            sortValues[i].setLongValue(n);
                            doc.add(sortValues[i]);
                        }
                    }
                    if (f == Field.TS && n != null && isCanonical(value)) {
                        own[i] = null; // read back from its doc value, see class comment
                    }
                }
                case IP -> {
                    InetAddress address = parseIp(value);
                    if (address != null) doc.add(new InetAddressPoint(IndexFields.point(f), address));
                }
                default -> {}
            }
        }
        String uid = event.uid();
        uidValue.setBytesValue(uid.equals(lower[Field.EVENT_UID.ordinal()]) ? lowerBytes[Field.EVENT_UID.ordinal()] : new BytesRef(uid));
        doc.add(uidValue);
        if (event.get(Field.PROCESS_KEY) != null) {
            processKeyValue.setBytesValue(lowerBytes[Field.PROCESS_KEY.ordinal()]);
            doc.add(processKeyValue);
        }
        if (event.get(Field.PROCESS_NAME) != null) {
            processNameValue.setBytesValue(lowerBytes[Field.PROCESS_NAME.ordinal()]);
            doc.add(processNameValue);
        }
        if (variant != null) {
            if (variantNumber < 0) throw new IllegalStateException("variant " + variant + " not numbered");
            variantTerm.setBytesValue(variant);
            doc.add(variantTerm);
            variantNumberValue.setLongValue(variantNumber);
            doc.add(variantNumberValue);
        }
        values.setBytesValue(new BytesRef(encoder.encode(own, EVENT_FIELDS, variant)));
        doc.add(values);
        tsValue.setLongValue(event.ts());
        doc.add(tsValue);
        BytesRef pair = typeOperationBytes(event.type(), event.operation());
        typeOperation.setBytesValue(pair);
        doc.add(typeOperation);
        typeOperationValue.setBytesValue(pair);
        doc.add(typeOperationValue);
        return doc;
    }

    private BytesRef typeOperationBytes(String type, String operation) {
        int slot = (System.identityHashCode(type) * 31 + System.identityHashCode(operation)) & 63;
        if (pairMemoType[slot] != type || pairMemoOperation[slot] != operation || pairMemo[slot] == null) {
            pairMemoType[slot] = type;
            pairMemoOperation[slot] = operation;
            pairMemo[slot] = new BytesRef(typeOperation(type, operation));
        }
        return pairMemo[slot];
    }

    /**
     * Adds the searchable fields of one value (term, and point where the kind has one) to a
     * document built outside the per-thread fast path (process variants).
     */
    static void addSearchable(Document doc, Field f, String value, String lower) {
        if (f.kind() != FieldKind.TIME) doc.add(new StringField(IndexFields.term(f), lower, org.apache.lucene.document.Field.Store.NO));
        switch (f.kind()) {
            case NUMBER, TIME -> {
                Long n = parseLong(value);
                if (n != null) doc.add(new LongPoint(IndexFields.point(f), n));
            }
            case IP -> {
                InetAddress address = parseIp(value);
                if (address != null) doc.add(new InetAddressPoint(IndexFields.point(f), address));
            }
            default -> {}
        }
    }

    static String typeOperation(String type, String operation) {
        return IndexFields.normalize(type) + "/" + (operation == null ? "" : IndexFields.normalize(operation));
    }

    /** True when the text of a parsed long is exactly what Long.toString gives back (cheaper than comparing). */
    private static boolean isCanonical(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start) return false;
        if (text.charAt(start) == '0') return text.length() == 1;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    static Long parseLong(String text) {
        if (text == null) return null;
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
