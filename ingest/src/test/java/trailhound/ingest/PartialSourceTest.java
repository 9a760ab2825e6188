package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.EventIndex;
import trailhound.index.EventPage;
import trailhound.index.IndexBackend;
import trailhound.index.SourceProgress;
import trailhound.recorder.RecorderReader;
import trailhound.samples.SampleGenerator;
import trailhound.store.SourceInfo;

/**
 * While a big snapshot is being ingested its events so far are searchable, newest first, marked
 * partial and not counted; once it completes they count; if it fails they disappear again. The
 * ingest is held still at its 50,000th event (its progress callback waits) while the test looks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartialSourceTest {
    private static final long EVENTS = 80_000;

    @TempDir
    static Path tmp;

    private Path snapshot;
    private long rows;
    private long newestTs;

    @BeforeAll
    void generate() throws Exception {
        snapshot = SampleGenerator.generate(tmp.resolve("samples"), 1, EVENTS, 61, n -> {}).getFirst();
        try (RecorderReader reader = RecorderReader.open(snapshot)) {
            rows = reader.eventCount();
            newestTs = reader.lastTs().orElseThrow();
        }
    }

    @Test
    void duringAnIngest_itsNewestEventsAnswerFirst_markedPartial_andCountOnlyWhenComplete() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("ok"))) {
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            CompletableFuture<IngestReport> ingest = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Ingestor(data, 2).onProgress(n -> holdAt(n, paused, resume)).ingest(snapshot, null);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(paused.await(60, TimeUnit.SECONDS), "the ingest reached 50,000 events");
            String endpoint = data.indexes().endpoints().getFirst();
            try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                EventIndex index = lease.index();
                EventPage page = waitForEvents(index, 40_000);
                assertEquals(newestTs, page.events().getFirst().ts(), "the snapshot's newest event answers first");
                SourceProgress progress = page.partial().getFirst();
                assertEquals("s1", progress.source());
                assertEquals(rows, progress.expected());
                assertTrue(progress.events() >= 40_000 && progress.events() <= 50_000, "indexed so far, of 50,000 read: " + progress);
                assertEquals(0, index.stats().eventCount(), "an unfinished source's events are not counted");
                assertEquals(SourceInfo.INGESTING, data.store().sources().get(1).orElseThrow().state());
            } finally {
                resume.countDown();
            }
            IngestReport report = ingest.get(120, TimeUnit.SECONDS);
            try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                assertEquals(report.added(), lease.index().stats().eventCount());
                EventPage page = lease.index().search(null, 1, null);
                assertEquals(report.added(), page.total());
                assertEquals(List.of(), page.partial(), "complete: no longer partial");
            }
        }
    }

    @Test
    void anIngestThatFails_takesItsPartialEventsAwayAgain() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("failed"))) {
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            CompletableFuture<IngestReport> ingest = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Ingestor(data, 2).onProgress(n -> {
                        holdAt(n, paused, resume);
                        if (n == 50_000) throw new IllegalStateException("disk full (injected)");
                    }).ingest(snapshot, null);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(paused.await(60, TimeUnit.SECONDS));
            String endpoint = data.indexes().endpoints().getFirst();
            try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                waitForEvents(lease.index(), 40_000);
            } finally {
                resume.countDown();
            }
            Exception failed = assertThrows(Exception.class, () -> ingest.get(120, TimeUnit.SECONDS));
            assertTrue(String.valueOf(failed.getCause()).contains("disk full"), String.valueOf(failed.getCause()));
            try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                EventPage page = lease.index().search(null, 1, null);
                assertEquals(0, page.total(), "the failed source's events are gone");
                assertEquals(List.of(), page.partial());
                assertEquals(0, lease.index().countSource("s1"));
            }
            assertEquals(SourceInfo.FAILED, data.store().sources().get(1).orElseThrow().state());
        }
    }

    /** Holds the ingest still at its 50,000th event until the test has looked. */
    private static void holdAt(long read, CountDownLatch paused, CountDownLatch resume) {
        if (read != 50_000) return;
        paused.countDown();
        try {
            if (!resume.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("the test never resumed the ingest");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Searches until the index's workers have indexed at least {@code atLeast} of the queued events. */
    private static EventPage waitForEvents(EventIndex index, long atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            EventPage page = index.search(null, 1, null);
            if (page.total() >= atLeast) return page;
            if (System.nanoTime() > deadline) throw new AssertionError("only " + page.total() + " partial events searchable");
            Thread.sleep(50);
        }
    }
}
