package trailhound.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.lucene.search.Query;
import trailhound.schema.Event;

/**
 * One endpoint's events as a Lucene index (see DESIGN.md "Index design").
 *
 * <p>Thread-safe: many threads may {@link #add} at once (one shared IndexWriter) while others
 * search (one SearcherManager). Queries come from {@code QueryLanguage}; any
 * {@code ValuePatternQuery} inside them is resolved here against the value dictionary.
 * Searches see what was added once {@link #refresh()} ran (a background refresh does so about
 * every second) or {@link #commit()} returned.
 *
 * <p>API skeleton: bodies are filled in by the index implementation.
 */
public final class EndpointIndex implements Closeable {

    /** Opens (creating if absent) the index stored in {@code dir}. */
    public static EndpointIndex open(Path dir) throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** Adds the event, replacing any earlier event with the same {@code event_uid}. */
    public void add(Event event) throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** Makes everything added durable and visible to searches. */
    public void commit() throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** Makes everything added so far visible to searches (not durable). */
    public void refresh() throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** Exact number of events matching the query. */
    public long count(Query query) throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** Newest-first page of events matching the query, starting after {@code after} (null: first page). */
    public EventPage search(Query query, int limit, PageCursor after) throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** Counts per type and per type/operation of the events matching the query (null: all events). */
    public Distribution distribution(Query query) throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** The process with this key, its relatives and the first {@code historyLimit} events of its history by time. */
    public Optional<ProcessView> process(String processKey, int historyLimit) throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    /** Event count, first and last event time, size on disk. */
    public IndexStats stats() throws IOException {
        throw new UnsupportedOperationException("todo");
    }

    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("todo");
    }
}
