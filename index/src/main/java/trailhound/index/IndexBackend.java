package trailhound.index;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.lucene.search.Query;

/**
 * Where the endpoints' events are indexed: the boundary every feature reads and writes events
 * through. {@link Indexes} is the {@code local} backend (one embedded Lucene index per endpoint under
 * the data folder); an OpenSearch backend and the access layer plug in here.
 *
 * <pre>{@code
 * try (IndexBackend.Lease lease = backend.acquire("ws-01")) {
 *     long n = lease.index().count(query);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Endpoint names are the catalogue's, any non-empty string.
 */
public interface IndexBackend extends Closeable {
    /** Names of the endpoints that have an index, sorted. */
    List<String> endpoints() throws IOException;

    boolean exists(String endpoint);

    /** Leases the endpoint's index; fails with {@link UnknownEndpointException} if it has none. */
    Lease acquire(String endpoint) throws IOException;

    /** Leases the endpoint's index, creating it if absent (for ingest). */
    Lease acquireOrCreate(String endpoint) throws IOException;

    /**
     * One query over every endpoint in one pass: the exact count per endpoint (those with at least one
     * hit, by name) and the newest {@code limit} matching events across all of them.
     */
    HuntResult hunt(Query query, int limit) throws IOException;

    /**
     * As {@link #hunt(Query, int)}, over the named {@code endpoints} only, and one page: the newest
     * {@code limit} hits after {@code after} (null: from the newest), with {@link HuntResult#next()} for
     * the page after. Endpoints not named are never searched, so they are in neither counts nor hits
     * (this is how the access layer hunts over a caller's groups); named ones without an index are skipped.
     */
    HuntResult hunt(Query query, int limit, Collection<String> endpoints, HuntCursor after) throws IOException;

    /**
     * As {@link #hunt(Query, int, Collection, HuntCursor)}, the page before {@code before}: the
     * {@code limit} hits just newer than it, newest first; with {@code before} null the oldest
     * {@code limit} hits (the last page). {@link HuntResult#start()} is exact either way.
     */
    HuntResult huntBefore(Query query, int limit, Collection<String> endpoints, HuntCursor before) throws IOException;

    /**
     * Values of {@code fields} (one field or an alias's) starting with {@code prefix} over the named
     * {@code endpoints}, as {@link EventIndex#suggest(List, String, int)} finds them on each, their
     * counts summed (events of two endpoints are never the same event) and the {@code limit} most
     * frequent kept: the best of each endpoint's best, so a value just outside every endpoint's
     * {@code limit} is missed. At most {@code maxEndpoints} endpoints are consulted, the ones whose
     * index is open first (no open costs), then by name; names without an index are skipped.
     *
     * @throws IllegalArgumentException as {@link EventIndex#suggest}, or {@code maxEndpoints} below 1
     */
    HuntSuggestions suggest(Collection<String> endpoints, List<trailhound.schema.Field> fields, String prefix, int limit, int maxEndpoints)
            throws IOException;

    /** The exact number of matching events per endpoint with at least one, over every endpoint. */
    Map<String, Long> countAll(Query query) throws IOException;

    /** The newest {@code limit} matching events across every endpoint, newest first. */
    List<HuntHit> searchAll(Query query, int limit) throws IOException;

    /**
     * Starts a rebuild of the endpoint's index: a new, empty generation beside the current one,
     * which searches never see until {@link Rebuild#publish()} swaps it in. One rebuild per endpoint
     * at a time (the caller's duty).
     */
    Rebuild rebuild(String endpoint) throws IOException;

    /** Removes the endpoint's index; searches running on it finish first. Absent is fine. */
    void delete(String endpoint) throws IOException;

    /**
     * The format of the endpoint's current index when this code cannot read it (it needs a re-index);
     * empty when it is current or absent.
     */
    OptionalInt staleFormat(String endpoint) throws IOException;

    /** A use of an open index; close it to release. */
    interface Lease extends AutoCloseable {
        EventIndex index();

        /**
         * False once the endpoint's index this lease holds is no longer the endpoint's index (rebuilt,
         * renamed, merged or deleted since), so a holder of a long lease knows to take a new one.
         */
        default boolean current() throws IOException {
            return true;
        }

        @Override
        void close();
    }

    /** A new generation being built; {@link #publish()} it or {@link #close()} it to throw it away. */
    interface Rebuild extends AutoCloseable {
        /** The new generation; add events, then {@link #publish()}. */
        EventIndex index();

        /**
         * Commits the new generation and makes it the endpoint's index atomically. Searches running
         * meanwhile finish on the old one.
         */
        void publish() throws IOException;

        /** Throws the new generation away unless published. */
        @Override
        void close() throws IOException;
    }
}
