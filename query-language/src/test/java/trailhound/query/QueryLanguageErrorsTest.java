package trailhound.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every error names its 1-based column, the field when there is one, and what was expected. */
class QueryLanguageErrorsTest {

    static QuerySyntaxException error(String text) {
        return assertThrows(QuerySyntaxException.class, () -> QueryLanguageTest.QL.query(text));
    }

    static void assertMessage(QuerySyntaxException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    /** Second try-out: 300 regexes in one count held a core for 21 s; 3,000 for minutes. */
    @Test
    void moreRegexesThanTheLimit_refusedWithTheCount() {
        String one = "command_line:/.{0,100}x/";
        QueryLanguage.parse(String.join(" OR ", java.util.Collections.nCopies(QueryLanguage.MAX_REGEX_TERMS, one)));
        QuerySyntaxException e = error(String.join(" OR ", java.util.Collections.nCopies(QueryLanguage.MAX_REGEX_TERMS + 1, one)));
        assertTrue(e.getMessage().startsWith("the query holds 65 regular expressions or patterns without three plain characters"),
                e.getMessage());
        // third try-out: 1,000 bare wildcards without a literal run held a core for 4 s, eleven groups of them 37 s
        assertTrue(error(String.join(" OR ", java.util.Collections.nCopies(5, "a?a*a"))).getMessage().contains("MAX_REGEX_TERMS"));
        QueryLanguage.parse(String.join(" OR ", java.util.Collections.nCopies(200, "command_line:*abc*")));
        int perBareRegex = QueryLanguage.freeTextFields().size();
        String bare = String.join(" OR ", java.util.Collections.nCopies(QueryLanguage.MAX_REGEX_TERMS / perBareRegex + 1, "/a.*b/"));
        assertTrue(error(bare).getMessage().contains("a bare term counting once per free-text field"));
    }

    @Test
    void unknownField_columnKnownFieldsAndSuggestion() {
        QuerySyntaxException e = error("procname:cmd.exe");
        assertEquals(1, e.column());
        assertEquals(Optional.of("procname"), e.field());
        assertMessage(e, "unknown field 'procname' at column 1", "known fields: endpoint, event_uid", "(did you mean process_name?)");
    }

    @Test
    void unknownFieldLaterInQuery_columnOfThatField() {
        QuerySyntaxException e = error("type:process AND  remote_prot:80");
        assertEquals(19, e.column());
        assertMessage(e, "did you mean remote_port?");
    }

    @Test
    void unknownFieldFarFromAnything_noSuggestion() {
        QuerySyntaxException e = error("zzzzzzzz:1");
        assertTrue(!e.getMessage().contains("did you mean"), e.getMessage());
    }

    @Test
    void bareRange_needsAField() {
        QuerySyntaxException e = error("type:process [1 TO 5]");
        assertEquals(14, e.column());
        assertEquals(Optional.empty(), e.field());
        assertMessage(e, "a range needs a field", "remote_port:[1 TO 1023]", "at column 14");
    }

    @Test
    void freeText_emptyPhrase_rejected() {
        QuerySyntaxException e = error("user:bob \"\"");
        assertEquals(10, e.column());
        assertMessage(e, "empty free-text phrase", "at column 10");
    }

    @Test
    void freeText_invalidOrTooComplexRegex_saysFreeText() {
        QuerySyntaxException e = error("type:file /[a/");
        assertEquals(11, e.column());
        assertEquals(Optional.empty(), e.field());
        assertMessage(e, "invalid regular expression '/[a/' in free text (a term without field:)");
        assertMessage(error("/(a|b)*a(a|b){20}/"), "too complex", "in free text");
    }

    @Test
    void freeText_fuzzy_rejected() {
        assertMessage(error("powershel~"), "fuzzy search", "at column 1");
    }

    @Test
    void textWithAColon_unknownField_hintsQuotes() {
        QuerySyntaxException e = error("type:file c:\\\\windows\\\\temp");
        assertEquals(11, e.column());
        assertMessage(e, "unknown field 'c' at column 11", "quote it: \"c:\\\\windows\\\\temp\"", "text with a ':'");
        assertMessage(error("http://evil.example"), "unknown field 'http'", "quote it: \"http://evil.example\"");
    }

    @Test
    void idField_contains_onlyEqualsAndStartsWith() {
        QuerySyntaxException e = error("operation:*start*");
        assertEquals(11, e.column());
        assertEquals(Optional.of("operation"), e.field());
        assertMessage(e, "field 'operation' supports only equals and starts-with", "not contains");
    }

    @Test
    void idField_endsWithAndRegex_rejected() {
        assertMessage(error("event_uid:*abc"), "only equals and starts-with", "not ends-with");
        assertMessage(error("process_key:/a.*/"), "only equals and starts-with", "not regular expressions");
    }

    @Test
    void numberField_notANumber_namesFieldValueAndForm() {
        QuerySyntaxException e = error("pid:4 AND ppid:abc");
        assertEquals(16, e.column());
        assertMessage(e, "field 'ppid' expects a whole number", "not 'abc'", "at column 16");
    }

    @Test
    void numberField_badRangeBound_rejected() {
        assertMessage(error("remote_port:[1 TO x]"), "field 'remote_port' expects a whole number", "not 'x'");
    }

    @Test
    void numberField_contains_rejected() {
        assertMessage(error("pid:*12*"), "field 'pid' supports only equals, starts-with and ranges");
    }

    @Test
    void timeField_badValue_listsAcceptedForms() {
        QuerySyntaxException e = error("ts:yesterday");
        assertEquals(4, e.column());
        assertMessage(e, "field 'ts' expects an ISO-8601 UTC time", "now-15m", "not 'yesterday'");
    }

    @Test
    void timeField_invalidDate_rejected() {
        assertMessage(error("ts:2020-13-45"), "not '2020-13-45'");
        assertMessage(error("ts:[2020-10-19 TO now-1y]"), "not 'now-1y'");
    }

    @Test
    void timeField_startsWith_suggestsRange() {
        assertMessage(error("ts:2020*"), "does not support starts-with", "ts:[2020-10-19 TO now]");
    }

    @Test
    void ipField_hostName_rejectedWithoutLookup() {
        QuerySyntaxException e = error("remote_ip:example.com");
        assertEquals(11, e.column());
        assertMessage(e, "field 'remote_ip' expects an IPv4 or IPv6 address", "not 'example.com'");
    }

    @Test
    void ipField_badCidrLength_rejected() {
        assertMessage(error("remote_ip:10.0.0.0/33"), "CIDR prefix length of 0 to 32");
        assertMessage(error("remote_ip:10.0.0.0/x"), "CIDR prefix length");
    }

    @Test
    void ipField_outOfRangeOctet_rejected() {
        assertMessage(error("local_ip:10.0.0.256"), "not '10.0.0.256'");
    }

    @Test
    void ipField_contains_rejected() {
        assertMessage(error("ip:*10*"), "field 'ip' supports only equals, starts-with, CIDR and ranges");
    }

    @Test
    void invalidRegex_namesFieldAndRegex() {
        QuerySyntaxException e = error("file_path:/[a/");
        assertEquals(11, e.column());
        assertMessage(e, "invalid regular expression '/[a/' for field 'file_path'");
    }

    @Test
    void emptyQuotedValue_rejected() {
        assertMessage(error("user:\"\""), "empty value for field 'user'", "NOT user:*");
    }

    @Test
    void fuzzyAndProximity_rejected() {
        assertMessage(error("user:bob~"), "fuzzy search", "at column 6");
        assertMessage(error("command_line:\"a b\"~2"), "proximity search");
    }

    @Test
    void doubleOperator_syntaxErrorWithColumn() {
        QuerySyntaxException e = error("type:process AND AND user:x");
        assertEquals(18, e.column());
        assertMessage(e, "unexpected 'AND' at column 18", "expected");
    }

    @Test
    void danglingOperator_unexpectedEndOfQuery() {
        QuerySyntaxException e = error("type:process AND");
        assertEquals(17, e.column());
        assertMessage(e, "unexpected end of query at column 17");
    }

    @Test
    void missingValue_unexpectedEnd() {
        assertMessage(error("user:"), "unexpected end of query at column 6", "a value");
    }

    @Test
    void unclosedParenthesis_expectsClosing() {
        QuerySyntaxException e = error("(type:process OR type:file");
        assertMessage(e, "at column 27", "')'");
    }

    @Test
    void unclosedQuote_lexicalErrorAtEnd() {
        QuerySyntaxException e = error("user:\"bob");
        assertEquals(10, e.column());
        assertMessage(e, "not closed");
    }

    @Test
    void columnsAfterLenientEscapes_pointAtTypedText() {
        // The colons inside the time get escapes added before lexing; the column must not shift.
        QuerySyntaxException e = error("ts:2020-10-19T07:00 AND pid:x");
        assertEquals(29, e.column());
    }

    @Test
    void starFieldWithValue_unknownField() {
        assertMessage(error("*:foo"), "unknown field '*'");
    }

    @Test
    void boostedBadValue_columnOfValueNotBoost() {
        assertEquals(5, error("pid:abc^2").column());
    }

    @Test
    void trailingLoneBackslash_explainsEscaping() {
        QuerySyntaxException e = error("user:abc\\");
        assertEquals(9, e.column());
        assertMessage(e, "ends with a lone backslash at column 9", "write \\\\ for a backslash");
    }

    @Test
    void valueStartingWithMinus_hintsEscape() {
        QuerySyntaxException e = error("pid:-5");
        assertEquals(5, e.column());
        assertMessage(e, "unexpected '-' at column 5", "as \\- or in quotes");
    }

    @Test
    void suggestions_onlyForPlausibleTypos() {
        assertTrue(!error("b:c").getMessage().contains("did you mean"));
        assertMessage(error("pd:4"), "did you mean pid?");
        assertMessage(error("cmdline:x"), "did you mean command_line?");
    }

    // ---- limits (issue #13, hostile input): refused before Lucene's parser recurses -------------

    @Test
    void unbalancedParentheses4000_refusedByNestingLimit_noStackOverflow() {
        QuerySyntaxException e = error("(".repeat(4000));
        assertEquals(QueryLanguage.MAX_NESTING + 1, e.column());
        assertMessage(e, "nest deeper than " + QueryLanguage.MAX_NESTING, "QueryLanguage.MAX_NESTING");
    }

    @Test
    void nestedNot1500_refusedByNestingLimit() {
        QuerySyntaxException e = error("NOT(".repeat(1500) + "user:x" + ")".repeat(1500));
        assertMessage(e, "nest deeper than " + QueryLanguage.MAX_NESTING);
    }

    @Test
    void nestingAtTheLimit_accepted() {
        QueryLanguageTest.QL.query("(".repeat(QueryLanguage.MAX_NESTING) + "user:x" + ")".repeat(QueryLanguage.MAX_NESTING));
    }

    @Test
    void overLongQuery_refusedByLengthLimit() {
        QuerySyntaxException e = error("user:" + "x".repeat(QueryLanguage.MAX_LENGTH));
        assertMessage(e, "the limit is " + QueryLanguage.MAX_LENGTH, "QueryLanguage.MAX_LENGTH");
    }

    @Test
    void regexTooComplexToDeterminize_syntaxErrorNotTooComplexToDeterminizeException() {
        QuerySyntaxException e = error("command_line:/(a|b)*a(a|b){20}/");
        assertEquals(Optional.of("command_line"), e.field());
        assertMessage(e, "too complex to run", "at column 14");
    }

    @Test
    void regexWithHugeRepeats_refusedQuickly() {
        long start = System.nanoTime();
        assertMessage(error("command_line:/a{1,1000}{1,1000}/"), "too complex to run");
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused before building the automaton");
    }

    @Test
    void regexNestedParentheses3000_refusedNoStackOverflow() {
        assertMessage(error("command_line:/" + "(".repeat(3000) + "a" + ")".repeat(3000) + "/"),
                "QueryLanguage.MAX_REGEX_LENGTH");
        assertMessage(error("command_line:/" + "(".repeat(300) + "a" + ")".repeat(300) + "/"),
                "nests parentheses deeper than " + QueryLanguage.MAX_NESTING);
    }

    @Test
    void tooManyClauses_syntaxError() {
        String many = "user:(" + java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "u" + i)
                .collect(java.util.stream.Collectors.joining(" ")) + ")";
        assertMessage(error(many), "terms in one group");
    }
}
