package trailhound.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import trailhound.query.BuilderRow.Connector;
import trailhound.query.BuilderRow.Operand;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;

class BuilderQueryTest {
    static Parameter p(String name) {
        return Parameter.byName(name).orElseThrow();
    }

    static BuilderRow row(Connector c, String parameter, Operand o, String value) {
        return new BuilderRow(c, p(parameter), o, value);
    }

    // ---- render -----------------------------------------------------------------------------

    @Test
    void render_designExample_languageText() {
        List<BuilderRow> rows = List.of(
                row(Connector.AND, "process_name", Operand.EQUALS, "powershell.exe"),
                row(Connector.AND, "command_line", Operand.CONTAINS, "-enc"),
                row(Connector.AND_NOT, "user", Operand.EQUALS, "system"));
        String text = BuilderQuery.render(rows);
        assertEquals("process_name:powershell.exe AND command_line:*-enc* AND NOT user:system", text);
        assertEquals(QueryLanguage.parse(text), QueryLanguage.parse("process_name:powershell.exe AND command_line:*-enc* AND NOT user:system"));
    }

    @Test
    void render_everyOperand_expectedText() {
        assertEquals("command_line:\"cmd.exe /c dir\"", render(row(Connector.AND, "command_line", Operand.EQUALS, "cmd.exe /c dir")));
        assertEquals("-user:system", render(row(Connector.AND, "user", Operand.NOT_EQUALS, "system")));
        assertEquals("key_value:*\\\\run\\\\*", render(row(Connector.AND, "key_value", Operand.CONTAINS, "\\run\\")));
        assertEquals("-command_line:*\\ -enc*", render(row(Connector.AND, "command_line", Operand.NOT_CONTAINS, " -enc")));
        assertEquals("process_path:\\/usr/bin/*", render(row(Connector.AND, "process_path", Operand.STARTS_WITH, "/usr/bin/")));
        assertEquals("file_path:*.ps1", render(row(Connector.AND, "file_path", Operand.ENDS_WITH, ".ps1")));
        assertEquals("file_path:/.*\\/tmp\\/.*\\.sh/", render(row(Connector.AND, "file_path", Operand.MATCHES, ".*/tmp/.*\\.sh")));
        assertEquals("ts:>now-1h", render(row(Connector.AND, "ts", Operand.GREATER_THAN, "now-1h")));
        assertEquals("ts:<2020-10-19T07:00", render(row(Connector.AND, "ts", Operand.LESS_THAN, "2020-10-19T07:00")));
        assertEquals("ip:10.0.0.0/8", render(row(Connector.AND, "ip", Operand.IN_CIDR, "10.0.0.0/8")));
        assertEquals("user:\"AND\"", render(row(Connector.AND, "user", Operand.EQUALS, "AND")));
        assertEquals("type:process OR -type:file", BuilderQuery.render(List.of(
                row(Connector.AND, "type", Operand.EQUALS, "process"), row(Connector.OR, "type", Operand.NOT_EQUALS, "file"))));
    }

    @Test
    void render_firstConnectorIgnored() {
        assertEquals("user:bob", render(row(Connector.OR, "user", Operand.EQUALS, "bob")));
        assertEquals("user:bob", render(row(Connector.AND_NOT, "user", Operand.EQUALS, "bob")));
    }

    @Test
    void render_noRows_emptyTextMatchingAll() {
        assertEquals("", BuilderQuery.render(List.of()));
        assertEquals(List.of(), BuilderQuery.parse(""));
    }

    @Test
    void render_renderedTextMeansTheRows_sameQueryAsHandWritten() {
        String text = BuilderQuery.render(List.of(
                row(Connector.AND, "ip", Operand.IN_CIDR, "10.0.0.0/8"),
                row(Connector.AND, "port", Operand.LESS_THAN, "1024"),
                row(Connector.OR, "ts", Operand.GREATER_THAN, "2020-10-19T07:00"),
                row(Connector.AND_NOT, "path", Operand.ENDS_WITH, "\\cmd.exe")));
        assertEquals(QueryLanguageTest.QL.query(
                        "ip:10.0.0.0/8 AND port:<1024 OR ts:>2020-10-19T07:00 AND NOT path:*\\\\cmd.exe"),
                QueryLanguageTest.QL.query(text));
    }

    // ---- parse ------------------------------------------------------------------------------

    @Test
    void parse_handTypedFlatQuery_rows() {
        assertEquals(List.of(
                        row(Connector.AND, "process_name", Operand.EQUALS, "cmd.exe"),
                        row(Connector.AND, "user", Operand.STARTS_WITH, "adm"),
                        row(Connector.OR, "command_line", Operand.NOT_CONTAINS, "-enc"),
                        row(Connector.AND_NOT, "hash", Operand.EQUALS, "abc"),
                        row(Connector.AND, "remote_port", Operand.GREATER_THAN, "1023"),
                        row(Connector.AND, "pid", Operand.LESS_THAN, "5"),
                        row(Connector.AND, "remote_ip", Operand.IN_CIDR, "fe80::/10")),
                BuilderQuery.parse("Process_Name:cmd.exe user:adm* OR NOT command_line:*-enc* NOT hash:abc"
                        + " && remote_port:{1023 TO *] AND pid:[* TO 5} AND remote_ip:fe80::/10"));
    }

    @Test
    void parse_leadingNot_negatedOperand() {
        assertEquals(List.of(row(Connector.AND, "user", Operand.NOT_EQUALS, "system")), BuilderQuery.parse("NOT user:system"));
        assertEquals(List.of(row(Connector.AND, "user", Operand.NOT_EQUALS, "system")), BuilderQuery.parse("-user:system"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "(type:process OR type:file)", "type:(process OR file)", "pid:[1 TO 5]", "pid:>=5", "pid:[5 TO *]",
            "user:a*b?c", "-user:adm*", "user:bob^2", "user:*", "*:*", "NOT file_path:/x/",
            "bob", "user:bob AND powershell", "\"net user\"", "*.ps1", "/mimi.*/", "*"})
    void parse_validButNotFlat_tooComplexForBuilder(String text) {
        QueryLanguage.parse(text.replace("pid:>=5", "pid:5"));
        QueryTooComplexException e = assertThrows(QueryTooComplexException.class, () -> BuilderQuery.parse(text));
        assertTrue(e.getMessage().startsWith("query is too complex for the builder"), e.getMessage());
        assertTrue(e.column() >= 1);
    }

    @Test
    void parse_tooComplex_namesWhatAndColumn() {
        QueryTooComplexException e = assertThrows(QueryTooComplexException.class,
                () -> BuilderQuery.parse("user:bob AND (type:process OR type:file)"));
        assertEquals(14, e.column());
        assertTrue(e.getMessage().contains("a group in parentheses at column 14"), e.getMessage());
    }

    @Test
    void parse_freeText_tooComplexNamingTheTerm() {
        QueryTooComplexException e = assertThrows(QueryTooComplexException.class, () -> BuilderQuery.parse("user:bob OR mimikatz"));
        assertEquals(13, e.column());
        assertTrue(e.getMessage().contains("the free text 'mimikatz' (a term without field:) at column 13"), e.getMessage());
    }

    @Test
    void parse_unknownField_syntaxErrorNotTooComplex() {
        QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> BuilderQuery.parse("user:bob AND procname:x"));
        assertFalse(e instanceof QueryTooComplexException);
        assertEquals(14, e.column());
        assertTrue(e.getMessage().contains("did you mean process_name?"), e.getMessage());
    }

    @Test
    void parse_operandTheParameterLacks_syntaxErrorWithColumn() {
        QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> BuilderQuery.parse("type:*proc*"));
        assertEquals(6, e.column());
        assertTrue(e.getMessage().contains("does not support 'contains'"), e.getMessage());
    }

    @Test
    void parse_missingValueOrField_syntaxError() {
        assertThrows(QuerySyntaxException.class, () -> BuilderQuery.parse("user:"));
        assertThrows(QuerySyntaxException.class, () -> BuilderQuery.parse("user:\"bob"));
        assertThrows(QuerySyntaxException.class, () -> BuilderQuery.parse("user:bob AND"));
        assertThrows(QuerySyntaxException.class, () -> BuilderQuery.parse("AND user:bob"));
        assertThrows(QuerySyntaxException.class, () -> BuilderQuery.parse("user:bob)"));
        QuerySyntaxException range = assertThrows(QuerySyntaxException.class, () -> BuilderQuery.parse("pid:{5 TO"));
        assertFalse(range instanceof QueryTooComplexException);
        assertEquals(10, range.column());
        QuerySyntaxException quote = assertThrows(QuerySyntaxException.class, () -> BuilderQuery.parse("user:\"bob"));
        assertEquals(10, quote.column());
    }

    // ---- rows -------------------------------------------------------------------------------

    @Test
    void row_operandNotOfferedByParameter_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> row(Connector.AND, "pid", Operand.CONTAINS, "1"));
        assertTrue(e.getMessage().contains("does not support 'contains'"), e.getMessage());
    }

    @Test
    void row_doubleNegation_rejected() {
        assertThrows(IllegalArgumentException.class, () -> row(Connector.AND_NOT, "user", Operand.NOT_EQUALS, "x"));
    }

    @Test
    void row_ipEqualsWithSlash_pointsToInCidr() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> row(Connector.AND, "remote_ip", Operand.EQUALS, "10.0.0.0/8"));
        assertTrue(e.getMessage().contains("in CIDR"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> row(Connector.AND, "remote_ip", Operand.IN_CIDR, "10.0.0.1"));
    }

    @Test
    void row_emptyValue_rejected() {
        assertThrows(IllegalArgumentException.class, () -> row(Connector.AND, "user", Operand.EQUALS, ""));
    }

    @Test
    void row_regexEscapedSlash_keptAsPlainSlash() {
        assertEquals(".*/tmp/.*", row(Connector.AND, "file_path", Operand.MATCHES, ".*\\/tmp\\/.*").value());
    }

    // ---- parameters -------------------------------------------------------------------------

    @Test
    void parameters_commonFirstThenEveryCanonicalField() {
        List<Parameter> all = Parameter.all();
        assertEquals("process_path", all.getFirst().name());
        for (String name : List.of("process_name", "command_line", "parent_path", "parent_command_line", "user", "hash",
                "signature", "type", "operation", "ip", "port", "file_path", "key_value", "dns_query", "ts", "pid")) {
            assertTrue(Parameter.byName(name).isPresent(), name);
        }
        for (Field f : Field.all()) {
            assertEquals(f.kind(), Parameter.byName(f.canonicalName()).orElseThrow().kind(), f.canonicalName());
        }
        assertEquals(all.size(), all.stream().map(Parameter::name).distinct().count());
        assertEquals(List.of(Field.LOCAL_PORT, Field.REMOTE_PORT), p("port").fields());
        assertEquals("Event type", p("type").label());
    }

    @Test
    void operands_byKind_labels() {
        assertEquals(List.of(Operand.EQUALS, Operand.NOT_EQUALS, Operand.STARTS_WITH), p("operation").operands());
        assertTrue(p("ip").operands().contains(Operand.IN_CIDR));
        assertTrue(p("ts").operands().contains(Operand.GREATER_THAN));
        assertFalse(p("pid").operands().contains(Operand.CONTAINS));
        assertEquals("does not equal", Operand.NOT_EQUALS.label());
        assertEquals(FieldKind.KEYWORD, p("path").kind());
    }

    static String render(BuilderRow row) {
        return BuilderQuery.render(List.of(row));
    }

    @Test
    void parse_resultIsImmutable() {
        assertInstanceOf(List.class, BuilderQuery.parse("user:bob"));
        assertThrows(UnsupportedOperationException.class, () -> BuilderQuery.parse("user:bob").clear());
    }

    @Test
    void parameter_unknownNameOrWrongKind_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new Parameter("procname", "x", FieldKind.KEYWORD));
        assertThrows(IllegalArgumentException.class, () -> new Parameter("pid", "PID", FieldKind.KEYWORD));
    }
}
