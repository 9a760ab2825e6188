package trailhound.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;

/**
 * The names the query language accepts: every canonical field, plus the aliases that stand for a
 * disjunction of fields of one kind. Aliases are fixed here (not configurable) so a saved query
 * means the same thing on every server.
 */
final class QueryFields {
    /** Alias name to the fields it expands to; every alias's fields share one {@link FieldKind}. */
    static final Map<String, List<Field>> ALIASES = aliases();

    /**
     * The fields a term without {@code field:} (free text) searches, all KEYWORD: where an analyst
     * expects a word like {@code powershell} or {@code evil.com} to be found. Every path
     * (the {@code path} alias), the command lines, the users, the hashes, the registry key and value
     * (the {@code key_value} alias) and the DNS query name. Not {@code process_name}, which is the
     * end of {@code process_path} (a needle in the name is in the path), nor the labels and ids
     * ({@code signature}, {@code cwd}, {@code dns_answer}): the fewer fields, the fewer clauses per
     * word; see docs/decisions.md.
     */
    static final List<Field> FREE_TEXT = List.of(
            Field.PROCESS_PATH, Field.PARENT_PATH, Field.FILE_PATH, Field.FILE_NEW_PATH, Field.IMAGE_PATH,
            Field.TARGET_PROCESS_PATH, Field.COMMAND_LINE, Field.PARENT_COMMAND_LINE, Field.USER, Field.TARGET_USER,
            Field.HASH_MD5, Field.HASH_SHA1, Field.HASH_SHA256, Field.REGISTRY_KEY, Field.REGISTRY_VALUE_NAME,
            Field.REGISTRY_VALUE_DATA, Field.DNS_QUERY);

    private QueryFields() {}

    private static Map<String, List<Field>> aliases() {
        Map<String, List<Field>> aliases = new LinkedHashMap<>();
        aliases.put("ip", List.of(Field.LOCAL_IP, Field.REMOTE_IP, Field.LOGON_SOURCE_IP));
        aliases.put("hash", List.of(Field.HASH_MD5, Field.HASH_SHA1, Field.HASH_SHA256));
        aliases.put("key_value", List.of(Field.REGISTRY_KEY, Field.REGISTRY_VALUE_NAME, Field.REGISTRY_VALUE_DATA));
        aliases.put("path", List.of(Field.PROCESS_PATH, Field.PARENT_PATH, Field.FILE_PATH, Field.FILE_NEW_PATH,
                Field.IMAGE_PATH, Field.TARGET_PROCESS_PATH));
        aliases.put("port", List.of(Field.LOCAL_PORT, Field.REMOTE_PORT));
        return Map.copyOf(aliases);
    }

    /** The event fields and aliases, as the parser asks for them. */
    static final Vocabulary EVENTS = new Vocabulary() {
        @Override
        public Optional<List<Field>> resolve(String name) {
            return QueryFields.resolve(name);
        }

        @Override
        public List<String> knownNames() {
            return QueryFields.knownNames();
        }

        @Override
        public String exampleField() {
            return Field.PROCESS_NAME.canonicalName();
        }

        @Override
        public List<Field> freeText() {
            return FREE_TEXT;
        }
    };

    /** The field names a parser accepts and the fields behind each. */
    interface Vocabulary {
        Optional<List<Field>> resolve(String name);

        List<String> knownNames();

        /** The field shown in "e.g. field:value" when a term has no field: one a user of this vocabulary types most. */
        String exampleField();

        /** The fields a term without a field searches; empty when such a term is an error. */
        default List<Field> freeText() {
            return List.of();
        }

        default Optional<String> suggest(String typed) {
            return QueryFields.suggest(typed, knownNames());
        }
    }

    /** The fields a typed name stands for (one for a canonical field), case-insensitive. */
    static Optional<List<Field>> resolve(String name) {
        List<Field> alias = ALIASES.get(name.toLowerCase(Locale.ROOT));
        if (alias != null) {
            return Optional.of(alias);
        }
        return Field.byName(name).map(List::of);
    }

    static List<String> knownNames() {
        List<String> names = new ArrayList<>();
        Field.all().forEach(f -> names.add(f.canonicalName()));
        names.addAll(ALIASES.keySet().stream().sorted().toList());
        return names;
    }

    /**
     * The known name closest to a mistyped one, when it is a plausible typo: a few edits away
     * ({@code remote_prot}), or the typed letters in order ({@code procname} for process_name).
     */
    static Optional<String> suggest(String typed) {
        return suggest(typed, knownNames());
    }

    /** The name of {@code known} closest to a mistyped one, as {@link #suggest(String)}. */
    static Optional<String> suggest(String typed, List<String> names) {
        String lower = typed.toLowerCase(Locale.ROOT);
        int allowedEdits = lower.length() / 3 + (lower.length() >= 2 ? 1 : 0);
        return names.stream()
                .filter(known -> distance(lower, known) <= allowedEdits || (lower.length() >= 3 && subsequence(lower, known)))
                .min(Comparator.comparingInt((String known) -> distance(lower, known)));
    }

    private static boolean subsequence(String typed, String known) {
        int k = 0;
        for (int i = 0; i < typed.length(); i++) {
            k = known.indexOf(typed.charAt(i), k) + 1;
            if (k == 0) {
                return false;
            }
        }
        return true;
    }

    /** Levenshtein distance; names are short, so the quadratic table is fine. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
