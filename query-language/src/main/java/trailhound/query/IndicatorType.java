package trailhound.query;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import trailhound.schema.Field;

/**
 * What an IOC's indicator item tests, and the event fields it tests it on. The ids are the JSON
 * names of the API and server.db ({@code sha256}, {@code command_line}, ...).
 *
 * <p>Hashes, paths and names are looked for wherever the event model keeps a file: a hash in the
 * hash field of its kind (the hashes the recorder takes are those of the process image), a path in
 * every path field (the {@code path} alias: process, parent, file, new file, image and target
 * process paths), a file name at the end of any of those paths (after {@code \} or {@code /}). An IP
 * is a local, remote or logon source address (the {@code ip} alias).
 */
public enum IndicatorType {
    MD5("md5", "MD5", "hash_md5", Field.HASH_MD5),
    SHA1("sha1", "SHA-1", "hash_sha1", Field.HASH_SHA1),
    SHA256("sha256", "SHA-256", "hash_sha256", Field.HASH_SHA256),
    FILE_PATH("file_path", "File path", "path", QueryFields.ALIASES.get("path")),
    FILE_NAME("file_name", "File name", "path", QueryFields.ALIASES.get("path")),
    PROCESS_NAME("process_name", "Process name", "process_name", Field.PROCESS_NAME),
    COMMAND_LINE("command_line", "Command line", "command_line", Field.COMMAND_LINE),
    IP("ip", "IP address", "ip", QueryFields.ALIASES.get("ip")),
    DOMAIN("domain", "Domain name", "dns_query", Field.DNS_QUERY),
    REGISTRY_KEY("registry_key", "Registry key", "registry_key", Field.REGISTRY_KEY),
    REGISTRY_VALUE("registry_value", "Registry value name", "registry_value_name", Field.REGISTRY_VALUE_NAME),
    REGISTRY_DATA("registry_data", "Registry value data", "registry_value_data", Field.REGISTRY_VALUE_DATA);

    private final String id;
    private final String label;
    private final String queryName;
    private final List<Field> fields;

    IndicatorType(String id, String label, String queryName, Field field) {
        this(id, label, queryName, List.of(field));
    }

    IndicatorType(String id, String label, String queryName, List<Field> fields) {
        this.id = id;
        this.label = label;
        this.queryName = queryName;
        this.fields = fields;
    }

    /** The JSON name, e.g. {@code sha256}. */
    public String id() {
        return id;
    }

    /** The name the pages show, e.g. "SHA-256". */
    public String label() {
        return label;
    }

    /** The query-language field or alias an item of this type is written with. */
    public String queryName() {
        return queryName;
    }

    /** The event fields an item of this type is tested on (any of them). */
    public List<Field> fields() {
        return fields;
    }

    /** True when the type takes only {@link IocTree.Condition#IS} (IP addresses: the index keeps them as addresses). */
    public boolean exactOnly() {
        return this == IP;
    }

    /** True for MD5, SHA-1 and SHA-256. */
    public boolean hash() {
        return this == MD5 || this == SHA1 || this == SHA256;
    }

    /** The type of this JSON name (case-insensitive). */
    public static Optional<IndicatorType> byId(String id) {
        if (id == null) return Optional.empty();
        String lower = id.toLowerCase(Locale.ROOT);
        for (IndicatorType t : values()) {
            if (t.id.equals(lower)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /**
     * Why {@code value} cannot be an item of this type, or empty when it can: a hash must be hex of
     * its length, an IP an IPv4 or IPv6 literal or a CIDR block of one (the query language's {@code ip:10.0.0.0/8}),
     * every value non-blank.
     */
    public Optional<String> problem(String value) {
        if (value == null || value.isBlank()) return Optional.of(label + " needs a value");
        int hexLength = switch (this) {
            case MD5 -> 32;
            case SHA1 -> 40;
            case SHA256 -> 64;
            default -> 0;
        };
        if (hexLength > 0 && !value.matches("(?i)[0-9a-f]{" + hexLength + "}")) {
            return Optional.of("'" + value + "' is not an " + label + " (" + hexLength + " hexadecimal digits)");
        }
        if (this == IP && IpLiterals.parse(value) == null && IpLiterals.block(value) == null) {
            // fifth try-out: "10.0.0.0/33 is not an IPv4 address" did not say what was wrong with the block
            return Optional.of(value.contains("/") ? "'" + value + "' is not a CIDR block: an IPv4 or IPv6 address, a slash and a prefix"
                    + " length (0 to 32 for IPv4, 0 to 128 for IPv6), such as 10.0.0.0/8" : "'" + value + "' is not an IPv4 or IPv6 address");
        }
        return Optional.empty();
    }
}
