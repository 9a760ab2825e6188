package trailhound.bench;

import java.util.List;
import java.util.Map;

/**
 * Every figure of one benchmark run, as written to {@code bench-<time>.json} with {@code --out}.
 * Sizes in bytes, times in seconds (phases) or milliseconds (latencies). Sections that did not
 * run are null.
 */
record BenchReport(
        String started,
        Machine machine,
        Map<String, Object> settings,
        Generate generate,
        Ingest ingest,
        String queriedEndpoint,
        List<QueryResult> queries,
        Hunt hunt,
        Reindex reindex,
        Telemetry telemetry,
        Web web,
        Load load,
        List<PeerLoad> peers,
        List<Check> checks,
        boolean countsAgree) {

    record Generate(long events, int endpoints, double seconds, long snapshotBytes) {}

    /**
     * Re-index from the kept sources: the queried (biggest) endpoint alone ({@code oneEvents} in
     * {@code oneSeconds}), and with several endpoints one job over all of them ({@code allSeconds},
     * endpoints in parallel up to the cores; 0 with one endpoint).
     */
    record Reindex(String endpoint, long oneEvents, double oneSeconds, double oneEventsPerSecond, int allEndpoints,
            long allEvents, double allSeconds) {}

    /**
     * {@code cpuMicrosPerEvent}: CPU of the whole process during ingest per event (every thread);
     * {@code readCpuMicrosPerEvent}: reading the snapshot alone, the part of it no index change
     * can remove; {@code budgetMicrosPerEvent}: what the events/s target leaves on this machine's
     * cores. Negative when the JVM cannot measure CPU time.
     */
    record Ingest(long events, double seconds, double eventsPerSecond, long peakHeapBytes, long indexBytes,
            long snapshotBytes, double indexToSnapshot, double cpuMicrosPerEvent, double readCpuMicrosPerEvent,
            double budgetMicrosPerEvent, NewestSearchable newest) {}

    /**
     * From the start of the first snapshot's ingest until a search finds its newest event:
     * {@code seconds}, with {@code eventsSearchable} of that snapshot's {@code snapshotEvents} then searchable.
     */
    record NewestSearchable(String snapshot, long snapshotEvents, double seconds, long eventsSearchable) {}

    /**
     * One query, both sides; {@code ratio} = SQLite median / index median; {@code agree}: SQLite's and
     * every peer's answer equal the index's. {@code peers}: empty without {@code --peers}.
     */
    record QueryResult(String name, String indexQuery, String sql, long indexHits, long sqliteHits, boolean agree,
            Latency index, Latency sqlite, double ratio, Double targetMedianMs, Double targetRatio, List<PeerQuery> peers) {}

    /**
     * A peer engine loaded with the queried snapshot ({@code bench --peers}): {@code events} in
     * {@code seconds} wall time (reading the snapshot included), {@code bytes} on disk (-1 unknown),
     * and how it was configured.
     */
    record PeerLoad(String name, long events, double seconds, double eventsPerSecond, long bytes, String setup) {}

    /** One query on a peer: its hit count, whether its whole answer equals the index's, ratio = peer median / index median. */
    record PeerQuery(String name, long hits, boolean agree, Latency latency, double ratio) {}

    /** A search across every endpoint: exact counts per endpoint, then the newest page over all; open file descriptors after. */
    record Hunt(int endpoints, String query, long hits, Latency count, Latency firstPage, Latency both,
            long peakHeapBytes, long openFiles) {}

    /**
     * Sysmon JSON lines: parsing alone, and the full import into an index; CPU per event of each (all
     * threads); {@code evtx}: binary .evtx on one thread, null without the sample.
     */
    record Telemetry(long lines, long bytes, double parseSeconds, double parseEventsPerSecond, double importSeconds,
            double importEventsPerSecond, long eventsIndexed, String source, double parseCpuMicrosPerEvent,
            double importCpuMicrosPerEvent, Evtx evtx) {}

    /**
     * A Sysmon .evtx read again and again on one thread: records decoded into Event XML trees per
     * second, and records read all the way to events (fields, mapping, uid) per second.
     */
    record Evtx(String file, long records, double readerRecordsPerSecond, double eventsPerSecond) {}

    /** Page timings with several concurrent clients on loopback. */
    record Web(int clients, List<WebPage> pages) {}

    /** Server time (the Server-Timing header; null when the response had none) and round trip as the client saw it. */
    record WebPage(String name, String path, int status, Latency server, Latency client) {}

    /**
     * Speed under load: {@code analysts} signed-in HTTPS clients on {@code endpoint} ({@code events}
     * events), each waiting {@code thinkMinSeconds}-{@code thinkMaxSeconds} between requests
     * ({@code analystsRun}); then clients without waiting, doubled step by step until the mix's p95
     * crosses 500 ms ({@code saturation}); {@code saturationRequestsPerSecond} is the highest rate
     * of a step still within it. The process page's process has {@code processPeers} peers.
     */
    record Load(String endpoint, long events, String processKey, long processPeers, int analysts, double thinkMinSeconds,
            double thinkMaxSeconds, LoadGenerator.Result analystsRun, List<LoadGenerator.Result> saturation,
            double saturationRequestsPerSecond) {}

    /** One target of the issue: what it asks, what was measured, whether it holds. */
    record Check(String target, String measured, boolean pass) {}
}
