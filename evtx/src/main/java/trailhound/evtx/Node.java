package trailhound.evtx;

import java.util.Arrays;
import java.util.List;

/**
 * A compiled BinXml fragment (a template definition, or an element written without one): an element
 * tree whose leaves are literal text or substitutions of the template instance's values. Compiled once
 * per chunk and template, then expanded for every record that uses it.
 */
sealed interface Node {
    Node[] NONE = new Node[0];

    /** Literal text: value text, CDATA, a character or entity reference, already unescaped. */
    record Text(String text) implements Node {
    }

    /** Substitution {@code %index}; an optional one omits its element or attribute when the value is NULL. */
    record Sub(int index, boolean optional) implements Node {
    }

    record Attr(String name, Node[] parts) {
    }

    /**
     * An element. {@code constant} is its expansion when nothing in it is substituted, built once and
     * shared by every record of the chunk (elements are immutable); {@code direct} says a substitution
     * sits in its own content or attributes, where it can omit or repeat the element.
     */
    record Elem(String name, Attr[] attrs, Node[] content, boolean direct, EvtxElement constant) implements Node {
        static final Attr[] NO_ATTRS = new Attr[0];

        static Elem of(String name, Attr[] attrs, Node[] content) {
            boolean direct = false;
            boolean substituted = false;
            for (Node n : content) {
                direct |= n instanceof Sub;
                substituted |= n instanceof Sub || n instanceof Elem e && e.constant == null;
            }
            for (Attr a : attrs) {
                for (Node n : a.parts) {
                    direct |= n instanceof Sub;
                }
            }
            substituted |= direct;
            return new Elem(name, attrs, content, direct, substituted ? null : constant(name, attrs, content));
        }

        private static EvtxElement constant(String name, Attr[] attrs, Node[] content) {
            String[] keys = new String[attrs.length];
            String[] values = new String[attrs.length];
            for (int i = 0; i < attrs.length; i++) {
                keys[i] = attrs[i].name;
                StringBuilder sb = new StringBuilder();
                for (Node n : attrs[i].parts) {
                    sb.append(((Text) n).text);
                }
                values[i] = sb.toString();
            }
            Object[] children = new Object[content.length];
            int count = 0;
            for (Node n : content) {
                if (n instanceof Elem e) {
                    children[count++] = e.constant;
                } else if (count > 0 && children[count - 1] instanceof String s) {
                    children[count - 1] = s + ((Text) n).text;
                } else {
                    children[count++] = ((Text) n).text;
                }
            }
            return new EvtxElement(name, AttributeMap.of(keys, values, keys.length),
                    List.of(count == children.length ? children : Arrays.copyOf(children, count)));
        }
    }
}
