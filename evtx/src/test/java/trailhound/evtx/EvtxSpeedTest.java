package trailhound.evtx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Prints how many Sysmon records per second one thread decodes into trees, reading sysmon.evtx from
 * memory again and again. A measurement to read, not an assertion: timings depend on the machine.
 * For a one-core figure run it alone under {@code taskset -c 0}.
 */
class EvtxSpeedTest {
    /** Long enough for the JIT to compile the hot paths, even on a busy two-core machine. */
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    private static final long MEASURED_NANOS = 2_000_000_000L;

    @Test
    void read_sysmonRepeatedly_printsRecordsPerSecond() throws IOException {
        byte[] file = Files.readAllBytes(Datasets.evtx("sysmon.evtx"));
        long[] elements = new long[1];
        EvtxHandler handler = new EvtxHandler() {
            @Override
            public void record(EvtxRecord record) {
                elements[0] += record.event().children().size(); // touch the tree
            }

            @Override
            public void damaged(long offset, String reason) {
            }
        };
        for (long start = System.nanoTime(); System.nanoTime() - start < WARM_UP_NANOS; ) {
            EvtxReader.read(new ByteArrayInputStream(file), handler);
        }
        long records = 0;
        int rounds = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < MEASURED_NANOS) {
            records += EvtxReader.read(new ByteArrayInputStream(file), handler).records();
            rounds++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(358L * rounds, records);
        System.out.printf("evtx: sysmon.evtx x %d: %,d records in %.2f s, %,.0f records/s on one thread%n",
                rounds, records, seconds, records / seconds);
    }
}
