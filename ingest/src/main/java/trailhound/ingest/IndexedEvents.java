package trailhound.ingest;

import java.util.List;
import trailhound.schema.Event;

/**
 * Told of events as they are indexed, imports and live streams alike: alerts ({@code access}'s
 * Alerts) match them against the rules set to alert. One listener per data folder
 * ({@link DataDir#onIndexed}).
 *
 * <p>Imports call {@link #indexed} with batches of one endpoint's events (at most
 * {@link #BATCH}, on an indexing thread, before the source is finished and searchable); live streams
 * with each batch the index takes. A batch may hold events indexed before (a live catch-up after a
 * restart, a file imported twice): the listener must not count them twice. Implementations must be
 * thread-safe and quick, and must not throw.
 */
public interface IndexedEvents {
    /** The most events one call carries from an import. */
    int BATCH = 1_000;

    /**
     * False when no rule would look at events now: the indexers then neither copy nor hand over
     * anything, so indexing costs the same as without a listener. Called once per batch.
     */
    boolean wanted();

    /** Events of {@code endpoint} just indexed (labelled with their endpoint and source). */
    void indexed(String endpoint, List<Event> events);
}
