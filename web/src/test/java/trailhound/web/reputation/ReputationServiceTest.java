package trailhound.web.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReputationServiceTest {
    private static final String SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path data;

    @Test
    void report_intelSaysCleanButVirusTotalFlagsIt_maliciousWins() throws Exception {
        Files.writeString(data.resolve("intel.csv"), SHA + ",non-malicious,allow-list,2026-01-01\n");
        try (VirusTotalStub stub = new VirusTotalStub();
                ReputationService service = ReputationService.create(data, Optional.of(
                        new VirusTotalSettings(VirusTotalStub.KEY, stub.baseUrl(), 10, Duration.ofMinutes(1), Duration.ofHours(1))))) {
            stub.file(SHA, 20, 1, 0, 40);

            ReputationReport first = service.report(SHA.toUpperCase());
            assertEquals(Verdict.PENDING, first.verdict(), "a queued lookup outweighs a clean listing");
            ReputationReport done = awaitSettled(service, SHA);

            assertEquals(Verdict.MALICIOUS, done.verdict());
            assertEquals(List.of("intel file: allow-list", "VirusTotal"),
                    done.sources().stream().map(SourceVerdict::source).toList());
        }
    }

    @Test
    void report_noSourceKnowsTheHash_unknownWithoutSources() {
        try (ReputationService service = ReputationService.create(data, Optional.empty())) {
            assertEquals(new ReputationReport(SHA, Verdict.UNKNOWN, List.of()), service.report(SHA));
        }
    }

    @Test
    void report_notAHash_rejectedWithWhatAHashLooksLike() {
        try (ReputationService service = ReputationService.create(data, Optional.empty())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> service.report("abc"));
            assertEquals("'abc' is not a hash: expected 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hex digits", e.getMessage());
        }
    }

    @Test
    void fromEnvironment_keyAndBaseUrlSet_virusTotalEnabledAtThatUrl() {
        VirusTotalSettings s = VirusTotalSettings.fromEnvironment(Map.of(
                "TRAILHOUND_VT_API_KEY", " k ", "TRAILHOUND_VT_BASE_URL", "http://127.0.0.1:9/api/v3")).orElseThrow();

        assertEquals("k", s.apiKey());
        assertEquals("http://127.0.0.1:9/api/v3/", s.baseUrl().toString());
        assertEquals(4, s.requests());
        assertEquals(Optional.empty(), VirusTotalSettings.fromEnvironment(Map.of()));
    }

    private static ReputationReport awaitSettled(ReputationService service, String hash) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ReputationReport r;
        while ((r = service.report(hash)).pending() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return r;
    }
}
