package trailhound.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

/** How a probe's stages are put together from the agent's stamps and the bench's finding, in either order. */
class LiveProbesTest {
    private final LiveProbes probes = new LiveProbes(HttpClient.newHttpClient(), URI.create("https://127.0.0.1:1"), "token");

    @Test
    void join_stampsFirstOrFindingFirst_sameStages() {
        probes.join("a", new long[] {1_300, 1_500}, null); // due 1,000: sent at 1,300, held at 1,500, found at 1,900
        probes.join("a", null, new long[] {1_000, 1_900});
        probes.join("b", null, new long[] {1_000, 1_900});
        probes.join("b", new long[] {1_300, 1_500}, null);

        assertEquals(2, probes.stagesMs.size());
        for (long[] s : probes.stagesMs) assertArrayEquals(new long[] {300, 200, 400}, s, "sent, held, found: they add up to the lag");
    }

    @Test
    void join_stampPolledAfterTheFinding_stagesStillAddUpToTheLag() {
        // the agent polls its memory every millisecond, at the lowest priority: its held stamp can come after the search found it
        probes.join("c", new long[] {1_300, 2_100}, null);
        probes.join("c", null, new long[] {1_000, 1_900});

        assertArrayEquals(new long[] {300, 600, 0}, probes.stagesMs.getFirst());
    }

    @Test
    void join_onlyOneHalf_noStagesYet() {
        probes.join("d", null, new long[] {1_000, 1_900});
        probes.join("e", new long[] {1_300, 1_500}, null);

        assertEquals(0, probes.stagesMs.size());
    }
}
