package trailhound.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/**
 * One endpoint's events as a Lucene index (see DESIGN.md "Index design").
 *
 * <p>Thread-safe: many threads may {@link #add} at once (one shared IndexWriter) while others
 * search (one SearcherManager). Queries come from {@code QueryLanguage}; any
 * {@code ValuePatternQuery} inside them is resolved here against the value dictionary.
 * Searches see what was added once {@link #refresh()} ran or {@link #commit()} returned; while
 * searches are being made, a background refresh does so about every second.
 *
 * <p>On disk, {@code dir} holds {@code events/} (the event index, not sorted),
 * {@code values/} (the value dictionary), {@code processes/} (the process variants) and
 * {@code FORMAT}. The IndexWriter is opened on the first write only, so read-only opens (hunting
 * across many endpoints) cost one reader. {@link #close()} commits.
 */
public final class EndpointIndex implements EventIndex, Closeable {
    /*
     * The index itself is not sorted: sorting each flushed segment and merging sorted segments cost
     * a third of ingest CPU (docs/performance.md). Newest-first pages search windows (NewestFirst);
     * oldest-first process history skips through the ts points (ProcessLookup).
     */
    private static final double RAM_BUFFER_MB = 256;
    private static final boolean[] ALL_FRESH = allTrue();
    /**
     * The background refresh runs only while someone searched within this window. Each refresh
     * flushes the writer's RAM buffer into a new segment; during a bulk ingest nobody is looking, and
     * refreshing every second anyway made thousands of tiny segments whose sorted merges dominated
     * ingest time. A search after a quiet spell refreshes first, so it still sees every write.
     */
    private static final long SEARCH_WINDOW_NANOS = 5_000_000_000L;

    private final Path dir;
    private final Directory events;
    private final ValueDictionary values;
    private final ProcessVariants processes;
    private final ProcessCaches processCaches = new ProcessCaches();
    /** One per indexing thread for every index, see EventDocuments for why. */
    private static final ThreadLocal<EventDocuments> DOCUMENTS = ThreadLocal.withInitial(EventDocuments::new);
    private static final java.util.concurrent.atomic.AtomicInteger OWNERS = new java.util.concurrent.atomic.AtomicInteger();
    /** This index's number in the shared EventDocuments memos; a reopened index gets a new one (its dictionary is new). */
    private final int owner = OWNERS.incrementAndGet();
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** Hashes of every uid in the index or added since; filled when the writer opens. */
    private volatile UidHashes uids;
    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;
    private volatile ScheduledFuture<?> refreshTask;
    private volatile IOException backgroundFailure;
    private volatile boolean closed;
    private volatile long lastSearchNanos = System.nanoTime() - 2 * SEARCH_WINDOW_NANOS;
    /**
     * Sources whose ingest has committed some events but not finished, by label, with the position
     * to resume from. Kept in each commit's user data, so after a crash the index says which of its
     * events belong to no complete source; every query leaves them out until the source finishes or
     * is deleted.
     */
    private final java.util.concurrent.ConcurrentSkipListMap<String, String> unfinished = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final String UNFINISHED = "trailhound.unfinished";
    /**
     * The unfinished sources this process is ingesting now, with their progress. Their events are
     * searchable while they arrive (marked partial); an unfinished source nobody is ingesting (a
     * failed or killed ingest) stays hidden.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Ingesting> ingesting = new java.util.concurrent.ConcurrentHashMap<>();

    private record Ingesting(java.util.function.LongSupplier events, long expected) {}

    private EndpointIndex(Path dir, Directory events, ValueDictionary values, ProcessVariants processes) {
        this.dir = dir;
        this.events = events;
        this.values = values;
        this.processes = processes;
    }

    /**
     * The on-disk format this code writes and reads, kept in {@code FORMAT} beside the indexes.
     * 2: process fields live in process variants and events keep their values in one stored field.
     * 3: no index sort; ts doc values share the ts point's name.
     * 4: recorder uids name the recorder; the first source to add an event keeps it; {@code source} is
     *    the catalogue's source label.
     * 5: Windows events with a record id have one uid whatever form they came in ({@code w<host>:<channel>:<id>}).
     * 6: process variants are numbered, and each event carries its variant's number (VariantSetQuery).
     * Older formats are rebuilt from their sources by a re-index.
     */
    public static final int FORMAT = 6;

    /** Opens (creating if absent) the index stored in {@code dir}. */
    public static EndpointIndex open(Path dir) throws IOException {
        checkFormat(dir);
        Files.createDirectories(dir.resolve("events"));
        Files.createDirectories(dir.resolve("values"));
        Files.createDirectories(dir.resolve("processes"));
        EndpointIndex index = new EndpointIndex(dir, FSDirectory.open(dir.resolve("events")),
                new ValueDictionary(FSDirectory.open(dir.resolve("values"))),
                new ProcessVariants(FSDirectory.open(dir.resolve("processes"))));
        try {
            if (DirectoryReader.indexExists(index.events)) {
                index.searchers = new SearcherManager(index.events, null);
                index.loadUnfinished();
            } else {
                index.writer().commit(); // a new index: empty commit so readers can open it
            }
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
        return index;
    }

    private static void checkFormat(Path dir) throws IOException {
        int found = format(dir);
        if (found == 0) {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("FORMAT.tmp"); // renamed into place: a crash never leaves an empty FORMAT
            Files.writeString(tmp, FORMAT + "\n");
            Files.move(tmp, dir.resolve("FORMAT"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else if (found != FORMAT) {
            throw new IndexFormatException(dir, found, FORMAT);
        }
    }

    /** The format of the index in {@code dir}: 0 when there is none yet, 1 for an index without a FORMAT file. */
    static int format(Path dir) throws IOException {
        Path file = dir.resolve("FORMAT");
        if (Files.isRegularFile(file)) {
            String found = Files.readString(file).strip();
            try {
                return Integer.parseInt(found);
            } catch (NumberFormatException e) {
                throw new IOException("corrupt " + file + ": expected a format number, found '" + found + "'");
            }
        }
        return hasIndex(dir.resolve("events")) ? 1 : 0;
    }

    private static boolean hasIndex(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return false;
        try (Directory d = FSDirectory.open(folder)) {
            return DirectoryReader.indexExists(d);
        }
    }

    @Override
    public boolean add(Event event) throws IOException {
        ensureOpen();
        IOException failure = backgroundFailure;
        if (failure != null) throw new IOException("background refresh of " + dir + " failed", failure);
        IndexWriter w = writer();
        EventDocuments docs = DOCUMENTS.get();
        String[] lower = docs.normalized(event, owner);
        BytesRef variant = docs.variant(event, owner);
        // dictionary and variant before the event, so a visible event's values can always be found; also for a
        // duplicate, because the per-thread memos now count these values as offered
        if (variant != null && !docs.variantRepeated()) {
            String[] newProcessValues = processes.add(variant, event);
            docs.numbered(processes.number(variant));
            if (newProcessValues != null) values.add(newProcessValues, ALL_FRESH, event);
        }
        values.add(lower, docs.fresh(), event);
        // A hash already present means "indexed": the set holds every uid of the index, and two different uids
        // share a 64-bit hash with odds of about 3 in a million for ten million events (docs/decisions.md).
        if (!uids.add(UidHashes.hash(docs.uidBytes()))) return false;
        w.addDocument(docs.document(event, lower, variant));
        dirty.set(true);
        return true;
    }

    @Override
    public long countSource(String source) throws IOException {
        return withSearcher(s -> s.count(sourceQuery(source))); // raw: also an unfinished source's events
    }

    @Override
    public synchronized void deleteSource(String source) throws IOException {
        ensureOpen();
        IndexWriter w = writer();
        w.deleteDocuments(sourceQuery(source));
        unfinished.remove(source);
        ingesting.remove(source);
        commit();
        uids = uidHashes(w); // the removed uids may come back
    }

    @Override
    public Long cutoffForMaxEvents(long maxEvents) throws IOException {
        IndexStats stats = stats();
        if (stats.eventCount() <= maxEvents || stats.firstTs() == null) return null;
        long lo = stats.firstTs() + 1;
        long hi = stats.lastTs() + 1; // count(>= hi) = 0 <= maxEvents
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (count(LongPoint.newRangeQuery(IndexFields.point(Field.TS), mid, Long.MAX_VALUE)) <= maxEvents) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    @Override
    public synchronized long deleteOlderThan(long cutoffTs) throws IOException {
        ensureOpen();
        Query older = LongPoint.newRangeQuery(IndexFields.point(Field.TS), Long.MIN_VALUE, cutoffTs - 1);
        long n = count(older);
        if (n == 0) return 0;
        writer().deleteDocuments(older);
        commit();
        return n;
    }

    private static Query sourceQuery(String source) {
        return new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(IndexFields.term(Field.SOURCE),
                IndexFields.normalize(source)));
    }

    @Override
    public long addAll(Iterable<Event> batch) throws IOException {
        long added = 0;
        for (Event e : batch) if (add(e)) added++;
        return added;
    }

    @Override
    public void commit() throws IOException {
        ensureOpen();
        IndexWriter w = writer;
        if (w == null) return;
        values.commit(); // dictionary and variants first: after a crash they may hold extra entries, never fewer
        processes.commit();
        w.setLiveCommitData(java.util.Map.of(UNFINISHED, encodeUnfinished()).entrySet());
        w.commit();
        refresh();
    }

    @Override
    public synchronized void checkpoint(String label, String position) throws IOException {
        unfinished.put(label, position);
        commit();
    }

    @Override
    public java.util.Optional<String> checkpointOf(String label) {
        return java.util.Optional.ofNullable(unfinished.get(label)).filter(p -> !p.isEmpty());
    }

    @Override
    public void startSource(String label, java.util.function.LongSupplier events, long expected) {
        unfinished.putIfAbsent(label, "");
        ingesting.put(label, new Ingesting(events, expected));
    }

    @Override
    public void stopIngesting(String label) {
        ingesting.remove(label);
    }

    @Override
    public List<SourceProgress> ingesting() {
        return ingesting.entrySet().stream()
                .map(e -> new SourceProgress(e.getKey(), e.getValue().events().getAsLong(), e.getValue().expected()))
                .sorted(java.util.Comparator.comparing(SourceProgress::source)).toList();
    }

    @Override
    public void finishSource(String label) {
        unfinished.remove(label);
        ingesting.remove(label);
    }

    private String encodeUnfinished() {
        StringBuilder b = new StringBuilder();
        unfinished.forEach((label, position) -> b.append(label).append('=').append(position).append('\n'));
        return b.toString();
    }

    private void loadUnfinished() throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(events)) {
            String data = reader.getIndexCommit().getUserData().get(UNFINISHED);
            if (data == null) return;
            for (String line : data.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) unfinished.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }

    @Override
    public void refresh() throws IOException {
        ensureOpen();
        dirty.set(false);
        values.refresh(); // dictionary and variants first, for the same reason as in add
        processes.refresh();
        searchers.maybeRefreshBlocking(); // blocking: a caller of refresh must see its writes
    }

    @Override
    public long count(Query query) throws IOException {
        return withSearcher(s -> s.count(prepare(query)));
    }

    /*
     * Candidates come from where the field's terms are: the events for event fields, the process
     * variants for process fields (their document frequency counts variants, not events, so their order
     * is approximate until the exact counts below). Each candidate is then counted as the query
     * "field:value" would count it (resolved, unfinished sources left out, deletions gone): at most
     * MAX_SUGGESTIONS counts, each a term's postings.
     */
    @Override
    public List<TermCount> suggest(Field field, String prefix, int limit) throws IOException {
        if (field.kind() == trailhound.schema.FieldKind.TIME) {
            throw new IllegalArgumentException(field.canonicalName() + " has no values to suggest, only ranges");
        }
        if (limit < 1 || limit > MAX_SUGGESTIONS) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_SUGGESTIONS + ", was " + limit);
        }
        if (prefix.length() > MAX_SUGGEST_PREFIX) {
            throw new IllegalArgumentException("a prefix holds at most " + MAX_SUGGEST_PREFIX + " characters, was " + prefix.length());
        }
        String lower = IndexFields.prefixTerm(prefix);
        String name = IndexFields.term(field);
        List<TermCount> candidates = field.isProcessField()
                ? processes.topTerms(field, lower, limit)
                : withSearcher(s -> TermSuggestions.top(s.getIndexReader(), name, lower, limit));
        List<TermCount> counted = new ArrayList<>(candidates.size());
        for (TermCount c : candidates) {
            long n = count(new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(name, c.term())));
            if (n > 0) counted.add(new TermCount(c.term(), n));
        }
        counted.sort(java.util.Comparator.comparingLong(TermCount::count).reversed().thenComparing(TermCount::term));
        return counted;
    }

    @Override
    public EventPage search(Query query, int limit, PageCursor after) throws IOException {
        return search(query, limit, after, false);
    }

    /**
     * As {@link #search(Query, int, PageCursor)}; {@code inclusive}: an event exactly at the cursor
     * (same ts and uid) is on the page too, for a hunt whose cursor stands on another endpoint.
     */
    EventPage search(Query query, int limit, PageCursor after, boolean inclusive) throws IOException {
        if (limit < 1) throw new IllegalArgumentException("page limit must be at least 1, was " + limit);
        return withSearcher(s -> {
            Query q = prepare(query);
            long total = s.count(q);
            FieldDoc afterDoc = after == null ? null : NewestFirst.after(after.ts(), after.eventUid(), inclusive);
            TopFieldDocs top = NewestFirst.top(s, q, total, limit + 1, afterDoc);
            ScoreDoc[] hits = top.scoreDocs;
            boolean more = hits.length > limit;
            List<Event> page = EventReader.read(s.getIndexReader(), more ? Arrays.copyOf(hits, limit) : hits, processes);
            Event last = page.isEmpty() ? null : page.getLast();
            return new EventPage(List.copyOf(page), total, more ? new PageCursor(last.ts(), last.uid()) : null, ingesting());
        });
    }

    @Override
    public EventPage page(Query query, EventSort sort, int offset, int limit) throws IOException {
        if (limit < 1) throw new IllegalArgumentException("page limit must be at least 1, was " + limit);
        if (offset < 0) throw new IllegalArgumentException("page offset must not be negative, was " + offset);
        if ((long) offset + limit > EventSort.MAX_DEPTH) {
            throw new IllegalArgumentException("pages reach the first " + EventSort.MAX_DEPTH + " events of an order, asked for "
                    + offset + " + " + limit);
        }
        return withSearcher(s -> {
            requireSortable(s, sort);
            Query q = prepare(query);
            long total = s.count(q);
            int n = offset + limit + 1; // one more tells whether a next page exists
            ScoreDoc[] hits = sort.equals(EventSort.NEWEST_FIRST)
                    ? NewestFirst.top(s, q, total, n, null).scoreDocs
                    : s.search(q, new TopFieldCollectorManager(sort.luceneSort(), n, null, n)).scoreDocs;
            boolean more = hits.length > offset + limit;
            ScoreDoc[] slice = offset >= hits.length ? new ScoreDoc[0]
                    : Arrays.copyOfRange(hits, offset, Math.min(hits.length, offset + limit));
            List<Event> page = EventReader.read(s.getIndexReader(), slice, processes);
            PageCursor next = more && sort.equals(EventSort.NEWEST_FIRST) ? new PageCursor(page.getLast().ts(), page.getLast().uid()) : null;
            return new EventPage(List.copyOf(page), total, next, ingesting());
        });
    }

    private static void requireSortable(IndexSearcher s, EventSort sort) throws IOException {
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            if (sort.missingIn(leaf.reader())) {
                throw new IllegalArgumentException("this endpoint's index was written before events could be sorted by "
                        + sort.field().canonicalName() + ": sort by ts, type, process_key or event_uid, or re-index the endpoint");
            }
        }
    }

    /** Events read per batch of an export: memory for a few thousand events, few passes over the matches. */
    static final int EXPORT_BATCH = 5_000;

    @Override
    public long export(Query query, EventSort sort, long max, EventSink sink) throws IOException {
        if (max < 0) throw new IllegalArgumentException("max must not be negative, was " + max);
        // One searcher for the whole export: the cursor (the last hit, doc id included) is exact in it.
        return withSearcher(s -> {
            requireSortable(s, sort);
            Query q = prepare(query);
            org.apache.lucene.search.Sort order = sort.luceneSort();
            FieldDoc after = null;
            long written = 0;
            while (written < max) {
                int n = (int) Math.min(EXPORT_BATCH, max - written);
                ScoreDoc[] hits = s.search(q, new TopFieldCollectorManager(order, n, after, n)).scoreDocs;
                for (Event e : EventReader.read(s.getIndexReader(), hits, processes)) sink.accept(e);
                written += hits.length;
                if (hits.length < n) break;
                after = (FieldDoc) hits[hits.length - 1];
            }
            return written;
        });
    }

    @Override
    public Distribution distribution(Query query) throws IOException {
        return withSearcher(s -> (query == null || query instanceof MatchAllDocsQuery) && unfinished.isEmpty()
                ? DistributionCounter.all(s)
                : DistributionCounter.under(s, prepare(query)));
    }

    @Override
    public ProcessMatches processesMatching(Query query, int limit) throws IOException {
        return withSearcher(s -> ProcessMatches.collect(s, prepare(query), limit));
    }

    @Override
    public Histogram histogram(Query query, Long from, Long to) throws IOException {
        if (from != null && to != null && from >= to) {
            throw new IllegalArgumentException("histogram window must start before it ends, was [" + from + ", " + to + ")");
        }
        return withSearcher(s -> {
            if (!((query == null || query instanceof MatchAllDocsQuery) && unfinished.isEmpty())) {
                Query q = prepare(query);
                return from != null && to != null ? HistogramCounter.window(s, q, from, to) : HistogramCounter.matches(s, q, from, to);
            }
            if (from != null && to != null) return HistogramCounter.window(s, null, from, to);
            // all events with an open edge: the edge is the oldest or newest event's, from the points
            long[] edges = tsEdges(s);
            long lo = from != null ? from : edges == null ? 0 : edges[0];
            long hi = to != null ? to : edges == null ? 0 : edges[1] + 1;
            if (edges == null || lo >= hi) return new Histogram(from, to, 0, List.of(), 0);
            return HistogramCounter.window(s, null, lo, hi);
        });
    }

    @Override
    public Optional<ProcessView> process(String processKey, int historyLimit) throws IOException {
        return process(processKey, historyLimit, Integer.MAX_VALUE);
    }

    @Override
    public Optional<ProcessView> process(String processKey, int historyLimit, int relatives) throws IOException {
        return withSearcher(s -> graph(s).view(processKey, historyLimit, relatives));
    }

    @Override
    public List<ProcessNode> ancestry(String processKey) throws IOException {
        return withSearcher(s -> graph(s).ancestry(processKey));
    }

    @Override
    public ProcessBranch children(String parentKey, int offset, int limit, String exclude, int levels, int budget) throws IOException {
        return withSearcher(s -> graph(s).children(parentKey, offset, limit, exclude, levels, budget));
    }

    private ProcessGraph graph(IndexSearcher s) throws IOException {
        return new ProcessGraph(new ProcessLookup(s, processes, processCaches, prepare(null)));
    }

    @Override
    public IndexStats stats() throws IOException {
        return withSearcher(s -> {
            DirectoryReader reader = (DirectoryReader) s.getIndexReader();
            long[] edges = tsEdges(s);
            long events = unfinished.isEmpty() ? reader.numDocs() : s.count(prepare(null, false));
            return new IndexStats(events, edges == null ? null : edges[0], edges == null ? null : edges[1], sizeOnDisk());
        });
    }

    /** The oldest and newest live event's time, null when there is none. */
    private static long[] tsEdges(IndexSearcher s) throws IOException {
        byte[] min = PointValues.getMinPackedValue(s.getIndexReader(), IndexFields.point(Field.TS));
        byte[] max = PointValues.getMaxPackedValue(s.getIndexReader(), IndexFields.point(Field.TS));
        if (min == null) return null;
        if (!s.getIndexReader().hasDeletions()) {
            return new long[] {LongPoint.decodeDimension(min, 0), LongPoint.decodeDimension(max, 0)};
        }
        // the points still hold deleted events (retention, a removed source) until merged
        Long first = edge(s, false);
        return first == null ? null : new long[] {first, edge(s, true)};
    }

    /** The newest or oldest live event's time: a one-hit sorted search, which skips through the ts points. */
    private static Long edge(IndexSearcher s, boolean newest) throws IOException {
        org.apache.lucene.search.Sort sort = new org.apache.lucene.search.Sort(
                new org.apache.lucene.search.SortField(IndexFields.TS, org.apache.lucene.search.SortField.Type.LONG, newest));
        TopFieldDocs top = s.search(new MatchAllDocsQuery(), 1, sort);
        return top.scoreDocs.length == 0 ? null : (Long) ((FieldDoc) top.scoreDocs[0]).fields[0];
    }

    private long sizeOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0L; // a segment file merged away while walking: no longer on disk
                }
            }).sum();
        }
    }

    /**
     * Null means all events; patterns and process-field clauses are resolved (QueryResolver). Events of
     * unfinished sources are left out, except those of a source being ingested now (searches show them,
     * partial); counts of the endpoint's events ({@code withPartial} false) leave those out too.
     */
    private Query prepare(Query query) throws IOException {
        return prepare(query, true);
    }

    private Query prepare(Query query, boolean withPartial) throws IOException {
        Query resolved = query == null ? new MatchAllDocsQuery() : QueryResolver.resolve(query, values, processes);
        List<BytesRef> labels = unfinished.keySet().stream()
                .filter(l -> !withPartial || !ingesting.containsKey(l))
                .map(l -> new BytesRef(IndexFields.normalize(l))).toList();
        if (labels.isEmpty()) return resolved;
        return new org.apache.lucene.search.BooleanQuery.Builder()
                .add(resolved, org.apache.lucene.search.BooleanClause.Occur.MUST)
                .add(new org.apache.lucene.search.TermInSetQuery(IndexFields.term(Field.SOURCE), labels),
                        org.apache.lucene.search.BooleanClause.Occur.MUST_NOT)
                .build();
    }

    interface SearcherFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** Runs the function on an acquired searcher (retrying if the reader was swapped for the writer's). */
    <T> T withSearcher(SearcherFunction<T> function) throws IOException {
        long now = System.nanoTime();
        boolean quiet = now - lastSearchNanos > SEARCH_WINDOW_NANOS;
        lastSearchNanos = now;
        if (quiet && dirty.get() && writer != null) {
            refresh(); // the background refresh was idle: catch up before answering
        }
        while (true) {
            ensureOpen();
            SearcherManager m = searchers;
            IndexSearcher s;
            try {
                s = m.acquire();
            } catch (AlreadyClosedException e) {
                if (m != searchers) continue;
                throw e;
            }
            try {
                return function.apply(s);
            } finally {
                m.release(s);
            }
        }
    }

    private IndexWriter writer() throws IOException {
        IndexWriter w = writer;
        return w != null ? w : openWriter();
    }

    private synchronized IndexWriter openWriter() throws IOException {
        ensureOpen();
        if (writer != null) return writer;
        IndexWriterConfig config = new IndexWriterConfig()
                .setRAMBufferSizeMB(RAM_BUFFER_MB)
                .setCommitOnClose(false);
        IndexWriter w = new IndexWriter(events, config);
        uids = uidHashes(w);
        SearcherManager old = searchers;
        searchers = new SearcherManager(w, null);
        writer = w;
        if (old != null) old.close();
        refreshTask = Refresher.schedule(this::backgroundRefresh);
        return w;
    }

    /** Per segment rather than through MultiTerms: a uid in two segments just hashes twice. */
    private static UidHashes uidHashes(IndexWriter w) throws IOException {
        UidHashes hashes = new UidHashes();
        try (DirectoryReader reader = DirectoryReader.open(w)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                Terms terms = leaf.reader().terms(IndexFields.term(Field.EVENT_UID));
                if (terms == null) continue;
                TermsEnum te = terms.iterator();
                for (BytesRef t = te.next(); t != null; t = te.next()) hashes.add(UidHashes.hash(t));
            }
        }
        return hashes;
    }

    private void backgroundRefresh() {
        if (closed || System.nanoTime() - lastSearchNanos > SEARCH_WINDOW_NANOS || !dirty.getAndSet(false)) return;
        try {
            values.refresh();
            processes.refresh();
            searchers.maybeRefresh(); // non-blocking: skip a round when a caller is refreshing
        } catch (AlreadyClosedException e) {
            // closed between the check and the refresh: nothing left to refresh
        } catch (IOException e) {
            backgroundFailure = e; // surfaced by the next add
        } catch (UncheckedIOException e) {
            backgroundFailure = e.getCause();
        }
    }

    private static boolean[] allTrue() {
        boolean[] all = new boolean[Field.count()];
        Arrays.fill(all, true);
        return all;
    }

    private void ensureOpen() {
        if (closed) throw new AlreadyClosedException("index " + dir + " is closed");
    }

    boolean isClosed() {
        return closed;
    }

    Path dir() {
        return dir;
    }

    /** Commits pending writes and releases the index. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        try {
            if (refreshTask != null) refreshTask.cancel(false);
            if (writer != null && writer.isOpen()) {
                values.commit();
                processes.commit();
                writer.commit();
            }
        } finally {
            closed = true;
            try (Directory e = events; ValueDictionary v = values; ProcessVariants p = processes; IndexWriter w = writer;
                    SearcherManager m = searchers) {
                // closed in reverse order: searchers, writer, variants, dictionary, directory
            }
        }
    }
}
