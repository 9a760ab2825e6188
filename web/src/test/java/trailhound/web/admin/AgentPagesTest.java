package trailhound.web.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Agents;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.protocol.Message;
import trailhound.protocol.Protocol;
import trailhound.web.WebTestSupport;

/**
 * Administration > Agents over HTTP, with the real server: enrolment tokens made (secret shown once),
 * listed and revoked; agents listed and revoked, a revoked agent's open WebSocket closed with the
 * reason and its next authentication refused; API tokens and analysts refused; all audited.
 */
class AgentPagesTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT_ID = "a0123456789abcdef";
    private static final String SECRET = "s".repeat(43);

    @TempDir Path dir;

    @Test
    void enrolmentTokens_createdShownOnceListedRevoked_notByApiTokens() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            WebTestSupport admin = web.signIn();
            assertTrue(admin.get("/admin/agents").body().contains("No enrolment tokens yet."));

            HttpResponse<String> made = admin.postForm("/admin/agents/tokens", Map.of("_csrf", admin.csrf(), "group", "",
                    "hours", "2", "uses", "3"));
            assertEquals(200, made.statusCode(), made.body());
            String secret = WebTestSupport.find(made.body(), "id=\"enrolment-secret\">(te_[^<]+)<");
            String id = secret.substring(3, 19);
            assertFalse(admin.get("/admin/agents").body().contains(secret), "the secret is shown once");

            JsonNode listed = JSON.readTree(admin.get("/api/v1/enrolment-tokens").body()).path("tokens").get(0);
            assertEquals(id, listed.path("id").asText());
            assertEquals("active", listed.path("state").asText());
            assertEquals(0, listed.path("uses").asInt());
            assertEquals(3, listed.path("max_uses").asInt());
            assertEquals("admin", listed.path("created_by").asText());
            assertFalse(listed.toString().contains(secret.substring(20)), "never the secret");

            HttpResponse<String> api = admin.postJson("/api/v1/enrolment-tokens", "{\"uses\": 2, \"hours\": 1}");
            assertEquals(201, api.statusCode(), api.body());
            assertTrue(JSON.readTree(api.body()).path("secret").asText().startsWith("te_"));
            assertEquals(400, admin.postJson("/api/v1/enrolment-tokens", "{\"group\": \"no such group\"}").statusCode());

            String apiToken = web.server().access().tokens().create(Caller.commandLine(), "admin", "script", 1).secret();
            assertEquals(403, bearer(web, "POST", "/api/v1/enrolment-tokens", apiToken, "{}").statusCode(), "tokens may not make them");
            assertEquals(403, bearer(web, "DELETE", "/api/v1/enrolment-tokens/" + id, apiToken, null).statusCode());
            assertEquals(200, bearer(web, "GET", "/api/v1/enrolment-tokens", apiToken, null).statusCode(), "but may list them");

            HttpResponse<String> revoked = admin.postForm("/admin/agents/tokens/" + id + "/revoke", Map.of("_csrf", admin.csrf()));
            assertEquals(303, revoked.statusCode(), revoked.body());
            assertTrue(JSON.readTree(admin.get("/api/v1/enrolment-tokens").body()).toString()
                    .contains("\"id\":\"" + id + "\",\"group\":null,\"uses\":0,\"max_uses\":3,\"state\":\"revoked\""));
            Agents.Admission refused = web.server().access().agents().enrol(secret, "ep-1", "h", "linux", AGENT_ID, SECRET, "127.0.0.9");
            assertInstanceOf(Agents.Admission.Refused.class, refused);
            assertTrue(((Agents.Admission.Refused) refused).reason().contains("is revoked"), refused.toString());

            String audit = admin.get("/api/v1/audit").body();
            assertTrue(audit.contains("enrolment-token.create") && audit.contains("enrolment-token.revoke"), audit);

            web.server().access().accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of(), "a long test password", false);
            assertEquals(403, web.anotherBrowser().signIn("ana", "a long test password").get("/admin/agents").statusCode());
        }
    }

    @Test
    void revokingAnAgent_closesItsSocketWithTheReason_andRefusesItFromThenOn() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            Agents agents = web.server().access().agents();
            String token = agents.create(Caller.commandLine(), null, java.time.Duration.ofHours(1), 1).secret();
            assertInstanceOf(Agents.Admission.Admitted.class, agents.enrol(token, "ep-live", "host-1", "linux", AGENT_ID, SECRET, "127.0.0.1"));

            LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = CLIENT.newWebSocketBuilder().buildAsync(URI.create(web.server().url().replace("http", "ws") + "/api/v1/agent"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket s, CharSequence data, boolean last) {
                            frames.add(data.toString());
                            s.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket s, int status, String reason) {
                            closed.complete(status);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText(Protocol.encode(new Message.Hello(Protocol.CURRENT, "test")), true).get();
            assertInstanceOf(Message.Welcome.class, Protocol.decode(frames.poll(10, TimeUnit.SECONDS)));
            ws.sendText(Protocol.encode(new Message.Authenticate(AGENT_ID, SECRET)), true).get();
            assertInstanceOf(Message.Authenticated.class, Protocol.decode(frames.poll(10, TimeUnit.SECONDS)));

            WebTestSupport admin = web.signIn();
            String page = admin.get("/admin/agents").body();
            assertTrue(page.contains(AGENT_ID) && page.contains("ep-live") && page.contains("enrolled"), page);
            assertEquals(AGENT_ID, JSON.readTree(admin.get("/api/v1/agents").body()).path("agents").get(0).path("id").asText());

            String apiToken = web.server().access().tokens().create(Caller.commandLine(), "admin", "script", 1).secret();
            assertEquals(403, bearer(web, "POST", "/api/v1/agents/" + AGENT_ID + "/revoke", apiToken, "{}").statusCode());
            HttpResponse<String> revoked = admin.postJson("/api/v1/agents/" + AGENT_ID + "/revoke", "{}");
            assertEquals(204, revoked.statusCode(), revoked.body());

            Message error = Protocol.decode(frames.poll(10, TimeUnit.SECONDS));
            Message.Error e = assertInstanceOf(Message.Error.class, error);
            assertEquals("unknown_agent", e.code());
            assertTrue(e.message().contains("was revoked by admin"), e.message());
            assertEquals(1008, closed.get(10, TimeUnit.SECONDS), "its socket closes");

            Agents.Admission again = agents.authenticate(AGENT_ID, SECRET, "127.0.0.1");
            Agents.Admission.Refused r = assertInstanceOf(Agents.Admission.Refused.class, again);
            assertTrue(r.reason().contains("was revoked by admin") && r.reason().contains("delete the agent's state folder"), r.reason());
            JsonNode listed = JSON.readTree(admin.get("/api/v1/agents").body()).path("agents").get(0);
            assertEquals("admin", listed.path("revoked_by").asText());
            assertEquals(400, admin.postJson("/api/v1/agents/" + AGENT_ID + "/revoke", "{}").statusCode(), "revoked already");
            String audit = admin.get("/api/v1/audit").body();
            assertTrue(audit.contains("agent.revoke"), audit);
        }
    }

    private static HttpResponse<String> bearer(WebTestSupport web, String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(web.server().url() + path)).header("Authorization", "Bearer " + token);
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
