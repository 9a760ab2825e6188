package trailhound.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.apache.lucene.search.Query;
import trailhound.ingest.DataDir;
import trailhound.query.QueryLanguage;

/*
 * Many endpoints: one hunt over every endpoint's index through the data folder's bounded index
 * cache, the way the web app's hunt page does it: exact counts per endpoint, then the newest page
 * across all. Memory is shown as the peak heap while hunting and the process's open file
 * descriptors afterwards, which stay flat when the cache closes evicted indexes.
 */
final class HuntBench {
    static final String QUERY = "type:process AND operation:start AND command_line:*powershell*";
    private static final int PAGE = 50;

    private final DataDir data;
    private final int repetitions;
    private final Benchmark.Log log;

    HuntBench(DataDir data, int repetitions, Benchmark.Log log) {
        this.data = data;
        this.repetitions = repetitions;
        this.log = log;
    }

    BenchReport.Hunt run() throws Exception {
        int endpoints = data.indexes().endpoints().size();
        log.log("hunting across %d endpoints: %s", endpoints, QUERY);
        try (HeapSampler heap = new HeapSampler()) {
            var count = Latency.measure(1, 3, repetitions, 5_000_000_000L, () -> total(data.indexes().countAll(parse())));
            var page = Latency.measure(1, 3, repetitions, 5_000_000_000L, () -> data.indexes().searchAll(parse(), PAGE).size());
            // what a hunt page needs: exact counts per endpoint and the newest page, in one pass
            var both = Latency.measure(1, repetitions, repetitions, 0, () -> data.indexes().hunt(parse(), PAGE).total());
            return new BenchReport.Hunt(endpoints, QUERY, count.answer(), count.latency(), page.latency(), both.latency(),
                    heap.peakBytes(), openFiles());
        }
    }

    private static Query parse() {
        return QueryLanguage.parse(QUERY);
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long openFiles() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getOpenFileDescriptorCount() : -1;
    }
}
