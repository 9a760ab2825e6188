package trailhound.telemetry.sysmon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/*
 * The JSON shapes a Windows event arrives in, all brought to the flat names the mapper reads
 * (WindowsEventMapper.FIELDS: the event's own EventData names, plus EventID, Channel, Hostname...):
 *
 *  - flat: one object of the event's values at the top (OTRF, NXLog to_json, most forwarders);
 *  - Winlogbeat / Elastic Common Schema: winlog.{channel, computer_name, event_id, record_id,
 *    event_data.*, user_data.*}, host.name, @timestamp, and (with Winlogbeat's Sysmon module) the
 *    process values moved to ECS process.*, process.parent.*, user.*, event.code;
 *  - Microsoft Sentinel / Log Analytics (the WindowsEvent and Event tables): Computer, TimeGenerated,
 *    EventID, Channel at the top and the event's values inside EventData, a string holding a JSON
 *    object or the <EventData><Data Name=..> XML.
 *
 * Members of other objects, and arrays, are skipped unread.
 */
final class JsonShapes {
    private static final JsonFactory JSON = new JsonFactory();

    /** Objects whose members are read, by their dotted path. */
    private static final Set<String> NESTED = Set.of("winlog", "winlog.event_data", "winlog.user_data", "host", "event", "user",
            "process", "process.parent", "process.hash");

    /** Dotted names read besides the mapper's own (which are read at the top and in event_data / user_data). */
    private static final Set<String> DOTTED = Set.of("winlog.channel", "winlog.computer_name", "winlog.event_id",
            "winlog.record_id", "winlog.provider_name", "host.name", "event.code", "user.name", "user.domain",
            "process.executable", "process.command_line", "process.entity_id", "process.pid", "process.hash.md5",
            "process.hash.sha1", "process.hash.sha256", "process.parent.executable", "process.parent.command_line",
            "process.parent.entity_id", "process.parent.pid");

    private JsonShapes() {}

    /**
     * Reads the members of the object the parser is in (after its START_OBJECT) into {@code fields}:
     * the mapper's names at the top and in winlog.event_data / user_data, the dotted names of
     * {@link #DOTTED}; false when the object does not end well.
     */
    static boolean readMembers(JsonParser p, String path, Map<String, String> fields) throws IOException {
        boolean eventData = path.equals("winlog.event_data.") || path.equals("winlog.user_data.");
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                String nested = path + name;
                if (NESTED.contains(nested)) {
                    if (!readMembers(p, nested + ".", fields)) return false;
                } else {
                    p.skipChildren();
                }
            } else if (value == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (value != JsonToken.VALUE_NULL) {
                if (path.isEmpty() || eventData) {
                    // only the mapped names are decoded: Jackson skips the others (Message is ~1 KB of prose)
                    if (WindowsEventMapper.FIELDS.contains(name)) fields.putIfAbsent(name, p.getText());
                } else if (DOTTED.contains(path + name)) {
                    fields.put(path + name, p.getText());
                }
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    /** Brings the dotted names and a Sentinel EventData string to the mapper's names (the event's own values win). */
    static void normalize(Map<String, String> fields) {
        String eventData = fields.remove("EventData");
        if (eventData != null) eventData(eventData.strip(), fields);
        if (!hasDotted(fields)) return; // a flat line (the common case): nothing to move
        move(fields, "winlog.channel", "Channel");
        move(fields, "winlog.computer_name", "Computer");
        move(fields, "winlog.event_id", "EventID");
        move(fields, "event.code", "EventID");
        move(fields, "winlog.record_id", "EventRecordID");
        move(fields, "winlog.provider_name", "SourceName");
        move(fields, "host.name", "Computer");
        move(fields, "process.executable", "Image");
        move(fields, "process.command_line", "CommandLine");
        move(fields, "process.entity_id", "ProcessGuid");
        move(fields, "process.pid", "ProcessId");
        move(fields, "process.parent.executable", "ParentImage");
        move(fields, "process.parent.command_line", "ParentCommandLine");
        move(fields, "process.parent.entity_id", "ParentProcessGuid");
        move(fields, "process.parent.pid", "ParentProcessId");
        String user = fields.remove("user.name");
        String domain = fields.remove("user.domain");
        if (user != null) fields.putIfAbsent("User", domain != null ? domain + "\\" + user : user);
        StringBuilder hashes = new StringBuilder();
        for (String algorithm : new String[] {"md5", "sha1", "sha256"}) {
            String h = fields.remove("process.hash." + algorithm);
            if (h != null) hashes.append(hashes.isEmpty() ? "" : ",").append(algorithm.toUpperCase()).append('=').append(h);
        }
        if (!hashes.isEmpty()) fields.putIfAbsent("Hashes", hashes.toString());
        fields.keySet().removeIf(k -> k.indexOf('.') > 0);
    }

    private static boolean hasDotted(Map<String, String> fields) {
        for (String k : fields.keySet()) {
            if (k.indexOf('.') > 0) return true;
        }
        return false;
    }

    private static void move(Map<String, String> fields, String from, String to) {
        String v = fields.remove(from);
        if (v != null && !v.isBlank()) fields.putIfAbsent(to, v);
    }

    /** Sentinel's EventData: a JSON object or {@code <EventData><Data Name=..>} XML, its values added to the fields. */
    private static void eventData(String text, Map<String, String> fields) {
        if (text.startsWith("{")) {
            try (JsonParser p = JSON.createParser(text)) {
                if (p.nextToken() == JsonToken.START_OBJECT) readMembers(p, "winlog.event_data.", fields);
            } catch (IOException e) {
                // not JSON after all: the top-level values still make an event
            }
        } else if (text.startsWith("<")) {
            EventXml.Parsed parsed = EventXml.parse(text);
            if (parsed.event() != null) EventXml.dataValues(parsed.event(), fields);
        }
    }
}
