package trailhound.access;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;
import trailhound.schema.Field;

/**
 * The indicator items a saved event offers: every value of the event that one of the
 * {@link IndicatorType}s can test, each with its type and the field it comes from. These fill
 * Intel &gt; Add &gt; Evidence Based IOC; {@link #defaults} are the ones a new IOC takes unless the
 * user picks others.
 *
 * <p>Defaults are the event's distinctive indicators, by event type: a process event its image's
 * hash (the strongest present: SHA-256, else SHA-1, else MD5) and path, and its command line only when
 * asked ({@link ProcessPart}: a process's arguments change from run to run; its image does not); a file event its file
 * path (a kept file item its SHA-256 and path), an image or driver load the image path, a network event the remote IP,
 * a DNS query the name, a registry event the key (under an autostart key, Run or RunOnce, the value's data: the key is
 * every endpoint's), a logon the source IP; any other event its first candidate. Whether a default is too
 * common to use is {@link EvidenceIndicators}' to say (it counts); a well-known system path or autostart
 * key ({@link Candidate#system}) always is.
 */
public final class Candidates {
    /**
     * The {@code operation} of a saved file item's one "event" ({@code type} file): the file kept from an endpoint, whose
     * {@code hash_sha256} is the file's own. Its defaults are that hash and its path.
     */
    public static final String KEPT_FILE = "kept";

    /**
     * One candidate: a type, the event's value for it, the canonical name of the field it comes from
     * (for a file name, the path's), and whether it is (the name or hash of) a well-known system path.
     */
    public record Candidate(IndicatorType type, String value, String field, boolean system) {
        public IocTree.Item item() {
            return new IocTree.Item(type, IocTree.Condition.IS, value);
        }

        /** What makes a {@link #system} candidate common, for a person: "a system path" or "an autostart key". */
        public String systemLabel() {
            return type == IndicatorType.REGISTRY_KEY ? "an autostart key (its value tells it apart)"
                    : type.hash() ? "the hash of a program in a system path" : "a system path";
        }

        /** Type and value: what makes two candidates the same indicator, whichever field they come from. */
        public String key() {
            return type.id() + ":" + value;
        }
    }

    /**
     * What a process gives a new IOC by default ({@link #DEFAULT_PROCESS}: its image's hash and path, and for a
     * process item its history's own defaults: the addresses and domains it reached, the files it wrote, the
     * values it set under autostart keys).
     */
    public enum ProcessPart {
        HASH("hash"), PATH("path"), COMMAND_LINE("command_line"), HISTORY("history");

        private final String id;

        ProcessPart(String id) {
            this.id = id;
        }

        /** The JSON name: {@code hash}, {@code path}, {@code command_line}, {@code history}. */
        public String id() {
            return id;
        }

        /** The part named {@code id}. @throws IllegalArgumentException naming the ones there are */
        public static ProcessPart of(String id) {
            for (ProcessPart p : values()) if (p.id.equals(id)) return p;
            throw new IllegalArgumentException("unknown process indicator '" + id + "': hash, path, command_line or history");
        }
    }

    /** A process's defaults unless asked otherwise: its image's hash and path, and a process item's history. */
    public static final java.util.Set<ProcessPart> DEFAULT_PROCESS = java.util.Collections.unmodifiableSet(
            java.util.EnumSet.of(ProcessPart.HASH, ProcessPart.PATH, ProcessPart.HISTORY));

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

    /**
     * The operating systems' own folders: a file there (C:\Windows\System32\ntdll.dll, /usr/lib/...) is
     * on every endpoint of that system, so as an indicator it finds everything.
     */
    private static final Pattern SYSTEM_PATH = Pattern.compile("(?i)^(?:[a-z]:|%systemroot%|\\\\systemroot|\\\\\\\\\\?\\\\[a-z]:)\\\\windows"
            + "\\\\(?:system32|syswow64|sysnative|winsxs|assembly\\\\gac(?:_msil|_32|_64)?|microsoft\\.net\\\\assembly\\\\gac(?:_msil|_32|_64)?"
            + "|microsoft\\.net\\\\framework(?:64)?)\\\\.*|^(?:%systemroot%|\\\\systemroot)\\\\(?:system32|syswow64)\\\\.*"
            + "|^(?:[a-z]:\\\\program files(?: \\(x86\\))?|%programfiles(?:\\(x86\\))?%)\\\\common files\\\\microsoft shared\\\\.*"
            + "|^%commonprogramfiles(?:\\(x86\\))?%\\\\microsoft shared\\\\.*"
            + "|^/(?:usr/)?(?:s?bin|lib|lib32|lib64|libexec)/.*|^/system/library/.*");

    /**
     * The keys whose values start programs at sign-in or boot (Run, RunOnce...), under HKLM or any user's
     * hive: every endpoint has them, and an HKCU one only looks rare because the user's SID is in its path.
     * What an attacker wrote there is the value (fourth try-out: an HKCU Run key was ticked, an HKLM one not).
     */
    private static final Pattern AUTOSTART_KEY = Pattern.compile("(?i).*\\\\software\\\\(?:wow6432node\\\\)?microsoft\\\\windows"
            + "\\\\currentversion\\\\(?:run|runonce|runonceex|runservices|runservicesonce|policies\\\\explorer\\\\run)\\\\?");

    private Candidates() {}

    /**
     * The candidates of one event given by canonical field name (as saved evidence keeps it), its
     * defaults first, each (type, value) once (from the first field holding it); file names are the last
     * part of each path. Values a type refuses (an IP field holding a name) are left out.
     */
    public static List<Candidate> of(Map<String, String> fields) {
        LinkedHashMap<String, Candidate> out = new LinkedHashMap<>();
        for (Candidate c : defaults(fields, java.util.EnumSet.allOf(ProcessPart.class))) out.putIfAbsent(c.key(), c);
        for (Map.Entry<Field, IndicatorType> e : BY_FIELD) add(out, e.getKey(), fields);
        for (Field path : List.of(Field.PROCESS_PATH, Field.FILE_PATH, Field.IMAGE_PATH)) {
            String v = fields.get(path.canonicalName());
            if (v != null && !v.isBlank()) {
                String name = Evidence.lastPart(v);
                if (!name.equals(v)) addIfValid(out, IndicatorType.FILE_NAME, name, path, isSystemPath(v));
            }
        }
        return List.copyOf(out.values());
    }

    /** The event's default candidates (see the class comment), a process event's those of {@code process}. */
    public static List<Candidate> defaults(Map<String, String> fields, java.util.Set<ProcessPart> process) {
        LinkedHashMap<String, Candidate> out = new LinkedHashMap<>();
        String type = fields.get(Field.TYPE.canonicalName());
        if ("process".equals(type)) {
            if (process.contains(ProcessPart.HASH)) {
                for (Field hash : List.of(Field.HASH_SHA256, Field.HASH_SHA1, Field.HASH_MD5)) {
                    if (add(out, hash, fields)) break;
                }
            }
            if (process.contains(ProcessPart.PATH)) add(out, Field.PROCESS_PATH, fields);
            if (process.contains(ProcessPart.COMMAND_LINE)) add(out, Field.COMMAND_LINE, fields);
        } else if ("file".equals(type) && KEPT_FILE.equals(fields.get(Field.OPERATION.canonicalName()))) {
            // a file kept from an endpoint: its own SHA-256 and the path it was kept from, as a process's image
            add(out, Field.HASH_SHA256, fields);
            add(out, Field.FILE_PATH, fields);
        } else if ("registry".equals(type) && isAutostartKey(fields.get(Field.REGISTRY_KEY.canonicalName()))) {
            if (!add(out, Field.REGISTRY_VALUE_DATA, fields)) add(out, Field.REGISTRY_VALUE_NAME, fields);
        } else {
            defaultField(type).ifPresent(f -> add(out, f, fields));
        }
        if (out.isEmpty() && !"process".equals(type)) {
            for (Map.Entry<Field, IndicatorType> e : BY_FIELD) if (add(out, e.getKey(), fields)) break;
        }
        return List.copyOf(out.values());
    }

    /** The event's command line as a candidate, when it has one. */
    public static Optional<Candidate> commandLine(Map<String, String> fields) {
        LinkedHashMap<String, Candidate> out = new LinkedHashMap<>();
        add(out, Field.COMMAND_LINE, fields);
        return out.values().stream().findFirst();
    }

    /** Whether {@code path} lies in a system's own folders (Windows\System32, /usr/lib...): every endpoint of that system has it. */
    public static boolean isSystemPath(String path) {
        return path != null && SYSTEM_PATH.matcher(path.strip()).matches();
    }

    /** Whether {@code key} is a Run, RunOnce... key of HKLM or of a user ({@link #AUTOSTART_KEY}). */
    public static boolean isAutostartKey(String key) {
        return key != null && AUTOSTART_KEY.matcher(key.strip()).matches();
    }

    /**
     * The file an event's hashes are of: a process's executable, a loaded image or driver, a file event's file. The
     * system's own programs (/usr/bin/curl, System32\\certutil.exe) have the same hash on every endpoint of a release
     * (fifth try-out: a LOLBin's hash was ticked, its command line not, and the IOC found every use of curl).
     */
    private static String hashedPath(Map<String, String> fields) {
        String type = fields.get(Field.TYPE.canonicalName());
        // a file kept from an endpoint was kept for its content: a trojaned /usr/bin/ls is told apart by its hash
        if ("file".equals(type) && KEPT_FILE.equals(fields.get(Field.OPERATION.canonicalName()))) return null;
        Field f = "image".equals(type) || "driver".equals(type) ? Field.IMAGE_PATH : "file".equals(type) ? Field.FILE_PATH : Field.PROCESS_PATH;
        return fields.get(f.canonicalName());
    }

    private static Optional<Field> defaultField(String type) {
        if (type == null) return Optional.empty();
        return Optional.ofNullable(switch (type) {
            case "file" -> Field.FILE_PATH;
            case "image", "driver" -> Field.IMAGE_PATH;
            case "network" -> Field.REMOTE_IP;
            case "dns" -> Field.DNS_QUERY;
            case "registry" -> Field.REGISTRY_KEY;
            case "security" -> Field.LOGON_SOURCE_IP;
            default -> null;
        });
    }

    /** Adds the field's candidate; true when the event has a valid one. */
    private static boolean add(LinkedHashMap<String, Candidate> out, Field field, Map<String, String> fields) {
        String v = fields.get(field.canonicalName());
        if (v == null || v.isBlank()) return false;
        IndicatorType type = BY_FIELD.stream().filter(e -> e.getKey() == field).findFirst().map(Map.Entry::getValue).orElse(null);
        return type != null && addIfValid(out, type, v, field, type == IndicatorType.FILE_PATH && isSystemPath(v)
                || type == IndicatorType.REGISTRY_KEY && isAutostartKey(v) || type.hash() && isSystemPath(hashedPath(fields)));
    }

    private static boolean addIfValid(LinkedHashMap<String, Candidate> out, IndicatorType type, String value, Field field, boolean system) {
        if (type.problem(value).isPresent()) return false;
        Candidate c = new Candidate(type, type.hash() || type == IndicatorType.IP ? value.strip() : value, field.canonicalName(), system);
        out.putIfAbsent(c.key(), c);
        return true;
    }

}
