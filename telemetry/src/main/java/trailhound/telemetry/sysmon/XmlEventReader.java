package trailhound.telemetry.sysmon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import trailhound.telemetry.ImportContext;
import trailhound.schema.Event;

/*
 * Event Viewer and wevtutil write either one <Events> root or bare <Event> elements one after the
 * other (several roots: not a well-formed document). Rather than guess, the XML declaration is
 * dropped and the whole content wrapped in one synthetic root; <Event> elements are found at any
 * depth. Line numbers are kept because neither change adds or removes a line break.
 *
 * Each <Event> is flattened into the same name/value fields the JSON lines carry (EventID,
 * Channel, Hostname, TimeCreated, each <Data Name=...>), so one mapper serves both formats.
 */
final class XmlEventReader {
    private static final XMLInputFactory FACTORY = newFactory();
    private static final String ROOT_START = "<trailhound-import-root>";
    private static final String ROOT_END = "</trailhound-import-root>";

    private final ImportContext context;
    private final MessageDigest sha256 = WindowsEventReader.sha256();

    XmlEventReader(ImportContext context) {
        this.context = context;
    }

    void read(InputStream in, String entryName) throws IOException {
        BufferedReader text = new BufferedReader(new InputStreamReader(in, charset(in)), 1 << 16);
        Reader wrapped = wrap(text);
        XMLStreamReader xml = null;
        int line = 1;
        try {
            xml = FACTORY.createXMLStreamReader(wrapped);
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("Event")) {
                    line = xml.getLocation().getLineNumber();
                    context.recordRead();
                    Map<String, String> fields = readEvent(xml);
                    Event event = WindowsEventMapper.map(fields, uid(fields), context.endpointOverride(),
                            context::hostless);
                    if (event == null) {
                        context.malformed(line);
                    } else {
                        context.emit(event);
                    }
                }
            }
        } catch (XMLStreamException e) {
            if (e.getNestedException() instanceof IOException io) {
                throw io;
            }
            int at = e.getLocation() != null ? e.getLocation().getLineNumber() : line;
            context.malformed(at);
            context.warn((entryName.isEmpty() ? "" : entryName + ": ") + "XML not well-formed at line " + at
                    + (e.getLocation() != null ? " column " + e.getLocation().getColumnNumber() : "")
                    + ": stopped reading there, the events before it were kept (" + firstLine(e.getMessage()) + ")");
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // closing a reader over a stream the caller owns; nothing to release
                }
            }
        }
    }

    /** The event's System values and Data/UserData values, by name; the reader ends on </Event>. */
    private static Map<String, String> readEvent(XMLStreamReader xml) throws XMLStreamException {
        Map<String, String> fields = new HashMap<>();
        int depth = 1;
        int unnamed = 0;
        while (depth > 0) {
            int token = xml.next();
            if (token == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (token == XMLStreamConstants.START_ELEMENT) {
                depth++;
                String name = xml.getLocalName();
                switch (name) {
                    case "Provider" -> put(fields, "SourceName", xml.getAttributeValue(null, "Name"));
                    case "TimeCreated" -> put(fields, "TimeCreated", xml.getAttributeValue(null, "SystemTime"));
                    case "Security" -> put(fields, "UserID", xml.getAttributeValue(null, "UserID"));
                    case "EventID", "EventRecordID", "Channel", "Level", "Task" -> {
                        put(fields, name, xml.getElementText().trim());
                        depth--;
                    }
                    case "Computer" -> {
                        put(fields, "Hostname", xml.getElementText().trim());
                        depth--;
                    }
                    case "Data" -> {
                        String key = xml.getAttributeValue(null, "Name");
                        String value = xml.getElementText();
                        put(fields, key != null ? key : "Data" + (++unnamed), value);
                        depth--;
                    }
                    default -> { } // containers (System, EventData, UserData...) and ignored elements
                }
            } else if (token == XMLStreamConstants.CHARACTERS && depth > 2 && !xml.isWhiteSpace()) {
                // UserData leaves: <UserData><LogFileCleared><SubjectUserName>x</...>
                fields.putIfAbsent("UserData" + (++unnamed), xml.getText());
            }
        }
        return fields;
    }

    private static void put(Map<String, String> fields, String key, String value) {
        if (value != null && !value.isBlank()) {
            fields.put(key, value);
        }
    }

    /** {@code host:channel:EventRecordID}; without a record id, a hash of the sorted fields. */
    private String uid(Map<String, String> fields) {
        String recordId = fields.get("EventRecordID");
        if (recordId != null) {
            return "x" + fields.getOrDefault("Hostname", "") + ":" + fields.getOrDefault("Channel", "") + ":" + recordId;
        }
        sha256.update(new TreeMap<>(fields).toString().getBytes(StandardCharsets.UTF_8));
        return "x" + HexFormat.of().formatHex(sha256.digest(), 0, 16);
    }

    private static Reader wrap(BufferedReader text) throws IOException {
        text.mark(1 << 12);
        char[] head = new char[1 << 12];
        int n = text.read(head);
        text.reset();
        String start = n <= 0 ? "" : new String(head, 0, n);
        int skip = 0;
        if (start.startsWith("\uFEFF")) {
            skip = 1;
        }
        if (start.startsWith("<?xml", skip)) {
            int end = start.indexOf("?>", skip);
            skip = end < 0 ? skip : end + 2;
        }
        text.skip(skip);
        return new ConcatReader(new StringReader(ROOT_START), text, new StringReader(ROOT_END));
    }

    private static Charset charset(InputStream in) throws IOException {
        in.mark(3);
        byte[] bom = in.readNBytes(3);
        in.reset();
        if (bom.length >= 2 && (bom[0] & 0xff) == 0xFF && (bom[1] & 0xff) == 0xFE) {
            return StandardCharsets.UTF_16LE; // Event Viewer "Save as XML" on some versions
        }
        if (bom.length >= 2 && (bom[0] & 0xff) == 0xFE && (bom[1] & 0xff) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        return StandardCharsets.UTF_8;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
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

    /** Readers one after the other. */
    private static final class ConcatReader extends Reader {
        private final Reader[] parts;
        private int current;

        ConcatReader(Reader... parts) {
            this.parts = parts;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            while (current < parts.length) {
                int n = parts[current].read(cbuf, off, len);
                if (n > 0) {
                    return n;
                }
                if (n < 0) {
                    current++;
                }
            }
            return -1;
        }

        @Override
        public void close() {
            // the underlying stream belongs to the caller
        }
    }
}
