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

    /** A command-line pattern matching exactly {@code text}. */
    static String literal(String text) {
        String t = blankToNull(text);
        return t == null ? null : trailhound.protocol.PolicyRules.exactly(t);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
