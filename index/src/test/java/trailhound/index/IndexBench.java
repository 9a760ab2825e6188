package trailhound.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.TermQuery;
import trailhound.query.ValuePatternQuery;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/**
 * Throwaway measurement (not a test, no assertions): indexes N synthetic events with T threads
 * and times the main reads. Run from the index module after test-compile:
 * {@code java -cp target/classes:target/test-classes:<deps> trailhound.index.IndexBench <dir> <events> <threads>}
 */
public final class IndexBench {
    private static final String[][] KINDS = {
            {"process", "start"}, {"process", "end"}, {"file", "create"}, {"file", "delete"}, {"network", "connect"},
            {"network", "accept"}, {"registry", "set_value"}, {"image", "load"}, {"dns", "query"}, {"process", "access"}};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        long t0 = System.nanoTime();
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            int warm = n / 4;
            addRange(index, 0, warm, threads); // warm-up: JIT compilation is not indexing cost
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            addRange(index, warm, n, threads);
            System.out.printf("steady state: %d events in %.1f s wall = %.0f events/s, %.1f s CPU = %.0f events per CPU-second%n",
                    n - warm, (System.nanoTime() - wall0) / 1e9, (n - warm) / ((System.nanoTime() - wall0) / 1e9),
                    (os.getProcessCpuTime() - cpu0) / 1e9, (n - warm) / ((os.getProcessCpuTime() - cpu0) / 1e9));
            long added = System.nanoTime();
            index.commit();
            long committed = System.nanoTime();
            double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1e9;
            System.out.printf("add %d events: %.1f s = %.0f events/s (commit %.1f s, incl. commit %.0f events/s)%n", n,
                    (added - t0) / 1e9, n / ((added - t0) / 1e9), (committed - added) / 1e9, n / ((committed - t0) / 1e9));
            System.out.printf("process CPU %.1f s = %.0f events per CPU-second (incl. generating the events)%n", cpu, n / cpu);
            reads(index);
        }
        try (var files = Files.walk(dir)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            System.out.printf("size %.1f MB = %.1f bytes/event%n", bytes / 1e6, bytes / (double) n);
        }
        if (args.length > 3) {
            long open = System.nanoTime();
            try (EndpointIndex index = EndpointIndex.open(dir)) {
                System.out.printf("reopen read-only %.1f ms%n", (System.nanoTime() - open) / 1e6);
                reads(index);
            }
        }
    }

    private static void addRange(EndpointIndex index, int from, int to, int threads) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(from * 31L + thread);
                try {
                    for (int i = from + thread; i < to; i += threads) index.add(event(i, rnd));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) w.join();
    }

    private static void reads(EndpointIndex index) throws Exception {
        for (int round = 0; round < 3; round++) {
            System.out.println("-- round " + round);
            time("distribution all", () -> index.distribution(null).total());
            TermQuery pk = new TermQuery(new Term(IndexFields.term(Field.USER), "corp\\user7"));
            time("distribution user7", () -> index.distribution(pk).total());
            time("distribution type:file", () -> index.distribution(new TermQuery(new Term("type", "file"))).total());
            time("count all", () -> index.count(null));
            time("first page 100", () -> index.search(null, 100, null).events().size());
            time("page 100 user7", () -> index.search(pk, 100, null).events().size());
            time("process p123 history 100", () -> index.process("p123", 100).orElseThrow().history().size());
            time("contains cmd", () -> index.count(new ValuePatternQuery(Field.COMMAND_LINE, ValuePatternQuery.Mode.CONTAINS, "-enc abc12")));
            time("contains + type", () -> index.count(new BooleanQuery.Builder()
                    .add(new ValuePatternQuery(Field.PROCESS_PATH, ValuePatternQuery.Mode.CONTAINS, "tool1"), Occur.MUST)
                    .add(new TermQuery(new Term("type", "network")), Occur.MUST).build()));
            time("regex file", () -> index.count(new ValuePatternQuery(Field.FILE_PATH, ValuePatternQuery.Mode.REGEX, ".*doc[0-9]+\\.ps1")));
            time("stats", () -> index.stats().eventCount());
            histograms(index);
        }
    }

    /** The histogram's paths, and the alternatives measured against the point-tree walk for all events. */
    private static void histograms(EndpointIndex index) throws Exception {
        TermQuery file = new TermQuery(new Term("type", "file"));
        TermQuery user7 = new TermQuery(new Term(IndexFields.term(Field.USER), "corp\\user7"));
        Histogram all = index.histogram(null, null, null);
        long from = all.from() + (all.to() - all.from()) / 4;
        long to = all.to() - (all.to() - all.from()) / 4;
        time("histogram all (point tree)", () -> index.histogram(null, null, null).total());
        time("histogram all, half window", () -> index.histogram(null, from, to).total());
        time("histogram all, count/bucket", () -> index.withSearcher(s -> {
            long total = 0;
            for (Histogram.Bucket b : all.buckets()) {
                total += s.count(org.apache.lucene.document.LongPoint.newRangeQuery(IndexFields.TS,
                        Math.max(b.start(), all.from()), Math.min(b.end(), all.to()) - 1));
            }
            return total;
        }));
        time("histogram all, doc values", () -> index.withSearcher(s -> {
            long[] counts = new long[all.buckets().size()];
            long first = all.buckets().getFirst().start();
            for (var leaf : s.getIndexReader().leaves()) {
                var ts = org.apache.lucene.index.DocValues.getNumeric(leaf.reader(), IndexFields.TS);
                for (int d = ts.nextDoc(); d != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; d = ts.nextDoc()) {
                    counts[(int) ((ts.longValue() - first) / all.bucketMillis())]++;
                }
            }
            return java.util.Arrays.stream(counts).sum();
        }));
        time("histogram all, collector", () -> index.histogram(new org.apache.lucene.search.FieldExistsQuery(IndexFields.TS),
                all.from(), all.to()).total());
        time("histogram type:file", () -> index.histogram(file, null, null).total());
        time("histogram type:file window", () -> index.histogram(file, from, to).total());
        time("histogram user7", () -> index.histogram(user7, null, null).total());
        time("count type:file", () -> index.count(file));
    }

    interface Op {
        Object run() throws Exception;
    }

    private static void time(String what, Op op) throws Exception {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = bean.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        Object result = op.run();
        System.out.printf("%-28s %8.2f ms wall %8.2f ms cpu -> %s%n", what, (System.nanoTime() - t) / 1e6,
                (bean.getCurrentThreadCpuTime() - cpu) / 1e6, result);
    }

    static Event event(int i, SplittableRandom rnd) {
        String[] kind = KINDS[rnd.nextInt(KINDS.length)];
        int proc = rnd.nextInt(5000);
        int tool = proc % 400;
        Event.Builder b = Event.builder()
                .set(Field.ENDPOINT, "bench")
                .set(Field.EVENT_UID, "ev-" + i)
                .ts(1_700_000_000_000L + i * 3L + rnd.nextInt(50))
                .set(Field.TYPE, kind[0])
                .set(Field.OPERATION, kind[1])
                .set(Field.PROCESS_KEY, "p" + proc)
                .set(Field.PID, 1000 + proc)
                .set(Field.PROCESS_PATH, "C:\\Program Files\\Vendor" + tool % 40 + "\\Tool" + tool + ".exe")
                .set(Field.PROCESS_NAME, "Tool" + tool + ".exe")
                .set(Field.COMMAND_LINE, "\"C:\\Program Files\\Vendor" + tool % 40 + "\\Tool" + tool + ".exe\" -enc ABC" + proc)
                .set(Field.USER, "CORP\\user" + proc % 50)
                .set(Field.HASH_SHA256, Integer.toHexString(tool * 7919) + "deadbeefcafebabe0123456789abcdef0123456789abcdef0123456789")
                .set(Field.PARENT_KEY, "p" + proc / 10)
                .set(Field.PPID, 1000 + proc / 10)
                .set(Field.PARENT_PATH, "C:\\Windows\\explorer.exe")
                .set(Field.SOURCE, "snap-1");
        switch (kind[0]) {
            case "file" -> b.set(Field.FILE_PATH, "C:\\Users\\user" + proc % 50 + "\\Documents\\doc" + rnd.nextInt(20000) + (rnd.nextInt(10) == 0 ? ".ps1" : ".docx"));
            case "network" -> b.set(Field.REMOTE_IP, "10.0." + rnd.nextInt(256) + "." + rnd.nextInt(256))
                    .set(Field.REMOTE_PORT, rnd.nextInt(10) == 0 ? 443 : 1024 + rnd.nextInt(60000))
                    .set(Field.LOCAL_IP, "192.168.1.10").set(Field.LOCAL_PORT, 49152 + rnd.nextInt(16000))
                    .set(Field.PROTOCOL, "tcp");
            case "registry" -> b.set(Field.REGISTRY_KEY, "HKLM\\Software\\Vendor" + tool % 40 + "\\Key" + rnd.nextInt(500))
                    .set(Field.REGISTRY_VALUE_NAME, "Value" + rnd.nextInt(20)).set(Field.REGISTRY_VALUE_DATA, "data" + rnd.nextInt(1000));
            case "image" -> b.set(Field.IMAGE_PATH, "C:\\Windows\\System32\\lib" + rnd.nextInt(300) + ".dll");
            case "dns" -> b.set(Field.DNS_QUERY, "host" + rnd.nextInt(3000) + ".example.com");
            default -> {}
        }
        return b.build();
    }
}
