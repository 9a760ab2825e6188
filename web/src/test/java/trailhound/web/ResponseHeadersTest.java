package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.ENDPOINT;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Content-Security-Policy without inline script on every answer, charset=utf-8 on every text answer,
 * Cache-Control: no-store on everything but the static files; and no template holds an inline script
 * or event handler the policy would block.
 */
class ResponseHeadersTest {
    private static final List<String> PAGES = List.of("/endpoints", "/endpoints/rows", "/endpoints/" + ENDPOINT + "/events",
            "/endpoints/" + ENDPOINT + "/events?q=type:process", "/endpoints/" + ENDPOINT + "/distribution",
            "/endpoints/" + ENDPOINT + "/process/" + WebTestSupport.POWERSHELL, "/jobs", "/nope",
            "/endpoints/" + ENDPOINT + "/events?q=" + WebTestSupport.enc("(("));
    private static final List<String> API = List.of("/api/v1/endpoints", "/api/v1/endpoints/" + ENDPOINT + "/search",
            "/api/v1/endpoints/" + ENDPOINT + "/count", "/api/v1/nope", "/api/v1/endpoints/" + ENDPOINT + "/count?q=((");

    @TempDir
    Path dir;

    @Test
    void pagesAndApi_cspCharsetAndNoStore() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            assertHeaders(web.get("/login"), "text/html");
            for (String path : PAGES) {
                HttpResponse<String> r = assertHeaders(web.get(path), "text/html");
                assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(r.body()).find(), path + ": inline script");
                Matcher handler = Pattern.compile("<[^>]+\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(r.body());
                assertFalse(handler.find(), path + ": inline event handler " + (handler.find(0) ? handler.group() : ""));
                assertFalse(r.body().contains(" style=\""), path + ": inline style attribute");
            }
            for (String path : API) {
                assertHeaders(web.get(path), "application/json");
            }
            HttpResponse<byte[]> zip = web.getBytes("/endpoints/" + ENDPOINT + "/export.zip");
            assertEquals(200, zip.statusCode());
            assertEquals("no-store", zip.headers().firstValue("Cache-Control").orElse(""));

            for (String path : List.of("/css/app.css", "/js/search.js", "/webjars/htmx.org/2.0.4/dist/htmx.min.js")) {
                HttpResponse<String> r = web.get(path);
                assertEquals(200, r.statusCode(), path);
                assertFalse(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"), path + " is cacheable");
                assertTrue(r.headers().firstValue("Content-Type").orElse("").replace(" ", "").endsWith(";charset=utf-8"), path);
            }
        }
    }

    @Test
    void templates_noInlineScriptOrHandler() throws Exception {
        Path jte = Path.of(System.getProperty("trailhound.root", ".."), "web", "src", "main", "jte");
        if (!Files.isDirectory(jte)) jte = Path.of("src", "main", "jte");
        try (Stream<Path> files = Files.walk(jte)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jte")).toList()) {
                String text = Files.readString(file);
                assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(text).find(), file + ": inline <script>");
                assertFalse(Pattern.compile("\\son[a-z]+\\s*=\\s*[\"']", Pattern.CASE_INSENSITIVE).matcher(text).find(), file + ": on*= handler");
                assertFalse(text.contains("<style") || text.contains(" style=\""), file + ": inline style");
            }
        }
    }

    private static <T> HttpResponse<T> assertHeaders(HttpResponse<T> r, String type) {
        String where = r.uri().toString();
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self';") && csp.contains("style-src 'self';") && !csp.contains("unsafe-inline"), where + ": " + csp);
        assertEquals(type + ";charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(), where);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), where);
        return r;
    }
}
