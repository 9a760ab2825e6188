package trailhound.query;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Match-all decided on the automaton: every spelling of "anything" is one, and a pattern with something to match is not. */
class MatchAllRegexTest {
    @ParameterizedTest
    @ValueSource(strings = {".*", ".+", "(?s).+", ".{1,}", "[\\s\\S]+", ".*.*", "(.*)", "(?:.+)", "^.*$", "(?s:.)+", "[^a].*|a.*",
        "(?P<x>.*)", "(\\S|\\s)+", "[\\w\\W]*", "\\d*\\D*.*"})
    void matchAll_anySpelling_true(String regex) {
        assertTrue(MatchAllRegex.matchesEveryValue(regex), regex);
    }

    @ParameterizedTest
    @ValueSource(strings = {".*-enc.*", ".+ .+", "\\S+", "[a-z]+", ".*\\bx\\b.*", "(?i)powershell.*", "\\Q.*\\E", "a|.*b", ".", "x?",
        "\\x41.*", "[[:alpha:]]*", "(.*", "[.*"})
    void somethingToMatch_orUnknownSyntax_false(String regex) {
        assertFalse(MatchAllRegex.matchesEveryValue(regex), regex);
    }
}
