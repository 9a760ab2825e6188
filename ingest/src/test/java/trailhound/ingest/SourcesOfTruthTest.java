package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.IndexBackend;
import trailhound.index.IndexFormatException;
import trailhound.samples.SampleGenerator;
import trailhound.schema.Event;
import trailhound.store.SourceInfo;

/** Sources kept as the truth: every input kept, ingests all-or-nothing, indexes rebuilt from the sources. */
class SourcesOfTruthTest {
    @TempDir
    Path tmp;

    private Path sample(String folder, long events, long seed) throws IOException {
        return SampleGenerator.generate(tmp.resolve(folder), 1, events, seed, n -> {}).getFirst();
    }

    private static Set<String> uids(DataDir data, String endpoint) throws IOException {
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            Set<String> uids = new TreeSet<>();
            for (Event e : lease.index().search(null, 1_000_000, null).events()) uids.add(e.uid() + " " + e.get(trailhound.schema.Field.SOURCE));
            return uids;
        }
    }

    private static long count(DataDir data, String endpoint) throws IOException {
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return lease.index().count(null);
        }
    }

    @Test
    void twoSnapshotsOfOneHostFromTwoRecorders_bothKeptInFull() throws Exception {
        Path first = sample("seed21", 6_000, 21);
        Path second = sample("seed22", 6_000, 22);
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport a = new Ingestor(data).ingest(first, null);
            IngestReport b = new Ingestor(data).ingest(second, null);
            String endpoint = a.endpoints().keySet().iterator().next();
            assertEquals(Set.of(endpoint), b.endpoints().keySet(), "one host");
            assertEquals(a.read(), a.added());
            assertEquals(b.read(), b.added(), "another recorder's rows are other events");
            assertEquals(a.read() + b.read(), count(data, endpoint));
            assertNotEquals(a.sourceId(), b.sourceId());
            assertEquals(a.read(), data.store().sources().get(a.sourceId()).orElseThrow().events());
            assertEquals(b.read(), data.store().sources().get(b.sourceId()).orElseThrow().events());
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }

    @Test
    void failureMidRead_indexAndCatalogueAsBefore_thenTheSameIngestGivesExactlyACleanRun() throws Exception {
        Path small = sample("small", 3_000, 5);
        Path big = sample("big", 60_000, 6);
        Set<String> clean;
        try (DataDir data = DataDir.open(tmp.resolve("clean"))) {
            new Ingestor(data).ingest(small, null);
            IngestReport r = new Ingestor(data).ingest(big, null);
            clean = uids(data, r.endpoints().keySet().iterator().next());
        }
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport before = new Ingestor(data).ingest(small, null);
            String endpoint = before.endpoints().keySet().iterator().next();
            Set<String> beforeUids = uids(data, endpoint);

            RuntimeException boom = new IllegalStateException("injected failure after 50,000 events");
            RuntimeException thrown = assertThrows(RuntimeException.class,
                    () -> new Ingestor(data).onProgress(n -> { throw boom; }).ingest(big, null));
            assertTrue(thrown == boom || thrown.getCause() == boom, thrown.toString());

            assertEquals(beforeUids, uids(data, endpoint), "the failed source left none of its events");
            SourceInfo failed = data.store().sources().list(null).getLast();
            assertEquals(SourceInfo.FAILED, failed.state());
            assertTrue(failed.reason().contains("injected failure"), failed.reason());
            assertEquals(0, failed.events());

            IngestReport again = new Ingestor(data).ingest(big, null);
            assertFalse(again.known());
            assertEquals(failed.id(), again.sourceId(), "the same source, completed");
            assertEquals(clean, uids(data, endpoint), "uid by uid (and source) as a run never interrupted");
            assertEquals(SourceInfo.COMPLETE, data.store().sources().get(failed.id()).orElseThrow().state());
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
        try (DataDir data = DataDir.open(tmp.resolve("data"))) { // nothing committed on close brings them back
            assertEquals(clean.size(), count(data, data.catalogue().endpoints().getFirst().name()));
        }
    }

    /**
     * An ingest killed before its file was hashed and kept leaves a source with no hash: the next
     * ingest marks it failed (with what to do), and the same file again takes its id, so the folder
     * ends as a run never interrupted; nothing is left in incoming/.
     */
    @Test
    void killedBeforeTheFileWasReceived_failedWithAReason_thenTheSameFileTakesItsId() throws Exception {
        Path file = sample("unreceived", 3_000, 25);
        Path other = sample("other", 2_000, 26);
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            long zombie = data.store().sources().begin("snapshot", file.getFileName().toString(), null, Files.size(file),
                    null, "cli:test"); // what a kill right after the start leaves
            IngestReport first = new Ingestor(data).ingest(other, null);
            SourceInfo marked = data.store().sources().get(zombie).orElseThrow();
            assertEquals(SourceInfo.FAILED, marked.state());
            assertTrue(marked.reason().contains("ingest the file again"), marked.reason());

            IngestReport again = new Ingestor(data).ingest(file, null);
            assertEquals(zombie, again.sourceId(), "the interrupted source is completed, not a new one");
            SourceInfo done = data.store().sources().get(zombie).orElseThrow();
            assertEquals(SourceInfo.COMPLETE, done.state());
            assertEquals(Ingestor.sha256(file), done.sha256());
            assertEquals(again.added(), done.events());
            assertNotEquals(first.sourceId(), again.sourceId());
            try (var left = Files.list(data.root().resolve("incoming"))) {
                assertEquals(0, left.count(), "every received copy was moved into place");
            }
        }
    }

    @Test
    void sameBytesUnderAnotherName_addNothingAndSaySo() throws Exception {
        Path file = sample("s", 2_000, 9);
        Path copy = Files.copy(file, tmp.resolve("renamed.db"));
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport first = new Ingestor(data).ingest(file, null);
            IngestReport second = new Ingestor(data).ingest(copy, null);
            assertTrue(second.known());
            assertEquals(first.sourceId(), second.sourceId());
            assertEquals(0, second.read());
            assertEquals(1, data.store().sources().list(null).size());
            SourceInfo s = data.store().sources().get(first.sourceId()).orElseThrow();
            assertEquals(Files.size(file), s.size());
            assertEquals(Ingestor.sha256(file), s.sha256());
            assertTrue(Files.isRegularFile(data.root().resolve(s.path())));
        }
    }

    @Test
    void telemetryFile_keptAsReceivedUnderItsSha256() throws Exception {
        Path log = tmp.resolve("audit.log");
        Files.writeString(log, """
                type=SYSCALL msg=audit(1700000000.100:10): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=4242 auid=0 uid=0 comm="id" exe="/usr/bin/id"
                type=EXECVE msg=audit(1700000000.100:10): argc=1 a0="id"
                """);
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport r = new Ingestor(data).ingest(log, "web01");
            SourceInfo s = data.store().sources().get(r.sourceId()).orElseThrow();
            assertEquals("telemetry", s.kind());
            assertEquals("audit.log", s.originalName());
            assertEquals("sources/" + s.sha256(), s.path());
            assertEquals(Files.readString(log), Files.readString(data.root().resolve(s.path())));
            assertEquals("web01", s.endpointOverride());
            assertEquals(1, count(data, "web01"));
            Files.delete(log); // the original may go: the kept copy rebuilds the index
            Reindexer.Result rebuilt = new Reindexer(data, 2).reindex("web01", (e, n) -> {});
            assertEquals(1, rebuilt.events());
            assertEquals(1, count(data, "web01"));
        }
    }

    @Test
    void reindex_searchesNeverFailAndSeeOnlyTheOldOrTheNewCount_thenVerifyConsistent() throws Exception {
        Path first = sample("a", 20_000, 31);
        Path second = sample("b", 20_000, 32);
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            new Ingestor(data).ingest(first, null);
            IngestReport b = new Ingestor(data).ingest(second, null);
            String endpoint = b.endpoints().keySet().iterator().next();
            long expected = count(data, endpoint);
            Set<String> before = uids(data, endpoint);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Long> seen = new ArrayList<>();
            Thread counter = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        long n = count(data, endpoint);
                        synchronized (seen) {
                            seen.add(n);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }
            });
            Reindexer.Result r = new Reindexer(data, 2).reindex(endpoint, (e, n) -> {});
            Thread.sleep(50);
            stop.set(true);
            counter.join();
            assertEquals(null, failure.get());
            assertTrue(seen.size() > 1);
            assertTrue(seen.stream().allMatch(n -> n == expected), "every count sees a whole generation: " + new TreeSet<>(seen));
            assertEquals(expected, r.events());
            assertEquals(before, uids(data, endpoint), "rebuilt event for event");
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
            try (var dirs = Files.list(data.endpointDir(endpoint).resolve("index"))) {
                assertEquals(List.of("2", "CURRENT"), dirs.map(p -> p.getFileName().toString()).sorted().toList(),
                        "the replaced generation is deleted");
            }
        }
    }

    @Test
    void indexOfAnOlderFormat_refusedWithTheCommand_thenRebuiltByReindex() throws Exception {
        Path file = sample("s", 3_000, 11);
        Path root = tmp.resolve("data");
        String endpoint;
        long events;
        try (DataDir data = DataDir.open(root)) {
            IngestReport r = new Ingestor(data).ingest(file, null);
            endpoint = r.endpoints().keySet().iterator().next();
            events = r.added();
        }
        Path generation = root.resolve("endpoints").resolve(endpoint).resolve("index").resolve("1");
        Files.writeString(generation.resolve("FORMAT"), "3\n"); // as the Trailhound before this one wrote it
        try (DataDir data = DataDir.open(root)) {
            IndexFormatException e = assertThrows(IndexFormatException.class, () -> data.indexes().acquire(endpoint));
            assertTrue(e.getMessage().contains("bin/trailhound reindex"), e.getMessage());
            assertEquals(3, data.indexes().staleFormat(endpoint).getAsInt());
            assertFalse(new Verifier(data).verify().consistent());

            new Reindexer(data, 2).reindex(endpoint, (x, n) -> {});
            assertTrue(data.indexes().staleFormat(endpoint).isEmpty());
            assertEquals(events, count(data, endpoint));
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }

    @Test
    void verify_indexCommittedButCatalogueNotYet_consistentWithANote_thenIngestingAgainRecordsTheCounts() throws Exception {
        Path file = sample("s", 2_000, 13);
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport r = new Ingestor(data).ingest(file, null);
            String endpoint = r.endpoints().keySet().iterator().next();
            // what a crash between the index commit and the catalogue update leaves (KillDuringIngestTest kills one there)
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.store().file());
                    Statement sql = c.createStatement()) {
                sql.executeUpdate("DELETE FROM source_endpoints WHERE source_id = " + r.sourceId());
                sql.executeUpdate("UPDATE sources SET state = 'ingesting', completed_at = NULL WHERE id = " + r.sourceId());
            }
            Verifier.Report unfinished = new Verifier(data).verify();
            assertTrue(unfinished.consistent(), unfinished.toString());
            assertTrue(unfinished.notes().contains("endpoint " + endpoint + ": " + r.added() + " events of unfinished source s"
                    + r.sourceId()), unfinished.toString());

            IngestReport again = new Ingestor(data).ingest(file, null);
            assertEquals(0, again.added());
            assertEquals(r.added(), data.store().sources().get(r.sourceId()).orElseThrow().events());
            Verifier.Report complete = new Verifier(data).verify();
            assertTrue(complete.consistent(), complete.toString());
            assertEquals(List.of(), complete.notes());
        }
    }

    @Test
    void verify_keptSourceChangedOrMissing_isADifference() throws Exception {
        Path file = sample("s", 2_000, 12);
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport r = new Ingestor(data).ingest(file, null);
            Path kept = data.root().resolve(data.store().sources().get(r.sourceId()).orElseThrow().path());
            byte[] bytes = Files.readAllBytes(kept);
            bytes[bytes.length - 1] ^= 1;
            Files.write(kept, bytes);
            Verifier.Report changed = new Verifier(data).verify();
            assertEquals(1, changed.differences().size(), changed.toString());
            assertTrue(changed.differences().getFirst().contains("no longer has SHA-256"), changed.toString());
            Files.delete(kept);
            Verifier.Report missing = new Verifier(data).verify();
            assertTrue(missing.differences().getFirst().contains("is missing"), missing.toString());
            IngestException e = assertThrows(IngestException.class, () -> new Reindexer(data, 2)
                    .reindex(r.endpoints().keySet().iterator().next(), (x, n) -> {}));
            assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        }
    }

    /** Review finding: two snapshots whose newest event is the same got one kept file, the second overwriting the first. */
    @Test
    void twoSnapshotsWithTheSameNewestEvent_bothKeptCopiesStay() throws Exception {
        Path first = sample("same", 3_000, 61);
        Path second = Files.copy(first, tmp.resolve("changed.db"));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + second);
                java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO events(id, ts, type, operation, process_key, file_path) SELECT max(id) + 1,"
                    + " (SELECT min(ts) FROM events) + 1, 'file', 'create', (SELECT process_key FROM events LIMIT 1), '/x' FROM events");
        }
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport a = new Ingestor(data).ingest(first, null);
            IngestReport b = new Ingestor(data).ingest(second, null);
            assertEquals(1, b.added());
            SourceInfo sa = data.store().sources().get(a.sourceId()).orElseThrow();
            SourceInfo sb = data.store().sources().get(b.sourceId()).orElseThrow();
            assertNotEquals(sa.path(), sb.path());
            assertEquals(2, data.catalogue().snapshots(a.endpoints().keySet().iterator().next()).size());
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
            assertEquals(a.added() + 1, new Reindexer(data, 2).reindex(a.endpoints().keySet().iterator().next(), (e, n) -> {}).events());
        }
    }

    /** Review finding: re-ingesting the same bytes said "nothing added" and left a missing kept copy missing. */
    @Test
    void sameBytesAgain_restoreAMissingOrChangedKeptCopy() throws Exception {
        Path file = sample("r", 2_000, 62);
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport r = new Ingestor(data).ingest(file, null);
            Path kept = data.root().resolve(data.store().sources().get(r.sourceId()).orElseThrow().path());
            Files.delete(kept);
            assertFalse(new Verifier(data).verify().consistent());
            IngestReport again = new Ingestor(data).ingest(file, null);
            assertTrue(again.known());
            assertTrue(again.warnings().toString().contains("restored"), again.warnings().toString());
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }

    /** Review finding: records without a host name are named after the file, and a re-index read the kept copy's name. */
    @Test
    void telemetryWithoutHostNames_reindexedUnderTheSameEndpoint() throws Exception {
        Path log = tmp.resolve("nameless-host.audit.log");
        Files.writeString(log, """
                type=SYSCALL msg=audit(1700000000.100:10): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=4242 auid=0 uid=0 comm="id" exe="/usr/bin/id"
                type=EXECVE msg=audit(1700000000.100:10): argc=1 a0="id"
                """);
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            String endpoint = new Ingestor(data).ingest(log, null).endpoints().keySet().iterator().next();
            assertEquals(1, new Reindexer(data, 2).reindex(endpoint, (e, n) -> {}).events());
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }
}
