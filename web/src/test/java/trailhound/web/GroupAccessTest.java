package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import trailhound.store.AuditTrail;

/** Analysts reach only their groups' endpoints; the rest does not exist for them; passwords given must be changed. */
class GroupAccessTest {
    private static final String PW = "a long test password";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> get(WebTestSupport web, String path, String token) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(web.server().url() + path)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anEndpointOutsideTheUsersGroupsIsNotFoundAnywhere() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            var access = web.server().access();
            Caller cli = Caller.commandLine();
            access.groups().create(cli, "elsewhere", "name:LAB-*", List.of());
            access.groups().create(cli, "test", null, List.of(WebTestSupport.ENDPOINT));
            access.accounts().create(cli, "out", Role.ANALYST, List.of("elsewhere"), PW, false);
            access.accounts().create(cli, "in", Role.READ_ONLY, List.of("test"), PW, false);
            String out = access.tokens().create(cli, "out", "t", 1).secret();
            String in = access.tokens().create(cli, "in", "t", 1).secret();
            String e = WebTestSupport.ENDPOINT;

            for (String path : List.of("/endpoints/" + e + "/events", "/endpoints/" + e + "/distribution",
                    "/endpoints/" + e + "/process/" + WebTestSupport.EXPLORER, "/api/v1/endpoints/" + e + "/search?q=",
                    "/api/v1/endpoints/" + e + "/count", "/api/v1/endpoints/" + e + "/snapshots", "/endpoints/" + e + "/export.zip")) {
                assertEquals(404, get(web, path, out).statusCode(), path);
            }
            assertFalse(get(web, "/api/v1/endpoints", out).body().contains(e));
            assertFalse(get(web, "/endpoints/rows?filter=" + e.substring(0, 4), out).body().contains(e)); // the type-ahead
            assertEquals(404, get(web, "/endpoints/" + e + "/events", out).statusCode());

            assertTrue(get(web, "/api/v1/endpoints", in).body().contains(e));
            assertEquals(200, get(web, "/endpoints/" + e + "/events?q=type:dns", in).statusCode());
            assertEquals(403, get(web, "/endpoints/" + e + "/export.zip", in).statusCode()); // read-only: no exports

            // a tag brings the endpoint into the dynamic group at once
            access.groups().tag(cli, e, List.of("lab"), List.of());
            access.groups().setRule(cli, "elsewhere", "tag:lab");
            assertEquals(200, get(web, "/endpoints/" + e + "/events", out).statusCode());
            assertEquals(200, get(web, "/endpoints/" + e + "/export.zip", out).statusCode());

            List<AuditTrail.Entry> trail = access.audit().list(new AuditTrail.Filter("out", null, null, null, null), 0, 50);
            assertTrue(trail.stream().anyMatch(x -> x.event().action().equals("export") && e.equals(x.event().endpoint())));
            // try-out finding: the 404s of an endpoint outside the user's groups, and the 403s' paths, were not in the trail
            assertTrue(trail.stream().anyMatch(x -> x.event().action().equals("access.denied") && e.equals(x.event().endpoint())
                    && "endpoint outside the caller's groups".equals(x.event().detail())), trail.toString());
            assertTrue(access.audit().list(new AuditTrail.Filter("in", "access.denied", null, null, null), 0, 5).stream()
                    .anyMatch(x -> ("GET /endpoints/" + e + "/export.zip: needs export").equals(x.event().detail())));
            assertTrue(access.audit().list(new AuditTrail.Filter("in", "search", e, null, null), 0, 5).stream()
                    .anyMatch(x -> "type:dns".equals(x.event().detail()) && "token:t".equals(x.event().via())));
            assertEquals(200, get(web, "/api/v1/endpoints/" + e + "/distribution?q=user:x", in).statusCode());
            assertTrue(access.audit().list(new AuditTrail.Filter("in", "distribution", e, null, null), 0, 5).stream()
                    .anyMatch(x -> "user:x".equals(x.event().detail())), "counts under a query are audited like a search");
            assertTrue(access.audit().verify().isEmpty());
        }
    }

    @Test
    void aGivenPasswordMustBeChangedBeforeAnythingElse() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir, o -> o.withInitialPasswordChange(true))) {
            web.signIn();
            assertEquals(302, web.get("/endpoints").statusCode());
            assertEquals("/account/password", web.get("/endpoints").headers().firstValue("Location").orElseThrow());
            HttpResponse<String> api = web.get("/api/v1/endpoints");
            assertEquals(403, api.statusCode());
            assertTrue(api.body().contains("password change required"), api.body());

            HttpResponse<String> weak = web.postForm("/account/password", Map.of("_csrf", web.csrf(),
                    "current_password", web.adminPassword(), "new_password", "password1234", "repeat_password", "password1234"));
            assertEquals(400, weak.statusCode());
            assertTrue(weak.body().contains("too common"), weak.body());
            HttpResponse<String> done = web.postForm("/account/password", Map.of("_csrf", web.csrf(),
                    "current_password", web.adminPassword(), "new_password", PW, "repeat_password", PW));
            assertEquals(200, done.statusCode());
            assertEquals(200, web.get("/endpoints").statusCode());
        }
    }

    @Test
    void signInFormAndNextAreStrict() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            // no cookie and an empty token: refused (it used to pass)
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(web.server().url() + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=&username=admin&password=" + WebTestSupport.enc(web.adminPassword())))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode());
            for (String next : List.of("/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example", "/%0a/x")) {
                HttpResponse<String> page = web.get("/login?next=" + next);
                assertFalse(page.body().contains("name=\"next\""), next + " kept as next");
            }
            assertTrue(web.get("/login?next=/endpoints/WS-TEST-01/events%3Fq%3Dtype:dns").body().contains("name=\"next\""));
        }
    }
}
