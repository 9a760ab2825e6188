package trailhound.web.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;
import trailhound.access.Exports;
import trailhound.access.Scope;
import trailhound.index.EventSort;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.query.IndexFields;
import trailhound.query.QueryLanguage;
import trailhound.schema.Field;
import trailhound.store.EndpointInfo;
import trailhound.store.JobInfo;
import trailhound.store.Jobs;
import trailhound.store.SnapshotInfo;
import trailhound.web.BadRequest;
import trailhound.web.search.EventScope;

/**
 * Event exports as background jobs: each writes the matching events of one endpoint (or of every
 * endpoint the user may see) as one CSV inside an encrypted ZIP ({@link ExportZip}) at
 * {@code exports/<id>.zip}, streamed from the index in batches (never all in memory), with live
 * progress (rows written of the rows expected), Cancel, and no file left behind by a cancelled or
 * failed export (written to {@code <id>.zip.part}, renamed when complete; parts and unfinished jobs
 * left by a stopped server are cleaned up when this starts: a queued one is marked "not started", a
 * running one "stopped", each to be run again). Any finished export can be run again ({@link #again}:
 * the same request, with the caller's groups as they are now). An export from a live connection's view
 * ({@code live}) stops after {@code liveMaxRows} rows, as the seed's did; from the index and
 * snapshots it is unlimited. Thread-safe; {@link #close} stops the workers (their parts are removed).
 */
public final class ExportJobs implements AutoCloseable {
    /** The most rows an export from a live connection's view writes unless configured otherwise. */
    public static final long DEFAULT_LIVE_MAX_ROWS = 10_000;

    /**
     * What to export: one {@code endpoint} or every endpoint the user may see ({@code all}); the query
     * text ({@code q}, blank: every event), a snapshot of that endpoint, the time window as the grid
     * takes it ({@code from}, {@code to}), only the events with these {@code event_uids} (selected
     * rows; empty: the whole result), and whether it comes from a live connection's view.
     */
    public record Request(String endpoint, boolean all, String q, String snapshot, String from, String to, List<String> eventUids,
            boolean live) {
        public Request {
            q = q == null ? "" : q;
            eventUids = eventUids == null ? List.of() : List.copyOf(eventUids);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Why an export queued when the server stopped never ran: nothing of it was written. */
    static final String NOT_STARTED = "not started: the server stopped before it began; Run again to start it";
    /** Why an export running when the server stopped has no file. */
    static final String STOPPED = "the server stopped during the export: Run again to start it anew";

    private final DataDir data;
    private final Jobs jobs;
    private final QueryLanguage language;
    private final long liveMaxRows;
    private final ExecutorService workers;
    private final Map<Long, AtomicLong> written = new ConcurrentHashMap<>();
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /** Called after each row an export writes (tests stop an export at a known row with it). */
    interface RowHook {
        void written(long id, long rows) throws IOException;
    }

    private final RowHook hook;

    /** Cleans up after a stopped server (unfinished exports failed, their parts removed) and starts {@code threads} workers. */
    public ExportJobs(DataDir data, QueryLanguage language, long liveMaxRows, int threads) {
        this(data, language, liveMaxRows, threads, (id, rows) -> {});
    }

    ExportJobs(DataDir data, QueryLanguage language, long liveMaxRows, int threads, RowHook hook) {
        this.hook = hook;
        if (liveMaxRows < 1) throw new IllegalArgumentException("the live export row limit must be at least 1, not " + liveMaxRows);
        this.data = data;
        this.jobs = data.store().jobs();
        this.language = language;
        this.liveMaxRows = liveMaxRows;
        this.workers = Executors.newFixedThreadPool(Math.max(1, threads), Thread.ofPlatform().daemon().name("export-", 0).factory());
        // the runner's scope (the owner's groups as they were) is gone with the stop: each is offered to Run again instead
        List<Long> cut = jobs.failUnfinished(Exports.KIND, NOT_STARTED, STOPPED);
        if (!cut.isEmpty()) System.err.println("trailhound: " + cut.size() + " exports were cut by the server's stop; marked failed");
        removeParts(data.root().resolve(Exports.FOLDER));
    }

    private static void removeParts(Path folder) {
        if (!Files.isDirectory(folder)) return;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(folder, "*.part")) {
            for (Path p : parts) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the unfinished exports in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The most rows an export from a live connection's view writes. */
    public long liveMaxRows() {
        return liveMaxRows;
    }

    /**
     * Checks the request (role, endpoints, query, window), counts what it will write, queues it and
     * answers the export id. The work runs with {@code scope} (the caller's groups as they are now).
     *
     * @throws trailhound.access.AccessDeniedException for a read-only user
     * @throws trailhound.index.UnknownEndpointException for an endpoint the caller may not see
     * @throws BadRequest for a bad request (naming what is wrong)
     * @throws trailhound.query.QuerySyntaxException for bad query text
     */
    public long submit(Scope scope, Request request) throws IOException {
        scope.require(trailhound.access.Action.EXPORT);
        List<Part> parts = plan(scope, request);
        long total = 0;
        for (Part p : parts) {
            try (IndexBackend.Lease lease = scope.index(p.endpoint())) {
                total += lease.index().count(p.query());
            }
        }
        if (!request.eventUids().isEmpty() && total == 0) {
            // try-out: unknown uids made an export "done, 0 of 0" that said nothing of why
            int n = (int) request.eventUids().stream().distinct().count();
            throw new BadRequest(String.format(java.util.Locale.ROOT, "none of the %,d event uid%s exists among the events of %s%s: nothing"
                    + " to export; select rows in the grid, or give the event_uid values the search answers", n, n == 1 ? "" : "s",
                    request.all() ? "the endpoints you may see" : request.endpoint(),
                    request.q().isBlank() && blank(request.from()).isEmpty() && blank(request.to()).isEmpty() && request.snapshot() == null
                            ? "" : " that match the query, snapshot and time window given"));
        }
        long max = request.live() ? liveMaxRows : Long.MAX_VALUE;
        long expected = Math.min(total, max);
        String description = (request.all() ? "every endpoint" : request.endpoint()) + ", query '" + request.q() + "'"
                + (request.snapshot() == null ? "" : ", snapshot " + request.snapshot())
                + (request.eventUids().isEmpty() ? "" : ", " + request.eventUids().size() + " selected rows")
                + (request.live() ? ", live view (at most " + liveMaxRows + " rows)" : "") + ", " + expected + " rows";
        long id = scope.exports().submit(parts.stream().map(Part::endpoint).toList(), expected, JSON.writeValueAsString(request), description);
        written.put(id, new AtomicLong());
        long counted = total;
        workers.submit(() -> run(id, scope, parts, max, counted));
        return id;
    }

    /**
     * Starts export {@code id}'s request again as a new export (checked, counted and audited as
     * {@link #submit} does) and answers the new id.
     *
     * @throws trailhound.access.AccessException (unknown) when it is not the caller's
     * @throws IllegalStateException while it is queued or running
     */
    public long again(Scope scope, long id) throws IOException {
        JobInfo j = get(scope, id).orElseThrow(() -> trailhound.access.AccessException.unknown("no export " + id
                + " among yours; GET /api/v1/exports lists them"));
        if (!j.finished()) throw new IllegalStateException("export " + id + " is " + j.state() + ": wait for it to end, or cancel it");
        return submit(scope, JSON.readValue(scope.exports().spec(id), Request.class));
    }

    /** One endpoint's share of an export. */
    private record Part(String endpoint, Query query) {}

    private List<Part> plan(Scope scope, Request request) throws IOException {
        if (request.all() == (request.endpoint() != null)) {
            throw new BadRequest("name one endpoint (\"endpoint\": name) or every endpoint you may see (\"all\": true), not both or neither");
        }
        if (request.all() && request.snapshot() != null) throw new BadRequest("a snapshot belongs to one endpoint: name it with \"endpoint\"");
        List<String> endpoints = request.all()
                ? scope.endpoints().stream().map(EndpointInfo::name).filter(scope::hasIndex).toList()
                : List.of(request.endpoint());
        if (endpoints.isEmpty()) throw new BadRequest("you may see no endpoint with events: there is nothing to export");
        List<Part> parts = new ArrayList<>();
        for (String e : endpoints) {
            scope.endpoint(e);
            if (!scope.hasIndex(e)) throw new trailhound.index.UnknownEndpointException(e);
            SnapshotInfo snapshot = request.snapshot() == null ? null : scope.snapshot(e, request.snapshot())
                    .orElseThrow(() -> new BadRequest("endpoint '" + e + "' has no snapshot '" + request.snapshot() + "'"));
            Query q = new EventScope(e, request.q(), snapshot, blank(request.from()), blank(request.to())).query(language);
            if (!request.eventUids().isEmpty()) {
                List<BytesRef> terms = request.eventUids().stream().map(u -> new BytesRef(IndexFields.normalize(u))).distinct().toList();
                q = new BooleanQuery.Builder().add(q, BooleanClause.Occur.MUST)
                        .add(new TermInSetQuery(IndexFields.term(Field.EVENT_UID), terms), BooleanClause.Occur.FILTER).build();
            }
            parts.add(new Part(e, q));
        }
        return parts;
    }

    private static String blank(String s) {
        return s == null ? "" : s.strip();
    }

    private void run(long id, Scope scope, List<Part> parts, long max, long counted) {
        AtomicLong rows = written.get(id);
        Path part = Exports.partFile(data.root(), id);
        Path done = Exports.file(data.root(), id);
        Set<String> uids = uidsOf(id);
        int[] endpointsDone = {0};
        try {
            if (cancelled.contains(id) || jobs.get(id).map(JobInfo::cancelRequested).orElse(true)) throw new CancellationException();
            jobs.start(id);
            Files.createDirectories(part.getParent());
            long[] lastWrite = {System.nanoTime()};
            try (ExportZip zip = ExportZip.create(part, "trailhound_export_" + id + ".csv")) {
                for (Part p : parts) {
                    if (rows.get() >= max) break;
                    try (IndexBackend.Lease lease = scope.index(p.endpoint())) {
                        lease.index().export(p.query(), EventSort.NEWEST_FIRST, max - rows.get(), event -> {
                            if (cancelled.contains(id)) throw new CancellationException();
                            // uids are matched as lower-case terms: only the exact ones chosen are written
                            if (uids != null && !uids.contains(event.uid())) return;
                            zip.write(event);
                            hook.written(id, rows.incrementAndGet());
                            if (System.nanoTime() - lastWrite[0] > 1_000_000_000L) { // progress and a cancel from elsewhere, each second
                                lastWrite[0] = System.nanoTime();
                                jobs.progress(id, endpointsDone[0], rows.get());
                                if (jobs.get(id).map(JobInfo::cancelRequested).orElse(false)) cancelled.add(id);
                            }
                        });
                    }
                    jobs.part(id, p.endpoint(), JobInfo.DONE, 0, null);
                    jobs.progress(id, ++endpointsDone[0], rows.get());
                }
            }
            Files.move(part, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            jobs.progress(id, parts.size(), rows.get());
            // try-out: a live view's export stopped at its limit and said nothing of the events it left out
            String note = max != Long.MAX_VALUE && rows.get() >= max && counted > max
                    ? liveLimitNote(max, counted)
                    : null;
            // fourth try-out: uids that match no event (a typo, another endpoint's) were left out without a word
            if (note == null && uids != null && rows.get() < uids.size()) {
                long unknown = uids.size() - rows.get();
                note = String.format(java.util.Locale.ROOT, "%,d of the %,d event uids given match%s no event of the endpoints, query and time window exported: left out", unknown,
                        uids.size(), unknown == 1 ? "es" : "");
            }
            jobs.finish(id, JobInfo.DONE, note);
        } catch (CancellationException e) {
            deleteQuietly(part);
            if (closing) {
                jobs.finish(id, JobInfo.FAILED, STOPPED);
            } else {
                // fifth try-out: a cancelled job's figures were those of its last progress, up to a second before the message's
                jobs.progress(id, endpointsDone[0], rows.get());
                long of = Math.min(counted, max);
                jobs.finish(id, JobInfo.CANCELLED, "cancelled after " + (of > rows.get()
                        ? String.format(java.util.Locale.ROOT, "%,d of %,d rows", rows.get(), of)
                        : trailhound.web.Format.count(rows.get(), "row", "rows")) + ": no file kept");
            }
        } catch (Exception e) {
            deleteQuietly(part);
            jobs.finish(id, JobInfo.FAILED, String.valueOf(e.getMessage()));
        } finally {
            written.remove(id);
            cancelled.remove(id);
        }
    }

    /**
     * What an export from a live endpoint's view that stopped at its limit says, and what to do instead
     * (fourth try-out: it sent users to "the grid without the live view", which does not exist: that grid
     * is always the live view while an agent is enrolled).
     */
    public static String liveLimitNote(long max, long matched) {
        return String.format(java.util.Locale.ROOT, "stopped at the %,d-row limit of exports from a live endpoint's view; %,d events"
                + " matched. For all of them, choose one of the endpoint's snapshots above the grid and export from it, export from"
                + " Hunt (every endpoint's index, no limit), or ask an administrator to raise the limit (serve --live-export-max-rows N)",
                max, matched);
    }

    /** The exact uids of a selected-rows export, null for a whole result. */
    private Set<String> uidsOf(long id) {
        try {
            Request r = JSON.readValue(jobs.spec(id).orElse("{}"), Request.class);
            return r.eventUids().isEmpty() ? null : Set.copyOf(r.eventUids());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("trailhound: cannot remove the unfinished export " + p + ": " + e.getMessage());
        }
    }

    /**
     * The export as the caller may see it, with the live row count of a running one.
     *
     * @throws trailhound.access.AccessException (unknown) when it is not the caller's
     */
    public Optional<JobInfo> get(Scope scope, long id) {
        return scope.exports().find(id).map(this::withLive);
    }

    /** The caller's newest exports (administrators: everyone's), with live counts. */
    public List<JobInfo> list(Scope scope, int limit) {
        return scope.exports().list(limit).stream().map(this::withLive).toList();
    }

    private JobInfo withLive(JobInfo j) {
        AtomicLong rows = written.get(j.id());
        if (rows == null || j.finished()) return j;
        return new JobInfo(j.id(), j.kind(), j.owner(), j.state(), j.createdAt(), j.startedAt(), j.finishedAt(), j.endpointsTotal(),
                j.endpointsDone(), j.eventsTotal(), rows.get(), j.message(), j.cancelRequested() || cancelled.contains(j.id()), j.parts());
    }

    /**
     * Stops the export; false when it had ended.
     *
     * @throws trailhound.access.AccessException (unknown) when it is not the caller's
     */
    public boolean cancel(Scope scope, long id) {
        boolean asked = scope.exports().cancel(id);
        if (asked) cancelled.add(id);
        return asked;
    }

    /** Waits until the export has ended (for tests and the CLI), polling every 50 ms; answers its final state. */
    public JobInfo await(Scope scope, long id) throws InterruptedException {
        while (true) {
            JobInfo j = get(scope, id).orElseThrow();
            if (j.finished() && !written.containsKey(id)) return j;
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        closing = true;
        cancelled.addAll(written.keySet());
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
