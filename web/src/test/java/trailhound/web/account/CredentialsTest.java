package trailhound.web.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.web.WebTestSupport;

/** Passwords and tokens over HTTP: what a change ends, what a token may not do, what an attacker learns. */
class CredentialsTest {
    private static final String PW = "a long test password";
    private static final String NEW_PW = "violet tractor lantern";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> bearer(WebTestSupport web, String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(web.server().url() + path)).header("Authorization", "Bearer " + token);
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void changingThePasswordEndsTheOtherSessions_thisOneGoesOn() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            web.server().access().accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of(), PW, false);
            WebTestSupport laptop = web.anotherBrowser().signIn("ana", PW);
            WebTestSupport phone = web.anotherBrowser().signIn("ana", PW);
            assertEquals(200, phone.get("/account").statusCode());

            HttpResponse<String> changed = laptop.postForm("/account/password", Map.of("_csrf", laptop.csrf(),
                    "current_password", PW, "new_password", NEW_PW, "repeat_password", NEW_PW));
            assertEquals(200, changed.statusCode(), changed.body());
            assertTrue(changed.body().contains("You were signed out everywhere else."), changed.body());
            assertTrue(changed.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("th_session=")),
                    "this session goes on under a new id");
            assertEquals(200, laptop.get("/account").statusCode());
            HttpResponse<String> other = phone.get("/account");
            assertEquals(302, other.statusCode());
            assertTrue(other.headers().firstValue("Location").orElseThrow().startsWith("/login"));

            // an administrator's reset ends the remaining session too
            web.server().access().accounts().resetPassword(Caller.commandLine(), "ana", null);
            assertEquals(302, laptop.get("/account").statusCode());
        }
    }

    /** Try-out finding: sessions shared one cache of 10,000, so 10,400 sign-ins by one user signed everybody else out. */
    @Test
    void signingInOverAndOverEndsOnlyOnesOwnOldestSessions() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            web.server().access().accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of(), PW, false);
            web.server().access().accounts().create(Caller.commandLine(), "rob", Role.READ_ONLY, List.of(), PW, false);
            WebTestSupport admin = web.anotherBrowser().signIn();
            WebTestSupport first = web.anotherBrowser().signIn("rob", PW);
            WebTestSupport latest = null;
            for (int i = 0; i < 20; i++) latest = web.anotherBrowser().signIn("rob", PW);
            assertEquals(302, first.get("/account").statusCode(), "rob's oldest session made room for his 21st");
            assertEquals(200, latest.get("/account").statusCode());
            assertEquals(200, admin.get("/account").statusCode(), "nobody else's session ended");
        }
    }

    @Test
    void guessingTheCurrentPasswordInASessionIsThrottled() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            web.server().access().accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of(), PW, false);
            WebTestSupport ana = web.anotherBrowser().signIn("ana", PW);
            Map<String, String> guess = Map.of("_csrf", ana.csrf(), "current_password", "guess-guess-guess",
                    "new_password", NEW_PW, "repeat_password", NEW_PW);
            for (int i = 0; i < 5; i++) assertEquals(400, ana.postForm("/account/password", guess).statusCode());
            HttpResponse<String> held = ana.postForm("/account/password", guess);
            assertEquals(429, held.statusCode());
            assertEquals("1", held.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(held.body().contains("Too many wrong passwords; try again in 1 s."), held.body());
        }
    }

    @Test
    void aTokenCannotMintTokens_anotherUsersTokenIsNotFound() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            var access = web.server().access();
            access.accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of(), PW, false);
            access.accounts().create(Caller.commandLine(), "bob", Role.ANALYST, List.of(), PW, false);
            String ana = access.tokens().create(Caller.commandLine(), "ana", "script", 1).secret();
            String bobs = access.tokens().create(Caller.commandLine(), "bob", "script", 1).token().id();

            HttpResponse<String> minted = bearer(web, "POST", "/api/v1/tokens", ana, "{\"name\": \"forever\", \"days\": 366}");
            assertEquals(403, minted.statusCode(), minted.body());
            assertTrue(minted.body().contains("an API token cannot make or change credentials"), minted.body());
            assertEquals(1, access.tokens().list("ana").size());

            // try-out finding: an administrator's token made an administrator with a known password, then its tokens
            String admin = access.tokens().create(Caller.commandLine(), "admin", "ci job", 1).secret();
            HttpResponse<String> shadow = bearer(web, "POST", "/api/v1/users",
                    admin, "{\"name\": \"shadow\", \"role\": \"administrator\", \"password\": \"Shadow-Admin-Pass-31\"}");
            assertEquals(403, shadow.statusCode(), shadow.body());
            assertTrue(access.accounts().find("shadow").isEmpty());
            assertEquals(403, bearer(web, "POST", "/admin/users/bob/reset-password", admin, null).statusCode());
            assertEquals(403, bearer(web, "POST", "/account/password", ana, null).statusCode(), "no password guessing with a token");
            // second try-out: an admin token promoted an account, widened groups, disabled the real admins, purged
            for (String[] call : new String[][] {{"POST", "/admin/users/ana/role"}, {"POST", "/admin/users/ana/grant"},
                    {"POST", "/admin/users/bob/disable"}, {"POST", "/admin/groups/All%20endpoints/rule"}, {"POST", "/admin/groups"},
                    {"POST", "/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/tags"},
                    {"DELETE", "/api/v1/endpoints/" + WebTestSupport.ENDPOINT}}) {
                HttpResponse<String> r = bearer(web, call[0], call[1], admin, "{}");
                assertEquals(403, r.statusCode(), call[1] + ": " + r.body());
            }
            assertEquals(Role.ANALYST, access.accounts().find("ana").orElseThrow().role());
            assertEquals(1, web.server().access().scope(Caller.commandLine()).endpoints().size(), "nothing purged");
            assertEquals(202, bearer(web, "POST", "/api/v1/jobs/reindex", admin, "{\"all\": true}").statusCode(),
                    "re-index jobs stay open to scripts");

            HttpResponse<String> other = bearer(web, "DELETE", "/api/v1/tokens/" + bobs, ana, null);
            HttpResponse<String> none = bearer(web, "DELETE", "/api/v1/tokens/0123456789abcdef", ana, null);
            assertEquals(404, other.statusCode(), other.body());
            assertEquals(404, none.statusCode(), none.body());
            assertEquals(other.body().replace(bobs, "0123456789abcdef"), none.body(), "the same answer: nothing learnt");
        }
    }

    @Test
    void guessingTokensIsThrottledPerAddress_andAPendingPasswordChangeHoldsTokens() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            var access = web.server().access();
            access.accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of(), PW, false);
            String ana = access.tokens().create(Caller.commandLine(), "ana", "script", 1).secret();
            for (int i = 0; i < 50; i++) {
                assertEquals(401, bearer(web, "GET", "/api/v1/endpoints", "th_0123456789abcdef_" + "A".repeat(43), null).statusCode());
            }
            HttpResponse<String> held = bearer(web, "GET", "/api/v1/endpoints", ana, null);
            assertEquals(429, held.statusCode(), held.body());
            assertTrue(held.headers().firstValue("Retry-After").isPresent());
        }
        try (WebTestSupport web = WebTestSupport.start(dir.resolve("second"))) {
            var access = web.server().access();
            access.accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of(), PW, true);
            String ana = access.tokens().create(Caller.commandLine(), "ana", "script", 1).secret();
            HttpResponse<String> r = bearer(web, "GET", "/api/v1/endpoints", ana, null);
            assertEquals(403, r.statusCode());
            assertTrue(r.body().contains("password change required"), r.body());
            assertEquals(null, access.tokens().list("ana").get(0).lastUsed());
        }
    }
}
