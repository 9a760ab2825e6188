package trailhound.web.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VirusTotalClientTest {
    private static final String BAD = "a".repeat(64);
    private static final String ONE_ENGINE = "b".repeat(64);
    private static final String CLEAN = "c".repeat(64);
    private static final String NEVER_SEEN = "d".repeat(64);

    private VirusTotalStub stub;
    private VirusTotalClient client;

    @BeforeEach
    void startStub() throws Exception {
        stub = new VirusTotalStub();
        stub.file(BAD, 12, 0, 0, 50);
        stub.file(ONE_ENGINE, 1, 0, 0, 60);
        stub.file(CLEAN, 0, 0, 5, 60);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        stub.close();
    }

    private VirusTotalClient client(String key, int requests, Duration per) {
        client = new VirusTotalClient(new VirusTotalSettings(key, stub.baseUrl(), requests, per, Duration.ofHours(1)));
        return client;
    }

    @Test
    void lookup_firstTime_pendingThenMappedFromLastAnalysisStats() throws Exception {
        VirusTotalClient vt = client(VirusTotalStub.KEY, 100, Duration.ofMinutes(1));

        assertEquals(Verdict.PENDING, vt.lookup(BAD).getFirst().verdict());
        SourceVerdict bad = await(vt, BAD, v -> v.verdict() != Verdict.PENDING);
        SourceVerdict oneEngine = await(vt, ONE_ENGINE, v -> v.verdict() != Verdict.PENDING);
        SourceVerdict clean = await(vt, CLEAN, v -> v.verdict() != Verdict.PENDING);

        assertEquals(Verdict.MALICIOUS, bad.verdict());
        assertEquals("12 malicious, 0 suspicious of 62 engines", bad.detail());
        assertEquals(12, bad.findings().size());
        assertEquals("Trojan.Test", bad.findings().getFirst().result());
        assertEquals("2025-11-13T02:13:20Z", bad.date());
        assertEquals(Verdict.SUSPICIOUS, oneEngine.verdict(), "one engine alone is not enough to call it malicious");
        assertEquals(Verdict.NON_MALICIOUS, clean.verdict());
        assertEquals(List.of(), clean.findings());
    }

    @Test
    void lookup_hashVirusTotalNeverSaw_unknown() throws Exception {
        VirusTotalClient vt = client(VirusTotalStub.KEY, 100, Duration.ofMinutes(1));

        SourceVerdict v = await(vt, NEVER_SEEN, s -> s.verdict() != Verdict.PENDING);

        assertEquals(Verdict.UNKNOWN, v.verdict());
        assertEquals("VirusTotal has never seen this file", v.detail());
    }

    @Test
    void lookup_wrongApiKey_unknownNamingTheError() throws Exception {
        VirusTotalClient vt = client("wrong-key", 100, Duration.ofMinutes(1));

        SourceVerdict v = await(vt, BAD, s -> s.verdict() != Verdict.PENDING);

        assertEquals(Verdict.UNKNOWN, v.verdict());
        assertEquals("lookup failed: HTTP 401 WrongCredentialsError; retried later", v.detail());
    }

    @Test
    void lookup_answered_servedFromCacheWithoutAnotherRequest() throws Exception {
        VirusTotalClient vt = client(VirusTotalStub.KEY, 100, Duration.ofMinutes(1));
        await(vt, BAD, v -> v.verdict() != Verdict.PENDING);

        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.MALICIOUS, vt.lookup(BAD).getFirst().verdict());
        }

        assertEquals(List.of(BAD), stub.requested);
    }

    @Test
    void lookup_md5AndSha1OfAFileAnsweredBySha256_oneRequestForAllThree() throws Exception {
        String sha256 = "1".repeat(64);
        String sha1 = "2".repeat(40);
        String md5 = "3".repeat(32);
        stub.file(sha256, sha1, md5, 12, 50);
        VirusTotalClient vt = client(VirusTotalStub.KEY, 100, Duration.ofMinutes(1));

        // as the process page asks: every hash of the image, SHA-256 first
        vt.lookup(sha256);
        vt.lookup(sha1);
        vt.lookup(md5);
        assertEquals(Verdict.MALICIOUS, await(vt, md5, v -> v.verdict() != Verdict.PENDING).verdict());
        assertEquals(Verdict.MALICIOUS, await(vt, sha1, v -> v.verdict() != Verdict.PENDING).verdict());

        assertEquals(List.of(sha256), stub.requested);
    }

    @Test
    void lookup_md5Alone_askedByMd5() throws Exception {
        String md5 = "4".repeat(32);
        stub.file("5".repeat(64), "6".repeat(40), md5, 0, 60);
        VirusTotalClient vt = client(VirusTotalStub.KEY, 100, Duration.ofMinutes(1));

        assertEquals(Verdict.NON_MALICIOUS, await(vt, md5, v -> v.verdict() != Verdict.PENDING).verdict());
        assertEquals(List.of(md5), stub.requested, "VirusTotal's files/{id} takes an MD5 as it is");
    }

    @Test
    void lookup_moreHashesThanTheBudget_restStayPendingInTheQueue() throws Exception {
        VirusTotalClient vt = client(VirusTotalStub.KEY, 4, Duration.ofMinutes(1));
        List<String> hashes = List.of("1".repeat(64), "2".repeat(64), "3".repeat(64), "4".repeat(64), "5".repeat(64));
        hashes.forEach(vt::lookup);

        for (String h : hashes.subList(0, 4)) {
            assertEquals(Verdict.UNKNOWN, await(vt, h, v -> v.verdict() != Verdict.PENDING).verdict());
        }

        assertEquals(Verdict.PENDING, vt.lookup(hashes.get(4)).getFirst().verdict(),
                "the fifth lookup waits for the next minute's budget");
        assertEquals(hashes.subList(0, 4), stub.requested);
    }

    @Test
    void lookup_queuedBeyondTheBudget_resolvedOnceTheWindowPasses() throws Exception {
        VirusTotalClient vt = client(VirusTotalStub.KEY, 1, Duration.ofMillis(300));
        vt.lookup(BAD);
        vt.lookup(CLEAN);

        assertEquals(Verdict.PENDING, vt.lookup(CLEAN).getFirst().verdict());
        assertEquals(Verdict.NON_MALICIOUS, await(vt, CLEAN, v -> v.verdict() != Verdict.PENDING).verdict());
        assertEquals(Verdict.MALICIOUS, vt.lookup(BAD).getFirst().verdict());
        assertEquals(List.of(BAD, CLEAN), stub.requested);
    }

    @Test
    void lookup_sameHashAskedWhileQueued_fetchedOnce() throws Exception {
        VirusTotalClient vt = client(VirusTotalStub.KEY, 1, Duration.ofMillis(300));
        vt.lookup(BAD);
        vt.lookup(CLEAN);
        vt.lookup(CLEAN);
        vt.lookup(CLEAN);

        await(vt, CLEAN, v -> v.verdict() != Verdict.PENDING);

        assertEquals(List.of(BAD, CLEAN), stub.requested);
    }

    /** Polls until the client's answer satisfies {@code done}; fails after 20 s (not a timing assertion: a hang guard). */
    static SourceVerdict await(VirusTotalClient vt, String hash, Predicate<SourceVerdict> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            SourceVerdict v = vt.lookup(hash).getFirst();
            if (done.test(v)) {
                return v;
            }
            assertTrue(System.nanoTime() < deadline, "no answer for " + hash + ", last: " + v);
            Thread.sleep(20);
        }
    }
}
