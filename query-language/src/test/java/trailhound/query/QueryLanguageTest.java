package trailhound.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.junit.jupiter.api.Test;
import trailhound.query.ValuePatternQuery.Mode;
import trailhound.schema.Field;

/** Every field kind x every value form produces the intended query on the IndexFields names. */
class QueryLanguageTest {
    static final Instant NOW = Instant.parse("2020-10-19T08:00:00Z");
    static final QueryLanguage QL = QueryLanguage.withClock(Clock.fixed(NOW, ZoneOffset.UTC));

    static Query q(String text) {
        return QL.query(text);
    }

    static TermQuery term(String field, String value) {
        return new TermQuery(new Term(field, value));
    }

    static Query longRange(String field, long from, long to) {
        return LongPoint.newRangeQuery(field, from, to);
    }

    static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    static Query any(Query... queries) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Query query : queries) b.add(query, Occur.SHOULD);
        return b.build();
    }

    // ---- keyword ----------------------------------------------------------------------------

    @Test
    void keyword_equals_lowerCasedTermQuery() {
        assertEquals(term("process_name", "powershell.exe"), q("process_name:PowerShell.EXE"));
    }

    @Test
    void keyword_fieldNameCaseInsensitive_sameQuery() {
        assertEquals(term("process_name", "cmd.exe"), q("Process_Name:cmd.exe"));
    }

    @Test
    void keyword_quotedPhrase_exactValueWithSpacesAndStars() {
        assertEquals(term("command_line", "cmd.exe /c \"dir *\""), q("command_line:\"cmd.exe /c \\\"dir *\\\"\""));
    }

    @Test
    void keyword_startsWith_prefixQueryOnTermField() {
        assertEquals(new PrefixQuery(new Term("process_path", "c:\\windows\\")), q("process_path:C\\:\\\\Windows\\\\*"));
    }

    @Test
    void keyword_contains_valuePatternContains() {
        assertEquals(new ValuePatternQuery(Field.COMMAND_LINE, Mode.CONTAINS, "-enc"), q("command_line:*-ENC*"));
    }

    @Test
    void keyword_endsWith_valuePatternEndsWith() {
        assertEquals(new ValuePatternQuery(Field.FILE_PATH, Mode.ENDS_WITH, ".ps1"), q("file_path:*.PS1"));
    }

    @Test
    void keyword_glob_valuePatternWildcard() {
        ValuePatternQuery glob = (ValuePatternQuery) q("user:Adm?n*X");
        assertEquals(new ValuePatternQuery(Field.USER, Mode.WILDCARD, "adm?n*x"), glob);
        assertTrue(glob.matches("admin-pc\\x"));
        assertFalse(glob.matches("admn-x"));
        assertEquals(List.of("adm", "n", "x"), glob.requiredLiterals());
    }

    @Test
    void keyword_globWithEscapedStar_starIsLiteral() {
        ValuePatternQuery glob = (ValuePatternQuery) q("command_line:a\\*b?c*");
        assertEquals(new ValuePatternQuery(Field.COMMAND_LINE, Mode.WILDCARD, "a\\*b?c*"), glob);
        assertTrue(glob.matches("a*bxc and more"));
        assertFalse(glob.matches("aqbxc"));
    }

    @Test
    void keyword_escapedBackslashes_containsLiteralBackslashes() {
        ValuePatternQuery contains = (ValuePatternQuery) q("registry_key:*\\\\run\\\\*");
        assertEquals(new ValuePatternQuery(Field.REGISTRY_KEY, Mode.CONTAINS, "\\run\\"), contains);
        assertTrue(contains.matches("hklm\\software\\microsoft\\windows\\currentversion\\run\\evil"));
        assertEquals(List.of("\\run\\"), contains.requiredLiterals());
    }

    @Test
    void keyword_escapedSpaceInPattern_containsSpace() {
        assertEquals(new ValuePatternQuery(Field.COMMAND_LINE, Mode.CONTAINS, "-nop -w hidden"),
                q("command_line:*-nop\\ -w\\ hidden*"));
    }

    @Test
    void keyword_regex_lowerCasedExceptClassEscapes() {
        ValuePatternQuery regex = (ValuePatternQuery) q("file_path:/.*\\.PS1/");
        assertEquals(new ValuePatternQuery(Field.FILE_PATH, Mode.REGEX, ".*\\.ps1"), regex);
        assertTrue(regex.matches("c:\\temp\\a.ps1"));
        assertEquals(new ValuePatternQuery(Field.USER, Mode.REGEX, "\\W+x"), q("user:/\\W+X/"));
    }

    @Test
    void keyword_regexWithEscapedSlash_slashIsLiteral() {
        ValuePatternQuery regex = (ValuePatternQuery) q("file_path:/\\/tmp\\/.*/");
        assertTrue(regex.matches("/tmp/x"));
    }

    @Test
    void keyword_slashesAndColonsInsideValue_needNoEscape() {
        assertEquals(new ValuePatternQuery(Field.FILE_PATH, Mode.CONTAINS, "/tmp/"), q("file_path:*/tmp/*"));
        assertEquals(term("process_path", "c:\\windows\\cmd.exe"), q("process_path:c:\\\\windows\\\\cmd.exe"));
    }

    @Test
    void keyword_star_fieldExistsPrefixQuery() {
        assertEquals(new PrefixQuery(new Term("user", "")), q("user:*"));
    }

    @Test
    void keyword_range_termRangeOnTermField() {
        assertEquals(TermRangeQuery.newStringRange("user", "a", "m", true, false), q("user:[A TO M}"));
    }

    // ---- id ---------------------------------------------------------------------------------

    @Test
    void id_equalsAndStartsWith_termAndPrefix() {
        assertEquals(term("type", "process"), q("type:PROCESS"));
        assertEquals(new PrefixQuery(new Term("process_key", "abc")), q("process_key:ABC*"));
    }

    // ---- number -----------------------------------------------------------------------------

    @Test
    void number_equals_exactLongPoint() {
        assertEquals(LongPoint.newExactQuery("pid$p", 4), q("pid:4"));
    }

    @Test
    void number_inclusiveExclusiveAndOpenRanges_longPointRanges() {
        assertEquals(longRange("remote_port$p", 1, 1023), q("remote_port:[1 TO 1023]"));
        assertEquals(longRange("remote_port$p", 2, 1022), q("remote_port:{1 TO 1023}"));
        assertEquals(longRange("remote_port$p", 1024, Long.MAX_VALUE), q("remote_port:[1024 TO *]"));
        assertEquals(longRange("remote_port$p", Long.MIN_VALUE, 1023), q("remote_port:{* TO 1024}"));
    }

    @Test
    void number_comparisons_longPointRanges() {
        assertEquals(longRange("ppid$p", 101, Long.MAX_VALUE), q("ppid:>100"));
        assertEquals(longRange("ppid$p", 100, Long.MAX_VALUE), q("ppid:>=100"));
        assertEquals(longRange("ppid$p", Long.MIN_VALUE, 99), q("ppid:<100"));
        assertEquals(longRange("ppid$p", Long.MIN_VALUE, 100), q("ppid:<=100"));
    }

    @Test
    void number_startsWith_prefixOnDecimalTerm() {
        assertEquals(new PrefixQuery(new Term("pid", "12")), q("pid:12*"));
    }

    // ---- time -------------------------------------------------------------------------------

    @Test
    void time_exactMinute_wholeMinute() {
        assertEquals(longRange("ts$p", ms("2020-10-19T07:00:00Z"), ms("2020-10-19T07:01:00Z") - 1), q("ts:2020-10-19T07:00"));
    }

    @Test
    void time_exactDate_wholeDay() {
        assertEquals(longRange("ts$p", ms("2020-10-19T00:00:00Z"), ms("2020-10-20T00:00:00Z") - 1), q("ts:2020-10-19"));
    }

    @Test
    void time_yearMonthHour_wholeUnit() {
        assertEquals(longRange("ts$p", ms("2020-01-01T00:00:00Z"), ms("2021-01-01T00:00:00Z") - 1), q("ts:2020"));
        assertEquals(longRange("ts$p", ms("2020-02-01T00:00:00Z"), ms("2020-03-01T00:00:00Z") - 1), q("ts:2020-02"));
        assertEquals(longRange("ts$p", ms("2020-10-19T07:00:00Z"), ms("2020-10-19T08:00:00Z") - 1), q("ts:2020-10-19T07"));
    }

    @Test
    void time_exactMillis_oneMillisecond() {
        long t = ms("2020-10-19T07:00:05.250Z");
        assertEquals(longRange("ts$p", t, t), q("ts:2020-10-19T07:00:05.250Z"));
        assertEquals(longRange("ts$p", t, t), q("ts:\"2020-10-19T07:00:05.25\""));
        assertEquals(longRange("ts$p", t, t), q("ts:" + t));
    }

    @Test
    void time_secondsWithAndWithoutZ_sameSecond() {
        Query expected = longRange("ts$p", ms("2020-10-19T07:00:00Z"), ms("2020-10-19T07:00:01Z") - 1);
        assertEquals(expected, q("ts:2020-10-19T07:00:00Z"));
        assertEquals(expected, q("ts:2020-10-19T07:00:00"));
        assertEquals(expected, q("ts:2020-10-19T09:00:00+02:00"));
    }

    @Test
    void time_rangeToNow_usesInjectedClock() {
        assertEquals(longRange("ts$p", ms("2020-10-19T07:00:00Z"), NOW.toEpochMilli()), q("ts:[2020-10-19T07:00 TO now]"));
    }

    @Test
    void time_inclusiveRangeOfDates_includesWholeUpperDay() {
        assertEquals(longRange("ts$p", ms("2020-10-18T00:00:00Z"), ms("2020-10-20T00:00:00Z") - 1),
                q("ts:[2020-10-18 TO 2020-10-19]"));
        assertEquals(longRange("ts$p", ms("2020-10-19T00:00:00Z"), ms("2020-10-19T00:00:00Z") - 1), // both days excluded: empty
                q("ts:{2020-10-18 TO 2020-10-19}"));
    }

    @Test
    void time_relativeOffsets_fromFixedClock() {
        long now = NOW.toEpochMilli();
        assertEquals(longRange("ts$p", now - 3_600_000 + 1, Long.MAX_VALUE), q("ts:>now-1h"));
        assertEquals(longRange("ts$p", now - 15 * 60_000, Long.MAX_VALUE), q("ts:>=now-15m"));
        assertEquals(longRange("ts$p", now - 7 * 86_400_000L, now), q("ts:[now-7d TO now]"));
        assertEquals(longRange("ts$p", Long.MIN_VALUE, now - 30_000 - 1), q("ts:<now-30s"));
        assertEquals(longRange("ts$p", now, now), q("ts:NOW"));
    }

    // ---- ip ---------------------------------------------------------------------------------

    @Test
    void ip_equals_exactInetAddressPoint() throws Exception {
        assertEquals(InetAddressPoint.newExactQuery("remote_ip$p", InetAddress.getByName("10.1.2.3")), q("remote_ip:10.1.2.3"));
        assertEquals(InetAddressPoint.newExactQuery("local_ip$p", InetAddress.getByName("fe80::1")), q("local_ip:fe80::1"));
    }

    @Test
    void ip_cidr_prefixQueryV4AndV6() throws Exception {
        assertEquals(InetAddressPoint.newPrefixQuery("remote_ip$p", InetAddress.getByName("10.0.0.0"), 8), q("remote_ip:10.0.0.0/8"));
        assertEquals(InetAddressPoint.newPrefixQuery("remote_ip$p", InetAddress.getByName("fe80::"), 10), q("remote_ip:fe80::/10"));
    }

    @Test
    void ip_ranges_inetAddressRanges() throws Exception {
        InetAddress lo = InetAddress.getByName("10.0.0.1");
        InetAddress hi = InetAddress.getByName("10.0.0.255");
        assertEquals(InetAddressPoint.newRangeQuery("remote_ip$p", lo, hi), q("remote_ip:[10.0.0.1 TO 10.0.0.255]"));
        assertEquals(InetAddressPoint.newRangeQuery("remote_ip$p", InetAddressPoint.nextUp(lo), InetAddressPoint.nextDown(hi)),
                q("remote_ip:{10.0.0.1 TO 10.0.0.255}"));
        assertEquals(InetAddressPoint.newRangeQuery("remote_ip$p", lo, InetAddressPoint.MAX_VALUE), q("remote_ip:[10.0.0.1 TO *]"));
    }

    @Test
    void ip_prefixStar_prefixOnTermField() {
        assertEquals(new PrefixQuery(new Term("remote_ip", "10.")), q("remote_ip:10.*"));
    }

    // ---- aliases ----------------------------------------------------------------------------

    @Test
    void alias_ip_disjunctionOverThreeIpFields() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.5");
        assertEquals(any(InetAddressPoint.newExactQuery("local_ip$p", a), InetAddressPoint.newExactQuery("remote_ip$p", a),
                InetAddressPoint.newExactQuery("logon_source_ip$p", a)), q("ip:10.0.0.5"));
        assertEquals(any(new PrefixQuery(new Term("local_ip", "10.")), new PrefixQuery(new Term("remote_ip", "10.")),
                new PrefixQuery(new Term("logon_source_ip", "10."))), q("ip:10.*"));
    }

    @Test
    void alias_hash_disjunctionOverHashes() {
        assertEquals(any(term("hash_md5", "abc"), term("hash_sha1", "abc"), term("hash_sha256", "abc")), q("hash:ABC"));
    }

    @Test
    void alias_keyValue_containsOnEachRegistryField() {
        assertEquals(any(new ValuePatternQuery(Field.REGISTRY_KEY, Mode.CONTAINS, "run"),
                new ValuePatternQuery(Field.REGISTRY_VALUE_NAME, Mode.CONTAINS, "run"),
                new ValuePatternQuery(Field.REGISTRY_VALUE_DATA, Mode.CONTAINS, "run")), q("key_value:*run*"));
    }

    @Test
    void alias_path_sixPathFields() {
        BooleanQuery path = (BooleanQuery) q("path:*.exe");
        assertEquals(6, path.clauses().size());
        assertEquals(new ValuePatternQuery(Field.TARGET_PROCESS_PATH, Mode.ENDS_WITH, ".exe"), path.clauses().get(5).query());
    }

    @Test
    void alias_port_bothPorts() {
        assertEquals(any(LongPoint.newExactQuery("local_port$p", 445), LongPoint.newExactQuery("remote_port$p", 445)), q("port:445"));
    }

    @Test
    void alias_negated_wholeDisjunctionNegated() {
        BooleanQuery not = (BooleanQuery) q("NOT hash:abc");
        assertEquals(2, not.clauses().size());
        assertEquals(Occur.MUST_NOT, not.clauses().get(0).occur());
        assertEquals(any(term("hash_md5", "abc"), term("hash_sha1", "abc"), term("hash_sha256", "abc")), not.clauses().get(0).query());
        assertEquals(new MatchAllDocsQuery(), not.clauses().get(1).query());
    }

    // ---- boolean structure --------------------------------------------------------------------

    @Test
    void and_not_designExample() {
        BooleanQuery expected = new BooleanQuery.Builder()
                .add(term("process_name", "powershell.exe"), Occur.MUST)
                .add(new ValuePatternQuery(Field.COMMAND_LINE, Mode.CONTAINS, "-enc"), Occur.MUST)
                .add(term("user", "system"), Occur.MUST_NOT)
                .build();
        assertEquals(expected, q("process_name:powershell.exe AND command_line:*-enc* AND NOT user:system"));
    }

    @Test
    void pureNegative_matchAllAdded() {
        BooleanQuery expected = new BooleanQuery.Builder()
                .add(term("user", "system"), Occur.MUST_NOT)
                .add(new MatchAllDocsQuery(), Occur.MUST)
                .build();
        assertEquals(expected, q("NOT user:system"));
        assertEquals(expected, q("-user:system"));
        assertEquals(expected, q("!user:system"));
    }

    @Test
    void precedence_andBindsTighterThanOr() {
        Query expected = any(
                new BooleanQuery.Builder().add(term("type", "process"), Occur.MUST).add(term("user", "bob"), Occur.MUST).build(),
                new BooleanQuery.Builder().add(term("type", "file"), Occur.MUST).add(term("user", "eve"), Occur.MUST_NOT).build());
        assertEquals(expected, q("type:process AND user:bob OR type:file AND NOT user:eve"));
    }

    @Test
    void implicitOperator_isAnd() {
        assertEquals(q("type:process AND user:bob"), q("type:process user:bob"));
    }

    @Test
    void groups_parenthesesAndFieldGroups() {
        BooleanQuery expected = new BooleanQuery.Builder()
                .add(any(term("type", "process"), term("type", "file")), Occur.MUST)
                .add(term("user", "bob"), Occur.MUST)
                .build();
        assertEquals(expected, q("(type:process OR type:file) AND user:bob"));
        assertEquals(expected, q("type:(process OR file) && user:bob"));
    }

    @Test
    void orWithNegativeAlternative_thatAlternativeIsEverythingExcept() {
        Query expected = any(term("user", "bob"),
                new BooleanQuery.Builder().add(term("type", "file"), Occur.MUST_NOT).add(new MatchAllDocsQuery(), Occur.MUST).build());
        assertEquals(expected, q("user:bob OR NOT type:file"));
    }

    @Test
    void emptyAndMatchAll_matchAllDocs() {
        assertEquals(new MatchAllDocsQuery(), q(""));
        assertEquals(new MatchAllDocsQuery(), q("   "));
        assertEquals(new MatchAllDocsQuery(), q("*:*"));
    }

    @Test
    void boost_keptAsBoostQuery() {
        assertInstanceOf(BoostQuery.class, q("process_name:cmd.exe^2"));
    }

    @Test
    void staticParse_systemClock_sameAsInstance() {
        assertEquals(q("user:bob"), QueryLanguage.parse("user:bob"));
    }
}
