package trailhound.web.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;

/** The Reputation Report Details page, its JSON twin and the badge fragment, on the real server. */
class ReputationPagesTest {
    private static final String SHA = "de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c";
    private static final String MD5 = "0cc175b9c0f1b6a831c399e269772661";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        Files.writeString(web.data().root().resolve(ReputationService.INTEL_FILE), """
                hash,verdict,source,date
                %s,non-malicious,NSRL,2026-09-01
                %s,malicious,abuse.ch,2026-10-01
                %s,suspicious,IR team,
                """.formatted(SHA, SHA, MD5));
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    @Test
    void reportPage_everySourceColourCoded_overallTheStrongest() throws Exception {
        HttpResponse<String> r = web.get("/reputation/" + SHA.toUpperCase());

        assertEquals(200, r.statusCode());
        String html = r.body();
        assertTrue(html.contains("<h1>Reputation Report Details</h1>"));
        assertTrue(html.contains("class=\"verdict-badge verdict-malicious\" id=\"reputation-badge\""), html);
        assertTrue(html.contains("<td>intel file: NSRL</td>\n          <td><span class=\"verdict-badge verdict-non-malicious\">Non-Malicious</span></td>"), html);
        assertTrue(html.contains("<td>intel file: abuse.ch</td>\n          <td><span class=\"verdict-badge verdict-malicious\">Malicious</span></td>"));
        assertTrue(html.contains("<td>2026-10-01</td>"));
    }

    @Test
    void reportPage_sourceWithoutDate_questionMarkSaysWhy() throws Exception {
        String html = web.get("/reputation/" + MD5).body();

        assertTrue(html.contains("verdict-suspicious"));
        assertTrue(html.contains("<span class=\"missing\" title=\"the source gave no date\">?</span>"), html);
    }

    @Test
    void reportPage_hashNobodyKnows_unknownAndSaysSo() throws Exception {
        String html = web.get("/reputation/" + "f".repeat(40)).body();

        assertTrue(html.contains("verdict-unknown"));
        assertTrue(html.contains("id=\"no-sources\""));
    }

    @Test
    void api_report_verdictsAsJson() throws Exception {
        HttpResponse<String> r = web.get("/api/v1/reputation/" + SHA);

        assertEquals(200, r.statusCode());
        JsonNode j = JSON.readTree(r.body());
        assertEquals(SHA, j.get("hash").asText());
        assertEquals("malicious", j.get("verdict").asText());
        assertEquals(2, j.get("sources").size());
        assertEquals("intel file: NSRL", j.get("sources").get(0).get("source").asText());
        assertEquals("non_malicious", j.get("sources").get(0).get("verdict").asText());
    }

    @Test
    void api_notAHash_400JsonError() throws Exception {
        HttpResponse<String> r = web.get("/api/v1/reputation/xyz");

        assertEquals(400, r.statusCode());
        assertEquals("'xyz' is not a hash: expected 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hex digits",
                JSON.readTree(r.body()).get("error").asText());
    }

    @Test
    void badge_settledVerdict_noPolling() throws Exception {
        String html = web.get("/reputation/" + SHA + "/badge").body();

        assertTrue(html.contains("verdict-malicious"));
        assertFalse(html.contains("hx-trigger"), html);
    }
}
