package trailhound.query;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import trailhound.schema.Field;

/**
 * An IOC as a normalized tree: AND / OR groups of indicator items ("SHA-256 is 5f2b...", "command
 * line contains -enc"), as OpenIOC and STIX patterns have them. A tree tests one event at a time:
 * AND means the same event holds every part.
 *
 * <p>Two readings, kept in agreement (a test runs both over the same events):
 * <ul>
 *   <li>{@link #toQuery()}: query-language text, for a hunt over the indexes. An item is
 *       {@code name:value} for {@link Condition#IS} and {@code name:*value*} for
 *       {@link Condition#CONTAINS}, {@code name} the type's field or alias
 *       ({@link IndicatorType#queryName()}); a file name is
 *       {@code (path:*\name OR path:*&#47;name)}; a group is its parts in parentheses, joined
 *       by its operator.
 *   <li>{@link #matches(Function)}: the same test in memory, over one event's values, for
 *       alerts on events as they are indexed.
 * </ul>
 * Values are compared case-insensitively, as the query language does. Immutable.
 */
public sealed interface IocTree permits IocTree.Group, IocTree.Item {

    /** How a group joins its parts. */
    enum Operator { AND, OR }

    /** What an item asks of a value, as OpenIOC names it ({@code is}, {@code contains}). */
    enum Condition {
        IS("is"), CONTAINS("contains");

        private final String id;

        Condition(String id) {
            this.id = id;
        }

        /** The JSON and OpenIOC name. */
        public String id() {
            return id;
        }

        public static java.util.Optional<Condition> byId(String id) {
            for (Condition c : values()) if (c.id.equalsIgnoreCase(id == null ? "" : id)) return java.util.Optional.of(c);
            return java.util.Optional.empty();
        }
    }

    /** The query-language text of this tree (see the class comment). */
    String toQuery();

    /** True when the event whose values {@code values} gives (null: absent) satisfies the tree. */
    default boolean matches(Function<Field, String> values) {
        return compile().test(values);
    }

    /**
     * The test of {@link #matches} with each value prepared once (lower-cased, addresses parsed), for
     * testing many events: a few hundred nanoseconds an event for an IOC of a few items.
     */
    java.util.function.Predicate<Function<Field, String>> compile();

    /** The items of the tree, depth first. */
    List<Item> items();

    /** AND or OR of at least one part. */
    record Group(Operator operator, List<IocTree> parts) implements IocTree {
        public Group {
            Objects.requireNonNull(operator, "operator");
            parts = List.copyOf(parts);
            if (parts.isEmpty()) throw new IllegalArgumentException("an " + operator + " group needs at least one part");
        }

        @Override
        public String toQuery() {
            if (parts.size() == 1) return parts.getFirst().toQuery();
            StringBuilder out = new StringBuilder("(");
            for (IocTree part : parts) {
                if (out.length() > 1) out.append(' ').append(operator.name()).append(' ');
                out.append(part.toQuery());
            }
            return out.append(')').toString();
        }

        @Override
        public java.util.function.Predicate<Function<Field, String>> compile() {
            @SuppressWarnings("unchecked")
            java.util.function.Predicate<Function<Field, String>>[] tests = parts.stream().map(IocTree::compile)
                    .toArray(java.util.function.Predicate[]::new);
            if (operator == Operator.AND) {
                return values -> {
                    for (var t : tests) if (!t.test(values)) return false;
                    return true;
                };
            }
            return values -> {
                for (var t : tests) if (t.test(values)) return true;
                return false;
            };
        }

        @Override
        public List<Item> items() {
            return parts.stream().flatMap(p -> p.items().stream()).toList();
        }
    }

    /**
     * One indicator: {@code type condition value}. Hashes and IPs are kept stripped of surrounding
     * spaces; other values exactly as given.
     *
     * @throws IllegalArgumentException for a value the type does not take ({@link IndicatorType#problem}),
     *     or CONTAINS on a type that takes only IS
     */
    record Item(IndicatorType type, Condition condition, String value) implements IocTree {
        public Item {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(condition, "condition");
            if (value != null && (type.exactOnly() || type.hash())) value = value.strip();
            String problem = type.problem(value).orElse(null);
            if (problem != null) throw new IllegalArgumentException(problem);
            if (condition == Condition.CONTAINS && type.exactOnly()) {
                throw new IllegalArgumentException(type.label() + " takes 'is' only, not 'contains': '" + value + "'");
            }
        }

        @Override
        public String toQuery() {
            String name = type.queryName() + ':';
            if (type == IndicatorType.FILE_NAME && condition == Condition.IS) {
                return "(" + name + "*" + RowText.escaped("\\" + value, false) + " OR " + name + "*" + RowText.escaped("/" + value, false) + ")";
            }
            return condition == Condition.IS ? name + RowText.exact(value) : name + "*" + RowText.escaped(value, false) + "*";
        }

        @Override
        public java.util.function.Predicate<Function<Field, String>> compile() {
            String needle = IndexFields.lower(value);
            String[] suffixes = {"\\" + needle, "/" + needle};
            InetAddress address = type == IndicatorType.IP ? IpLiterals.parse(value) : null;
            IpLiterals.Block block = type == IndicatorType.IP && address == null ? IpLiterals.block(value) : null;
            Field[] fields = type.fields().toArray(Field[]::new);
            return values -> {
                for (Field f : fields) {
                    String v = values.apply(f);
                    if (v == null) continue;
                    String lower = IndexFields.lower(v);
                    boolean hit = switch (condition) {
                        case CONTAINS -> lower.contains(needle);
                        case IS -> switch (type) {
                            case FILE_NAME -> lower.endsWith(suffixes[0]) || lower.endsWith(suffixes[1]);
                            // the same text is the same address; IPv6 has many spellings of one address
                            case IP -> block != null ? block.contains(v)
                                    : lower.equals(needle) || (v.indexOf(':') >= 0 && address != null && address.equals(IpLiterals.parse(v)));
                            default -> lower.equals(needle);
                        };
                    };
                    if (hit) return true;
                }
                return false;
            };
        }

        @Override
        public List<Item> items() {
            return List.of(this);
        }
    }
}
