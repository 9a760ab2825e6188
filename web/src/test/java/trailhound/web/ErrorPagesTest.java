package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.access.Role;

/**
 * Error pages speak to the analyst in the browser: what happened and what to do there (links back, to
 * the endpoint list, to sign in again), never an HTTP route ("GET /endpoints/{endpoint}"), an API
 * path or command-line advice ("bin/trailhound ..."). The JSON API keeps its precise, machine-oriented
 * messages. Walks the common error paths on the real server.
 */
class ErrorPagesTest {
    private static final String PW = "a long test password";
    private static final String EP = WebTestSupport.ENDPOINT;
    /** What a page must not say: a method and route, a route template, an API path, a command or its options. */
    private static final Pattern MACHINE_TALK = Pattern.compile(
            "\\b(GET|POST|PUT|DELETE|HEAD|PATCH) /|\\{[a-z]+}|/api/|bin/trailhound|trailhound [a-z]+ --|(^|\\s)--[a-z]|Authorization|Bearer");

    @TempDir
    static Path dir;

    static WebTestSupport admin;
    static WebTestSupport readOnly;

    @BeforeAll
    static void start() throws Exception {
        admin = WebTestSupport.start(dir).signIn();
        Caller cli = Caller.commandLine();
        admin.server().access().groups().create(cli, "test", null, List.of(EP));
        admin.server().access().accounts().create(cli, "rita", Role.READ_ONLY, List.of("test"), PW, false);
        readOnly = admin.anotherBrowser().signIn("rita", PW);
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) admin.close();
    }

    /** The error page's message and its actions (the links under it). */
    record Shown(int status, String message, List<String> actions, String html) {}

    private static Shown page(HttpResponse<String> r) {
        String html = r.body();
        Matcher section = Pattern.compile("<section class=\"error-page\">(.*?)</section>", Pattern.DOTALL).matcher(html);
        assertTrue(section.find(), r.uri() + " " + r.statusCode() + ": not an error page: " + html);
        String body = section.group(1);
        Matcher message = Pattern.compile("<p class=\"error-message\">(.*?)</p>", Pattern.DOTALL).matcher(body);
        assertTrue(message.find(), body);
        List<String> actions = new ArrayList<>();
        Matcher a = Pattern.compile("<a [^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", Pattern.DOTALL).matcher(body);
        while (a.find()) actions.add(a.group(2).strip() + " -> " + a.group(1));
        return new Shown(r.statusCode(), message.group(1).strip().replaceAll("\\s+", " "), actions, body);
    }

    /** The wording rule, and at least one thing to do in the browser. */
    private static Shown check(String what, HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), what + ": " + r.body());
        Shown shown = page(r);
        String text = shown.html().replaceAll("<[^>]+>", " ").replaceAll("&#\\d+;|&[a-z]+;", " ");
        assertFalse(MACHINE_TALK.matcher(text).find(), what + " speaks HTTP or CLI to the analyst: " + text.strip().replaceAll("\\s+", " "));
        assertFalse(shown.actions().isEmpty(), what + ": nothing to do offered");
        return shown;
    }

    /** A request outside any session, with this bearer token (null: none). */
    private static HttpResponse<String> send(WebTestSupport who, String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(who.server().url() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void commonErrors_pagesSayWhatHappenedAndWhatToDoInTheBrowser() throws Exception {
        check("unknown page", admin.get("/no/such/page"), 404);
        Shown unknown = check("unknown endpoint", admin.get("/endpoints/NOPE/events"), 404);
        assertTrue(unknown.actions().contains("The endpoint list -> /endpoints"), unknown.actions().toString());
        Shown process = check("unknown process", admin.get("/endpoints/" + EP + "/process/no-such-key"), 404);
        assertTrue(process.actions().contains(EP + "'s events -> /endpoints/" + EP + "/events"), process.actions().toString());
        check("unknown snapshot", admin.get("/endpoints/" + EP + "/events?snapshot=s999"), 404);
        check("not a hash", admin.get("/reputation/xyz"), 400);
        check("bad hunt page cursor", admin.get("/hunt?q=type:process&after=garbage"), 400);
        check("bad tree offset", admin.get("/endpoints/" + EP + "/process/p-powershell/children?offset=-1"), 400);
        check("unknown job", admin.get("/jobs/999999"), 404);
        // try-out: these pages told analysts to "GET /api/v1/..." to find what exists
        Shown evidence = check("unknown evidence item", admin.get("/evidence/items/999999"), 404);
        assertTrue(evidence.message().contains("the Saved evidence page lists them"), evidence.message());
        check("unknown evidence download", admin.get("/evidence/999999/download"), 404);
        Shown ioc = check("unknown IOC", admin.get("/intel/999999"), 404);
        assertTrue(ioc.message().contains("the Intel page lists them"), ioc.message());
        Shown export = check("unknown export", admin.get("/exports/999999/download"), 404);
        assertTrue(export.message().contains("the Exports page lists them"), export.message());
        check("a form sent to a page that takes none", admin.postForm("/hunt", java.util.Map.of("_csrf", admin.csrf())), 404);
        check("missing CSRF token", admin.postForm("/logout", java.util.Map.of()), 403);
        Shown role = check("role refused", readOnly.get("/admin/users"), 403);
        assertTrue(role.message().contains("administrator"), role.message());
        check("read-only export", readOnly.get("/endpoints/" + EP + "/export.zip"), 403);
        Shown signedOut = check("a revoked token on a page", send(admin, "GET", "/endpoints", "th_revoked"), 401);
        assertTrue(signedOut.actions().stream().anyMatch(a -> a.startsWith("Sign in") && a.contains("/login")), signedOut.actions().toString());
    }

    @Test
    void indexOfAnOlderTrailhound_pageSendsToTheJobsPage_apiNamesTheRoute() throws Exception {
        // an index folder as an older Trailhound left it: format 3 (the CLI's SourcesCommandsTest does the same)
        Path index = admin.data().root().resolve("endpoints").resolve("OLD-01").resolve("index");
        java.nio.file.Files.createDirectories(index.resolve("1"));
        java.nio.file.Files.writeString(index.resolve("1").resolve("FORMAT"), "3\n");
        java.nio.file.Files.writeString(index.resolve("CURRENT"), "1\n");

        Shown page = check("index needs a re-index", admin.get("/endpoints/OLD-01/events"), 409);
        assertTrue(page.message().contains("Re-index on the Jobs page"), page.message());
        HttpResponse<String> api = admin.get("/api/v1/endpoints/OLD-01/search?q=");
        assertEquals(409, api.statusCode(), api.body());
        assertTrue(api.body().contains("POST /api/v1/jobs/reindex"), api.body());
    }

    @Test
    void api_keepsPreciseMachineMessages() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpResponse<String> unknown = admin.get("/api/v1/endpoints/NOPE/search?q=");
        assertEquals(404, unknown.statusCode());
        assertEquals("unknown endpoint 'NOPE': GET /api/v1/endpoints lists the endpoints you may see",
                json.readTree(unknown.body()).get("error").asText());
        for (String route : java.util.List.of("/api/v1/nope", "/api/v1/endpoints/" + EP + "/nope")) {
            HttpResponse<String> noRoute = admin.get(route);
            assertEquals(404, noRoute.statusCode());
            assertEquals("no such API route: GET " + route + "; see README's JSON API section for the routes",
                    json.readTree(noRoute.body()).get("error").asText(), "ours, not Javalin's 'Endpoint GET ... not found'");
        }
        HttpResponse<String> signedOut = send(admin, "GET", "/api/v1/endpoints", null);
        assertEquals(401, signedOut.statusCode());
        assertTrue(json.readTree(signedOut.body()).get("error").asText().contains("POST /login"), signedOut.body());
    }
}
