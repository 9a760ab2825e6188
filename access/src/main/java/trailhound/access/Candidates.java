package trailhound.access;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;
import trailhound.schema.Field;

/**
 * The indicator items a saved event offers: every value of the event that one of the
 * {@link IndicatorType}s can test, each with its type, the one a new IOC takes by default first.
 * These fill the drop-downs of Intel &gt; Add &gt; Evidence Based IOC.
 *
 * <p>Defaults, by event type: a process event its command line (the most specific thing about a
 * process: an image's hash or path is shared by every run of it), a file event its file path, an
 * image or driver load the image path, a network event the remote IP, a DNS query the name, a
 * registry event the key, a logon the source IP; any other event its first candidate.
 */
public final class Candidates {
    /** One candidate: a type and the event's value for it. */
    public record Candidate(IndicatorType type, String value) {
        public IocTree.Item item() {
            return new IocTree.Item(type, IocTree.Condition.IS, value);
        }
    }

    private static final List<Map.Entry<Field, IndicatorType>> BY_FIELD = List.of(
            Map.entry(Field.HASH_SHA256, IndicatorType.SHA256),
            Map.entry(Field.HASH_SHA1, IndicatorType.SHA1),
            Map.entry(Field.HASH_MD5, IndicatorType.MD5),
            Map.entry(Field.COMMAND_LINE, IndicatorType.COMMAND_LINE),
            Map.entry(Field.PROCESS_NAME, IndicatorType.PROCESS_NAME),
            Map.entry(Field.PROCESS_PATH, IndicatorType.FILE_PATH),
            Map.entry(Field.FILE_PATH, IndicatorType.FILE_PATH),
            Map.entry(Field.FILE_NEW_PATH, IndicatorType.FILE_PATH),
            Map.entry(Field.IMAGE_PATH, IndicatorType.FILE_PATH),
            Map.entry(Field.TARGET_PROCESS_PATH, IndicatorType.FILE_PATH),
            Map.entry(Field.PARENT_PATH, IndicatorType.FILE_PATH),
            Map.entry(Field.PARENT_COMMAND_LINE, IndicatorType.COMMAND_LINE),
            Map.entry(Field.REMOTE_IP, IndicatorType.IP),
            Map.entry(Field.LOCAL_IP, IndicatorType.IP),
            Map.entry(Field.LOGON_SOURCE_IP, IndicatorType.IP),
            Map.entry(Field.DNS_QUERY, IndicatorType.DOMAIN),
            Map.entry(Field.DNS_ANSWER, IndicatorType.IP), // the address a name led to: its connections
            Map.entry(Field.REGISTRY_KEY, IndicatorType.REGISTRY_KEY),
            Map.entry(Field.REGISTRY_VALUE_NAME, IndicatorType.REGISTRY_VALUE),
            Map.entry(Field.REGISTRY_VALUE_DATA, IndicatorType.REGISTRY_DATA));

    private Candidates() {}

    /**
     * The candidates of one event given by canonical field name (as saved evidence keeps it), the
     * default first, each (type, value) once; file names are the last part of each path. Values a type
     * refuses (an IP field holding a name) are left out.
     */
    public static List<Candidate> of(Map<String, String> fields) {
        LinkedHashSet<Candidate> out = new LinkedHashSet<>();
        defaultField(fields.get(Field.TYPE.canonicalName())).ifPresent(f -> add(out, f, fields));
        for (Map.Entry<Field, IndicatorType> e : BY_FIELD) add(out, e.getKey(), fields);
        for (Field path : List.of(Field.PROCESS_PATH, Field.FILE_PATH, Field.IMAGE_PATH)) {
            String v = fields.get(path.canonicalName());
            if (v != null && !v.isBlank()) {
                String name = Evidence.lastPart(v);
                if (!name.equals(v)) addIfValid(out, IndicatorType.FILE_NAME, name);
            }
        }
        return List.copyOf(out);
    }

    private static Optional<Field> defaultField(String type) {
        if (type == null) return Optional.empty();
        return Optional.ofNullable(switch (type) {
            case "process" -> Field.COMMAND_LINE;
            case "file" -> Field.FILE_PATH;
            case "image", "driver" -> Field.IMAGE_PATH;
            case "network" -> Field.REMOTE_IP;
            case "dns" -> Field.DNS_QUERY;
            case "registry" -> Field.REGISTRY_KEY;
            case "security" -> Field.LOGON_SOURCE_IP;
            default -> null;
        });
    }

    private static void add(LinkedHashSet<Candidate> out, Field field, Map<String, String> fields) {
        String v = fields.get(field.canonicalName());
        if (v == null || v.isBlank()) return;
        BY_FIELD.stream().filter(e -> e.getKey() == field).findFirst().ifPresent(e -> addIfValid(out, e.getValue(), v));
    }

    private static void addIfValid(LinkedHashSet<Candidate> out, IndicatorType type, String value) {
        if (type.problem(value).isEmpty()) out.add(new Candidate(type, type.hash() || type == IndicatorType.IP ? value.strip() : value));
    }

    /** The default items of these events (each event's first candidate), each once, in order. */
    public static List<IocTree.Item> defaults(List<Map<String, String>> events) {
        LinkedHashSet<IocTree.Item> items = new LinkedHashSet<>();
        for (Map<String, String> e : events) {
            List<Candidate> c = of(e);
            if (!c.isEmpty()) items.add(c.getFirst().item());
        }
        return new ArrayList<>(items);
    }
}
