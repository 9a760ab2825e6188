package trailhound.web.policies;

import java.util.Map;
import trailhound.store.Policies.NewRule;

/**
 * The rule a process or event suggests, from its canonical fields ({@code hash_sha256},
 * {@code process_path}, {@code command_line}, {@code parent_path}): every condition it can fill, exact
 * (a command line with {@code *} or {@code ?} in it as a quoted regex, so it means the very text). The form shows
 * them to be kept, widened (a glob) or cleared. Saved evidence items (event or process) give the same
 * fields map, so this serves them too.
 */
public final class RuleCandidates {
    private RuleCandidates() {}

    /** @param origin what the rule is made from, for the policy's page ("process KEY on ENDPOINT") */
    public static NewRule from(Map<String, String> fields, String origin) {
        return new NewRule(blankToNull(fields.get("hash_sha256")), blankToNull(fields.get("process_path")),
                literal(fields.get("command_line")), blankToNull(fields.get("parent_path")), origin);
    }

    /**
     * The rule a saved evidence item suggests, from its saved events (every field of each): its process's start
     * when it holds one, else its first event naming a program; for a file item (one map with {@code file_path}
     * and {@code hash_sha256}) the file as the executable. Empty when it names none (a snapshot).
     */
    public static java.util.Optional<NewRule> fromEvidence(java.util.List<Map<String, String>> events, String origin) {
        Map<String, String> chosen = events.stream().filter(e -> "process".equals(e.get("type")) && "start".equals(e.get("operation")))
                .findFirst().orElse(events.stream().filter(e -> e.get("process_path") != null).findFirst().orElse(null));
        if (chosen != null) return java.util.Optional.of(from(chosen, origin));
        return events.stream().filter(e -> e.get("file_path") != null).findFirst()
                .map(f -> new NewRule(blankToNull(f.get("hash_sha256")), f.get("file_path"), null, null, origin));
    }

    /** A command-line pattern matching exactly {@code text}. */
    static String literal(String text) {
        String t = blankToNull(text);
        return t == null ? null : trailhound.protocol.PolicyRules.exactly(t);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
