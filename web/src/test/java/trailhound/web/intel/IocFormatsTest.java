package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;
import trailhound.query.IocTree.Condition;
import trailhound.query.IocTree.Group;
import trailhound.query.IocTree.Item;
import trailhound.query.IocTree.Operator;

/**
 * OpenIOC 1.1 and STIX 2.1 exports validated against their published schemas, kept as test
 * resources with their licences (src/test/resources/schemas: Mandiant's ioc.xsd, Apache 2.0; the
 * OASIS cti-stix2-json-schemas, BSD 3-clause), and read back to the same tree.
 */
class IocFormatsTest {
    static final Instant CREATED = Instant.parse("2026-12-01T10:00:00Z");
    static final String STIX_IDS = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas";

    /** Every indicator type, both conditions, nested AND/OR, and values with quotes, backslashes and markup. */
    static final IocTree TREE = new Group(Operator.OR, List.of(
            new Item(IndicatorType.MD5, Condition.IS, "44d88612fea8a8f36de82e1278abb02f"),
            new Item(IndicatorType.SHA1, Condition.IS, "3395856ce81f2b7382dee72602f798b642f14140"),
            new Item(IndicatorType.SHA256, Condition.IS, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"),
            new Item(IndicatorType.FILE_PATH, Condition.IS, "C:\\ProgramData\\Microsoft\\DRM\\svcmon.exe"),
            new Item(IndicatorType.FILE_PATH, Condition.IS, "/tmp/.X11-unix/.x/kworkerd"),
            new Item(IndicatorType.FILE_PATH, Condition.CONTAINS, "\\Templates\\"),
            new Item(IndicatorType.FILE_NAME, Condition.IS, "wmsync.dll"),
            new Item(IndicatorType.IP, Condition.IS, "185.141.63.120"),
            new Item(IndicatorType.IP, Condition.IS, "2001:db8::7"),
            new Item(IndicatorType.DOMAIN, Condition.IS, "cdn-update.azureedge-cloud.com"),
            new Item(IndicatorType.REGISTRY_KEY, Condition.CONTAINS, "\\CurrentVersion\\Run"),
            new Item(IndicatorType.REGISTRY_VALUE, Condition.IS, "WindowsSync"),
            new Item(IndicatorType.REGISTRY_DATA, Condition.CONTAINS, "rundll32.exe \"<script>'x'</script>"),
            new Group(Operator.AND, List.of(
                    new Item(IndicatorType.PROCESS_NAME, Condition.IS, "powershell.exe"),
                    new Item(IndicatorType.COMMAND_LINE, Condition.CONTAINS, "-enc "),
                    new Group(Operator.OR, List.of(
                            new Item(IndicatorType.COMMAND_LINE, Condition.IS, "whoami /all"),
                            new Item(IndicatorType.PROCESS_NAME, Condition.CONTAINS, "psexe")))))));

    @Test
    void openIoc_export_validAgainstTheSchema_andReadsBackToTheSameTree() throws Exception {
        String xml = OpenIoc.write("win-macro 'story' <1>", "ana", CREATED, TREE);
        openIocSchema().validate(new StreamSource(new StringReader(xml)));
        IocImport back = OpenIoc.read(xml.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), back.notImported());
        assertEquals("win-macro 'story' <1>", back.name());
        assertEquals(TREE, back.tree());
    }

    @Test
    void openIocSchema_refusesABrokenDocument() throws Exception {
        String xml = OpenIoc.write("x", "ana", CREATED, TREE).replaceFirst("condition=\"is\"", "condition=\"sounds-like\"");
        assertThrows(SAXException.class, () -> openIocSchema().validate(new StreamSource(new StringReader(xml))));
    }

    @Test
    void stix_export_validAgainstTheSchemas_andReadsBackToTheSameTree() throws Exception {
        String json = Stix.write(7, "win-macro", CREATED, TREE);
        assertEquals(List.of(), stixBundleSchema().validate(new ObjectMapper().readTree(json)).stream().map(Object::toString).toList());
        IocImport back = Stix.read(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), back.notImported());
        assertEquals("win-macro", back.name());
        assertEquals(TREE, back.tree());
    }

    @Test
    void stixSchema_refusesAnIndicatorWithoutItsPattern() throws Exception {
        ObjectNode bundle = (ObjectNode) new ObjectMapper().readTree(Stix.write(7, "x", CREATED, TREE));
        ((ObjectNode) bundle.get("objects").get(0)).remove("pattern");
        assertFalse(stixBundleSchema().validate(bundle).isEmpty(), "the schema requires a pattern");
    }

    @Test
    void stixPattern_asWritten() {
        assertEquals("([file:hashes.'SHA-256' = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f'] AND"
                + " [process:command_line LIKE '%it\\'s C:\\\\x%'])", StixPattern.write(new Group(Operator.AND, List.of(
                        new Item(IndicatorType.SHA256, Condition.IS, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"),
                        new Item(IndicatorType.COMMAND_LINE, Condition.CONTAINS, "it's C:\\x")))));
    }

    @Test
    void stixImport_formsNotSupported_reportedAndAnAndThatLosesAPartLeftOut() {
        List<String> left = new ArrayList<>();
        IocTree tree = StixPattern.read("[ipv4-addr:value = '10.0.0.1' OR file:size > 100]"
                + " OR ([domain-name:value = 'evil.example'] AND [url:value = 'http://evil.example/x'])"
                + " OR [process:command_line LIKE 'cmd%'] OR [ipv4-addr:value = '10.0.0.0/8']"
                + " OR [domain-name:value = 'a.example'] WITHIN 300 SECONDS"
                + " OR [file:name = 'a.exe'] FOLLOWEDBY [file:name = 'b.exe']"
                + " OR [ (windows-registry-key:key = 'HKLM\\\\Run' AND windows-registry-key:values[*].name = 'x') ]", left);
        // a CIDR block is imported (STIX allows one in ipv4-addr:value): the query language's ip:10.0.0.0/8
        assertEquals(new Group(Operator.OR, List.of(
                new Item(IndicatorType.IP, Condition.IS, "10.0.0.1"),
                new Item(IndicatorType.IP, Condition.IS, "10.0.0.0/8"),
                new Group(Operator.AND, List.of(new Item(IndicatorType.REGISTRY_KEY, Condition.IS, "HKLM\\Run"),
                        new Item(IndicatorType.REGISTRY_VALUE, Condition.IS, "x"))))), tree);
        assertEquals(6, left.size(), String.join("\n", left));
        assertTrue(left.get(0).startsWith("'file:size > 100': the object path file:size is not one Trailhound searches"), left.get(0));
        assertTrue(left.get(1).contains("url:value"), left.get(1));
        // the AND's other part (the domain) is dropped with it: said, naming the part that could not be imported
        assertTrue(left.get(2).startsWith("'[domain-name:value = 'evil.example'] AND [url:value = 'http://evil.example/x']': left out whole,"
                + " as its part 'url:value = 'http://evil.example/x'' is not imported"), left.get(2));
        assertTrue(left.get(3).contains("only LIKE '%text%' (contains) is supported"), left.get(3));
        assertTrue(left.get(4).contains("qualifiers"), left.get(4));
        assertTrue(left.get(5).contains("FOLLOWEDBY"), left.get(5));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> StixPattern.read("[file:name = 'x'", left));
        assertTrue(bad.getMessage().startsWith("STIX pattern, column 17: expected ]"), bad.getMessage());
    }

    @Test
    void stixImport_cidrBlocks_v4AndV6_equalsAndIssubset_importedAsTheLanguagesCidr() {
        List<String> left = new ArrayList<>();
        IocTree tree = StixPattern.read("[ipv4-addr:value = '10.0.0.0/8'] OR [ipv6-addr:value = 'fe80::/10']"
                + " OR [ipv4-addr:value ISSUBSET '192.168.0.0/16'] OR [ipv4-addr:value = '10.0.0.0/40']", left);
        assertEquals(new Group(Operator.OR, List.of(new Item(IndicatorType.IP, Condition.IS, "10.0.0.0/8"),
                new Item(IndicatorType.IP, Condition.IS, "fe80::/10"), new Item(IndicatorType.IP, Condition.IS, "192.168.0.0/16"))), tree);
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.getFirst().startsWith("'ipv4-addr:value = '10.0.0.0/40'': "), "a prefix too long is named: " + left);
        assertTrue(tree.toQuery().contains("ip:10.0.0.0/8"), tree.toQuery());
        assertEquals("[ipv4-addr:value = '10.0.0.0/8']", StixPattern.write(new Item(IndicatorType.IP, Condition.IS, "10.0.0.0/8")),
                "and exported as STIX writes a block");
    }

    @Test
    void stixImport_anAndInsideBrackets_losingAPart_namesThatPart() {
        List<String> left = new ArrayList<>();
        assertNull(StixPattern.read("[file:name = 'a.exe' AND file:size > 100]", left));
        assertEquals(2, left.size(), left.toString());
        assertTrue(left.get(0).startsWith("'file:size > 100': "), left.get(0));
        assertEquals("'file:name = 'a.exe' AND file:size > 100': left out whole, as its part 'file:size > 100' is not imported (above)"
                + " and without it the AND would match more", left.get(1));
    }

    @Test
    void stixBundle_ofSeveralIndicators_onePartEachNamedAfterIt() {
        String bundle = """
                {"type": "bundle", "id": "bundle--1", "objects": [
                  {"type": "indicator", "id": "indicator--a", "name": "C2 range", "pattern_type": "stix", "pattern": "[ipv4-addr:value = '203.0.113.0/24']"},
                  {"type": "indicator", "id": "indicator--b", "name": "Dropper", "pattern_type": "stix", "pattern": "[file:name = 'drop.exe']"},
                  {"type": "indicator", "id": "indicator--c", "pattern_type": "stix", "pattern": "[domain-name:value = 'evil.example']"},
                  {"type": "indicator", "id": "indicator--d", "name": "Odd", "pattern_type": "stix", "pattern": "[url:value = 'http://x']"}]}""";
        IocImport in = Stix.read(bundle.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("C2 range", "Dropper", "indicator--c"), in.parts().stream().map(IocImport.Part::name).toList());
        assertEquals(new Item(IndicatorType.FILE_NAME, Condition.IS, "drop.exe"), in.parts().get(1).tree());
        assertEquals(1, in.notImported().size(), in.notImported().toString());
        assertTrue(in.notImported().getFirst().startsWith("'Odd' (indicator--d): "), "names the indicator: " + in.notImported());
    }

    @Test
    void openIocImport_foreignTerms_reportedPerItem() {
        String xml = """
                <?xml version="1.0" encoding="utf-8"?>
                <OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="x" last-modified="2026-01-01T00:00:00" published-date="2026-01-01T00:00:00">
                  <metadata><short_description>foreign</short_description><authored_date>2026-01-01T00:00:00</authored_date></metadata>
                  <criteria>
                    <Indicator operator="OR" id="top">
                      <IndicatorItem id="i1" condition="is" preserve-case="false" negate="false">
                        <Context document="FileItem" search="FileItem/Md5sum" type="mir"/><Content type="md5">44d88612fea8a8f36de82e1278abb02f</Content>
                      </IndicatorItem>
                      <IndicatorItem id="i2" condition="greater-than" preserve-case="false" negate="false">
                        <Context document="FileItem" search="FileItem/SizeInBytes" type="mir"/><Content type="int">100</Content>
                      </IndicatorItem>
                      <IndicatorItem id="i3" condition="matches" preserve-case="false" negate="false">
                        <Context document="ProcessItem" search="ProcessItem/name" type="mir"/><Content type="string">ps.*</Content>
                      </IndicatorItem>
                      <Indicator operator="AND" id="g1">
                        <IndicatorItem id="i4" condition="is" preserve-case="false" negate="false">
                          <Context document="ProcessItem" search="ProcessItem/name" type="mir"/><Content type="string">cmd.exe</Content>
                        </IndicatorItem>
                        <IndicatorItem id="i5" condition="is" preserve-case="false" negate="true">
                          <Context document="ProcessItem" search="ProcessItem/arguments" type="mir"/><Content type="string">/c</Content>
                        </IndicatorItem>
                      </Indicator>
                    </Indicator>
                  </criteria>
                </OpenIOC>
                """;
        IocImport in = OpenIoc.read(xml.strip().getBytes(StandardCharsets.UTF_8));
        assertEquals(new Item(IndicatorType.MD5, Condition.IS, "44d88612fea8a8f36de82e1278abb02f"), in.tree());
        assertEquals(4, in.notImported().size(), String.join("\n", in.notImported()));
        assertTrue(in.notImported().get(0).contains("FileItem/SizeInBytes is not one Trailhound searches"));
        assertTrue(in.notImported().get(1).contains("condition 'matches' is not supported"));
        assertTrue(in.notImported().get(2).contains("negated items are not supported"));
        assertTrue(in.notImported().get(3).contains("Indicator g1 (AND): left out whole"));
        assertTrue(in.notImported().get(3).contains("since its part IndicatorItem i5 was not imported"), "names the part: " + in.notImported());
    }

    @Test
    void openIocImport_doctype_refused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE OpenIOC [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><OpenIOC>&x;</OpenIOC>";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpenIoc.read(xxe.getBytes(StandardCharsets.UTF_8))).getMessage()
                .contains("DOCTYPE"));
        assertNull(Stix.read("{\"type\":\"indicator\",\"pattern\":\"[x:y = 'z']\"}".getBytes(StandardCharsets.UTF_8)).tree());
    }

    static Validator openIocSchema() throws SAXException {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        Validator v = f.newSchema(IocFormatsTest.class.getResource("/schemas/openioc-1.1/ioc.xsd")).newValidator();
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return v;
    }

    static Schema stixBundleSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaIdResolvers(r -> r.mapPrefix(STIX_IDS, "classpath:schemas/stix-2.1/schemas")));
        return registry.getSchema(SchemaLocation.of(STIX_IDS + "/common/bundle.json"));
    }
}
