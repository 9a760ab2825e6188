package trailhound.evtx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes BinXml (MS-EVEN6 2.2.12; libyal "Windows XML Event Log (EVTX)", section "Binary XML") into
 * {@link EvtxElement} trees. One instance per read, reused for every chunk.
 *
 * <p>Decoding is two steps. A template definition (or an element written without one) is compiled
 * once per chunk into a {@link Node} tree and cached by its chunk offset, so the template a record
 * defines inline is found again when later records of the chunk name that offset. Each template
 * instance then expands the tree with its values: an optional substitution whose value is NULL omits
 * the element or attribute immediately enclosing it (MS-EVEN6 3.1.4.7.2), an array value repeats the
 * element enclosing it once per item (MS-EVEN6 3.1.4.7.5; an empty array gives one empty element),
 * and a BinXml value (type 0x21) is decoded in place as a nested document.
 */
final class BinXml {
    /*
     * Bounds: every offset and size read from the file is checked against the chunk (or the
     * enclosing data) before use, through Chunk.need; element nesting and nested BinXml values share
     * one depth limit, so a crafted record cannot overflow the stack. A violation throws
     * BinXmlException, which costs the record, never the chunk.
     *
     * Element starts come in two shapes: inside template definitions they carry a 2-byte dependency
     * identifier after the token, in a BinXml value (0x21) written without a template they do not
     * (libyal, note under "Element start"). The shape expected from the context is tried first and
     * the other taken when only it names a plausible name offset: one just after itself (an inline
     * name) or one earlier in the chunk.
     */
    static final int MAX_DEPTH = 64;
    /**
     * Most elements one record may expand to (nested documents count too). Arrays repeat elements and
     * BinXml values nest, so 64 KiB of crafted values could otherwise multiply into billions.
     */
    static final int MAX_ELEMENTS = 100_000;
    /** Most characters of text and attribute values one record may expand to, for the same reason. */
    static final long MAX_CHARS = 4_000_000;
    private static final int MAX_INTERNED = 16_384;
    private static final int RECORDS_START = 512;

    private final Chunk c;
    /** Element and attribute names shared across chunks, so every record's trees hold the same strings. */
    private final Map<String, String> interned = new HashMap<>();
    private int pos;
    /** What the current record has expanded to so far, against MAX_ELEMENTS and MAX_CHARS. */
    private int elements;
    private long chars;

    BinXml(Chunk chunk) {
        this.c = chunk;
    }

    /** The root element of the BinXml document in {@code [start, end)} of the chunk (a record's event). */
    EvtxElement document(int start, int end) {
        List<Object> out = new ArrayList<>(1);
        pos = start;
        elements = 0;
        chars = 0;
        document(end, out, 0);
        for (Object o : out) {
            if (o instanceof EvtxElement e) {
                return e;
            }
        }
        throw new BinXmlException("the record holds no element");
    }

    /** Decodes fragments (a header, then an element or a template instance) until EOF or {@code end}. */
    private void document(int end, List<Object> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new BinXmlException("BinXml nested deeper than " + MAX_DEPTH + " levels at chunk offset " + pos);
        }
        while (pos < end) {
            int token = c.u8(pos);
            switch (token) {
                case 0x00 -> {
                    pos++;
                    return;
                }
                case 0x0f -> {
                    c.need(pos, 4, end, "fragment header");
                    pos += 4;
                }
                case 0x0c -> templateInstance(end, out, depth);
                case 0x01, 0x41 -> expand(element(end, false, depth), Values.NONE, out, depth);
                case 0x0a, 0x0b -> processingInstruction(end);
                default -> throw badToken(token, "a fragment");
            }
        }
    }

    private void templateInstance(int end, List<Object> out, int depth) {
        c.need(pos, 10, end, "template instance");
        long definition = c.u32(pos + 6);
        pos += 10;
        if (definition == pos) { // defined here, inline: skip the definition to reach the values
            c.need(pos, 24, end, "template definition header");
            long size = c.u32(pos + 20);
            c.need(pos + 24, size, end, "template definition");
            pos += 24 + (int) size;
        }
        Node.Elem root = template(definition);
        expand(root, values(end), out, depth);
    }

    /** The compiled template whose definition starts at chunk offset {@code offset}. */
    private Node.Elem template(long offset) {
        if (offset < 0 || offset + 24 > c.length) {
            throw new BinXmlException("template definition offset " + offset + " is outside the chunk ("
                    + c.length + " bytes)");
        }
        int at = (int) offset;
        Template cached = c.cachedTemplate(at);
        if (cached == null) {
            cached = compile(at);
            c.cacheTemplate(at, cached);
        }
        if (cached.error() != null) {
            throw new BinXmlException(cached.error());
        }
        return cached.root();
    }

    private Template compile(int at) {
        int saved = pos;
        try {
            long size = c.u32(at + 20);
            c.need(at + 24, size, c.length, "template definition");
            int end = at + 24 + (int) size;
            pos = at + 24;
            c.need(pos, 5, end, "template fragment");
            if (c.u8(pos) != 0x0f) {
                throw new BinXmlException("template definition at chunk offset " + at
                        + " does not start with a fragment header (token 0x" + Integer.toHexString(c.u8(pos)) + ")");
            }
            pos += 4;
            int token = c.u8(pos);
            if ((token & 0xbf) != 0x01) {
                throw badToken(token, "a template definition");
            }
            return new Template(element(end, true, 0), null);
        } catch (BinXmlException e) {
            return new Template(null, "template definition at chunk offset " + at + ": " + e.getMessage());
        } finally {
            pos = saved;
        }
    }

    /** The instance's value descriptors and values, which follow the template reference. */
    private Values values(int end) {
        c.need(pos, 4, end, "template value count");
        long count = c.u32(pos);
        pos += 4;
        if (count * 4 > end - pos) {
            throw new BinXmlException(count + " template values at chunk offset " + (pos - 4)
                    + " do not fit in the record");
        }
        int n = (int) count;
        int[] offsets = new int[n];
        int[] sizes = new int[n];
        byte[] types = new byte[n];
        int at = pos + 4 * n;
        for (int i = 0; i < n; i++) {
            int size = c.u16(pos + 4 * i);
            offsets[i] = at;
            sizes[i] = size;
            types[i] = c.data[pos + 4 * i + 2];
            at += size;
        }
        c.need(pos + 4L * n, at - (pos + 4L * n), end, n + " template values");
        pos = at;
        return new Values(c, offsets, sizes, types);
    }

    // ---- compiling: tokens to Node trees ----

    private Node.Elem element(int end, boolean dependencyId, int depth) {
        if (depth > MAX_DEPTH) {
            throw new BinXmlException("elements nested deeper than " + MAX_DEPTH + " levels at chunk offset " + pos);
        }
        int start = pos;
        int token = c.u8(start);
        int p = start + 1 + (hasDependencyId(start, end, dependencyId) ? 2 : 0);
        c.need(p, 8, end, "element start");
        long nameOffset = c.u32(p + 4);
        pos = p + 8;
        String name = name(nameOffset, end);
        Node.Attr[] attrs = Node.Elem.NO_ATTRS;
        if ((token & 0x40) != 0) {
            c.need(pos, 4, end, "attribute list of <" + name + ">");
            pos += 4;
            List<Node.Attr> list = new ArrayList<>(4);
            while (pos < end && (c.u8(pos) & 0xbf) == 0x06) {
                c.need(pos + 1, 4, end, "attribute name offset");
                long attrName = c.u32(pos + 1);
                pos += 5;
                String an = name(attrName, end);
                list.add(new Node.Attr(an, parts(end)));
            }
            attrs = list.toArray(Node.Elem.NO_ATTRS);
        }
        c.need(pos, 1, end, "end of the start of <" + name + ">");
        int close = c.u8(pos++);
        Node[] content = Node.NONE;
        if (close == 0x02) {
            content = content(end, dependencyId, depth, name);
        } else if (close != 0x03) {
            throw new BinXmlException("<" + name + "> at chunk offset " + start + ": expected 0x02 or 0x03 after its "
                    + "attributes, found 0x" + Integer.toHexString(close) + " at chunk offset " + (pos - 1));
        }
        return Node.Elem.of(name, attrs, content);
    }

    private boolean hasDependencyId(int start, int end, boolean expected) {
        if (plausibleName(start, end, expected) || !plausibleName(start, end, !expected)) {
            return expected;
        }
        return !expected;
    }

    private boolean plausibleName(int start, int end, boolean dependencyId) {
        int field = start + (dependencyId ? 7 : 5);
        if (field + 4 > end) {
            return false;
        }
        long offset = c.u32(field);
        return offset == field + 4 || offset >= RECORDS_START && offset < start;
    }

    private Node[] content(int end, boolean dependencyId, int depth, String name) {
        List<Node> nodes = new ArrayList<>(4);
        while (true) {
            c.need(pos, 1, end, "content of <" + name + ">");
            int token = c.u8(pos);
            switch (token & 0xbf) {
                case 0x04 -> {
                    pos++;
                    return nodes.toArray(Node.NONE);
                }
                case 0x01 -> nodes.add(element(end, dependencyId, depth + 1));
                case 0x05, 0x07, 0x08, 0x09, 0x0d, 0x0e -> nodes.add(leaf(end));
                case 0x0a, 0x0b -> processingInstruction(end);
                default -> throw badToken(token, "the content of <" + name + ">");
            }
        }
    }

    /** An attribute's value: the text, references and substitutions up to the next attribute or the element's close. */
    private Node[] parts(int end) {
        Node first = null;
        List<Node> more = null;
        while (pos < end) {
            int kind = c.u8(pos) & 0xbf;
            if (kind != 0x05 && kind != 0x08 && kind != 0x09 && kind != 0x0d && kind != 0x0e) {
                break;
            }
            Node n = leaf(end);
            if (first == null) {
                first = n;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                more.add(n);
            }
        }
        return more != null ? more.toArray(Node.NONE) : first != null ? new Node[] {first} : Node.NONE;
    }

    private Node leaf(int end) {
        int token = c.u8(pos);
        pos++;
        switch (token & 0xbf) {
            case 0x05 -> {
                c.need(pos, 1, end, "value text");
                int type = c.u8(pos++);
                if (type != Values.STRING) {
                    throw new BinXmlException("value text of type 0x" + Integer.toHexString(type) + " at chunk offset "
                            + (pos - 2) + " (only strings are defined)");
                }
                return new Node.Text(string(end));
            }
            case 0x07 -> {
                return new Node.Text(string(end));
            }
            case 0x08 -> {
                c.need(pos, 2, end, "character reference");
                char ch = (char) c.u16(pos);
                pos += 2;
                return new Node.Text(String.valueOf(ch));
            }
            case 0x09 -> {
                c.need(pos, 4, end, "entity reference");
                long offset = c.u32(pos);
                pos += 4;
                return new Node.Text(entity(name(offset, end)));
            }
            default -> { // 0x0d normal, 0x0e optional substitution
                c.need(pos, 3, end, "substitution");
                int index = c.u16(pos);
                pos += 3;
                return new Node.Sub(index, (token & 0xbf) == 0x0e);
            }
        }
    }

    private static String entity(String name) {
        return switch (name) {
            case "lt" -> "<";
            case "gt" -> ">";
            case "amp" -> "&";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> "&" + name + ";";
        };
    }

    /** A PI target and its data: decoded for their length, then dropped (Event XML has none). */
    private void processingInstruction(int end) {
        if (c.u8(pos) == 0x0a) {
            c.need(pos, 5, end, "processing instruction target");
            long offset = c.u32(pos + 1);
            pos += 5;
            name(offset, end);
        } else {
            pos++;
            string(end);
        }
    }

    /** A length-prefixed UTF-16 string at {@code pos}. */
    private String string(int end) {
        c.need(pos, 2, end, "string length");
        int n = c.u16(pos);
        c.need(pos + 2, 2L * n, end, "string of " + n + " characters");
        String s = c.utf16(pos + 2, n);
        pos += 2 + 2 * n;
        return s;
    }

    /**
     * The name at chunk offset {@code offset}: next-name offset, hash, character count, UTF-16
     * characters and a NUL. When it is stored inline (at {@code pos}) it is also skipped.
     */
    private String name(long offset, int end) {
        if (offset == pos) {
            c.need(pos, 8, end, "name");
            int n = c.u16(pos + 6);
            c.need(pos + 8, 2L * n + 2, end, "name of " + n + " characters");
            String name = cachedName(pos, n);
            pos += 8 + 2 * n + 2;
            return name;
        }
        if (offset + 8 > c.length) {
            throw new BinXmlException("name offset " + offset + " is outside the chunk (" + c.length + " bytes)");
        }
        int at = (int) offset;
        int n = c.u16(at + 6);
        c.need(at + 8, 2L * n, c.length, "name of " + n + " characters");
        return cachedName(at, n);
    }

    private String cachedName(int at, int n) {
        String name = c.cachedName(at);
        if (name == null) {
            name = c.utf16(at + 8, n);
            String shared = interned.get(name);
            if (shared != null) {
                name = shared;
            } else if (interned.size() < MAX_INTERNED) {
                interned.put(name, name);
            }
            c.cacheName(at, name);
        }
        return name;
    }

    private BinXmlException badToken(int token, String where) {
        return new BinXmlException("unexpected token 0x" + Integer.toHexString(token) + " in " + where
                + " at chunk offset " + pos);
    }

    // ---- expanding: Node trees and values to EvtxElements ----

    /** Appends what element {@code e} becomes with values {@code v}: nothing, itself, or one copy per array item. */
    private void expand(Node.Elem e, Values v, List<Object> out, int depth) {
        if (e.constant() != null) {
            count(1, 0);
            out.add(e.constant());
            return;
        }
        if (depth > MAX_DEPTH) {
            throw new BinXmlException("elements nested deeper than " + MAX_DEPTH + " levels");
        }
        int array = -1;
        if (e.direct()) {
            for (Node n : e.content()) {
                if (n instanceof Node.Sub s) {
                    int type = v.type(s.index());
                    if (type == Values.NULL && s.optional()) {
                        return;
                    }
                    if (array < 0 && Values.isArray(type)) {
                        array = s.index();
                    }
                }
            }
            for (int i = 0; array < 0 && i < e.attrs().length; i++) {
                for (Node n : e.attrs()[i].parts()) {
                    if (n instanceof Node.Sub s && Values.isArray(v.type(s.index()))) {
                        array = s.index();
                        break;
                    }
                }
            }
        }
        if (array < 0) {
            out.add(build(e, v, -1, depth));
            return;
        }
        int items = v.items(array).length;
        if (items == 0) {
            out.add(build(e, v, -1, depth));
        }
        for (int k = 0; k < items; k++) {
            out.add(build(e, v, k, depth));
        }
    }

    private EvtxElement build(Node.Elem e, Values v, int item, int depth) {
        count(1, 0);
        Node.Attr[] attrs = e.attrs();
        AttributeMap attributes = AttributeMap.EMPTY;
        if (attrs.length > 0) {
            String[] keys = new String[attrs.length];
            String[] vals = new String[attrs.length];
            int count = 0;
            for (Node.Attr a : attrs) {
                String value = attributeValue(a.parts(), v, item);
                if (value != null) {
                    count(0, value.length());
                    keys[count] = a.name();
                    vals[count++] = value;
                }
            }
            attributes = AttributeMap.of(keys, vals, count);
        }
        List<Object> children = new ArrayList<>(e.content().length);
        String text = null;
        StringBuilder texts = null;
        for (Node n : e.content()) {
            String piece = null;
            switch (n) {
                case Node.Text t -> piece = t.text();
                case Node.Sub s -> {
                    int type = v.type(s.index());
                    if (type == Values.BINXML) {
                        text = flush(text, texts, children);
                        texts = null;
                        count(1, 0);
                        int saved = pos;
                        pos = v.offset(s.index());
                        document(pos + v.size(s.index()), children, depth + 1);
                        pos = saved;
                    } else if (type != Values.NULL) {
                        piece = v.text(s.index(), item);
                    }
                }
                case Node.Elem child -> {
                    text = flush(text, texts, children);
                    texts = null;
                    expand(child, v, children, depth + 1);
                }
            }
            if (piece != null && !piece.isEmpty()) {
                count(0, piece.length());
                if (text == null) {
                    text = piece;
                } else {
                    if (texts == null) {
                        texts = new StringBuilder(text);
                    }
                    texts.append(piece);
                }
            }
        }
        flush(text, texts, children);
        return new EvtxElement(e.name(), attributes, children);
    }

    private void count(int newElements, int newChars) {
        elements += newElements;
        chars += newChars;
        if (elements > MAX_ELEMENTS || chars > MAX_CHARS) {
            throw new BinXmlException("the record expands to more than " + (elements > MAX_ELEMENTS
                    ? MAX_ELEMENTS + " elements" : MAX_CHARS + " characters") + " (arrays and nested BinXml"
                    + " multiply); not decoded");
        }
    }

    /** Adds the pending text to {@code children}; returns null, the new pending text. */
    private static String flush(String text, StringBuilder texts, List<Object> children) {
        if (texts != null) {
            children.add(texts.toString());
        } else if (text != null) {
            children.add(text);
        }
        return null;
    }

    /** The attribute's value, or null when an optional substitution in it is NULL (the attribute is omitted). */
    private static String attributeValue(Node[] parts, Values v, int item) {
        if (parts.length == 1) {
            return switch (parts[0]) {
                case Node.Text t -> t.text();
                case Node.Sub s -> v.type(s.index()) == Values.NULL && s.optional() ? null : v.text(s.index(), item);
                default -> throw new IllegalStateException();
            };
        }
        StringBuilder sb = new StringBuilder();
        for (Node n : parts) {
            if (n instanceof Node.Text t) {
                sb.append(t.text());
            } else if (n instanceof Node.Sub s) {
                if (v.type(s.index()) == Values.NULL && s.optional()) {
                    return null;
                }
                sb.append(v.text(s.index(), item));
            }
        }
        return sb.toString();
    }

    /** A compiled template definition, or why it does not compile (so a bad one is decoded once per chunk). */
    record Template(Node.Elem root, String error) {
    }
}
