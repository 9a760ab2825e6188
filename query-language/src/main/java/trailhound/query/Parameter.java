package trailhound.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;

/**
 * A builder parameter: a human label for a query-language field name, either a canonical field
 * ({@code process_name}) or an alias ({@code hash}, {@code ip}, {@code port}, {@code path},
 * {@code key_value}). The kind of its fields decides which {@link BuilderRow.Operand}s it offers.
 *
 * @param name the field name written in the query text
 * @param label what the builder shows, e.g. "Process name"
 * @param kind the kind shared by every field the name stands for
 */
public record Parameter(String name, String label, FieldKind kind) {
    private static final List<Parameter> ALL = all(List.of(
            of(Field.PROCESS_PATH), of(Field.PROCESS_NAME), of(Field.COMMAND_LINE), of(Field.PARENT_PATH),
            of(Field.PARENT_COMMAND_LINE), of(Field.USER), alias("hash", "Hash (MD5, SHA-1, SHA-256)"),
            of(Field.SIGNATURE), of(Field.TYPE), of(Field.OPERATION), alias("ip", "IP address"),
            alias("port", "Port (local or remote)"), of(Field.FILE_PATH), alias("key_value", "Registry key / value"),
            of(Field.DNS_QUERY), of(Field.TS), of(Field.PID), alias("path", "Any path")));
    private static final Map<String, Parameter> BY_NAME = byName(ALL);

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
        List<Field> fields = QueryFields.resolve(name)
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a field name or alias"));
        if (fields.getFirst().kind() != kind) {
            throw new IllegalArgumentException("'" + name + "' is a " + fields.getFirst().kind() + " field, not " + kind);
        }
    }

    /** The parameter for one canonical field, labelled with the field's label. */
    public static Parameter of(Field field) {
        return new Parameter(field.canonicalName(), field.label(), field.kind());
    }

    /** Every parameter in display order: the common ones first, then every other canonical field. */
    public static List<Parameter> all() {
        return ALL;
    }

    /** The parameter for a field name or alias as written in query text (case-insensitive). */
    public static Optional<Parameter> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The canonical fields this parameter searches (several for an alias). */
    public List<Field> fields() {
        return QueryFields.resolve(name).orElseThrow();
    }

    /** The operands the builder offers for this parameter, in display order. */
    public List<BuilderRow.Operand> operands() {
        return BuilderRow.Operand.forKind(kind);
    }

    private static Parameter alias(String name, String label) {
        List<Field> fields = QueryFields.ALIASES.get(name);
        return new Parameter(name, label, fields.getFirst().kind());
    }

    private static List<Parameter> all(List<Parameter> common) {
        List<Parameter> all = new ArrayList<>(common);
        for (Field f : Field.all()) {
            if (common.stream().noneMatch(p -> p.name().equals(f.canonicalName()))) {
                all.add(of(f));
            }
        }
        return List.copyOf(all);
    }

    private static Map<String, Parameter> byName(List<Parameter> all) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        all.forEach(p -> byName.put(p.name(), p));
        return Map.copyOf(byName);
    }
}
