package trailhound.schema;

/**
 * How a canonical field is indexed and queried. The index, the query language, the builder and the
 * exports all decide by this kind, so a field behaves the same everywhere.
 */
public enum FieldKind {
    /**
     * Free-form strings compared case-insensitively (paths, command lines, users, hashes, keys):
     * equals and starts-with on the lower-cased term; contains, ends-with and regex through the
     * endpoint's value dictionary (see {@code index}); original case kept for display.
     */
    KEYWORD,
    /** Identifiers matched exactly (case-insensitive) and never by pattern, e.g. {@code event_uid}. */
    ID,
    /** Whole numbers (pids, ports): equals and ranges. */
    NUMBER,
    /** Event time, UTC milliseconds: ranges in ISO-8601 or relative ({@code now-1h}) form. */
    TIME,
    /** IPv4/IPv6 addresses: equals, CIDR and ranges, plus keyword behaviour on the text form. */
    IP
}
