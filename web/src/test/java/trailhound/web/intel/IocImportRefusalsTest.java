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
        assertTrue(malformed.startsWith("not an OpenIOC document: the XML is not well-formed at line 1: "), malformed);
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
        assertEquals(IntelPages.TOO_LARGE, body.get("error").asText(), "one limit, said as the page says it");
        assertEquals("the document is larger than 4 MB, the most Import takes: split it into several documents and import each",
                IntelPages.TOO_LARGE);
        r = web.postJson("/api/v1/iocs/import", "x".repeat(IntelPages.MAX_DOCUMENT + 1)); // within the server's body limit
        assertEquals(IntelPages.TOO_LARGE, JSON.readTree(r.body()).get("error").asText());

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

    @Test
    void secondTryOut_importErrorsSayWhatIsWrongInTheFilesTerms_withTheLine() throws Exception {
        String nested = "{\"type\": \"bundle\", \"objects\":\n" + "[".repeat(1_100) + "]".repeat(1_100) + "}";
        String deep = importError(nested, 422);
        assertTrue(deep.startsWith("the file nests deeper than 1,000 levels at line 2"), deep);
        assertFalse(deep.contains("StreamReadConstraints") || deep.contains("getMaxNestingDepth"), deep);

        String badJson = importError("{\"type\": \"bundle\",\n  \"objects\": [}", 422);
        assertTrue(badJson.startsWith("not a STIX document: the JSON is not well-formed at line 2, column "), badJson);

        // an <?xml ...?> after a blank line: Xerces' "processing instruction target matching [xX][mM][lL]"
        HttpResponse<String> pasted = web.postJson("/api/v1/iocs/import", "\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + OPENIOC.formatted("<Indicator id=\"g\" operator=\"OR\">" + ITEM + "</Indicator>"));
        assertEquals(201, pasted.statusCode(), "the blank lines before the declaration are no error: " + pasted.body());
        String late = importError("<OpenIOC/>\n<?xml version=\"1.0\"?>", 422);
        assertTrue(late.startsWith("not an OpenIOC document: the XML is not well-formed at line 2: the XML declaration"), late);
        assertFalse(late.contains("[xX][mM][lL]"), late);

        assertEquals("no indicators found in it: an OpenIOC document lists them as <Indicator> elements under <criteria>",
                importError(OPENIOC.formatted(""), 422));
        assertEquals("no indicators found in it: the bundle's 1 objects hold none of type indicator",
                importError("{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [{\"type\": \"identity\"}]}", 422));
    }

    @Test
    void anOpenIocInUtf16_isReadAsXml_withOrWithoutItsByteOrderMark() throws Exception {
        String doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + OPENIOC.formatted("<Indicator id=\"g\" operator=\"OR\">" + ITEM
                + "</Indicator>");
        for (java.nio.charset.Charset cs : java.util.List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            HttpResponse<String> r = web.postBytes("/api/v1/iocs/import", "application/xml", doc.getBytes(cs));
            assertEquals(201, r.statusCode(), cs + ": " + r.body());
            JsonNode tree = JSON.readTree(r.body()).get("tree");
            assertEquals("svcmon.exe", tree.toString().contains("\"svcmon.exe\"") ? "svcmon.exe" : tree.toString(), cs.name());
        }
    }

    @Test
    void aValueTooLongForAnySearch_saysSo_notAbout0Items() throws Exception {
        String value = "a".repeat(trailhound.query.QueryLanguage.MAX_LENGTH + 10);
        HttpResponse<String> r = web.postJson("/api/v1/iocs", "{\"name\": \"long\", \"tree\": {\"operator\": \"OR\", \"items\": [{\"type\":"
                + " \"command_line\", \"condition\": \"contains\", \"value\": \"" + value + "\"}]}}");
        assertEquals(400, r.statusCode(), r.body());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.startsWith("the IOC's item makes a search of ") && error.contains("no item fits in one alone"), error);
        assertFalse(error.contains("about 0"), error);
    }

    @Test
    void importFromThePage_redirectsToItsResult_soAReloadImportsNothingAgain() throws Exception {
        String other = "<IndicatorItem id=\"m\" condition=\"is\"><Context document=\"Email\" search=\"Email/From\"/>"
                + "<Content type=\"string\">a@example.com</Content></IndicatorItem>";
        String doc = OPENIOC.formatted("<Indicator id=\"g\" operator=\"OR\">" + ITEM + other + "</Indicator>");
        int before = JSON.readTree(web.get("/api/v1/iocs").body()).get("iocs").size();
        HttpResponse<String> posted = web.postForm("/intel/import", java.util.Map.of("_csrf", web.csrf(), "document", doc, "name", "prg"));
        assertEquals(303, posted.statusCode(), posted.body());
        String location = posted.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("/intel/\\d+\\?imported=[0-9a-f-]+"), location);
        for (int reload = 0; reload < 2; reload++) {
            HttpResponse<String> page = web.get(location);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("id=\"not-imported\"") && page.body().contains("Email/From"), "the result says what was left out");
        }
        assertEquals(before + 1, JSON.readTree(web.get("/api/v1/iocs").body()).get("iocs").size(), "one import, however often it is shown");
        String plain = web.get(location.replaceFirst("\\?.*", "")).body();
        assertFalse(plain.contains("id=\"not-imported\""), "the IOC's own page, later, is just the IOC");

        HttpResponse<String> big = web.postForm("/intel/import", java.util.Map.of("_csrf", web.csrf(), "document", "x".repeat(IntelPages.MAX_DOCUMENT + 1)));
        assertEquals(422, big.statusCode());
        assertTrue(big.body().contains("larger than 4 MB, the most Import takes"), "the page says the API's limit");
    }
}
