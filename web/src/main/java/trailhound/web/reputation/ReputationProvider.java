package trailhound.web.reputation;

import java.util.List;

/** A source of hash verdicts. Implementations are thread-safe and never block on the network. */
interface ReputationProvider extends AutoCloseable {

    /**
     * What this source says of the lower-case hex hash: nothing (empty list) when it does not know
     * it, a {@link Verdict#PENDING} entry while an answer is on its way.
     */
    List<SourceVerdict> lookup(String hash);

    @Override
    default void close() {}
}
