package trailhound.telemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import com.carrotsearch.hppc.LongHashSet;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * What a format reader needs while reading one file: where events go, the endpoint override, and
 * the tallies that become the {@link ImportReport}. Readers in {@code trailhound.telemetry.sysmon} and
 * {@code trailhound.telemetry.auditd} get one from {@link TelemetryImport}; it is public only for them.
 *
 * <p>A reader on one thread calls {@link #recordRead()}, {@link #malformed} and {@link #emit}
 * directly. A reader that spreads its records over {@link #threads()} threads gives each batch of
 * records its own {@link Tally} (one thread each) and {@link #add adds} it when the batch is done;
 * the report is the same whatever the order the batches finish in.
 */
public final class ImportContext {
    private static final int MALFORMED_LINES_KEPT = 10;

    private final String endpointOverride;
    private final String sourceStem;
    private final Consumer<Event> sink;
    private final int threads;
    /* What readers on the calling thread count, added to the total every FLUSH events and at the end. */
    private Tally direct = new Tally();
    private final Tally total = new Tally();
    /* 64-bit hashes of the uids, not the uids: a few million events stay a few tens of MB. */
    /** HPPC's primitive set: no boxing for millions of hashes. */
    private final LongHashSet distinctUids = new LongHashSet();
    private final List<String> warnings = new ArrayList<>();
    private volatile boolean hostless;

    private final java.time.ZoneId localZone;
    private final java.util.concurrent.atomic.AtomicLong localTimes = new java.util.concurrent.atomic.AtomicLong();

    /** @param localZone the zone of times written without one; null: not given, read as UTC (and said) */
    ImportContext(String endpointOverride, String sourceStem, Consumer<Event> sink, int threads, java.time.ZoneId localZone) {
        this.localZone = localZone;
        this.endpointOverride = endpointOverride == null || endpointOverride.isBlank() ? null : endpointOverride;
        this.sourceStem = sourceStem;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.threads = Math.max(1, threads);
    }

    private volatile java.util.function.BooleanSupplier endIsCut = () -> false;

    /** Says how to know whether the content being read ended because its file was truncated (set per content). */
    void endIsCut(java.util.function.BooleanSupplier cut) {
        this.endIsCut = cut;
    }

    /**
     * True once the content being read has ended because its (compressed) file was truncated: its last
     * record, cut there, is not a complete one. Readers ask at the end of the content.
     */
    public boolean endIsCut() {
        return endIsCut.getAsBoolean();
    }

    /** The zone of a time written without one (NXLog's EventTime): the one given, else UTC. */
    public java.time.ZoneId localZone() {
        return localZone == null ? java.time.ZoneOffset.UTC : localZone;
    }

    /** Counts an event timed by a local time without a zone, for the warning in the report. */
    public void timedByLocalTime() {
        localTimes.incrementAndGet();
    }

    /** The endpoint every event must carry, or {@code null} to take the host named in each record. */
    public String endpointOverride() {
        return endpointOverride;
    }

    /**
     * The endpoint of a record that names no host (and no override): the file's name without
     * directories and known extensions. The first call adds a warning saying so, since the user
     * may rather choose the name.
     */
    public String hostless() {
        if (!hostless) {
            synchronized (this) {
                if (!hostless) {
                    hostless = true;
                    warnings.add("some records name no host: their events are filed under endpoint '" + sourceStem
                            + "', the file's name; ingest with --endpoint NAME to choose another");
                }
            }
        }
        return sourceStem;
    }

    /**
     * How many threads a reader may parse records on; above 1 the sink is thread-safe and is called
     * from those threads. 1: everything runs on the calling thread.
     */
    public int threads() {
        return threads;
    }

    /** Counts one record read (a line, an element), malformed or not. */
    public void recordRead() {
        direct.recordRead();
    }

    /** Counts a record that could not be read; {@code line} is 1-based within the file or archive entry. */
    public void malformed(long line, String reason) {
        direct.malformed(line, reason);
    }

    /** Counts a damaged part of a binary file (an .evtx record or chunk) that could not be read, at this byte offset. */
    public void damaged(long offset, String reason) {
        direct.rejected(offset, "offset " + offset + ": " + reason);
    }

    public synchronized void warn(String warning) {
        warnings.add(warning);
    }

    /**
     * Hands the event to the sink and counts it under its kind (see {@link ImportReport#countsByKind()});
     * {@code os} is its endpoint's operating system ({@code windows}, {@code linux}).
     */
    public void emit(Event event, String os) {
        direct.emit(event, os);
        if (direct.uidCount == Tally.FLUSH) {
            addDirect();
        }
    }

    /** A new, empty tally for one batch of records, to {@link #add} when the batch is done. */
    public Tally newTally() {
        return new Tally();
    }

    /** Adds a finished batch's tally to the file's. */
    public synchronized void add(Tally batch) {
        total.addCounts(batch);
        for (int i = 0; i < batch.uidCount; i++) {
            distinctUids.add(batch.uidHashes[i]);
        }
    }

    private synchronized void addDirect() {
        add(direct);
        direct = new Tally();
    }

    synchronized long recordsRead() {
        addDirect();
        return total.recordsRead;
    }

    synchronized ImportReport report(java.nio.file.Path file, TelemetryFormat format) {
        addDirect();
        long local = localTimes.get();
        if (local > 0) {
            warnings.add(local + " events have only a local time without a zone (NXLog's EventTime): " + (localZone == null
                    ? "read as UTC; ingest with --timezone ZONE (e.g. Europe/Berlin) if the host's clock was set otherwise"
                    : "read in " + localZone));
        }
        Map<String, Long> counts = new TreeMap<>();
        total.countsByKind.forEach((k, v) -> counts.put(k, v[0]));
        return new ImportReport(file, format, total.recordsRead, total.emitted, distinctUids.size(), counts,
                total.endpoints, total.malformed, new ArrayList<>(total.firstMalformed.keySet()),
                new ArrayList<>(total.firstMalformed.values()), warnings);
    }

    /**
     * The counts of some records: read, malformed (with the first line numbers), emitted by kind,
     * endpoints, and the hashes of the emitted uids (counted as distinct when added). Not
     * thread-safe: filled on one thread.
     */
    public final class Tally {
        private static final int FLUSH = 4096;
        private final Map<String, long[]> countsByKind = new TreeMap<>();
        private final Map<String, String> endpoints = new TreeMap<>(); // endpoint -> os
        private long[] uidHashes = new long[256];
        private int uidCount;
        private final TreeMap<Long, String> firstMalformed = new TreeMap<>();
        private long recordsRead;
        private long emitted;
        private long malformed;

        private Tally() {
        }

        /** Counts one record read (a line, an element), malformed or not. */
        public void recordRead() {
            recordsRead++;
        }

        /** Counts a record that could not be read, and why; {@code line} is 1-based within the file or archive entry. */
        public void malformed(long line, String reason) {
            rejected(line, "line " + line + ": " + reason);
        }

        /** Counts a record that could not be read, at {@code position} (a line, a byte offset), described. */
        private void rejected(long position, String description) {
            malformed++;
            if (firstMalformed.size() < MALFORMED_LINES_KEPT) {
                firstMalformed.put(position, description);
            }
        }

        /** Hands the event to the sink (on this thread) and counts it under its kind; {@code os} as in ImportContext#emit. */
        public void emit(Event event, String os) {
            String kind = event.kind();
            countsByKind.computeIfAbsent(kind, k -> new long[1])[0]++;
            String endpoint = event.get(Field.ENDPOINT);
            endpoints.putIfAbsent(endpoint, os);
            if (uidCount == uidHashes.length) {
                uidHashes = Arrays.copyOf(uidHashes, uidCount * 2);
            }
            uidHashes[uidCount++] = hash64(endpoint, event.uid());
            emitted++;
            sink.accept(event);
        }

        /** Adds everything but the uid hashes. */
        private void addCounts(Tally other) {
            other.countsByKind.forEach((k, v) -> countsByKind.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
            other.endpoints.forEach(endpoints::putIfAbsent);
            // the first lines of the file are among the first lines of each batch
            firstMalformed.putAll(other.firstMalformed);
            while (firstMalformed.size() > MALFORMED_LINES_KEPT) firstMalformed.pollLastEntry();
            recordsRead += other.recordsRead;
            emitted += other.emitted;
            malformed += other.malformed;
        }
    }

    /**
     * FNV-1a over the chars of {@code endpoint + '\0' + uid}, then a final mix: cheap, and
     * collisions only understate the distinct count.
     */
    private static long hash64(String endpoint, String uid) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, String.valueOf(endpoint));
        h *= 0x100000001b3L; // the '\0' between them: xor with 0 changes nothing
        h = fnv(h, uid);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
