package trailhound.telemetry.sysmon;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import trailhound.evtx.EvtxElement;

/**
 * One Windows event's XML ({@code <Event><System>..</System><EventData>..</EventData></Event>}, as
 * Event Viewer, wevtutil, Sysmon for Linux and .evtx files render it) as a tree, and the flat
 * name/value fields the mapper reads from it. Fields come from {@code <System>}, {@code <EventData>}
 * and {@code <UserData>} only, never from {@code <RenderingInfo>}: that part is the message in the
 * exporting machine's language ({@code <Channel>Sicherheit</Channel>} on a German Windows). The tree
 * is the .evtx reader's ({@link EvtxElement}), so events from XML text and from .evtx files are read
 * into fields by the same code.
 */
final class EventXml {
    private static final XMLInputFactory FACTORY = newFactory();
    private static final String XML_11 = "<?xml version=\"1.1\"?>";

    private EventXml() {}

    /** An element being parsed: local name (no namespace), attributes in order, children so far. */
    private record Open(String name, LinkedHashMap<String, String> attributes, List<Object> children) {
        EvtxElement close() {
            return new EvtxElement(name, attributes, children);
        }
    }

    /**
     * An event parsed from its text. {@code event} is null when it is not well-formed before its
     * {@code </Event>}, or not even its start tag could be read; {@code cut} says the text ended before
     * {@code </Event>}: the elements closed before that point are kept, the one open there is dropped;
     * {@code problem} says what broke, or null;
     * {@code repairedEntities} counts entity references written without their ';'.
     */
    record Parsed(EvtxElement event, boolean cut, String problem, int repairedEntities) {}

    private static boolean hasElements(EvtxElement e) {
        for (Object c : e.children()) {
            if (c instanceof EvtxElement) return true;
        }
        return false;
    }

    /** Parses one event's text (see {@link EventFragments}); never throws on bad input. */
    static Parsed parse(String fragment) {
        int[] repaired = {0};
        String xml = repairEntities(fragment, repaired);
        Deque<Open> open = new ArrayDeque<>();
        EvtxElement root = null;
        String problem = null;
        XMLStreamReader r = null;
        try {
            // XML 1.1: Windows renders control characters in values as references (&#x3; in a 4739's
            // MinPasswordAge), which XML 1.0 forbids and 1.1 allows
            r = FACTORY.createXMLStreamReader(new StringReader(XML_11 + xml));
            while (r.hasNext() && root == null) {
                switch (r.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        LinkedHashMap<String, String> attributes = new LinkedHashMap<>();
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            attributes.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                        open.push(new Open(r.getLocalName(), attributes, new ArrayList<>()));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!open.isEmpty()) open.peek().children().add(r.getText());
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        EvtxElement done = open.pop().close();
                        if (open.isEmpty()) root = done;
                        else open.peek().children().add(done);
                    }
                    default -> { } // comments, processing instructions
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            problem = firstLine(e.getMessage());
        } finally {
            close(r);
        }
        if (root != null) return new Parsed(root, false, null, repaired[0]);
        // broken before its end (a bare '&', a stray '<'): what follows cannot be told apart from damage
        if (fragment.contains("</Event>")) return new Parsed(null, false, problem, repaired[0]);
        if (open.isEmpty()) return new Parsed(null, true, problem == null ? "no <Event> element" : problem, repaired[0]);
        open.pop(); // the element open where the text broke: its content is incomplete
        while (open.size() > 1) {
            EvtxElement inner = open.pop().close();
            open.peek().children().add(inner);
        }
        EvtxElement event = open.isEmpty() ? null : open.pop().close();
        return new Parsed(event, true, problem == null ? "cut short before </Event>" : problem, repaired[0]);
    }

    /** The event's System, EventData and UserData values by name (see the class comment). */
    static Map<String, String> fields(EvtxElement event) {
        Map<String, String> fields = new HashMap<>();
        int[] unnamed = {0};
        for (Object c : event.children()) {
            if (!(c instanceof EvtxElement part)) continue;
            switch (part.name()) {
                case "System" -> system(part, fields);
                case "EventData" -> {
                    for (Object d : part.children()) {
                        if (d instanceof EvtxElement data && data.name().equals("Data")) {
                            String name = data.attributes().get("Name");
                            put(fields, name != null ? name : "Data" + (++unnamed[0]), data.text());
                        }
                    }
                }
                case "UserData" -> userData(part, fields);
                default -> { } // RenderingInfo: the exporting machine's language, not the event's values
            }
        }
        return fields;
    }

    private static void system(EvtxElement system, Map<String, String> fields) {
        for (Object c : system.children()) {
            if (!(c instanceof EvtxElement e)) continue;
            switch (e.name()) {
                case "Provider" -> put(fields, "SourceName", e.attributes().get("Name"));
                case "TimeCreated" -> put(fields, "TimeCreated", e.attributes().get("SystemTime"));
                case "Security" -> put(fields, "UserID", e.attributes().get("UserID"));
                case "EventID", "EventRecordID", "Channel", "Level", "Task" -> put(fields, e.name(), e.text().trim());
                case "Computer" -> put(fields, "Hostname", e.text().trim());
                default -> { }
            }
        }
    }

    /** Every {@code <Data Name=..>} below the element, by name (the first of a name kept). */
    static void dataValues(EvtxElement element, Map<String, String> fields) {
        for (Object c : element.children()) {
            if (!(c instanceof EvtxElement e)) continue;
            String name = e.attributes().get("Name");
            if (e.name().equals("Data") && name != null) {
                if (!fields.containsKey(name)) put(fields, name, e.text());
            } else {
                dataValues(e, fields);
            }
        }
    }

    /** {@code <UserData><LogFileCleared><SubjectUserName>x</..>}: each leaf by its element name, the first one kept. */
    private static void userData(EvtxElement element, Map<String, String> fields) {
        for (Object c : element.children()) {
            if (!(c instanceof EvtxElement e)) continue;
            if (hasElements(e)) userData(e, fields);
            else if (!fields.containsKey(e.name())) put(fields, e.name(), e.text());
        }
    }

    private static void put(Map<String, String> fields, String key, String value) {
        if (value != null && !value.isBlank()) fields.put(key, value);
    }

    /**
     * Entity references as syslog forwarders botch them: {@code &lt } (the ';' turned into a space, as
     * Sysmon for Linux's syslog lines have it) or {@code &lt} with nothing after it is read as the
     * entity. A bare {@code &} is left as it is, so the event is not well-formed and is reported: what
     * follows it cannot be told apart from a cut.
     */
    static String repairEntities(String s, int[] repaired) {
        s = controlsAsReferences(s);
        int amp = s.indexOf('&');
        if (amp < 0) return s;
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, amp);
        for (int i = amp; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '&') {
                b.append(c);
                continue;
            }
            int ref = reference(s, i);
            if (ref > 0) {
                b.append(s, i, i + ref);
                i += ref - 1;
                continue;
            }
            String named = namedWithoutSemicolon(s, i);
            if (named != null) {
                repaired[0]++;
                b.append('&').append(named).append(';');
                i += named.length();
                if (i + 1 < s.length() && s.charAt(i + 1) == ' ') i++; // the space that stood for ';'

            } else {
                b.append('&');
            }
        }
        return b.toString();
    }

    /**
     * Raw control characters in a value (XML forbids them written out; a forwarder may not escape them)
     * as the references XML 1.1 accepts, so the value is kept; NUL, which no XML allows, as U+FFFD.
     */
    private static String controlsAsReferences(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
            if (control && b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (b == null) continue;
            if (!control) b.append(c);
            else if (c == 0) b.append('\uFFFD');
            else b.append("&#x").append(Integer.toHexString(c)).append(';');
        }
        return b == null ? s : b.toString();
    }

    private static final String[] NAMED = {"amp", "lt", "gt", "quot", "apos"};

    /** The length of a well-formed reference at {@code s[i]} ('&' ... ';'), or 0. */
    private static int reference(String s, int i) {
        int semicolon = s.indexOf(';', i + 1);
        if (semicolon < 0 || semicolon - i > 12) return 0;
        String body = s.substring(i + 1, semicolon);
        for (String n : NAMED) {
            if (body.equals(n)) return semicolon - i + 1;
        }
        if (body.matches("#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}")) return semicolon - i + 1;
        return 0;
    }

    private static String namedWithoutSemicolon(String s, int i) {
        for (String n : NAMED) {
            if (s.startsWith(n, i + 1)) {
                int after = i + 1 + n.length();
                if (after >= s.length() || !Character.isLetterOrDigit(s.charAt(after))) return n;
            }
        }
        return null;
    }

    private static void close(XMLStreamReader r) {
        if (r == null) return;
        try {
            r.close();
        } catch (XMLStreamException ignored) {
            // a reader over a string: nothing to release
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "not well-formed";
        String[] lines = message.strip().split("\\R");
        return lines[lines.length - 1];
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // Untrusted input: no DTDs, no external entities (XXE).
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }
}
