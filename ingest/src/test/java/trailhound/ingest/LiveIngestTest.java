package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.IndexBackend;
import trailhound.schema.Event;
import trailhound.schema.Field;

/** Live batches into journals and indexes, as the server's agent connections hand them over. */
class LiveIngestTest {
    @TempDir
    Path tmp;

    private static List<Event> batch(String endpoint, long first, int n) {
        List<Event> events = new ArrayList<>(n);
        for (long i = first; i < first + n; i++) {
            events.add(Event.builder().set(Field.EVENT_UID, endpoint + ":" + i).ts(1_764_000_000_000L + i).set(Field.TYPE, "process")
                    .set(Field.OPERATION, "start").set(Field.PROCESS_NAME, "p" + (i % 7) + ".exe").build());
        }
        return events;
    }

    private static long count(DataDir data, String endpoint) throws IOException {
        if (!data.indexes().exists(endpoint)) return 0;
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return lease.index().count(null);
        }
    }

    /** Polls until the endpoint's index counts {@code expected} (refreshed by the search itself), at most 60 s. */
    private static long awaitCount(DataDir data, String endpoint, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long n;
        while ((n = count(data, endpoint)) != expected && System.nanoTime() < deadline) Thread.sleep(20);
        return n;
    }

    /** Policy events an agent sends at once (priority), then again in its batches: journalled and indexed once, positions untouched. */
    @Test
    void priorityEvents_thenTheSameInABatch_heldOnce() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("data")); LiveIngest live = new LiveIngest(data)) {
            data.catalogue().upsertEndpoint("guard", "linux", "guard", null);
            List<Event> stream = batch("guard", 1, 20);
            List<Event> urgent = List.of(stream.get(4), stream.get(11));
            assertEquals(2, live.priority("guard", urgent));
            assertEquals(0, live.priority("guard", urgent), "sent twice: nothing new");
            assertEquals(2, live.journalEvents("guard"));
            assertEquals(2, awaitCount(data, "guard", 2), "indexed without any batch");
            assertEquals(0, live.acknowledged("guard", "a0000000000000001"), "no position: the batches still bring them");

            assertEquals(20, live.append("guard", "a0000000000000001", 20, stream));
            assertEquals(20, live.journalEvents("guard"), "source = journal: 20 distinct uids");
            assertEquals(20, awaitCount(data, "guard", 20));
            live.commit();
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }

    /** More streaming endpoints than the cache of open indexes holds (64), from several connection threads at once. */
    @Test
    void manyEndpointsStreamingAtOnce_everyEventJournalledAndIndexedOnce() throws Exception {
        int endpoints = DataDir.MAX_OPEN_INDEXES + 6;
        int batches = 6;
        int size = 25;
        try (DataDir data = DataDir.open(tmp.resolve("data")); LiveIngest live = new LiveIngest(data)) {
            ExecutorService connections = Executors.newFixedThreadPool(8);
            List<Future<?>> sent = new ArrayList<>();
            for (int n = 0; n < endpoints; n++) {
                String endpoint = "ws-" + n;
                data.catalogue().upsertEndpoint(endpoint, "linux", endpoint, null);
                sent.add(connections.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        long first = (long) b * size + 1;
                        assertEquals(first + size - 1, live.append(endpoint, "a0000000000000001", first + size - 1, batch(endpoint, first, size)));
                    }
                    // the last batch again, as after a lost ack: acknowledged, stored and indexed once
                    long last = (long) batches * size;
                    live.append(endpoint, "a0000000000000001", last, batch(endpoint, last - size + 1, size));
                    return null;
                }));
            }
            for (Future<?> f : sent) f.get(120, TimeUnit.SECONDS);
            connections.shutdown();
            for (int n = 0; n < endpoints; n++) {
                assertEquals(batches * size, live.journalEvents("ws-" + n));
                assertEquals(batches * size, awaitCount(data, "ws-" + n, batches * size), "ws-" + n);
            }
            live.commit();
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }

    /**
     * An endpoint keeps its index open while it streams; a re-index replaces that index with a new
     * generation, and what arrives after must go into the new one, not the one it held.
     */
    @Test
    void reindexWhileStreaming_laterEventsGoIntoTheNewGeneration() throws Exception {
        String endpoint = "ws-live";
        try (DataDir data = DataDir.open(tmp.resolve("data")); LiveIngest live = new LiveIngest(data)) {
            data.catalogue().upsertEndpoint(endpoint, "linux", endpoint, null); // as its agent's enrolment does
            AtomicBoolean stop = new AtomicBoolean();
            long[] sent = {0};
            Thread agent = Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        live.append(endpoint, "a0000000000000002", sent[0] + 20, batch(endpoint, sent[0] + 1, 20));
                        sent[0] += 20;
                        Thread.sleep(2);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(data, endpoint) == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            for (int i = 0; i < 3; i++) {
                new Reindexer(data, 1).reindex(endpoint, (e, n) -> {});
                Thread.sleep(100);
            }
            stop.set(true);
            agent.join(60_000);
            long after = sent[0];
            assertEquals(after, live.journalEvents(endpoint));
            assertEquals(after, awaitCount(data, endpoint, after), "every event sent, in the generation searched now");
            live.commit();
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }

    /**
     * A catch-up whose backlog was exactly two batches: the range closes with the second (full) batch, and an
     * agent older than session 19 then sent an empty last catch-up batch claiming the position above the live
     * edge. Taken, it acknowledged a position never received and the agent dropped that event unsent (bench
     * --live: one event of 3 million missing). It holds nothing now, and the event still comes and is kept.
     */
    @Test
    void emptyCatchUpBatch_afterTheRangeClosed_acknowledgesNothingMore() throws Exception {
        String endpoint = "ws-catchup";
        String agent = "a0000000000000004";
        try (DataDir data = DataDir.open(tmp.resolve("data"));
                LiveJournal journal = LiveJournal.open(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) {
            journal.append(agent, 501, 1000, true, 1000, batch(endpoint, 501, 500)); // the newest 500 of 1,000 waiting
            journal.append(agent, 1001, 1400, false, 0, batch(endpoint, 1001, 400)); // new events: the live edge
            Positions closed = journal.append(agent, 1, 500, true, 0, batch(endpoint, 1, 500)).positions(); // full, and the last
            assertEquals(new Positions(1400, 0, 0, 1000, 1000), closed, "the range merged: everything up to the live edge held");

            LiveJournal.Appended empty = journal.append(agent, 1401, 1401, true, 0, List.of());
            assertEquals(1400, empty.positions().acknowledged(), "1401 was never sent: not acknowledged");
            assertEquals(1400, journal.positions(agent).acknowledged());

            assertEquals(1401, journal.append(agent, 1401, 1401, false, 0, batch(endpoint, 1401, 1)).positions().acknowledged());
            assertEquals(1401, journal.count(), "every position 1..1401 held once");
        }
    }

    /** What was journalled (acknowledged) but not yet indexed when the server stopped is indexed at the next start. */
    @Test
    void journalledButUnindexed_isIndexedWhenTheEndpointIsNextOpened() throws Exception {
        String endpoint = "ws-restart";
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            try (LiveJournal journal = LiveJournal.open(data.endpointDir(endpoint).resolve(LiveJournal.FILE))) {
                journal.append("a0000000000000003", 1, 500, false, 0, batch(endpoint, 1, 500)); // as a killed server left it
            }
            assertEquals(0, count(data, endpoint));
            try (LiveIngest live = new LiveIngest(data)) {
                assertEquals(500, live.acknowledged(endpoint, "a0000000000000003"));
                assertEquals(500, awaitCount(data, endpoint, 500));
                live.append(endpoint, "a0000000000000003", 510, batch(endpoint, 501, 10));
                assertEquals(510, awaitCount(data, endpoint, 510));
            }
            assertEquals(510, count(data, endpoint), "committed at close");
        }
    }

    /**
     * Backpressure: while the index cannot take an endpoint's events (here: a rebuild holds it), acks
     * beyond MAX_WAITING_EVENTS waiting events are held back, in order, and sent when the index takes them.
     */
    @Test
    void indexBehind_acksHeldBackInOrder_thenSent() throws Exception {
        String endpoint = "ws-slow";
        try (DataDir data = DataDir.open(tmp.resolve("data")); LiveIngest live = new LiveIngest(data)) {
            data.catalogue().upsertEndpoint(endpoint, "linux", endpoint, null);
            List<Long> acked = new java.util.concurrent.CopyOnWriteArrayList<>();
            int size = 50;
            int batches = 3 * LiveIngest.MAX_WAITING_EVENTS / size;
            // a first batch indexed before the index is held: an endpoint opens reading its journal (a catch-up), and
            // batches appended before that read starts wait in the journal, not in memory, so no ack would wait
            // (the suite once ran the appends before the indexing thread did: every ack went at once)
            live.append(endpoint, "a0000000000000004", 1, size, false, 0, batch(endpoint, 1, size), held -> acked.add(held.acknowledged()));
            assertEquals(size, awaitCount(data, endpoint, size));
            try (EndpointLocks.Held rebuild = data.endpointLocks().rebuilding(endpoint, "test")) {
                for (int b = 1; b < batches; b++) {
                    long first = (long) b * size + 1;
                    live.append(endpoint, "a0000000000000004", first, first + size - 1, false, 0, batch(endpoint, first, size),
                            held -> acked.add(held.acknowledged()));
                }
                Thread.sleep(200);
                assertTrue(acked.size() < batches, "some acks wait while the index cannot take events: " + acked);
                assertTrue(acked.size() >= LiveIngest.MAX_WAITING_EVENTS / size, "the first are sent at once: " + acked);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.size() < batches && System.nanoTime() < deadline) Thread.sleep(10);
            List<Long> expected = new ArrayList<>();
            for (int b = 1; b <= batches; b++) expected.add((long) b * size);
            assertEquals(expected, acked, "every ack, in order");
            assertEquals(batches * size, awaitCount(data, endpoint, batches * size));
        }
    }

    /**
     * Many endpoints whose index cannot keep up: the events held in memory stay within the budget, the
     * rest is read back from the journal, and every event is indexed once and every ack sent, in order.
     */
    @Test
    void manyEndpointsBehind_memoryHoldsAtMostTheBudget_restReadBackFromTheJournal() throws Exception {
        int endpoints = 4;
        int size = 50;
        int batches = 12;
        long budget = 300;
        try (DataDir data = DataDir.open(tmp.resolve("data")); LiveIngest live = new LiveIngest(data, budget)) {
            Map<String, List<Long>> acked = new java.util.concurrent.ConcurrentHashMap<>();
            List<EndpointLocks.Held> blocked = new ArrayList<>();
            for (int n = 0; n < endpoints; n++) {
                String endpoint = "ws-behind-" + n;
                data.catalogue().upsertEndpoint(endpoint, "linux", endpoint, null);
                blocked.add(data.endpointLocks().rebuilding(endpoint, "test")); // the index takes nothing meanwhile
                acked.put(endpoint, new java.util.concurrent.CopyOnWriteArrayList<>());
            }
            long most = 0;
            for (int b = 0; b < batches; b++) {
                for (int n = 0; n < endpoints; n++) {
                    String endpoint = "ws-behind-" + n;
                    long first = (long) b * size + 1;
                    live.append(endpoint, "a0000000000000005", first, first + size - 1, false, 0, batch(endpoint, first, size),
                            held -> acked.get(endpoint).add(held.acknowledged()));
                    most = Math.max(most, live.heldEvents());
                }
            }
            assertTrue(most <= budget, "at most the budget in memory, was " + most);
            for (EndpointLocks.Held h : blocked) h.close();
            for (int n = 0; n < endpoints; n++) {
                String endpoint = "ws-behind-" + n;
                assertEquals(batches * size, awaitCount(data, endpoint, batches * size), endpoint);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (acked.get(endpoint).size() < batches && System.nanoTime() < deadline) Thread.sleep(10);
                List<Long> expected = new ArrayList<>();
                for (int b = 1; b <= batches; b++) expected.add((long) b * size);
                assertEquals(expected, acked.get(endpoint), endpoint + ": every ack, in order");
            }
            assertEquals(0, live.heldEvents());
        }
    }

    /**
     * Session 15: a batch taken for indexing was no longer counted, so the budget filled again beside it
     * (an overloaded bench held three budgets: waiting, taken, labelled). It counts until it is indexed.
     */
    @Test
    void aBatchBeingIndexed_stillCountsInTheBudget_untilIndexed() throws Exception {
        int size = 50;
        try (DataDir data = DataDir.open(tmp.resolve("data")); LiveIngest live = new LiveIngest(data, 300)) {
            String endpoint = "ws-slow";
            data.catalogue().upsertEndpoint(endpoint, "linux", endpoint, null);
            live.append(endpoint, "a0000000000000005", 1, size, false, 0, batch(endpoint, 1, size), held -> { });
            assertEquals(size, awaitCount(data, endpoint, size)); // its first batch comes by the journal's catch-up
            try (EndpointLocks.Held blocked = data.endpointLocks().rebuilding(endpoint, "test")) {
                live.append(endpoint, "a0000000000000005", size + 1, 2 * size, false, 0, batch(endpoint, size + 1, size), held -> { });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < deadline && live.heldEvents() == size) Thread.sleep(20); // taken, waiting on the lock
                assertEquals(size, live.heldEvents(), "the batch taken for indexing still counts");
            }
            assertEquals(2 * size, awaitCount(data, endpoint, 2 * size));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && live.heldEvents() > 0) Thread.sleep(10);
            assertEquals(0, live.heldEvents(), "released once indexed");
        }
    }
}
