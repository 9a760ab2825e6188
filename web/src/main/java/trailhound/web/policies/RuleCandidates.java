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

    /** A rule made from one process of a saved evidence item: its process key (null for a file item), path and rule. */
    public record ProcessRule(String processKey, String path, NewRule rule) {}

    /**
     * One rule per distinct process of a saved evidence item (an event item's events may come from
     * several: third try-out, where one rule was made from the newest event's process and the others
     * were dropped unsaid): the process {@link #fromEvidence} picks from all the events first, then the
     * others in the order their events were saved; processes giving the same rule once. Empty when it
     * names none.
     */
    public static java.util.List<ProcessRule> fromEvidenceByProcess(java.util.List<Map<String, String>> events, String origin) {
        java.util.LinkedHashMap<String, java.util.List<Map<String, String>>> byProcess = new java.util.LinkedHashMap<>();
        for (Map<String, String> e : events) {
            String key = e.get("process_key");
            if (key != null && !key.isBlank()) byProcess.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(e);
        }
        if (byProcess.size() <= 1) {
            String key = byProcess.isEmpty() ? null : byProcess.keySet().iterator().next();
            return fromEvidence(events, origin).map(r -> java.util.List.of(new ProcessRule(key, r.path(), r))).orElse(java.util.List.of());
        }
        Map<String, String> first = events.stream().filter(e -> "process".equals(e.get("type")) && "start".equals(e.get("operation")))
                .findFirst().orElse(events.stream().filter(e -> e.get("process_path") != null).findFirst().orElse(null));
        java.util.List<String> keys = new java.util.ArrayList<>(byProcess.keySet());
        if (first != null && first.get("process_key") != null && keys.remove(first.get("process_key"))) keys.addFirst(first.get("process_key"));
        java.util.List<ProcessRule> out = new java.util.ArrayList<>();
        java.util.Set<java.util.List<String>> seen = new java.util.HashSet<>();
        for (String key : keys) {
            fromEvidence(byProcess.get(key), origin + ", process " + key).ifPresent(r -> {
                java.util.List<String> conditions = java.util.Arrays.asList(r.sha256(), r.path(), r.commandLine(), r.parent());
                if (seen.add(conditions)) out.add(new ProcessRule(key, r.path(), r));
            });
        }
        return out;
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
