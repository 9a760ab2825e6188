package trailhound.evtx;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * One element of a record's Event XML, as Windows renders it (Event Viewer's XML view,
 * {@code wevtutil qe /f:xml}): its name, attributes and children.
 *
 * <p>Values are text as Windows renders them: times {@code 2019-03-08T23:34:36.0957280Z}, GUIDs
 * {@code {5770385F-C22A-43E0-BF4C-06F5698FFBD9}}, SIDs {@code S-1-5-18}, hexadecimal integers
 * {@code 0x3e7}, binary data as upper-case hex. Text is unescaped ({@code &amp;} is {@code &});
 * {@link #toXml()} escapes it again. Adjacent text is merged into one string; CDATA sections are
 * text; processing instructions are not kept.
 *
 * <p>Immutable and thread-safe; the attribute map and the children list are unmodifiable copies.
 * Elements with no substituted value may be shared between records of the same chunk.
 *
 * @param name the element's name, e.g. {@code Event}, {@code Data}
 * @param attributes attribute names to values, in document order; empty when there are none
 * @param children {@link EvtxElement}s and {@link String}s (text), in document order
 */
public record EvtxElement(String name, SequencedMap<String, String> attributes, List<Object> children) {

    public EvtxElement {
        Objects.requireNonNull(name, "name");
        attributes = AttributeMap.copyOf(attributes);
        children = List.copyOf(children);
        for (Object child : children) {
            if (!(child instanceof EvtxElement) && !(child instanceof String)) {
                throw new IllegalArgumentException("a child of <" + name + "> is a " + child.getClass().getName()
                        + ", not an EvtxElement or a String");
            }
        }
    }

    /** The value of attribute {@code name}, or null when the element has none. */
    public String attribute(String name) {
        return attributes.get(name);
    }

    /** The first child element named {@code name}, or null when there is none. */
    public EvtxElement child(String name) {
        for (Object c : children) {
            if (c instanceof EvtxElement e && e.name.equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The child elements named {@code name}, in document order (e.g. every {@code Data} of {@code EventData}). */
    public List<EvtxElement> children(String name) {
        List<EvtxElement> out = new ArrayList<>();
        for (Object c : children) {
            if (c instanceof EvtxElement e && e.name.equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The element's own text (its text children joined, not its descendants'); empty when it has none. */
    public String text() {
        if (children.size() == 1 && children.get(0) instanceof String s) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (Object c : children) {
            if (c instanceof String s) {
                sb.append(s);
            }
        }
        return sb.toString();
    }

    /**
     * The element as XML text without added whitespace, {@code &<>"} escaped (and control characters
     * as character references), empty elements as {@code <Name/>}. For debugging and tests.
     */
    public String toXml() {
        StringBuilder sb = new StringBuilder(256);
        appendXml(sb);
        return sb.toString();
    }

    private void appendXml(StringBuilder sb) {
        sb.append('<').append(name);
        attributes.forEach((k, v) -> {
            sb.append(' ').append(k).append("=\"");
            escape(v, true, sb);
            sb.append('"');
        });
        if (children.isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        for (Object c : children) {
            if (c instanceof EvtxElement e) {
                e.appendXml(sb);
            } else {
                escape((String) c, false, sb);
            }
        }
        sb.append("</").append(name).append('>');
    }

    private static void escape(String s, boolean attribute, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append(attribute ? "&quot;" : "\"");
                default -> {
                    boolean whitespace = c == '\t' || c == '\n' || c == '\r';
                    if (c < 0x20 && (!whitespace || attribute)) {
                        sb.append("&#x").append(Integer.toHexString(c).toUpperCase()).append(';');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
