package trailhound.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the benchmark lands (owned by the bench work). */
@Command(name = "bench", description = "Benchmark the index against the SQLite recorder database on the same data.")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("bench is not built yet");
    }
}
