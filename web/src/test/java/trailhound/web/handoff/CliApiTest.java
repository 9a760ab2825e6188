package trailhound.web.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.samples.SampleGenerator;
import trailhound.web.WebTestSupport;

/** The hand-off API's gate and file: only the token from the owner-only server.json opens it, and it opens nothing else. */
class CliApiTest {
    @TempDir
    Path dir;

    WebTestSupport web;
    ServerFile file;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        web = WebTestSupport.start(dir);
        file = ServerFile.read(web.data().root()).orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void start_writesServerFileOwnerOnly_withLoopbackUrlAndThisPid() throws Exception {
        Path path = web.data().root().resolve(ServerFile.NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(web.server().url(), file.url());
        assertEquals(ProcessHandle.current().pid(), file.pid());
        assertEquals(HandOff.PROTOCOL, file.protocol());
        assertEquals(43, file.token().length(), "256 bits, base64url");
        assertFalse(file.toString().contains(file.token()), "toString never shows the token");
    }

    @Test
    void close_deletesServerFile() throws Exception {
        web.server().close();
        assertFalse(Files.exists(web.data().root().resolve(ServerFile.NAME)));
    }

    @Test
    void ping_rightToken_answersProtocolAndPid() throws Exception {
        HttpResponse<String> r = send(HandOff.PING, "Bearer " + file.token(), null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode ping = json.readTree(r.body());
        assertEquals(HandOff.PROTOCOL, ping.get("protocol").asInt());
        assertEquals(ProcessHandle.current().pid(), ping.get("pid").asLong());
    }

    @Test
    void handOff_missingOrWrongToken_401() throws Exception {
        for (String auth : new String[] {null, "Bearer ", "Bearer " + file.token() + "x", "Bearer " + file.token().substring(1),
                "Basic " + file.token(), file.token()}) {
            assertEquals(401, send(HandOff.PING, auth, null).statusCode(), String.valueOf(auth));
            assertEquals(401, send(HandOff.ENDPOINTS, auth, null).statusCode(), String.valueOf(auth));
        }
        Path snapshot = sample();
        String body = "{\"path\":\"" + snapshot + "\",\"endpoint\":\"INTRUDER\",\"user\":\"mallory\"}";
        HttpResponse<String> ingest = send(HandOff.INGEST, "Bearer wrong", body);
        assertEquals(401, ingest.statusCode());
        assertTrue(ingest.body().contains("hand-off token"), ingest.body());
        assertEquals(401, send(HandOff.REINDEX, null, "{\"endpoint\":\"" + WebTestSupport.ENDPOINT + "\"}").statusCode());
        assertTrue(web.data().catalogue().endpoint("INTRUDER").isEmpty(), "nothing was ingested");
        assertEquals(1, web.data().store().sources().list(null).size());
    }

    @Test
    void token_opensOnlyTheHandOffApi_notTheAnalystApi() throws Exception {
        HttpResponse<String> r = send("/api/v1/endpoints", "Bearer " + file.token(), null);
        assertEquals(401, r.statusCode(), "the hand-off token is no session");
    }

    @Test
    void ingest_relativePathOrBadJson_400WithReason() throws Exception {
        HttpResponse<String> relative = send(HandOff.INGEST, "Bearer " + file.token(), "{\"path\":\"some/file.db\",\"user\":\"bob\"}");
        assertEquals(400, relative.statusCode());
        assertTrue(relative.body().contains("must be absolute"), relative.body());
        HttpResponse<String> garbage = send(HandOff.INGEST, "Bearer " + file.token(), "{not json");
        assertEquals(400, garbage.statusCode());
        assertTrue(garbage.body().contains("expected a JSON IngestRequest"), garbage.body());
    }

    @Test
    void ingest_rightToken_answersTheReportAsLastLine_recordedAsCliUser() throws Exception {
        Path snapshot = sample();
        String body = "{\"path\":\"" + snapshot + "\",\"endpoint\":\"WS-COPY\",\"user\":\"bob\"}";
        HttpResponse<String> r = send(HandOff.INGEST, "Bearer " + file.token(), body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(HandOff.LINES, r.headers().firstValue("Content-Type").orElseThrow());
        List<String> lines = r.body().lines().toList();
        HandOff.Line last = json.readValue(lines.getLast(), HandOff.Line.class);
        assertTrue(last.isOutcome() && last.ingested() != null, lines.toString());
        assertEquals(600, last.ingested().added());
        try (var lease = web.data().indexes().acquire("WS-COPY")) {
            assertEquals(600, lease.index().count(null), "committed: searchable at once");
        }
        assertEquals(snapshot, last.ingested().file());
        assertEquals("cli:bob", web.data().store().sources().get(last.ingested().sourceId()).orElseThrow().ingestedBy());
    }

    @Test
    void ingest_unreadableFile_failureLineOfKindFile() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.txt"), "not telemetry\n");
        HttpResponse<String> r = send(HandOff.INGEST, "Bearer " + file.token(), "{\"path\":\"" + junk + "\",\"user\":\"bob\"}");
        assertEquals(200, r.statusCode());
        HandOff.Line last = json.readValue(r.body().lines().toList().getLast(), HandOff.Line.class);
        assertEquals(HandOff.Kind.FILE, last.failure().kind());
        assertTrue(last.failure().message().startsWith(junk + ": unknown format"), last.failure().message());
    }

    /** A recorder snapshot of one sample endpoint with 600 events. */
    private Path sample() throws Exception {
        return SampleGenerator.generate(dir.resolve("samples"), 1, 600, 5, n -> {}).getFirst();
    }

    private HttpResponse<String> send(String path, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(web.server().url() + path));
        if (authorization != null) b.header("Authorization", authorization);
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
