package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignInTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
    }

    @Test
    void firstStart_noUsers_writesAdminPasswordOwnerOnly() throws Exception {
        Path file = web.data().root().resolve("initial-admin-password");
        assertEquals(web.adminPassword(), Files.readString(file).strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void page_notSignedIn_redirectsToLogin() throws Exception {
        WebTestSupport fresh = web; // the shared client may be signed in by another test: use a path check only
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(fresh.server().url() + "/endpoints")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith("/login?next="));
    }

    /**
     * An htmx request (tree branch, Event History tab, lazy badge) whose session has ended: a redirect
     * would be followed by htmx itself, which would put the whole sign-in page inside the fragment.
     */
    @Test
    void fragment_htmxNotSignedIn_401WithHxRedirectToSignInAndBackToThePage() throws Exception {
        String page = "/endpoints/" + WebTestSupport.ENDPOINT + "/process/" + WebTestSupport.POWERSHELL + "?x=1&y=2";
        for (String fragment : java.util.List.of(
                "/endpoints/" + WebTestSupport.ENDPOINT + "/process/" + WebTestSupport.POWERSHELL + "/events",
                "/endpoints/" + WebTestSupport.ENDPOINT + "/process/" + WebTestSupport.POWERSHELL + "/children?parent=p&offset=20",
                "/reputation/" + "a".repeat(64) + "/badge",
                "/endpoints/rows")) {
            HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.server().url() + fragment))
                            .header("HX-Request", "true")
                            .header("HX-Current-URL", web.server().url() + page).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), fragment);
            assertEquals("/login?next=" + WebTestSupport.enc(page), r.headers().firstValue("HX-Redirect").orElse(null), fragment);
            assertFalse(r.body().contains("password"), "no sign-in form to insert in the page: " + r.body());
        }
    }

    @Test
    void fragment_htmxFromAnotherSite_signInComesBackToTheFragmentsPageOnly() throws Exception {
        String fragment = "/endpoints/" + WebTestSupport.ENDPOINT + "/process/" + WebTestSupport.POWERSHELL + "/events";
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.server().url() + fragment))
                        .header("HX-Request", "true")
                        .header("HX-Current-URL", "https://evil.example/phish").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertEquals("/login?next=" + WebTestSupport.enc(fragment), r.headers().firstValue("HX-Redirect").orElse(null));
    }

    @Test
    void api_notSignedIn_401Json() throws Exception {
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.server().url() + "/api/v1/endpoints")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("\"error\""), r.body());
    }

    @Test
    void signIn_rightPassword_setsHttpOnlySameSiteCookie() throws Exception {
        WebTestSupport other = web;
        HttpResponse<String> form = other.get("/login");
        String token = WebTestSupport.find(form.body(), "name=\"_csrf\" value=\"([^\"]+)\"");
        HttpResponse<String> r = other.postForm("/login",
                Map.of("_csrf", token, "username", "admin", "password", web.adminPassword()));
        assertEquals(303, r.statusCode());
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("th_session=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.toLowerCase().contains("samesite=strict"), cookie);
    }

    @Test
    void signIn_wrongPassword_401WithMessage() throws Exception {
        HttpResponse<String> form = web.get("/login");
        String token = WebTestSupport.find(form.body(), "name=\"_csrf\" value=\"([^\"]+)\"");
        HttpResponse<String> r = web.postForm("/login", Map.of("_csrf", token, "username", "admin", "password", "wrong-password"));
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("Wrong user name or password"));
    }

    @Test
    void signIn_withoutLoginToken_403() throws Exception {
        HttpResponse<String> r = web.postForm("/login", Map.of("username", "admin", "password", web.adminPassword()));
        assertEquals(403, r.statusCode());
    }

    @Test
    void logout_withoutCsrfToken_403_thenWithToken_signsOut() throws Exception {
        web.signIn();
        assertEquals(403, web.postForm("/logout", Map.of()).statusCode());
        assertEquals(200, web.get("/endpoints").statusCode());
        assertEquals(303, web.postForm("/logout", Map.of("_csrf", web.csrf())).statusCode());
        assertEquals(302, web.get("/endpoints").statusCode());
    }

    @Test
    void unknownPage_signedIn_404Page() throws Exception {
        web.signIn();
        HttpResponse<String> r = web.get("/no/such/page");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("Not found"), r.body());
        assertFalse(r.body().contains("Exception"));
    }
}
