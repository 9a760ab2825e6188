package trailhound.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRulesTest {
    private static final String HASH = "a".repeat(64);
    private static final PolicyRules.Process SLEEPER = new PolicyRules.Process("/tmp/work/Sleeper-7", "/tmp/work/Sleeper-7 300 -enc abc",
            HASH, "/usr/bin/bash");

    private static boolean matches(String sha, String path, String commandLine, String parent, PolicyRules.Process p) {
        return PolicyRules.compile(new Message.Rule(1, sha, path, commandLine, parent)).matches(p);
    }

    @Test
    void path_exactOrGlob_caseInsensitive_wholeValue() {
        assertTrue(matches(null, "/tmp/work/Sleeper-7", null, null, SLEEPER));
        assertTrue(matches(null, "/TMP/work/sleeper-7", null, null, SLEEPER), "case-insensitive, as searches are");
        assertTrue(matches(null, "/tmp/*", null, null, SLEEPER), "* crosses /");
        assertTrue(matches(null, "/tmp/work/sleeper-?", null, null, SLEEPER));
        assertFalse(matches(null, "/tmp/work", null, null, SLEEPER), "the whole path, not a prefix");
        assertFalse(matches(null, "/tmp/work/Sleeper-7.", null, null, SLEEPER), "regex characters are literal in a glob");
        assertTrue(matches(null, "c:\\users\\*\\appdata\\*.exe", null, null,
                new PolicyRules.Process("C:\\Users\\ana\\AppData\\x.exe", null, null, null)), "a backslash is a Windows separator, not an escape");
    }

    @Test
    void commandLine_globOrSlashedRegex() {
        assertTrue(matches(null, null, "*-enc*", null, SLEEPER));
        assertFalse(matches(null, null, "-enc*", null, SLEEPER));
        assertTrue(matches(null, null, "/.*sleeper-\\d \\d+ .*/", null, SLEEPER));
        assertFalse(matches(null, null, "/sleeper/", null, SLEEPER), "a regex matches the whole command line");
    }

    @Test
    void exactly_matchesOnlyTheText_evenWithWildcardsOrSlashesInIt() {
        for (String text : List.of("sleep 30", "find / -name *.log?", "/usr/bin/x /", "a \\E b")) {
            String pattern = PolicyRules.exactly(text);
            assertTrue(matches(null, null, pattern, null, new PolicyRules.Process("/x", text, null, null)), pattern);
            assertFalse(matches(null, null, pattern, null, new PolicyRules.Process("/x", text + "x", null, null)), pattern);
        }
        assertFalse(matches(null, null, PolicyRules.exactly("find / -name *.log?"), null,
                new PolicyRules.Process("/x", "find / -name a.log1", null, null)), "the star is a star");
    }

    @Test
    void hashAndParent_andEveryConditionMustHold() {
        assertTrue(matches(HASH.toUpperCase(), null, null, null, SLEEPER));
        assertFalse(matches(HASH, null, null, null, new PolicyRules.Process("/x", "x", null, null)), "no hash known: no match");
        assertTrue(matches(null, null, null, "bash", SLEEPER), "without a slash: the parent's name");
        assertTrue(matches(null, null, null, "/usr/bin/*", SLEEPER), "with one: its path");
        assertFalse(matches(null, null, null, "sh", SLEEPER));
        assertFalse(matches(HASH, "/bin/*", null, null, SLEEPER), "hash holds, path does not");
    }

    @Test
    void check_namesWhatIsWrong() {
        assertEquals("a rule needs at least one of hash, path, command line or parent",
                PolicyRules.check(new Message.Rule(1, null, " ", null, null)).orElseThrow());
        assertTrue(PolicyRules.check(new Message.Rule(1, "abc", null, null, null)).orElseThrow().startsWith("hash: "));
        assertTrue(PolicyRules.check(new Message.Rule(1, null, null, "/(a/", null)).orElseThrow().startsWith("command line: not a regular"));
        assertTrue(PolicyRules.check(new Message.Rule(1, null, "x".repeat(1001), null, null)).orElseThrow().contains("at most 1,000 characters, this one 1,001"));
        assertTrue(PolicyRules.check(new Message.Rule(1, null, null, "/a(?=b)/", null)).isPresent(), "look-ahead is not RE2");
    }

    @Test
    void regex_catastrophicForBacktracking_isLinearHere() {
        // java.util.regex needs about 2^n steps for this on n a's and a b; RE2 answers at once (the test would hang otherwise)
        String attacker = "a".repeat(50_000) + "b";
        assertFalse(matches(null, null, "/(a+)+$/", null, new PolicyRules.Process("/x", attacker, null, null)));
        assertFalse(matches(null, null, "/(a|aa)*c/", null, new PolicyRules.Process("/x", attacker, null, null)));
    }

    @Test
    void policiesMessage_roundTrips() {
        Message.Policies m = new Message.Policies(List.of(new Message.Policy(3, "No sleepers", PolicyRules.BLOCK,
                List.of(new Message.Rule(7, null, "/tmp/*", "*-enc*", "bash")))));
        assertEquals(m, Protocol.decode(Protocol.encode(m)));
        assertTrue(Protocol.encode(m).contains("\"command_line\":\"*-enc*\""), Protocol.encode(m));
        assertEquals("#7 path=/tmp/* command_line=*-enc* parent=bash", PolicyRules.describe(m.policies().getFirst().rules().getFirst()));
    }

    @Test
    void aRuleMatchingEveryProcess_isRefused_withTheReason() {
        for (String[] r : new String[][] {{"*", null, null}, {null, "*", null}, {null, "*".repeat(1000), null}, {null, "/.*/", null},
                {"?*", null, null}, {null, "/(?s)^.*$/", null}, {"*", "*", "*"}, {null, null, "*"},
                // try-out: every Linux path starts with a slash, nearly every command line has a space
                {"/*", null, null}, {"*/*", null, null}, {null, "* *", null}, {null, "/.+/", null}, {"\\*", null, "/*"}}) {
            var rule = new Message.Rule(1, null, r[0], r[1], r[2]);
            String why = PolicyRules.check(rule).orElseThrow(() -> new AssertionError("accepted " + String.join(",", java.util.Arrays.toString(r))));
            assertTrue(why.startsWith("the rule matches every process"), why);
            assertTrue(why.contains("literal text"), "says what to do: " + why);
        }
        // one condition with literal text, or a hash, narrows the rule: still accepted
        assertTrue(PolicyRules.check(new Message.Rule(1, null, "*", "*-enc*", null)).isEmpty());
        assertTrue(PolicyRules.check(new Message.Rule(1, HASH, "*", null, null)).isEmpty());
        assertTrue(PolicyRules.check(new Message.Rule(1, null, "/tmp/*", null, null)).isEmpty());
        assertTrue(PolicyRules.check(new Message.Rule(1, null, null, "/x*/", null)).isEmpty(), "matches the empty string, not any text");
    }

    @Test
    void aPathThatIsNoWholePath_isRefused_forItWouldNeverMatch() {
        // try-out: a rule with path "curl" was saved and never matched any process
        String why = PolicyRules.check(new Message.Rule(1, null, "curl", null, null)).orElseThrow();
        assertTrue(why.startsWith("path: 'curl' is compared with the executable's whole path"), why);
        assertTrue(why.contains("/usr/bin/curl") && why.contains("*/curl"), "says what to write: " + why);
        assertTrue(PolicyRules.check(new Message.Rule(1, null, "tmp/x*", null, null)).isPresent());
        for (String path : List.of("/usr/bin/curl", "*/curl", "?:\\x.exe", "C:\\Users\\*\\x.exe", "c:/tools/x.exe", "\\\\server\\share\\x.exe")) {
            assertTrue(PolicyRules.check(new Message.Rule(1, null, path, null, null)).isEmpty(), path);
        }
        assertTrue(PolicyRules.check(new Message.Rule(1, null, null, null, "curl")).isEmpty(), "a parent may be a name");
    }
}
