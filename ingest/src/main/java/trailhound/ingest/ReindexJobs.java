package trailhound.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import trailhound.store.JobInfo;
import trailhound.store.Jobs;

/**
 * Bulk re-index jobs: each job rebuilds a set of endpoints (see {@link Reindexer}), endpoints in
 * parallel up to the cores, one rebuild per endpoint at a time across jobs. Jobs and their
 * per-endpoint parts persist in server.db with live progress (written every second); a job
 * interrupted by a stop or kill -9 is taken up again by {@link #resumeUnfinished()} and ends with
 * exactly the events of an uninterrupted run (finished endpoints are kept, the others rebuilt from
 * their sources). Cancel keeps each endpoint's current generation and throws away the partial one.
 *
 * <p>Thread-safe. One instance per data folder and process; {@link #close()} stops the workers
 * (running rebuilds are abandoned and resume on the next start).
 */
public final class ReindexJobs implements AutoCloseable {
    private final DataDir data;
    private final Reindexer reindexer;
    private final Jobs jobs;
    private final ExecutorService coordinators = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("reindex-job-", 0).factory());
    private final ExecutorService workers;
    private final ScheduledExecutorService progressWriter =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("reindex-progress").factory());
    private final Map<Long, Live> live = new ConcurrentHashMap<>();
    private final Map<Long, Future<?>> scheduled = new ConcurrentHashMap<>();

    /** In-memory progress of a running job, written to server.db every second. */
    private static final class Live {
        final Map<String, Long> eventsByEndpoint = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicLong endpointsDone = new java.util.concurrent.atomic.AtomicLong();
        volatile boolean cancelled;

        long events() {
            return eventsByEndpoint.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public ReindexJobs(DataDir data, int parallelism) {
        this.data = data;
        int threads = Math.max(1, parallelism);
        this.reindexer = new Reindexer(data, 1); // parallel over endpoints, not within one
        this.jobs = data.store().jobs();
        this.workers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("reindex-", 0).factory());
        progressWriter.scheduleWithFixedDelay(this::writeProgress, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Queues a re-index of the endpoints; returns the job id.
     *
     * @throws IllegalArgumentException naming an endpoint the catalogue does not know, or when the list is empty
     */
    public long submit(List<String> endpoints, String owner) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("a re-index needs at least one endpoint");
        List<String> distinct = List.copyOf(new java.util.LinkedHashSet<>(endpoints)); // one named twice is rebuilt once
        long total = 0;
        for (String e : distinct) {
            if (data.catalogue().endpoint(e).isEmpty()) throw new IllegalArgumentException("unknown endpoint '" + e + "'");
            total += reindexer.expectedEvents(e);
        }
        long id = jobs.create("reindex", owner, distinct, total);
        schedule(id);
        return id;
    }

    /** Takes up every queued or running job left by an earlier process (a stop, a crash); returns their ids. */
    public List<Long> resumeUnfinished() {
        List<Long> ids = new ArrayList<>();
        for (JobInfo j : jobs.unfinished()) {
            if (j.kind().equals("reindex") && !scheduled.containsKey(j.id())) {
                schedule(j.id());
                ids.add(j.id());
            }
        }
        return ids;
    }

    /** The job as stored, with the live event count of a running one. */
    public Optional<JobInfo> get(long id) {
        return jobs.get(id).map(this::withLive);
    }

    /** The newest jobs, with live counts. */
    public List<JobInfo> list(int limit) {
        return jobs.list(limit).stream().map(this::withLive).toList();
    }

    /** Asks the job to stop; false when it had ended (or does not exist). */
    public boolean cancel(long id) {
        boolean asked = jobs.requestCancel(id);
        Live l = live.get(id);
        if (l != null) l.cancelled = true;
        return asked;
    }

    /** Waits until the job has ended, calling {@code progress} about every 250 ms; returns its final state. */
    public JobInfo await(long id, java.util.function.Consumer<JobInfo> progress) throws InterruptedException {
        while (true) {
            JobInfo j = get(id).orElseThrow(() -> new IllegalArgumentException("no job " + id));
            Future<?> f = scheduled.get(id);
            if (j.finished() && f == null) return j;
            progress.accept(j);
            Thread.sleep(250);
        }
    }

    private JobInfo withLive(JobInfo j) {
        Live l = live.get(j.id());
        if (l == null) return j;
        return new JobInfo(j.id(), j.kind(), j.owner(), j.state(), j.createdAt(), j.startedAt(), j.finishedAt(),
                j.endpointsTotal(), l.endpointsDone.get(), j.eventsTotal(), l.events(), j.message(), j.cancelRequested() || l.cancelled,
                j.parts());
    }

    private void schedule(long id) {
        scheduled.computeIfAbsent(id, k -> coordinators.submit(() -> {
            try {
                run(id);
            } finally {
                scheduled.remove(id);
            }
        }));
    }

    private void run(long id) {
        JobInfo job = jobs.get(id).orElse(null);
        if (job == null || job.finished()) return;
        Live l = new Live();
        l.cancelled = job.cancelRequested();
        for (JobInfo.Part p : job.parts()) {
            if (p.state().equals(JobInfo.DONE)) {
                l.eventsByEndpoint.put(p.endpoint(), p.events());
                l.endpointsDone.incrementAndGet();
            }
        }
        live.put(id, l);
        try {
            jobs.start(id);
            List<Future<String>> parts = new ArrayList<>();
            for (JobInfo.Part p : job.parts()) {
                if (p.state().equals(JobInfo.DONE)) continue; // finished before a stop: its generation is in place
                parts.add(workers.submit(() -> runPart(id, p.endpoint(), l)));
            }
            String outcome = JobInfo.DONE;
            String message = null;
            for (Future<String> f : parts) {
                String[] result = f.get().split("\n", 2);
                if (result[0].equals(JobInfo.FAILED) && !outcome.equals(JobInfo.FAILED)) {
                    outcome = JobInfo.FAILED;
                    message = result[1];
                } else if (result[0].equals(JobInfo.CANCELLED) && outcome.equals(JobInfo.DONE)) {
                    outcome = JobInfo.CANCELLED;
                    message = "cancelled";
                }
            }
            writeProgress(id, l);
            jobs.finish(id, outcome, message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the job stays running and resumes on the next start
        } catch (Exception e) {
            jobs.finish(id, JobInfo.FAILED, String.valueOf(e.getMessage()));
        } finally {
            live.remove(id);
        }
    }

    /** Rebuilds one endpoint; answers "state\nmessage". */
    private String runPart(long id, String endpoint, Live l) {
        try { // the Reindexer has the endpoint alone (DataDir's endpoint locks): one rebuild of it at a time
            if (l.cancelled) {
                jobs.part(id, endpoint, JobInfo.CANCELLED, 0, null);
                return JobInfo.CANCELLED + "\n";
            }
            jobs.part(id, endpoint, JobInfo.RUNNING, 0, null);
            Reindexer.Result r = reindexer.reindex(endpoint, (e, n) -> {
                if (l.cancelled) throw new CancellationException("cancelled");
                l.eventsByEndpoint.put(e, n);
            });
            l.eventsByEndpoint.put(endpoint, r.events());
            l.endpointsDone.incrementAndGet();
            jobs.part(id, endpoint, JobInfo.DONE, r.events(), r.remarks().isEmpty() ? null : String.join("; ", r.remarks()));
            return JobInfo.DONE + "\n";
        } catch (CancellationException e) {
            l.eventsByEndpoint.remove(endpoint);
            jobs.part(id, endpoint, JobInfo.CANCELLED, 0, null);
            return JobInfo.CANCELLED + "\n";
        } catch (IOException | RuntimeException e) {
            l.eventsByEndpoint.remove(endpoint);
            String message = endpoint + ": " + e.getMessage();
            jobs.part(id, endpoint, JobInfo.FAILED, 0, message);
            return JobInfo.FAILED + "\n" + message;
        }
    }

    private void writeProgress() {
        for (var e : live.entrySet()) {
            try {
                writeProgress(e.getKey(), e.getValue());
                if (!e.getValue().cancelled && jobs.get(e.getKey()).map(JobInfo::cancelRequested).orElse(false)) {
                    e.getValue().cancelled = true; // asked by another process (or after a restart)
                }
            } catch (RuntimeException ignored) {
                // the next round writes it
            }
        }
    }

    private void writeProgress(long id, Live l) {
        jobs.progress(id, l.endpointsDone.get(), l.events());
    }

    @Override
    public void close() {
        progressWriter.shutdownNow();
        coordinators.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
