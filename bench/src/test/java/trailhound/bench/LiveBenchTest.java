package trailhound.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness of {@code bench --live} at its smallest: a real server and real agents in child JVMs, a
 * few seconds, with the faults run (server and an agent killed -9 and restarted); every event must
 * be accounted for. No timing assertions: lag, heap and throughput rows may say MISS on a busy machine.
 */
class LiveBenchTest {

    @Test
    void run_fewAgentsWithFaults_everyEventAccountedFor(@TempDir Path tmp) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // at the server's priority: at the lowest (as bench --live runs them), on a machine busy with the suite's own
        // JVMs, an agent process once recorded nothing in the 5 s before the fault killed it
        int status = LiveBench.run(new LiveBench.Options(3, 60, 6, true, tmp.resolve("work"), false), new PrintWriter(out),
                new PrintWriter(err));

        String report = out.toString();
        assertEquals(0, status, () -> "exit status; stdout:\n" + report + "\nstderr:\n" + err);
        assertTrue(report.contains("PASS every event accounted for  "), report);
        assertTrue(report.contains("PASS every event accounted for (faults)"), report);
        assertTrue(report.contains("fault: server killed (-9)"), report);
        assertTrue(report.contains("fault: 1 agents killed (-9)"), report);
        Matcher m = Pattern.compile("3 of 3 agents exact: ([\\d,]+) recorded, ([\\d,]+) in journals").matcher(report);
        for (int run = 0; run < 2; run++) {
            assertTrue(m.find(), report);
            long recorded = Long.parseLong(m.group(1).replace(",", ""));
            assertTrue(recorded > 0, "events streamed: " + report);
            assertEquals(recorded, Long.parseLong(m.group(2).replace(",", "")), report);
        }
        // a journal of each agent, in each run, holds what its agent recorded (the report adds them up)
        assertTrue(LiveBench.journal(tmp.resolve("work/faults/data"), "bench-live-003")[0] > 0);
    }

    /** bench --live runs its agent processes at the lowest priority, and the command that does so runs here. */
    @Test
    void agentProcesses_ofBenchLive_runAtTheLowestPriority() throws Exception {
        assertTrue(new LiveBench.Options(200, 5_000, 600, false, null).idleAgents());
        if (System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")
                && java.nio.file.Files.isExecutable(Path.of("/usr/bin/chrt"))) {
            assertEquals(java.util.List.of("chrt", "--idle", "0"), LiveBench.LOW_PRIORITY.command());
        }
        java.util.List<String> command = new java.util.ArrayList<>(LiveBench.LOW_PRIORITY.command());
        command.add("true");
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor(), "runs: " + command);
    }

    @Test
    void account_anyDifference_isNotExact() {
        assertTrue(new LiveBench.Account("a", 10, 10, 10, 10, 0).exact());
        assertFalse(new LiveBench.Account("a", 10, 11, 10, 11, 0).exact(), "a duplicate");
        assertFalse(new LiveBench.Account("a", 10, 9, 9, 9, 0).exact(), "a lost event");
        assertFalse(new LiveBench.Account("a", 10, 10, 10, 9, 0).exact(), "not searchable");
        assertFalse(new LiveBench.Account("a", 10, 10, 10, 10, 1).exact(), "still waiting in the agent's store");
        assertTrue(new LiveBench.Account("a", 0, 0, 0, -1, 0).exact(), "recorded nothing: an empty journal, no index");
        assertTrue(new LiveBench.Account("a", 0, -1, -1, -1, 0).exact(), "recorded nothing: not even a journal");
        assertFalse(new LiveBench.Account("a", 5, 5, 5, -1, 0).exact(), "recorded, journalled, not searchable");
        assertFalse(new LiveBench.Account("a", 0, 5, 5, 5, 0).exact(), "journalled what its agent never recorded");
    }

    @Test
    void heap_fromGcLog_maxAfterCollectionByThirds(@TempDir Path tmp) throws Exception {
        Path log = Files.writeString(tmp.resolve("gc.log"), """
                [0.010s] Using G1
                [1.000s] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->8M(256M) 3.1ms
                [2.000s] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 40M->20M(256M) 2.0ms
                [2.100s] GC(2) Pause Young (Concurrent Start) (G1 Evacuation Pause) 41M->21M(256M) 2.0ms
                [2.500s] GC(2) Pause Remark 90M->88M(256M) 1.0ms
                [2.700s] GC(2) Pause Cleanup 95M->95M(256M) 0.1ms
                [2.700s] GC(2) Concurrent Mark Cycle 600.123ms
                [3.500s] GC(3) Pause Young (Mixed) (G1 Evacuation Pause) 60M->30M(256M) 2.0ms
                [3.700s] GC(4) Pause Full (System.gc()) 40M->12M(256M) 20.0ms
                [4.000s] GC(5) Pause Young (Normal) (G1 Evacuation Pause) 60M->25M(256M) 2.0ms
                """);

        LiveBench.Heap heap = LiveBench.Heap.of(log);

        assertEquals(6, heap.collections(), "a marking cycle's Remark and Cleanup collect nothing: not counted");
        assertEquals(30, heap.maxMb());
        assertArrayEquals(new double[] {8, 21, 30}, heap.thirdsMb());
    }
}
