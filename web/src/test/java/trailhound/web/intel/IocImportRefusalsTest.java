package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;

/**
 * Documents the import refuses, over the real server: each answer says in our words what is wrong and
 * what to do (no parser internals, no internal constants), deep nesting is a 422 rather than a stack
 * overflow, and the XML parser prints nothing on the server's console.
 */
class IocImportRefusalsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OPENIOC = "<OpenIOC xmlns=\"http://openioc.org/schemas/OpenIOC_1.1\" id=\"x\"><criteria>%s</criteria></OpenIOC>";
    static final String ITEM = "<IndicatorItem id=\"i\" condition=\"is\"><Context document=\"FileItem\" search=\"FileItem/FileName\"/>"
            + "<Content type=\"string\">svcmon.exe</Content></IndicatorItem>";

    @TempDir static Path dir;
    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static String importError(String document, int status) throws Exception {
        HttpResponse<String> r = web.postJson("/api/v1/iocs/import", document);
        assertEquals(status, r.statusCode(), r.body());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertFalse(error.contains("JAXP") || error.contains("apache.org") || error.contains("MAX_"), "no internals: " + error);
        return error;
    }

    @Test
    void stixPatternNested3000Deep_422NamingTheLimit() throws Exception {
        String pattern = "(".repeat(3000) + "[file:name = 'x.exe']" + ")".repeat(3000);
        String error = importError(JSON.writeValueAsString(java.util.Map.of("type", "indicator", "id", "indicator--1",
                "pattern_type", "stix", "pattern", pattern)), 422);
        assertTrue(error.contains("nests parentheses more than " + IocImport.MAX_NESTING + " deep"), error);
        assertTrue(error.contains("flatten"), "says what to do: " + error);

        String shallow = "(".repeat(IocImport.MAX_NESTING) + "[file:name = 'x.exe']" + ")".repeat(IocImport.MAX_NESTING);
        assertEquals(201, web.postJson("/api/v1/iocs/import", JSON.writeValueAsString(java.util.Map.of("type", "indicator",
                "id", "indicator--2", "pattern_type", "stix", "pattern", shallow))).statusCode(), "up to the limit imports");
    }

    @Test
    void openIocNestedDeep_422NamingTheLimit_inOurWords() throws Exception {
        String deep = "<Indicator id=\"g\" operator=\"OR\">".repeat(40) + ITEM + "</Indicator>".repeat(40);
        String error = importError(OPENIOC.formatted(deep), 422);
        assertTrue(error.contains("nests Indicator elements more than " + IocImport.MAX_NESTING + " deep"), error);

        String deeper = "<Indicator id=\"g\" operator=\"OR\">".repeat(3000) + ITEM + "</Indicator>".repeat(3000);
        error = importError(OPENIOC.formatted(deeper), 422);
        assertTrue(error.contains("nests elements more than"), error);
    }

    @Test
    void doctypeAndMalformedXml_saidInOurWords_nothingOnTheConsole() throws Exception {
        PrintStream was = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        String doctype;
        String malformed;
        try {
            doctype = importError("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"e\">]>" + OPENIOC.formatted(ITEM), 422);
            malformed = importError("<OpenIOC><criteria></OpenIOC>", 422);
        } finally {
            System.setErr(was);
        }
        assertEquals("a DOCTYPE is not allowed in an OpenIOC document: remove it", doctype);
        assertTrue(malformed.startsWith("not an OpenIOC document: the XML is not well-formed (line 1, column"), malformed);
        assertFalse(console.toString(StandardCharsets.UTF_8).contains("[Fatal Error]"), console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void emptyOrNonObjectBody_saysWhatToGive() throws Exception {
        assertEquals("the document is empty: give an OpenIOC (XML) or STIX 2.1 (JSON) document", importError("", 422));
        assertEquals("the document is empty: give an OpenIOC (XML) or STIX 2.1 (JSON) document", importError("  \n", 422));
        assertTrue(importError("[1, 2]", 422).contains("a STIX 2.1 document is a JSON object"));
    }

    @Test
    void bodyOverTheLimit_413SayingTheLimitAndWhatToDo() throws Exception {
        HttpResponse<String> r = web.postJson("/api/v1/iocs/import", "x".repeat(6_000_000));
        assertEquals(413, r.statusCode());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("the request is larger than the server takes (5 MB at most): split the document into several and import each",
                body.get("error").asText());

        r = web.postJson("/api/v1/exports", "{\"event_uids\": [\"" + "u".repeat(6_000_000) + "\"]}");
        assertEquals(413, r.statusCode());
        assertTrue(JSON.readTree(r.body()).get("error").asText().contains("select fewer events"), r.body());
    }

    @Test
    void aDocumentOverOneMegabyte_isImported() throws Exception {
        // the documented 4 MB limit holds for the API too (Javalin's own default stopped bodies at 1 MB)
        HttpResponse<String> r = web.postJson("/api/v1/iocs/import", OPENIOC.formatted("<Indicator id=\"g\" operator=\"OR\">" + ITEM + "</Indicator>" + " ".repeat(1_500_000)));
        assertEquals(201, r.statusCode(), r.body());
    }

    @Test
    void containsWithLikeWildcards_exportsAsAnEscapedRegex_andImportsBackTheSame() throws Exception {
        HttpResponse<String> made = web.postJson("/api/v1/iocs", """
                {"name": "wild", "tree": {"operator": "OR", "items": [
                  {"type": "command_line", "condition": "contains", "value": "x_y%z.(exe)"},
                  {"type": "file_name", "condition": "contains", "value": "plain"}]}}""");
        assertEquals(201, made.statusCode(), made.body());
        JsonNode ioc = JSON.readTree(made.body());
        JsonNode bundle = JSON.readTree(web.get("/api/v1/iocs/" + ioc.get("id").asLong() + "/stix").body());
        String pattern = bundle.get("objects").get(0).get("pattern").asText();
        assertEquals("([process:command_line MATCHES 'x_y%z\\\\.\\\\(exe\\\\)'] OR [file:name LIKE '%plain%'])", pattern,
                "_ and % are LIKE's wildcards: such a value goes as a regex, others stay LIKE");

        HttpResponse<String> back = web.postJson("/api/v1/iocs/import", bundle.toString());
        assertEquals(201, back.statusCode(), back.body());
        assertEquals(ioc.get("tree"), JSON.readTree(back.body()).get("tree"));
        assertEquals(0, JSON.readTree(back.body()).get("not_imported").size(), back.body());

        String regex = JSON.writeValueAsString(java.util.Map.of("type", "indicator", "id", "indicator--3", "pattern_type", "stix",
                "pattern", "[process:command_line MATCHES '^cmd\\\\d+']"));
        assertTrue(importError(regex, 422).contains("only MATCHES of literal text"), "a real regex is not a contains");
    }

    @Test
    void bundleOf2500Hashes_importsAsSeveralIocs_holdingEveryHash() throws Exception {
        var objects = JSON.createArrayNode();
        for (int i = 0; i < 2_500; i++) {
            objects.addObject().put("type", "indicator").put("id", "indicator--" + i).put("pattern_type", "stix")
                    .put("pattern", "[file:hashes.'SHA-256' = '" + String.format("%064x", i) + "']");
        }
        var bundle = JSON.createObjectNode().put("type", "bundle").put("id", "bundle--feed");
        bundle.set("objects", objects);
        HttpResponse<String> r = web.postJson("/api/v1/iocs/import?name=feed", bundle.toString());
        assertEquals(201, r.statusCode(), r.body().substring(0, Math.min(500, r.body().length())));
        JsonNode iocs = JSON.readTree(r.body()).get("iocs");
        assertTrue(iocs.size() >= 2, r.body().substring(0, 300));
        java.util.Set<String> hashes = new java.util.HashSet<>();
        for (int i = 0; i < iocs.size(); i++) {
            assertEquals("feed (" + (i + 1) + " of " + iocs.size() + ")", iocs.get(i).get("name").asText());
            JsonNode tree = JSON.readTree(web.get("/api/v1/iocs/" + iocs.get(i).get("id").asLong()).body()).get("tree");
            tree.get("items").forEach(item -> hashes.add(item.get("value").asText()));
        }
        assertEquals(2_500, hashes.size(), "every hash in one of them");
    }

    @Test
    void anAndTooLongForOneIoc_saysTheLimitInItems_withoutInternalNames() throws Exception {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 900; i++) {
            items.append(i == 0 ? "" : ",").append("{\"type\": \"command_line\", \"condition\": \"contains\", \"value\": \"")
                    .append(String.format("%0150d", i)).append("\"}");
        }
        HttpResponse<String> r = web.postJson("/api/v1/iocs", "{\"name\": \"and\", \"tree\": {\"operator\": \"AND\", \"items\": [" + items + "]}}");
        assertEquals(400, r.statusCode());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.startsWith("the IOC's 900 items make a search of "), error);
        assertTrue(error.contains("split it into several IOCs") && !error.contains("MAX_LENGTH"), error);
    }
}
