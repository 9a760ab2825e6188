package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import trailhound.index.IndexBackend;
import trailhound.query.IndexFields;
import trailhound.samples.SampleGenerator;
import trailhound.schema.Field;
import trailhound.store.SourceInfo;

/**
 * A crash at any moment leaves the data folder consistent. A child JVM ({@link IngestChild})
 * ingesting a snapshot of many batches, or re-indexing, is killed with SIGKILL at chosen moments;
 * the folder must open, hold exactly the state before the source or after it (never in between),
 * verify clean, and the same ingest run again must give the events of a run never interrupted,
 * event for event and source for source. Samples and the clean run are made once for every kill.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillDuringIngestTest {
    /** 30 ParallelIndexer batches of 2,000, a few seconds of ingest on two cores; progress is printed at 50,000. */
    private static final long BIG_EVENTS = 60_000;
    private static final long SECONDS_TO_WAIT = 120;

    @TempDir
    static Path tmp; // static: injected before @BeforeAll, one folder for the whole class

    private Path big;
    private String bigSha256;
    /** A data folder with only the small snapshot ingested (source s1): the state before. */
    private Path before;
    private String endpoint;
    private long smallEvents;
    private long bigEvents;
    /** The small snapshot and then the big one ingested, never interrupted. */
    private Path cleanFolder;
    /** (event_uid, source) of every event of {@link #cleanFolder}. */
    private Set<String> clean;

    @BeforeAll
    void setUp() throws IOException {
        Path small = SampleGenerator.generate(tmp.resolve("small"), 1, 4_000, 51, n -> {}).getFirst();
        big = SampleGenerator.generate(tmp.resolve("big"), 1, BIG_EVENTS, 52, n -> {}).getFirst();
        bigSha256 = Ingestor.sha256(big);
        before = tmp.resolve("before");
        try (DataDir data = DataDir.open(before)) {
            IngestReport r = new Ingestor(data).ingest(small, null);
            endpoint = r.endpoints().keySet().iterator().next();
            smallEvents = r.added();
        }
        cleanFolder = copy(before, "clean");
        try (DataDir data = DataDir.open(cleanFolder)) {
            IngestReport r = new Ingestor(data).ingest(big, null);
            assertEquals(Set.of(endpoint), r.endpoints().keySet(), "both snapshots are of one host");
            bigEvents = r.added();
            assertTrue(bigEvents > 50_000, "the big snapshot has " + bigEvents + " events");
        }
        clean = pairs(cleanFolder);
        assertEquals(smallEvents + bigEvents, clean.size());
    }

    /**
     * Where the kill lands. Each waits for a line the child prints, then (for the last two) polls the
     * live generation's {@code events/} folder for what the IndexWriter does next.
     */
    enum Moment {
        /** Hashing and keeping the file: the source may not be recorded yet. */
        STARTED("started", null),
        /** Indexing in the writer's RAM buffer: nothing written, nothing committed. */
        INDEXING("read 50000", null),
        /** The writer is writing segment files for the final commit, most likely not yet committed. */
        FLUSHING("read 50000", (EventsFolder s) -> s.files().stream().anyMatch(f -> f.startsWith("_"))),
        /** The events index has just committed: the catalogue most likely does not say so yet. */
        COMMITTED("read 50000", (EventsFolder s) -> s.commit() > s.startCommit());

        final String line;
        final Predicate<EventsFolder> until;

        Moment(String line, Predicate<EventsFolder> until) {
            this.line = line;
            this.until = until;
        }
    }

    /** What the child's events folder holds now: files new since it started, and the last commit. */
    record EventsFolder(Set<String> files, long commit, long startCommit) {}

    @ParameterizedTest
    @EnumSource(Moment.class)
    void ingestKilled_beforeOrAfterExactly_thenIngestingAgainGivesACleanRun(Moment moment) throws Exception {
        Path folder = copy(before, "kill-" + moment);
        List<String> printed = killChild(moment.line, moment.until, folder, "ingest", folder.toString(), big.toString());

        try (DataDir data = DataDir.open(folder)) {
            long total;
            long small;
            long labelled;
            try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) { // the index opens
                total = lease.index().count(null);
                small = lease.index().countSource("s1");
                labelled = lease.index().countSource("s2");
            }
            Optional<SourceInfo> source = data.store().sources().bySha256(bigSha256);
            String state = source.map(SourceInfo::state).orElse("absent");
            String seen = moment + " after " + printed + ": " + total + " events, source " + state;
            System.out.println("killed at " + seen);
            assertEquals(smallEvents, small, seen);
            if (total == smallEvents) {
                assertEquals(0, labelled, seen);
                assertTrue(state.equals("absent") || state.equals(SourceInfo.INGESTING), seen);
            } else {
                assertEquals(smallEvents + bigEvents, total, "before or after, never in between: " + seen);
                assertEquals(bigEvents, labelled, seen);
                // Killed between the index commit and the catalogue update, the source still says "ingesting": the one
                // window where the index is ahead of the catalogue (docs/decisions.md). Ingesting again records the counts.
                assertTrue(state.equals(SourceInfo.COMPLETE) || state.equals(SourceInfo.INGESTING), seen);
                if (state.equals(SourceInfo.COMPLETE)) assertEquals(bigEvents, source.get().events(), seen);
            }
            Verifier.Report report = new Verifier(data).verify();
            assertTrue(report.consistent(), seen + ": " + report);
            long parts = parts(folder);
            assertEquals(parts, report.notes().stream().filter(n -> n.startsWith("incoming/")).count(), seen + ": " + report);
            try (WriterLock writer = WriterLock.tryAcquire(folder, "ingest again").orElseThrow()) {
                assertEquals(0, parts(folder), "the next writer deletes what the killed one left in incoming/");
            }

            IngestReport again = new Ingestor(data).ingest(big, null);
            source.ifPresent(s -> assertEquals(s.id(), again.sourceId(), "the same source, completed"));
            SourceInfo completed = data.store().sources().get(again.sourceId()).orElseThrow();
            assertEquals(SourceInfo.COMPLETE, completed.state());
            assertEquals(bigEvents, completed.events());
            assertEquals(2, data.store().sources().list(null).size());
            Verifier.Report after = new Verifier(data).verify();
            assertTrue(after.consistent(), after.toString());
            assertEquals(List.of(), after.notes());
        }
        assertEquals(clean, pairs(folder), "event for event (and source) as a run never interrupted");
    }

    @Test
    void reindexKilled_theOldGenerationStillHoldsEveryEvent_thenAReindexCompletes() throws Exception {
        Path folder = copy(cleanFolder, "kill-reindex");
        String old = generation(folder);
        List<String> printed = killChild("read 50000", null, folder, "reindex", folder.toString(), endpoint);
        System.out.println("killed the re-index after " + printed);

        assertEquals(old, generation(folder), "CURRENT still names the old generation");
        String leftover = Long.toString(Long.parseLong(old) + 1);
        assertTrue(Files.isDirectory(indexFolder(folder).resolve(leftover)), "the killed re-index left its generation");
        assertEquals(clean, pairs(folder), "the old generation, event for event");
        try (DataDir data = DataDir.open(folder)) {
            try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                assertEquals(clean.size(), lease.index().count(null));
            }
            Verifier.Report report = new Verifier(data).verify();
            assertTrue(report.consistent(), report.toString());

            Reindexer.Result r = new Reindexer(data, 2).reindex(endpoint, (e, n) -> {});
            assertEquals(clean.size(), r.events());
            Verifier.Report after = new Verifier(data).verify();
            assertTrue(after.consistent(), after.toString());
        }
        assertEquals(clean, pairs(folder), "rebuilt event for event");
        try (Stream<Path> dirs = Files.list(indexFolder(folder))) {
            assertEquals(List.of(generation(folder), "CURRENT"), dirs.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the killed re-index's generation and the replaced one are gone");
        }
    }

    /**
     * With a checkpoint every 20,000 events, a kill after 50,000 leaves two checkpoints committed: the
     * index opens with exactly the state before (the unfinished source's events are kept aside), and
     * the same ingest resumes after the last checkpoint and ends as a run never interrupted.
     */
    @Test
    void ingestKilledAfterCheckpoints_countsAsBefore_thenResumesThereAndEndsClean() throws Exception {
        Path folder = copy(before, "kill-checkpointed");
        List<String> printed = killChild(List.of("-Dtrailhound.checkpointEvents=20000"), "read 50000", null, folder,
                "ingest", folder.toString(), big.toString());
        try (DataDir data = DataDir.open(folder)) {
            String seen = "after " + printed;
            try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                assertEquals(smallEvents, lease.index().count(null), "what the checkpoints committed is not counted: " + seen);
                assertEquals(smallEvents, lease.index().stats().eventCount(), seen);
                long kept = lease.index().countSource("s2");
                assertTrue(kept >= 40_000 && kept < bigEvents, "two checkpoints' events are kept aside: " + kept + ", " + seen);
                String checkpoint = lease.index().checkpointOf("s2").orElseThrow();
                assertTrue(checkpoint.startsWith("<"), "read newest first, resumed below a row id: " + checkpoint);
                assertTrue(Long.parseLong(checkpoint.substring(1)) <= bigEvents - 40_000 + 1,
                        "resumes below the row of the 40,000th newest event or lower: " + checkpoint);
            }
            Verifier.Report report = new Verifier(data).verify();
            assertTrue(report.consistent(), seen + ": " + report);
            assertTrue(report.notes().toString().contains("kept aside"), report.toString());

            IngestReport again = new Ingestor(data).ingest(big, null);
            EndpointCounts counts = again.endpoints().get(endpoint);
            assertTrue(counts.read() < bigEvents, "resumed, not started over: " + again);
            assertEquals(bigEvents, counts.added(), "every event of the source counts from now on: " + counts);
            assertEquals(bigEvents - counts.read(), counts.resumed(), "the rest the interrupted run committed: " + counts);
            assertEquals(0, counts.duplicates(), "none read twice: " + counts);
            SourceInfo completed = data.store().sources().get(again.sourceId()).orElseThrow();
            assertEquals(SourceInfo.COMPLETE, completed.state());
            assertEquals(bigEvents, completed.events());
            try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
                assertEquals(smallEvents + bigEvents, lease.index().count(null));
                assertTrue(lease.index().checkpointOf("s2").isEmpty());
            }
            Verifier.Report after = new Verifier(data).verify();
            assertTrue(after.consistent() && after.notes().isEmpty(), after.toString());
        }
        assertEquals(clean, pairs(folder), "event for event (and source) as a run never interrupted");
    }

    /**
     * The last checkpoint can fall on the snapshot's oldest row: everything read and committed, the
     * source not yet complete. The child halts right there (50,000 events, a checkpoint every 25,000);
     * ingesting again has nothing left to read and must still complete the source with every event
     * (it once completed it with none, leaving them hidden).
     */
    @Test
    void ingestCrashedAfterItsLastCheckpoint_ingestingAgainCompletesTheSourceWithEveryEvent() throws Exception {
        Path exact = SampleGenerator.generate(tmp.resolve("exact"), 1, 50_000, 53, n -> {}).getFirst();
        String host;
        try (trailhound.recorder.RecorderReader reader = trailhound.recorder.RecorderReader.open(exact)) {
            assertEquals(50_000, reader.eventCount(), "the sample has exactly two checkpoints' events");
            host = reader.meta().host();
        }
        Path folder = tmp.resolve("crash-last-checkpoint"); // a new endpoint: catalogued only when its first source completes
        Path stderr = Files.createTempFile(tmp, "child", ".err");
        Process child = new ProcessBuilder(childCommand(List.of("-Dtrailhound.checkpointEvents=25000",
                "-Dtrailhound.test.haltAt=50000"), "ingest", folder.toString(), exact.toString()))
                .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(child.waitFor(SECONDS_TO_WAIT, TimeUnit.SECONDS), "the child did not end");
        assertEquals(137, child.exitValue(), "halted after reading everything; stderr:\n" + Files.readString(stderr));
        try (DataDir data = DataDir.open(folder)) {
            try (IndexBackend.Lease lease = data.indexes().acquire(host)) {
                assertEquals(0, lease.index().count(null), "the unfinished source is not counted");
                assertEquals(50_000, lease.index().countSource("s1"), "both checkpoints committed, kept aside");
                assertEquals(Optional.of("<1"), lease.index().checkpointOf("s1"), "nothing left to read");
            }
            Verifier.Report report = new Verifier(data).verify();
            assertTrue(report.consistent(), report.toString());
            assertEquals(1, report.endpointsChecked(), "the index of the endpoint not yet catalogued is checked: " + report);
            assertTrue(report.notes().toString().contains("50000 events of unfinished source s1 are kept aside"), report.toString());
            assertTrue(report.notes().toString().contains("interrupted or still being ingested"), report.toString());

            IngestReport again = new Ingestor(data).ingest(exact, null);
            assertEquals(0, again.endpoints().get(host).read(), "resumed at the end, nothing read again");
            SourceInfo completed = data.store().sources().get(again.sourceId()).orElseThrow();
            assertEquals(SourceInfo.COMPLETE, completed.state());
            assertEquals(50_000, completed.events(), "every event counted as the source's");
            try (IndexBackend.Lease lease = data.indexes().acquire(host)) {
                assertEquals(50_000, lease.index().count(null), "every event searchable");
                assertTrue(lease.index().checkpointOf("s1").isEmpty());
            }
            Verifier.Report after = new Verifier(data).verify();
            assertTrue(after.consistent() && after.notes().isEmpty(), after.toString());
        }
    }

    /**
     * Runs {@link IngestChild} with these arguments until it prints {@code line} and then, unless
     * {@code until} is null, until the live generation's events folder satisfies it; then kills it
     * with SIGKILL. Returns the lines it printed. Fails when the child ends by itself first.
     */
    private List<String> killChild(String line, Predicate<EventsFolder> until, Path folder, String... args) throws Exception {
        return killChild(List.of(), line, until, folder, args);
    }

    private List<String> killChild(List<String> jvmOptions, String line, Predicate<EventsFolder> until, Path folder, String... args)
            throws Exception {
        List<String> command = childCommand(jvmOptions, args);
        Path events = indexFolder(folder).resolve(generation(folder)).resolve("events");
        Set<String> startFiles = files(events);
        long startCommit = SegmentInfos.getLastCommitGeneration(startFiles.toArray(String[]::new));
        Path stderr = Files.createTempFile(tmp, "child", ".err");
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try {
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (IOException e) {
                    // killed: its output ends here
                }
            });
            List<String> printed = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS_TO_WAIT);
            while (!printed.contains(line) && child.isAlive() && System.nanoTime() < deadline) {
                String l = lines.poll(20, TimeUnit.MILLISECONDS);
                if (l != null) printed.add(l);
            }
            while (until != null && printed.contains(line) && child.isAlive() && System.nanoTime() < deadline) {
                Set<String> now = files(events);
                long commit = SegmentInfos.getLastCommitGeneration(now.toArray(String[]::new));
                now.removeAll(startFiles);
                if (until.test(new EventsFolder(now, commit, startCommit))) break;
                TimeUnit.MICROSECONDS.sleep(200);
            }
            child.destroyForcibly(); // SIGKILL on Linux and macOS: no shutdown hook, no finally block runs
            assertTrue(child.waitFor(SECONDS_TO_WAIT, TimeUnit.SECONDS), "the killed child did not end");
            lines.drainTo(printed);
            if (!printed.contains(line) || printed.contains("done") || child.exitValue() == 0) {
                fail("the child was not killed mid-way (exit " + child.exitValue() + "), it printed " + printed
                        + "; stderr:\n" + Files.readString(stderr));
            }
            return printed;
        } finally {
            child.destroyForcibly();
        }
    }

    /** The command line of an {@link IngestChild} with these JVM options and arguments. */
    private static List<String> childCommand(List<String> jvmOptions, String... args) {
        // C1 alone: the child runs seconds, and C2 compiling Lucene took half its CPU; a crash is the same either way
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), IngestChild.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Half-received copies in the folder's incoming/. */
    private static long parts(Path folder) throws IOException {
        Path incoming = folder.resolve("incoming");
        if (!Files.isDirectory(incoming)) return 0;
        try (Stream<Path> files = Files.list(incoming)) {
            return files.filter(p -> p.toString().endsWith(".part")).count();
        }
    }

    private static Set<String> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (NoSuchFileException e) {
            return new TreeSet<>(); // a file deleted while listing is listed again next time
        }
    }

    private Path indexFolder(Path folder) {
        return folder.resolve("endpoints").resolve(endpoint).resolve("index");
    }

    private String generation(Path folder) throws IOException {
        return Files.readString(indexFolder(folder).resolve("CURRENT")).strip();
    }

    /**
     * The (event_uid, source) of every event in the live generation's last commit, read straight from
     * its terms (much faster than reading whole events back, and independent of EventReader).
     */
    private Set<String> pairs(Path folder) throws IOException {
        Path events = indexFolder(folder).resolve(generation(folder)).resolve("events");
        try (Directory dir = FSDirectory.open(events); DirectoryReader reader = DirectoryReader.open(dir)) {
            String[] uid = new String[reader.maxDoc()];
            String[] source = new String[reader.maxDoc()];
            for (LeafReaderContext leaf : reader.leaves()) {
                termsOf(leaf, IndexFields.term(Field.EVENT_UID), uid);
                termsOf(leaf, IndexFields.term(Field.SOURCE), source);
            }
            Bits live = MultiBits.getLiveDocs(reader);
            Set<String> pairs = new TreeSet<>();
            for (int doc = 0; doc < reader.maxDoc(); doc++) {
                if (live == null || live.get(doc)) pairs.add(uid[doc] + " " + source[doc]);
            }
            assertEquals(reader.numDocs(), pairs.size(), "no event twice");
            return pairs;
        }
    }

    private static void termsOf(LeafReaderContext leaf, String field, String[] byDoc) throws IOException {
        Terms terms = leaf.reader().terms(field);
        if (terms == null) return;
        TermsEnum te = terms.iterator();
        PostingsEnum docs = null;
        for (BytesRef term = te.next(); term != null; term = te.next()) {
            String value = term.utf8ToString();
            docs = te.postings(docs, PostingsEnum.NONE);
            for (int d = docs.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.nextDoc()) byDoc[leaf.docBase + d] = value;
        }
    }

    /** A copy of a closed data folder (server.db and its WAL, kept sources, indexes). */
    private static Path copy(Path folder, String name) throws IOException {
        Path target = tmp.resolve(name);
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.toList()) {
                Path to = target.resolve(folder.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        return target;
    }
}
