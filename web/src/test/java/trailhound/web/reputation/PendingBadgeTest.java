package trailhound.web.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;

/**
 * The server with VirusTotal configured (a local stub, a budget of one lookup a minute): a hash
 * queued behind the budget shows a Pending badge that polls itself; an answered one stops polling.
 */
class PendingBadgeTest {
    private static final String FIRST = "1".repeat(64);
    private static final String QUEUED = "2".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static VirusTotalStub stub;
    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        stub = new VirusTotalStub();
        stub.file(FIRST, 9, 0, 1, 50);
        VirusTotalSettings budgetOfOne = new VirusTotalSettings(VirusTotalStub.KEY, stub.baseUrl(), 1, Duration.ofMinutes(1), Duration.ofHours(1));
        web = WebTestSupport.start(dir, options -> options.withVirusTotal(budgetOfOne)).signIn();
    }

    @AfterAll
    static void stop() throws Exception {
        web.close();
        stub.close();
    }

    @Test
    void badge_lookupQueuedBehindTheBudget_pendingAndPolls_thenAnsweredStopsPolling() throws Exception {
        web.get("/reputation/" + FIRST + "/badge");
        String queued = web.get("/reputation/" + QUEUED + "/badge").body();

        assertTrue(queued.contains("verdict-pending"), queued);
        assertTrue(queued.contains("hx-get=\"/reputation/" + QUEUED + "/badge\" hx-trigger=\"every 3s\" hx-swap=\"outerHTML\""), queued);
        assertEquals("pending", JSON.readTree(web.get("/api/v1/reputation/" + QUEUED).body()).get("verdict").asText());

        String answered = awaitAnswered(FIRST);
        assertTrue(answered.contains("verdict-malicious"), answered);
        assertFalse(answered.contains("hx-trigger"));
        assertEquals(Verdict.PENDING.label(), labelOf(web.get("/reputation/" + QUEUED + "/badge").body()),
                "still queued: the minute's budget is spent");
    }

    @Test
    void reportPage_virusTotalAnswer_listsTheEnginesThatFlagIt() throws Exception {
        awaitAnswered(FIRST);

        String html = web.get("/reputation/" + FIRST).body();

        assertTrue(html.contains("<td>VirusTotal</td>"), html);
        assertTrue(html.contains("9 malicious, 0 suspicious of 60 engines"));
        assertTrue(html.contains("<h2>VirusTotal: engines that flag this file</h2>"));
        assertTrue(html.contains("<tr><td>Engine1</td>"));
    }

    private static String awaitAnswered(String hash) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String badge;
        while ((badge = web.get("/reputation/" + hash + "/badge").body()).contains("verdict-pending") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return badge;
    }

    private static String labelOf(String badge) {
        return badge.substring(badge.indexOf('>') + 1, badge.indexOf("</a>")).strip();
    }
}
