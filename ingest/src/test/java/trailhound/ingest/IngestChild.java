package trailhound.ingest;

import java.nio.file.Path;

/**
 * A process of its own for {@link KillDuringIngestTest} to kill: {@code ingest <data> <file>} or
 * {@code reindex <data> <endpoint>}. Prints {@code started} once the folder is open, {@code read <n>}
 * at each progress report and {@code done} when the work returned, flushed line by line. With
 * {@code -Dtrailhound.test.haltAt=n} it halts the JVM (as a kill would: no finally block, no
 * shutdown hook) right after printing {@code read n}, a crash at an exact moment.
 */
final class IngestChild {
    private IngestChild() {}

    private static final long HALT_AT = Long.getLong("trailhound.test.haltAt", -1);

    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: ingest <data> <file> | reindex <data> <endpoint>");
        try (DataDir data = DataDir.open(Path.of(args[1]))) {
            say("started");
            switch (args[0]) {
                case "ingest" -> new Ingestor(data, 2).onProgress(IngestChild::read).ingest(Path.of(args[2]), null);
                case "reindex" -> new Reindexer(data, 2).reindex(args[2], (endpoint, n) -> read(n));
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
        }
        say("done");
    }

    private static void read(long n) {
        say("read " + n);
        if (n == HALT_AT) Runtime.getRuntime().halt(137);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
