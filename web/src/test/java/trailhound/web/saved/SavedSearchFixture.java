package trailhound.web.saved;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.web.WebTestSupport;

/**
 * Users around {@link WebTestSupport#ENDPOINT}: {@code ana} (analyst) and {@code rita} (read-only) in group
 * {@code test}, which holds it; {@code hal} (analyst) in group {@code other}, which holds only
 * {@code WS-OTHER-01} (catalogued, no events): for hal the test endpoint does not exist.
 */
final class SavedSearchFixture {
    static final String PW = "a long test password";
    static final String OTHER = "WS-OTHER-01";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private SavedSearchFixture() {}

    static void addUsers(WebTestSupport web) {
        Access access = web.server().access();
        Caller cli = Caller.commandLine();
        web.data().catalogue().upsertEndpoint(OTHER, "windows", "ws-other-01", "10.9.9.9");
        access.groups().create(cli, "test", null, List.of(WebTestSupport.ENDPOINT));
        access.groups().create(cli, "other", null, List.of(OTHER));
        access.accounts().create(cli, "ana", Role.ANALYST, List.of("test"), PW, false);
        access.accounts().create(cli, "rita", Role.READ_ONLY, List.of("test"), PW, false);
        access.accounts().create(cli, "hal", Role.ANALYST, List.of("other"), PW, false);
    }

    static String token(WebTestSupport web, String user) {
        return web.server().access().tokens().create(Caller.commandLine(), user, "saved searches test", 1).secret();
    }

    /** A request with an API token (no cookie, no CSRF token), redirects not followed. */
    static HttpResponse<String> send(WebTestSupport web, String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(web.server().url() + path)).header("Authorization", "Bearer " + token);
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
