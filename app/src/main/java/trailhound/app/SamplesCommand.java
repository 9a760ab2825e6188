package trailhound.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.samples.SampleGenerator;

@Command(name = "samples", mixinStandardHelpOptions = true, description = "Generate realistic recorder databases (one per endpoint) with embedded attack stories.")
final class SamplesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write <host>.db files and intel.csv into.")
    Path out;

    @Option(names = "--endpoints", paramLabel = "N", defaultValue = "6", description = "Number of endpoints (default: ${DEFAULT-VALUE}).")
    int endpoints;

    @Option(names = "--events", paramLabel = "N", defaultValue = "200000", description = "Total events over all endpoints (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed; the same seed gives the same data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (endpoints < 1 || events < endpoints) {
            throw new IllegalArgumentException("--endpoints must be at least 1 and --events at least --endpoints");
        }
        Progress progress = new Progress(spec.commandLine().getErr(), "generating", events);
        long start = System.nanoTime();
        List<Path> files = SampleGenerator.generate(out, endpoints, events, seed, progress::update);
        progress.done();
        var o = spec.commandLine().getOut();
        for (Path f : files) o.println(f);
        o.printf("%d endpoint(s), %,d events in %.1f s%n", files.size(), events, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
