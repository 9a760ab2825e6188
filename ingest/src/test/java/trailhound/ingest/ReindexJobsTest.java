package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.IndexBackend;
import trailhound.samples.SampleGenerator;
import trailhound.store.EndpointInfo;
import trailhound.store.JobInfo;

class ReindexJobsTest {
    @TempDir
    Path tmp;

    private static long count(DataDir data, String endpoint) throws Exception {
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return lease.index().count(null);
        }
    }

    private static String current(DataDir data, String endpoint) throws Exception {
        return Files.readString(data.endpointDir(endpoint).resolve("index").resolve("CURRENT")).strip();
    }

    @Test
    void jobLeftRunningByACrash_resumesSkippingFinishedEndpoints_andEndsWithEveryEvent() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            for (Path f : SampleGenerator.generate(tmp.resolve("samples"), 3, 9_000, 41, n -> {})) new Ingestor(data).ingest(f, null);
            List<String> endpoints = data.catalogue().endpoints().stream().map(EndpointInfo::name).toList();
            long[] before = new long[3];
            for (int i = 0; i < 3; i++) before[i] = count(data, endpoints.get(i));
            // what a process killed mid-job leaves: the job running, its first endpoint done, the others not
            long id = data.store().jobs().create("reindex", "cli:test", endpoints, 9_000);
            data.store().jobs().start(id);
            data.store().jobs().part(id, endpoints.get(0), JobInfo.DONE, before[0], null);
            data.store().jobs().part(id, endpoints.get(1), JobInfo.RUNNING, 0, null);
            String firstGeneration = current(data, endpoints.get(0));

            try (ReindexJobs jobs = new ReindexJobs(data, 2)) {
                assertEquals(List.of(id), jobs.resumeUnfinished());
                JobInfo done = jobs.await(id, j -> {});
                assertEquals(JobInfo.DONE, done.state(), done.toString());
                assertEquals(3, done.endpointsDone());
                assertTrue(done.parts().stream().allMatch(p -> p.state().equals(JobInfo.DONE)), done.toString());
            }
            assertEquals(firstGeneration, current(data, endpoints.get(0)), "a finished endpoint is not rebuilt again");
            assertEquals("2", current(data, endpoints.get(1)));
            for (int i = 0; i < 3; i++) assertEquals(before[i], count(data, endpoints.get(i)));
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }

    /** Third check: a job naming one endpoint three times counted its events three times. */
    @Test
    void anEndpointNamedTwice_isRebuiltAndCountedOnce() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            for (Path f : SampleGenerator.generate(tmp.resolve("samples"), 1, 2_000, 7, n -> {})) new Ingestor(data).ingest(f, null);
            String endpoint = data.catalogue().endpoints().get(0).name();
            try (ReindexJobs jobs = new ReindexJobs(data, 1)) {
                long id = jobs.submit(List.of(endpoint, endpoint, endpoint), "cli:test");
                JobInfo done = jobs.await(id, j -> {});
                assertEquals(JobInfo.DONE, done.state(), done.toString());
                assertEquals(1, done.parts().size());
                assertEquals(count(data, endpoint), done.eventsTotal(), done.toString());
            }
        }
    }

    /**
     * An ingest into an endpoint being rebuilt waits for the rebuild: had it written into the current
     * generation meanwhile, the rebuilt one (read from the sources complete at its start) would replace
     * it without those events.
     */
    @Test
    void ingestIntoAnEndpointBeingRebuilt_waitsForTheRebuild_andKeepsEveryEvent() throws Exception {
        Path first = SampleGenerator.generate(tmp.resolve("a"), 1, 5_000, 21, n -> {}).getFirst();
        Path second = SampleGenerator.generate(tmp.resolve("b"), 1, 5_000, 22, n -> {}).getFirst(); // the same host, another recorder
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport a = new Ingestor(data).ingest(first, null);
            String endpoint = a.endpoints().keySet().iterator().next();
            java.util.concurrent.CountDownLatch rebuilding = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            // threads of their own: the common pool has one thread on two cores, and the ingest queued behind the rebuild
            var threads = java.util.concurrent.Executors.newCachedThreadPool();
            var rebuild = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new Reindexer(data, 1).reindex(endpoint, (e, n) -> {
                        rebuilding.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            assertTrue(rebuilding.await(60, java.util.concurrent.TimeUnit.SECONDS));
            List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
            var ingest = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new Ingestor(data).onNote(notes::add).ingest(second, null);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (notes.isEmpty() && !ingest.isDone() && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(List.of("waiting for the re-index of " + endpoint + " to end"), notes, "the ingest says what it waits for");
            Thread.sleep(500);
            assertTrue(!ingest.isDone(), "the ingest waits while the endpoint is rebuilt");
            release.countDown();
            rebuild.get(60, java.util.concurrent.TimeUnit.SECONDS);
            IngestReport b = ingest.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(a.added() + b.added(), count(data, endpoint), "both sources' events, none lost to the rebuild");
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
            threads.shutdown();
        }
    }

    @Test
    void cancel_keepsTheCurrentGenerationAndRemovesThePartialOne() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            Path big = SampleGenerator.generate(tmp.resolve("samples"), 1, 120_000, 42, n -> {}).getFirst();
            String endpoint = new Ingestor(data).ingest(big, null).endpoints().keySet().iterator().next();
            long before = count(data, endpoint);
            try (ReindexJobs jobs = new ReindexJobs(data, 2)) {
                long id = jobs.submit(List.of(endpoint), "admin");
                boolean[] asked = {false};
                JobInfo end = jobs.await(id, j -> {
                    if (!asked[0] && j.eventsDone() > 0) asked[0] = jobs.cancel(id); // once it has started reading
                });
                assertTrue(asked[0], "the job was still running when cancelled");
                assertEquals(JobInfo.CANCELLED, end.state(), end.toString());
                assertEquals(JobInfo.CANCELLED, end.parts().getFirst().state());
            }
            assertEquals("1", current(data, endpoint));
            assertEquals(before, count(data, endpoint));
            try (var dirs = Files.list(data.endpointDir(endpoint).resolve("index"))) {
                assertEquals(List.of("1", "CURRENT"), dirs.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }
}
