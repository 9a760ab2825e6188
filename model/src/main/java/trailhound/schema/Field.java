package trailhound.schema;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The canonical event fields: one name for a field in the index, the query language, the builder,
 * the exports and the JSON API ({@code snake_case}, see DESIGN.md "Normalised event model").
 *
 * <p>The order of the constants is the column order of exports and tables.
 */
public enum Field {
    ENDPOINT("endpoint", FieldKind.ID, "Endpoint"),
    EVENT_UID("event_uid", FieldKind.ID, "Event id"),
    TS("ts", FieldKind.TIME, "Time (UTC)"),
    TYPE("type", FieldKind.ID, "Event type"),
    OPERATION("operation", FieldKind.ID, "Operation"),
    PROCESS_KEY("process_key", FieldKind.ID, "Process key"),
    PID("pid", FieldKind.NUMBER, "PID"),
    PROCESS_PATH("process_path", FieldKind.KEYWORD, "Process path"),
    PROCESS_NAME("process_name", FieldKind.KEYWORD, "Process name"),
    COMMAND_LINE("command_line", FieldKind.KEYWORD, "Command line"),
    USER("user", FieldKind.KEYWORD, "User"),
    HASH_MD5("hash_md5", FieldKind.KEYWORD, "MD5"),
    HASH_SHA1("hash_sha1", FieldKind.KEYWORD, "SHA-1"),
    HASH_SHA256("hash_sha256", FieldKind.KEYWORD, "SHA-256"),
    SIGNATURE("signature", FieldKind.KEYWORD, "Signer"),
    SIGNATURE_STATUS("signature_status", FieldKind.ID, "Signature status"),
    PARENT_KEY("parent_key", FieldKind.ID, "Parent key"),
    PPID("ppid", FieldKind.NUMBER, "PPID"),
    PARENT_PATH("parent_path", FieldKind.KEYWORD, "Parent path"),
    PARENT_COMMAND_LINE("parent_command_line", FieldKind.KEYWORD, "Parent command line"),
    SOURCE("source", FieldKind.ID, "Source"),
    FILE_PATH("file_path", FieldKind.KEYWORD, "File path"),
    FILE_NEW_PATH("file_new_path", FieldKind.KEYWORD, "New file path"),
    LOCAL_IP("local_ip", FieldKind.IP, "Local IP"),
    LOCAL_PORT("local_port", FieldKind.NUMBER, "Local port"),
    REMOTE_IP("remote_ip", FieldKind.IP, "Remote IP"),
    REMOTE_PORT("remote_port", FieldKind.NUMBER, "Remote port"),
    PROTOCOL("protocol", FieldKind.ID, "Protocol"),
    DIRECTION("direction", FieldKind.ID, "Direction"),
    DNS_QUERY("dns_query", FieldKind.KEYWORD, "DNS query"),
    DNS_ANSWER("dns_answer", FieldKind.KEYWORD, "DNS answer"),
    REGISTRY_KEY("registry_key", FieldKind.KEYWORD, "Registry key"),
    REGISTRY_VALUE_NAME("registry_value_name", FieldKind.KEYWORD, "Registry value name"),
    REGISTRY_VALUE_DATA("registry_value_data", FieldKind.KEYWORD, "Registry value data"),
    IMAGE_PATH("image_path", FieldKind.KEYWORD, "Image path"),
    LOGON_TYPE("logon_type", FieldKind.ID, "Logon type"),
    TARGET_USER("target_user", FieldKind.KEYWORD, "Target user"),
    LOGON_SOURCE_IP("logon_source_ip", FieldKind.IP, "Logon source IP"),
    TARGET_PROCESS_KEY("target_process_key", FieldKind.ID, "Target process key"),
    TARGET_PROCESS_PATH("target_process_path", FieldKind.KEYWORD, "Target process path"),
    GRANTED_ACCESS("granted_access", FieldKind.ID, "Granted access"),
    /** Working directory of a process (auditd CWD, recorder). */
    CWD("cwd", FieldKind.KEYWORD, "Working directory"),
    /** Source log channel for imported Windows events (e.g. {@code Security}). */
    CHANNEL("channel", FieldKind.ID, "Channel"),
    /** Source event id for imported events (Sysmon/Windows EventID, auditd record type). */
    EVENT_ID("event_id", FieldKind.ID, "Source event id"),
    /**
     * Why an event has no hash of its program although it names one: {@code too_large}, {@code unreadable},
     * {@code changed} (while being read), {@code timeout} (the Linux agent's recorder, docs/live-endpoints.md).
     * Absent when hashed.
     */
    HASH_STATUS("hash_status", FieldKind.ID, "Hash status"),
    /**
     * Protection policy events (type {@code policy}, docs/policies.md): the name of the policy whose rule
     * matched the process the event describes.
     */
    POLICY("policy", FieldKind.KEYWORD, "Policy"),
    /** The rule of {@link #POLICY} that matched, as text ({@code #12 path=/tmp/*}). */
    RULE("rule", FieldKind.KEYWORD, "Rule"),
    /** What the policy asks: {@code block} or {@code alert}. */
    ACTION("action", FieldKind.ID, "Action"),
    /**
     * What the agent did: {@code stopped}, {@code failed: <reason>} (a block that could not stop the process),
     * {@code alerted}, or {@code would block} (a replay agent, which stops nothing).
     */
    OUTCOME("outcome", FieldKind.KEYWORD, "Outcome");

    private static final Field[] ALL = values();
    private static final java.util.Set<Field> PROCESS_FIELDS = java.util.EnumSet.of(
            COMMAND_LINE, USER, CWD, HASH_MD5, HASH_SHA1, HASH_SHA256,
            SIGNATURE, SIGNATURE_STATUS, PARENT_PATH, PARENT_COMMAND_LINE);
    private static final Map<String, Field> BY_NAME =
            Arrays.stream(ALL).collect(Collectors.toUnmodifiableMap(Field::canonicalName, Function.identity()));

    private final String canonicalName;
    private final FieldKind kind;
    private final String label;

    Field(String canonicalName, FieldKind kind, String label) {
        this.canonicalName = canonicalName;
        this.kind = kind;
        this.label = label;
    }

    /** The snake_case name used in the index, the query language, exports and the API. */
    public String canonicalName() {
        return canonicalName;
    }

    public FieldKind kind() {
        return kind;
    }

    /** A short human label for column headers. */
    public String label() {
        return label;
    }

    /**
     * True for the fields that describe how the acting process was started (command line, user,
     * working directory, hashes, signer, parent program): every event of a process repeats them,
     * and so do the events of every other instance started the same way, so the index stores each
     * distinct combination once ({@code trailhound.index.ProcessVariants}). Not among them: the
     * fields that tell instances apart ({@code process_key}, {@code pid}, {@code parent_key},
     * {@code ppid}), with which every process would be its own combination; and the program's
     * path and name, the usual broad pivots ("every svchost.exe event"), which would expand to
     * thousands of combinations where one term on the event answers at once.
     */
    public boolean isProcessField() {
        return PROCESS_FIELDS.contains(this);
    }

    /** Number of fields; {@link Event} keeps its values in an array of this size. */
    public static int count() {
        return ALL.length;
    }

    public static List<Field> all() {
        return List.of(ALL);
    }

    /** The field with this canonical name (case-insensitive), if any. */
    public static Optional<Field> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        return canonicalName;
    }
}
