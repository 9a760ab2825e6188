package trailhound.web.reputation;

import java.util.List;

/**
 * Everything known of one hash: the combined verdict (see {@link Verdict} for how sources are
 * combined) and each source's own verdict, in provider order. A hash no source knows is
 * {@link Verdict#UNKNOWN} with an empty source list.
 */
public record ReputationReport(String hash, Verdict verdict, List<SourceVerdict> sources) {

    public ReputationReport {
        sources = List.copyOf(sources);
    }

    public boolean pending() {
        return verdict == Verdict.PENDING;
    }
}
