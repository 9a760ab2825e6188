package trailhound.web.intel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;

/**
 * IOCs as OpenIOC 1.1 XML ({@code http://openioc.org/schemas/OpenIOC_1.1}), written valid against
 * Mandiant's published schema ({@code ioc.xsd}) and read back.
 *
 * <p>Each indicator type is one term of Mandiant's {@code current.iocterms}, written with
 * {@code Context document=ITEM search=ITEM/term type=mir} and {@code Content type=}:
 * <table>
 *   <caption>indicator types and OpenIOC terms</caption>
 *   <tr><td>md5, sha1, sha256</td><td>FileItem/Md5sum, FileItem/Sha1sum, FileItem/Sha256sum</td></tr>
 *   <tr><td>file_path, file_name</td><td>FileItem/FullPath, FileItem/FileName</td></tr>
 *   <tr><td>process_name, command_line</td><td>ProcessItem/name, ProcessItem/arguments</td></tr>
 *   <tr><td>ip</td><td>PortItem/remoteIP</td></tr>
 *   <tr><td>domain</td><td>DnsEntryItem/Host</td></tr>
 *   <tr><td>registry_key, registry_value, registry_data</td><td>RegistryItem/KeyPath, RegistryItem/ValueName,
 *       RegistryItem/Text</td></tr>
 * </table>
 * Reading also takes ProcessItem/path (a file path), ProcessItem/PortList/PortItem/remoteIP and
 * Network/DNS. Conditions {@code is} and {@code contains} are read; any other condition, a negated
 * item, or another term is reported as not imported, and an AND with such a part is left out whole
 * (without the part it would match more than its author meant). Values are case-insensitive here, so
 * {@code preserve-case} is written false and not read. Documents with a DOCTYPE are refused (no
 * external entities).
 *
 * <p>XML 1.0 cannot hold most control characters (U+0001-U+001F but tab and line feed; a carriage
 * return would come back as a line feed), yet an attacker's command line may hold an ESC (U+001B). A
 * value holding any of them, or U+FFFE, U+FFFF or a lone surrogate, is written with backslash escapes:
 * <code>&#92;u001B</code> for each such character and {@code \\} for each backslash; a
 * {@code <param name="trailhound-escaped" ref-id="ITEM-ID">} under {@code <parameters>} marks the
 * item so, and reading undoes the escapes of the items so marked (other tools show the escaped text).
 * Every other value is written as it is. A name or author holding such characters is written escaped
 * the same way (and read back as written).
 */
public final class OpenIoc {
    public static final String NAMESPACE = "http://openioc.org/schemas/OpenIOC_1.1";

    private static final Map<IndicatorType, String[]> TERMS = Map.ofEntries(
            Map.entry(IndicatorType.MD5, new String[] {"FileItem", "FileItem/Md5sum", "md5"}),
            Map.entry(IndicatorType.SHA1, new String[] {"FileItem", "FileItem/Sha1sum", "sha1"}),
            Map.entry(IndicatorType.SHA256, new String[] {"FileItem", "FileItem/Sha256sum", "sha256"}),
            Map.entry(IndicatorType.FILE_PATH, new String[] {"FileItem", "FileItem/FullPath", "string"}),
            Map.entry(IndicatorType.FILE_NAME, new String[] {"FileItem", "FileItem/FileName", "string"}),
            Map.entry(IndicatorType.PROCESS_NAME, new String[] {"ProcessItem", "ProcessItem/name", "string"}),
            Map.entry(IndicatorType.COMMAND_LINE, new String[] {"ProcessItem", "ProcessItem/arguments", "string"}),
            Map.entry(IndicatorType.IP, new String[] {"PortItem", "PortItem/remoteIP", "IP"}),
            Map.entry(IndicatorType.DOMAIN, new String[] {"DnsEntryItem", "DnsEntryItem/Host", "string"}),
            Map.entry(IndicatorType.REGISTRY_KEY, new String[] {"RegistryItem", "RegistryItem/KeyPath", "string"}),
            Map.entry(IndicatorType.REGISTRY_VALUE, new String[] {"RegistryItem", "RegistryItem/ValueName", "string"}),
            Map.entry(IndicatorType.REGISTRY_DATA, new String[] {"RegistryItem", "RegistryItem/Text", "string"}));

    private static final Map<String, IndicatorType> READ = readTerms();

    /** The {@code <param name=...>} marking an item whose Content is written with backslash escapes. */
    public static final String ESCAPED_PARAM = "trailhound-escaped";

    private OpenIoc() {}

    private static Map<String, IndicatorType> readTerms() {
        Map<String, IndicatorType> m = new java.util.HashMap<>();
        TERMS.forEach((type, term) -> m.put(term[1].toLowerCase(java.util.Locale.ROOT), type));
        m.put("processitem/path", IndicatorType.FILE_PATH);
        m.put("processitem/portlist/portitem/remoteip", IndicatorType.IP);
        m.put("network/dns", IndicatorType.DOMAIN);
        return Map.copyOf(m);
    }

    /** The IOC as an OpenIOC 1.1 document (UTF-8 XML text). */
    public static String write(String name, String author, Instant created, IocTree tree) {
        try {
            Document doc = builder().newDocument();
            Element root = doc.createElementNS(NAMESPACE, "OpenIOC");
            doc.appendChild(root);
            String when = created.truncatedTo(ChronoUnit.SECONDS).toString();
            root.setAttribute("id", UUID.nameUUIDFromBytes(("trailhound-ioc:" + name + ":" + when).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .toString());
            root.setAttribute("last-modified", when);
            root.setAttribute("published-date", when);
            Element metadata = child(root, "metadata");
            child(metadata, "short_description").setTextContent(needsEscape(name) ? escaped(name) : name);
            child(metadata, "authored_by").setTextContent(needsEscape(author) ? escaped(author) : author);
            child(metadata, "authored_date").setTextContent(when);
            child(metadata, "links");
            Element criteria = child(root, "criteria");
            IocTree top = tree instanceof IocTree.Group ? tree : new IocTree.Group(IocTree.Operator.OR, List.of(tree));
            List<String> escaped = new ArrayList<>();
            indicator(criteria, (IocTree.Group) top, escaped);
            Element parameters = child(root, "parameters");
            for (String itemId : escaped) {
                Element param = child(parameters, "param");
                param.setAttribute("id", UUID.randomUUID().toString());
                param.setAttribute("ref-id", itemId);
                param.setAttribute("name", ESCAPED_PARAM);
                Element value = child(param, "value");
                value.setAttribute("type", "string");
                value.setTextContent("the item's Content has backslash escapes: \\uXXXX for a character XML 1.0 cannot hold,"
                        + " \\\\ for a backslash");
            }
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write OpenIOC: " + e.getMessage(), e);
        }
    }

    private static void indicator(Element parent, IocTree.Group group, List<String> escaped) {
        Element indicator = child(parent, "Indicator");
        indicator.setAttribute("operator", group.operator().name());
        indicator.setAttribute("id", UUID.randomUUID().toString());
        // the schema wants a group's items before its groups
        for (IocTree part : group.parts()) {
            if (part instanceof IocTree.Item item) {
                String[] term = TERMS.get(item.type());
                Element e = child(indicator, "IndicatorItem");
                String id = UUID.randomUUID().toString();
                e.setAttribute("id", id);
                e.setAttribute("condition", item.condition().id());
                e.setAttribute("preserve-case", "false");
                e.setAttribute("negate", "false");
                Element context = child(e, "Context");
                context.setAttribute("document", term[0]);
                context.setAttribute("search", term[1]);
                context.setAttribute("type", "mir");
                Element content = child(e, "Content");
                content.setAttribute("type", term[2]);
                boolean escape = needsEscape(item.value());
                if (escape) escaped.add(id);
                content.setTextContent(escape ? escaped(item.value()) : item.value());
            }
        }
        for (IocTree part : group.parts()) {
            if (part instanceof IocTree.Group g) indicator(indicator, g, escaped);
        }
    }

    /** Whether {@code c} (a UTF-16 unit) cannot come back from XML 1.0 text as it is. */
    private static boolean unholdable(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x20) return c != '\t' && c != '\n';
        if (c == 0xFFFE || c == 0xFFFF) return true;
        if (Character.isHighSurrogate(c)) return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (Character.isLowSurrogate(c)) return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        return false;
    }

    static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) if (unholdable(value, i)) return true;
        return false;
    }

    /** {@code value} with {@code \\} for a backslash and <code>&#92;uXXXX</code> for each character XML 1.0 cannot hold. */
    static String escaped(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') b.append("\\\\");
            else if (unholdable(value, i)) b.append(String.format("\\u%04X", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    /** The value {@link #escaped} gave {@code text}; an escape it cannot read stays as written. */
    static String unescaped(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                b.append('\\');
                i++;
            } else if (c == '\\' && i + 5 < text.length() && text.charAt(i + 1) == 'u' && text.substring(i + 2, i + 6).matches("[0-9A-Fa-f]{4}")) {
                b.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElementNS(NAMESPACE, name);
        parent.appendChild(e);
        return e;
    }

    /**
     * Reads an OpenIOC document (1.1, or 1.0's {@code definition}).
     *
     * @throws IllegalArgumentException for a document that is not XML or not OpenIOC, saying why
     */
    public static IocImport read(byte[] xml) {
        Document doc;
        try {
            doc = builder().parse(new ByteArrayInputStream(leadingSpaceRemoved(xml)));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException(inOurWords(e));
        }
        Element root = doc.getDocumentElement();
        if (!"OpenIOC".equals(root.getLocalName()) && !"ioc".equals(root.getLocalName())) {
            throw new IllegalArgumentException("not an OpenIOC document: the root element is <" + root.getLocalName()
                    + ">, expected <OpenIOC> (1.1) or <ioc> (1.0)");
        }
        String name = text(first(root, "short_description"));
        Element criteria = first(root, "criteria");
        if (criteria == null) criteria = first(root, "definition");
        if (criteria == null) throw new IllegalArgumentException("not an OpenIOC document: no <criteria> (1.1) or <definition> (1.0)");
        java.util.Set<String> escaped = new java.util.HashSet<>();
        Element parameters = first(root, "parameters");
        if (parameters != null) {
            for (Element param : children(parameters, "param")) {
                if (ESCAPED_PARAM.equals(param.getAttribute("name"))) escaped.add(param.getAttribute("ref-id"));
            }
        }
        List<String> skipped = new ArrayList<>();
        List<IocTree> parts = new ArrayList<>();
        for (Element indicator : children(criteria, "Indicator")) {
            IocTree t = group(indicator, skipped, 1, escaped);
            if (t != null) parts.add(t);
        }
        IocTree tree = parts.isEmpty() ? null : parts.size() == 1 ? parts.getFirst() : new IocTree.Group(IocTree.Operator.OR, parts);
        return new IocImport(name == null || name.isBlank() ? "OpenIOC " + root.getAttribute("id") : name.strip(), tree, skipped);
    }

    /**
     * The document without the blank lines or spaces before its first {@code <} (a pasted document often
     * has them, and XML allows none before {@code <?xml ...?>}), in its own encoding ({@link IocImport#charset}).
     */
    private static byte[] leadingSpaceRemoved(byte[] xml) {
        java.nio.charset.Charset charset = IocImport.charset(xml);
        String text = new String(xml, charset).replace("\uFEFF", "");
        String stripped = text.stripLeading();
        if (stripped.length() == text.length()) return xml;
        boolean utf16 = charset.equals(java.nio.charset.StandardCharsets.UTF_16LE) || charset.equals(java.nio.charset.StandardCharsets.UTF_16BE);
        return stripped.getBytes(utf16 ? java.nio.charset.StandardCharsets.UTF_16 : charset); // UTF-16 with its mark, as declared
    }

    /** The group, or null when nothing of it could be imported (or an AND lost a part). */
    private static IocTree group(Element indicator, List<String> skipped, int depth, java.util.Set<String> escaped) {
        if (depth > IocImport.MAX_NESTING) {
            throw new IllegalArgumentException("the OpenIOC document nests Indicator elements more than " + IocImport.MAX_NESTING
                    + " deep, the most Trailhound imports: flatten it, or split it into several documents");
        }
        String op = indicator.getAttribute("operator");
        IocTree.Operator operator = "AND".equalsIgnoreCase(op) ? IocTree.Operator.AND : "OR".equalsIgnoreCase(op) ? IocTree.Operator.OR : null;
        if (operator == null) {
            skipped.add(named("Indicator", indicator) + ": operator '" + op + "' is neither AND nor OR");
            return null;
        }
        List<IocTree> parts = new ArrayList<>();
        List<String> lost = new ArrayList<>(); // the parts left out, by element and id, for an AND's report
        for (Node n = indicator.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) continue;
            IocTree part = switch (e.getLocalName()) {
                case "IndicatorItem" -> item(e, skipped, escaped);
                case "Indicator" -> group(e, skipped, depth + 1, escaped);
                default -> null;
            };
            if (part == null && ("IndicatorItem".equals(e.getLocalName()) || "Indicator".equals(e.getLocalName()))) {
                lost.add(named(e.getLocalName(), e));
            }
            if (part != null) parts.add(part);
        }
        if (operator == IocTree.Operator.AND && !lost.isEmpty()) {
            skipped.add(named("Indicator", indicator) + " (AND): left out whole, since " + (lost.size() == 1 ? "its part "
                    + lost.getFirst() + " was" : "its parts " + String.join(", ", lost) + " were") + " not imported and without "
                    + (lost.size() == 1 ? "it" : "them") + " the AND would match more");
            return null;
        }
        if (parts.isEmpty()) return null;
        return parts.size() == 1 ? parts.getFirst() : new IocTree.Group(operator, parts);
    }

    private static IocTree item(Element e, List<String> skipped, java.util.Set<String> escaped) {
        Element context = first(e, "Context");
        Element content = first(e, "Content");
        String search = context == null ? "" : context.getAttribute("search");
        String value = content == null ? "" : content.getTextContent();
        if (escaped.contains(e.getAttribute("id"))) value = unescaped(value);
        String condition = e.getAttribute("condition");
        String what = named("IndicatorItem", e) + " (" + search + " " + condition + " '" + value + "')";
        if ("true".equalsIgnoreCase(e.getAttribute("negate"))) {
            skipped.add(what + ": negated items are not supported");
            return null;
        }
        IndicatorType type = READ.get(search.toLowerCase(java.util.Locale.ROOT));
        if (type == null) {
            skipped.add(what + ": the term " + search + " is not one Trailhound searches");
            return null;
        }
        IocTree.Condition c = IocTree.Condition.byId(condition).orElse(null);
        if (c == null) {
            skipped.add(what + ": condition '" + condition + "' is not supported (is, contains)");
            return null;
        }
        try {
            return new IocTree.Item(type, c, value);
        } catch (IllegalArgumentException bad) {
            skipped.add(what + ": " + bad.getMessage());
            return null;
        }
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            // elements nest a few levels per Indicator; past this the document cannot be one we import
            f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", MAX_ELEMENT_DEPTH);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(REFUSE); // the default handler prints "[Fatal Error] ..." on the server's console
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final int MAX_ELEMENT_DEPTH = 4 * IocImport.MAX_NESTING + 16;

    /** Reports nothing and stops at the first error: the caller words it ({@link #inOurWords}). */
    private static final org.xml.sax.ErrorHandler REFUSE = new org.xml.sax.ErrorHandler() {
        @Override
        public void warning(org.xml.sax.SAXParseException e) {}

        @Override
        public void error(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }
    };

    /** What the XML parser found wrong, said without its internals (feature URIs, JAXP message codes). */
    private static String inOurWords(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        String where = e instanceof org.xml.sax.SAXParseException p && p.getLineNumber() > 0
                ? " (line " + p.getLineNumber() + ", column " + p.getColumnNumber() + ")" : "";
        if (m.contains("DOCTYPE")) return "a DOCTYPE is not allowed in an OpenIOC document: remove it";
        if (m.contains("maxElementDepth") || m.contains("JAXP00010006")) {
            return "the OpenIOC document nests elements more than " + MAX_ELEMENT_DEPTH + " deep" + where
                    + ", more than an IOC Trailhound imports can hold: flatten it, or split it into several documents";
        }
        if (m.contains("JAXP")) return "the OpenIOC document is larger or more complex than the XML parser's safety limits" + where
                + ": split it into several documents";
        String at = e instanceof org.xml.sax.SAXParseException p && p.getLineNumber() > 0 ? " at line " + p.getLineNumber() : "";
        if (m.contains("processing instruction target matching")) { // Xerces' words for an <?xml ...?> that is not first
            return "not an OpenIOC document: the XML is not well-formed" + at + ": the XML declaration (<?xml ...?>) must be the very"
                    + " first thing in the file; remove what comes before it";
        }
        if (m.contains("Content is not allowed in prolog")) {
            return "not an OpenIOC document: the XML is not well-formed" + at + ": there is text before its first element";
        }
        return "not an OpenIOC document: the XML is not well-formed" + at + ": " + m.replaceFirst("^JAXP\\d+:\\s*", "");
    }

    private static Element first(Element parent, String localName) {
        var list = parent.getElementsByTagNameNS("*", localName);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) out.add(e);
        }
        return out;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent();
    }

    /** "IndicatorItem 7f3a..." for the report, or the element alone when it has no id (not "IndicatorItem  (": fourth try-out). */
    private static String named(String element, Element e) {
        String id = e.getAttribute("id").strip();
        return id.isEmpty() ? element + " without an id" : element + " " + id;
    }
}
