package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad client input is the client's error (400, or 404 for what does not exist) with a message, never
 * a 500 with a reference: odd endpoint names in the path, queries beyond the query language's limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    private static final String E = WebTestSupport.ENDPOINT;
    WebTestSupport web;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        web = WebTestSupport.start(dir).signIn();
    }

    @AfterAll
    void stop() throws Exception {
        web.close();
    }

    private void assertClientError(int status, String path, String... says) throws Exception {
        HttpResponse<String> r = web.get(path);
        assertEquals(status, r.statusCode(), path + " -> " + r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("reference"), r.body());
        for (String s : says) {
            assertTrue(r.body().contains(s), path + " should say '" + s + "': " + r.body());
        }
    }

    @Test
    void oddEndpointNamesInPath_404NotServerError() throws Exception {
        for (String name : List.of("a:b", "%2e%2e", "%2E", "a%3Ab", "x%2Fy", "%25", "a%00b")) {
            int status = name.contains("%00") ? 400 : 404;
            for (String path : List.of("/endpoints/" + name + "/events", "/endpoints/" + name + "/distribution",
                    "/endpoints/" + name + "/process/p1", "/api/v1/endpoints/" + name + "/search",
                    "/api/v1/endpoints/" + name + "/count", "/api/v1/endpoints/" + name + "/distribution",
                    "/api/v1/endpoints/" + name + "/snapshots")) {
                assertClientError(status, path);
            }
        }
    }

    @Test
    void queriesBeyondTheLimits_400NamingTheLimit() throws Exception {
        String deep = "(".repeat(200);
        String nots = "NOT(".repeat(200) + "user:x" + ")".repeat(200);
        String regex = "command_line:/(a|b)*a(a|b){20}/";
        String glob = "command_line:*a?*b?*c?*d?*e?*f?*g?*h?*i?*j?*k?*l?*m?*n?*o?*p?*q?*r?*s?*t?*u?*v?*w?*x?*y?*z?*";
        String huge = "command_line:/a{1,1000}{1,1000}/";
        for (String q : List.of(deep, nots, regex, glob, huge)) {
            String says = q == deep || q == nots ? "QueryLanguage.MAX_NESTING" : "too complex";
            for (String path : List.of("/endpoints/" + E + "/events", "/endpoints/" + E + "/distribution",
                    "/api/v1/endpoints/" + E + "/search", "/api/v1/endpoints/" + E + "/count",
                    "/api/v1/endpoints/" + E + "/distribution", "/endpoints/" + E + "/export.zip")) {
                assertClientError(400, path + "?q=" + WebTestSupport.enc(q), says);
            }
        }
    }

    /** Try-out finding: the query language takes 100,000 characters, but Jetty refused a GET over 8 KB with 414. */
    @Test
    void aQueryUpToTheLimitFitsInAGet_oneBeyondIsNamed() throws Exception {
        String value = "x".repeat(99_000);
        String q = "command_line:\"" + value + "\" OR user:\"" + "é".repeat(900) + "\"";
        HttpResponse<String> r = web.get("/api/v1/endpoints/" + E + "/count?q=" + WebTestSupport.enc(q));
        assertEquals(200, r.statusCode(), r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
        assertEquals(200, web.get("/endpoints/" + E + "/events?q=" + WebTestSupport.enc(q)).statusCode());
        HttpResponse<String> beyond = web.get("/api/v1/endpoints/" + E + "/count?q=" + WebTestSupport.enc(q + "x".repeat(1_000)));
        assertEquals(400, beyond.statusCode());
        assertTrue(beyond.body().contains("the limit is 100000 (QueryLanguage.MAX_LENGTH)"), beyond.body());
    }

    /** Second try-out: 500 two-letter words OR-ed were a 500 (Lucene's TooManyClauses, once free text expanded them). */
    @Test
    void manyOrShortFreeTextWords_neverAServerError() throws Exception {
        java.util.List<String> words = new java.util.ArrayList<>();
        for (char a = 'a'; a <= 'z'; a++) for (char b = 'a'; b <= 'z'; b++) words.add("" + a + b);
        for (int n : new int[] {61, 300, 500, 676}) {
            HttpResponse<String> r = web.get("/api/v1/endpoints/" + E + "/count?q=" + WebTestSupport.enc(String.join(" OR ", words.subList(0, n))));
            assertTrue(r.statusCode() == 200 || r.statusCode() == 400 && r.body().contains("use fewer or longer words")
                    || r.statusCode() == 400 && r.body().contains("Lucene's limit")
                    || r.statusCode() == 400 && r.body().contains("MAX_REGEX_TERMS"), n + " words: " + r.statusCode() + " " + r.body());
        }
    }

    @Test
    void outOfRangeNumbers_400NamingTheRange() throws Exception {
        assertClientError(400, "/api/v1/endpoints/" + E + "/search?limit=1000000000000", "limit must be a whole number from 1 to 10000");
        assertClientError(400, "/api/v1/endpoints/" + E + "/search?limit=0", "limit must be a whole number from 1 to 10000");
        assertClientError(400, "/api/v1/audit?before=-5", "'before' is an entry number (1 or more)");
    }

    @Test
    void reputationOfNotAHash_400() throws Exception {
        for (String hash : List.of("zzzz", "g".repeat(64), "..%2F..", "abc%22%3E")) {
            assertClientError(400, "/reputation/" + hash, "is not a hash");
            assertClientError(400, "/api/v1/reputation/" + hash, "is not a hash");
        }
    }
}
