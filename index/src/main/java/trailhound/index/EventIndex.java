package trailhound.index;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.search.Query;
import trailhound.schema.Event;

/**
 * One endpoint's events, as every feature reads and writes them: add and commit, sources and their
 * states (complete, unfinished, being ingested), retention, and the searches (count, newest-first
 * pages, distribution, histogram, process view, stats). Queries are the query language's Lucene queries
 * ({@code trailhound.query}); a backend that is not Lucene translates them.
 *
 * <p>The embedded per-endpoint Lucene index ({@link EndpointIndex}, the {@code local} backend) is
 * today's only implementation; see {@link IndexBackend}. Thread-safe.
 */
public interface EventIndex {
    /**
     * Adds the event unless an event with the same {@code event_uid} is already indexed: the first
     * source to add an event keeps it (its {@code source} stays), so the events of a source are
     * exactly those labelled with it, and removing a source never removes what another source added.
     * Returns false for such a duplicate.
     */
    boolean add(Event event) throws IOException;

    /** The number of events labelled with this source ({@code source} field, exact). */
    long countSource(String source) throws IOException;

    /**
     * Removes every event labelled with this source and commits: the events it added first, since a
     * duplicate is never relabelled. Used when an ingest fails and when a source is removed.
     */
    void deleteSource(String source) throws IOException;

    /**
     * The oldest event time to keep so that at most {@code maxEvents} events remain: the smallest
     * {@code t} with at most maxEvents events at or after it (events sharing the boundary time stay
     * together, so a few more may remain). Null when there are no more than maxEvents events.
     * A binary search of point counts: about 40 counts, no event read.
     */
    Long cutoffForMaxEvents(long maxEvents) throws IOException;

    /** Removes every event older than {@code cutoffTs} (UTC ms) and commits; returns how many were removed. */
    long deleteOlderThan(long cutoffTs) throws IOException;

    /** Adds all events (same semantics as {@link #add}); returns how many were new. */
    long addAll(Iterable<Event> batch) throws IOException;

    /**
     * True when {@link #addEach} is much cheaper than {@link #add} per event (a backend with a round
     * trip per request); the local index adds one event as cheaply as many, and says false.
     */
    default boolean prefersBatches() {
        return false;
    }

    /**
     * Adds the events in order as {@link #add} does, one outcome per event: true where it was new.
     *
     * @throws IllegalArgumentException as {@link #add}, for the first event the index refuses (the ones
     *     before it are added)
     */
    default boolean[] addEach(List<Event> events) throws IOException {
        boolean[] added = new boolean[events.size()];
        for (int i = 0; i < added.length; i++) added[i] = add(events.get(i));
        return added;
    }

    /** Makes everything added durable and visible to searches. */
    void commit() throws IOException;

    /**
     * Records that source {@code label} has been read up to {@code position} (its own notion, e.g. a
     * recorder row id) and commits: what it added so far is durable, left out of every query until
     * {@link #finishSource}, and an interrupted ingest can resume after {@code position}.
     */
    void checkpoint(String label, String position) throws IOException;

    /** Where an unfinished source's last checkpoint was, if it has one. */
    java.util.Optional<String> checkpointOf(String label);

    /**
     * Source {@code label} starts (or resumes) being ingested: it is unfinished (none of its events
     * counted, also in commits made meanwhile), but what it adds is searchable from the next refresh,
     * marked partial with {@code events} of {@code expected} (-1: unknown) as its progress, until
     * {@link #finishSource}, {@link #stopIngesting} or {@link #deleteSource}.
     */
    void startSource(String label, java.util.function.LongSupplier events, long expected);

    /** The ingest of an unfinished source stopped without finishing: its events are hidden again. */
    void stopIngesting(String label);

    /** Sources being ingested into this index now, by label. */
    List<SourceProgress> ingesting();

    /** The source is complete: its events count from the next commit on. */
    void finishSource(String label);

    /** Makes everything added so far visible to searches (not durable). */
    void refresh() throws IOException;

    /** Exact number of events matching the query (null: all events). */
    long count(Query query) throws IOException;

    /** Newest-first page of events matching the query, starting after {@code after} (null: first page). */
    EventPage search(Query query, int limit, PageCursor after) throws IOException;

    /**
     * The events matching the query (null: all events) in {@code sort} order, from position
     * {@code offset} (0: the first), at most {@code limit} of them. Pages of one order never skip or
     * repeat an event while the index is unchanged (the order is total, see {@link EventSort}).
     * {@code next} is the keyset cursor of the following page for {@link EventSort#NEWEST_FIRST}
     * (for {@link #search}), null otherwise and on the last page.
     *
     * @throws IllegalArgumentException for a limit below 1, a negative offset,
     *         {@code offset + limit} over {@value EventSort#MAX_DEPTH}, or a sort field the index was
     *         written without doc values for (an index from before it was sortable: re-index it)
     */
    EventPage page(Query query, EventSort sort, int offset, int limit) throws IOException;

    /** Receives the events of {@link #export}, one at a time. */
    @FunctionalInterface
    interface EventSink {
        void accept(Event event) throws IOException;
    }

    /**
     * Every event matching the query (null: all events) in {@code sort} order, at most {@code max},
     * handed to {@code sink} in batches read from one point-in-time view of the index (events added
     * meanwhile are not in it), however deep: unlike {@link #page} there is no
     * {@value EventSort#MAX_DEPTH} limit. For exports. Returns how many were handed over.
     *
     * @throws IllegalArgumentException for a negative {@code max} or a sort field the index was written
     *         without doc values for, as {@link #page}
     * @throws IOException from the index or from the sink (which ends the export)
     */
    long export(Query query, EventSort sort, long max, EventSink sink) throws IOException;

    /** Counts per type and per type/operation of the events matching the query (null: all events). */
    Distribution distribution(Query query) throws IOException;

    /**
     * Exact counts over time of the events matching the query (null: all events) in {@code [from, to)}
     * (UTC ms), in at most {@value Histogram#MAX_BUCKETS} buckets aligned to UTC multiples of their
     * size (see {@link Histogram#bucketMillis}). A null edge is the matching events' own: the oldest
     * one's time for {@code from}, the newest one's + 1 ms for {@code to}.
     *
     * @throws IllegalArgumentException when both edges are given and {@code from >= to}
     */
    Histogram histogram(Query query, Long from, Long to) throws IOException;

    /**
     * The processes with events matching the query: how many match per process and their first and
     * last time, exact over every match (doc values, no event read); the {@code limit} with the
     * latest last match first.
     *
     * @throws IllegalArgumentException for a negative limit
     */
    ProcessMatches processesMatching(Query query, int limit) throws IOException;

    /**
     * The process with this key, all its relatives and the first {@code historyLimit} events of its
     * history by time. A busy parent's thousands of children make this slow (each described from
     * one of its events); pages use {@link #process(String, int, int)} and {@link #children}.
     */
    Optional<ProcessView> process(String processKey, int historyLimit) throws IOException;

    /**
     * As {@link #process(String, int)} with at most {@code relatives} children and peers each, the
     * first by normalised key, as {@link #children} orders them (0: none, and no time spent finding them).
     *
     * @throws IllegalArgumentException when {@code historyLimit} or {@code relatives} is negative
     */
    Optional<ProcessView> process(String processKey, int historyLimit, int relatives) throws IOException;

    /**
     * The process and its ancestors, root first and the process last, as far as parent keys lead
     * (at most 256 up), each with its counts; a parent with no events of its own is described from
     * its child's parent_* fields and ends the chain. Empty for an unknown process.
     */
    List<ProcessNode> ancestry(String processKey) throws IOException;

    /**
     * A page of the children of {@code parentKey} (ordered by process key, {@code exclude} left
     * out; null: none), each with its counts and, for {@code levels > 1}, the first page of its own
     * children loaded {@code levels - 1} more levels down while fewer than {@code budget} nodes are
     * loaded in all.
     *
     * @throws IllegalArgumentException for a negative offset, limit or budget, or levels below 1
     */
    ProcessBranch children(String parentKey, int offset, int limit, String exclude, int levels, int budget) throws IOException;

    /** The most values {@link #suggest} answers. */
    int MAX_SUGGESTIONS = 50;

    /** The longest prefix {@link #suggest} takes, in characters. */
    int MAX_SUGGEST_PREFIX = 256;

    /**
     * Values of {@code field} starting with {@code prefix} (case-insensitive; the values as the index
     * holds them, lower case) with the exact number of this endpoint's events that have each, most
     * first (then by value), at most {@code limit}; values no event has any more are left out. Bounded
     * work whatever the field: a walk of at most 10,000 of the field's terms from the prefix on, the
     * {@code limit} most frequent of them then counted exactly. Searchable events only, as every query.
     *
     * @throws IllegalArgumentException for the time field (it has no values to list, only ranges), a
     *     limit outside 1..{@value #MAX_SUGGESTIONS} or a prefix longer than {@value #MAX_SUGGEST_PREFIX}
     */
    List<TermCount> suggest(trailhound.schema.Field field, String prefix, int limit) throws IOException;

    /**
     * As {@link #suggest(trailhound.schema.Field, String, int)} over one field or an alias's fields:
     * for an alias a value counts the events having it in any of the fields, as the query
     * {@code alias:value} does (an event with the same path as process and parent counts once): the
     * fields' candidates are merged, the {@code limit} best by their summed counts kept and each
     * counted again as that disjunction. Most events first, then by value.
     */
    default List<TermCount> suggest(List<trailhound.schema.Field> fields, String prefix, int limit) throws IOException {
        if (fields.size() == 1) return suggest(fields.getFirst(), prefix, limit);
        java.util.Map<String, Long> sums = new java.util.HashMap<>();
        for (trailhound.schema.Field f : fields) {
            for (TermCount t : suggest(f, prefix, limit)) sums.merge(t.term(), t.count(), Long::sum);
        }
        List<String> best = sums.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(java.util.Map.Entry.comparingByKey()))
                .limit(limit).map(java.util.Map.Entry::getKey).toList();
        List<TermCount> counted = new java.util.ArrayList<>();
        for (String term : best) {
            org.apache.lucene.search.BooleanQuery.Builder any = new org.apache.lucene.search.BooleanQuery.Builder();
            for (trailhound.schema.Field f : fields) {
                any.add(new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(trailhound.query.IndexFields.term(f), term)),
                        org.apache.lucene.search.BooleanClause.Occur.SHOULD);
            }
            counted.add(new TermCount(term, count(any.build())));
        }
        counted.sort(java.util.Comparator.comparingLong(TermCount::count).reversed().thenComparing(TermCount::term));
        return counted;
    }

    /** Event count, first and last event time, size on disk. */
    IndexStats stats() throws IOException;
}
