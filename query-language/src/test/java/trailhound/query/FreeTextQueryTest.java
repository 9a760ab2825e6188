package trailhound.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.query.QueryLanguageTest.q;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import trailhound.query.ValuePatternQuery.Mode;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;

/** A term without a field: contains over the free-text fields, combined like any term. */
class FreeTextQueryTest {
    private static final List<Field> FIELDS = QueryLanguage.freeTextFields();

    private static Query overFields(Function<Field, Query> perField) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        FIELDS.forEach(f -> any.add(perField.apply(f), Occur.SHOULD));
        return any.build();
    }

    private static Query contains(String needle) {
        return overFields(f -> new ValuePatternQuery(f, Mode.CONTAINS, needle));
    }

    /** The same text typed as the OR of field:*text* over every free-text field. */
    private static String spelledOut(String value) {
        return FIELDS.stream().map(f -> f.canonicalName() + ":" + value).collect(Collectors.joining(" OR ", "(", ")"));
    }

    @Test
    void freeTextFields_pathsCommandLinesUsersHashesRegistryDns() {
        assertTrue(FIELDS.stream().allMatch(f -> f.kind() == FieldKind.KEYWORD), FIELDS::toString);
        assertTrue(FIELDS.containsAll(QueryFields.ALIASES.get("path")), "every path");
        assertTrue(FIELDS.containsAll(QueryFields.ALIASES.get("hash")), "every hash");
        assertTrue(FIELDS.containsAll(QueryFields.ALIASES.get("key_value")), "registry key and value");
        assertTrue(FIELDS.containsAll(List.of(Field.COMMAND_LINE, Field.PARENT_COMMAND_LINE, Field.USER, Field.DNS_QUERY)));
        assertEquals(FIELDS.size(), FIELDS.stream().distinct().count());
    }

    @Test
    void bareWord_containsOnEveryFreeTextField_lowerCased() {
        assertEquals(contains("powershell"), q("PowerShell"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"powershell", "*powershell*", "*.ps1", "invoke-*", "mimi*katz", "/mimi.*katz/", "*"})
    void bareTerm_sameQueryAsTheFieldedDisjunction(String word) {
        String fieldValue = word.contains("*") || word.startsWith("/") ? word : "*" + word + "*";
        assertEquals(q(spelledOut(fieldValue)), q(word), word);
    }

    @Test
    void quotedPhrase_containsTheWholePhraseLiterally() {
        assertEquals(contains("net user"), q("\"Net User\""));
        assertEquals(contains("dir *?"), q("\"dir *?\""), "wildcards in quotes are text");
        assertEquals(contains("c:\\windows\\temp"), q("\"C:\\\\Windows\\\\Temp\""));
    }

    @Test
    void escapedSpecials_partOfTheNeedle() {
        assertEquals(contains("a+b(c)"), q("a\\+b\\(c\\)"));
        assertEquals(contains("/tmp/x"), q("\\/tmp/x"), "a / inside a word needs no escape");
    }

    @Test
    void wildcards_asInAFieldValue() {
        assertEquals(overFields(f -> new ValuePatternQuery(f, Mode.ENDS_WITH, ".ps1")), q("*.PS1"));
        assertEquals(overFields(f -> new PrefixQuery(new Term(IndexFields.term(f), "invoke-"))), q("Invoke-*"));
        assertEquals(overFields(f -> new ValuePatternQuery(f, Mode.REGEX, "mimi.*")), q("/Mimi.*/"));
    }

    @Test
    void combinedWithFieldsAndNot_likeAnyTerm() {
        Query type = QueryLanguageTest.term("type", "process");
        Query system = QueryLanguageTest.term("user", "system");
        assertEquals(new BooleanQuery.Builder().add(type, Occur.MUST).add(contains("powershell"), Occur.MUST).build(),
                q("type:process powershell"));
        assertEquals(new BooleanQuery.Builder().add(contains("mimikatz"), Occur.MUST).add(system, Occur.MUST_NOT).build(),
                q("mimikatz AND NOT user:system"));
        assertEquals(new BooleanQuery.Builder().add(contains("svchost"), Occur.MUST_NOT).add(new MatchAllDocsQuery(), Occur.MUST).build(),
                q("NOT svchost"));
        assertEquals(QueryLanguageTest.any(contains("mimikatz"), contains("rubeus")), q("mimikatz OR rubeus"));
    }

    @Test
    void leadingMinus_isNot_quotedIsText() {
        assertEquals(contains("-enc"), q("\"-enc\""));
        assertEquals(new BooleanQuery.Builder().add(contains("powershell"), Occur.MUST).add(contains("enc"), Occur.MUST_NOT).build(),
                q("powershell -enc"));
    }

    @Test
    void insideAFieldGroup_theFieldStillApplies() {
        assertEquals(QueryLanguageTest.any(QueryLanguageTest.term("user", "bob"), QueryLanguageTest.term("user", "alice")),
                q("user:(bob OR alice)"));
    }
}
