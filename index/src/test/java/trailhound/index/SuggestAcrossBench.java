package trailhound.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Throwaway measurement (not a test, no assertions) of suggestions across endpoints, as the hunt
 * page's box asks for them ({@link Indexes#suggest}), run from the index module after test-compile:
 * {@code java -cp target/classes:target/test-classes:<deps> trailhound.index.SuggestAcrossBench <dir> <endpoints> <events each>}.
 * Writes the endpoints under {@code dir} (unless there already), then per bound (endpoints consulted at
 * most), in ms: the median of seven suggestions with a cold cache (a fresh Indexes: every endpoint a
 * transient open) and with the endpoints open (acquired once, as analysts' work leaves them; the cache
 * holds at most {@code maxOpen} = 64, as DataDir's).
 */
public final class SuggestAcrossBench {
    private static final String[] PREFIXES = {"c:\\windows\\sys", "c:\\program files\\", "c:\\users\\", "c:\\", "c:\\windows\\"};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int endpoints = Integer.parseInt(args[1]);
        int events = Integer.parseInt(args[2]);
        List<String> names = new ArrayList<>();
        for (int e = 0; e < endpoints; e++) names.add(String.format("WS-%04d", e));
        if (!Files.isDirectory(dir)) write(dir, names, events);
        List<Field> field = List.of(Field.PROCESS_PATH);
        for (int bound : new int[] {10, 50, endpoints}) {
            long[] cold = new long[7];
            long[] warm = new long[7];
            for (int r = 0; r < 7; r++) {
                try (Indexes indexes = new Indexes(dir, 64)) {
                    long t = System.nanoTime();
                    HuntSuggestions s = indexes.suggest(names, field, PREFIXES[r % PREFIXES.length], 12, bound);
                    cold[r] = (System.nanoTime() - t) / 1_000_000;
                    if (r == 0) System.out.printf("bound %d: %d of %d endpoints, %d values%n", bound, s.searched(), s.endpoints(), s.values().size());
                }
            }
            try (Indexes indexes = new Indexes(dir, 64)) {
                for (String n : names.subList(0, Math.min(64, names.size()))) indexes.acquire(n).close();
                for (int r = 0; r < 7; r++) {
                    long t = System.nanoTime();
                    indexes.suggest(names, field, PREFIXES[r % PREFIXES.length], 12, bound);
                    warm[r] = (System.nanoTime() - t) / 1_000_000;
                }
            }
            Arrays.sort(cold);
            Arrays.sort(warm);
            System.out.printf("bound %4d endpoints: cold median %d ms (max %d), 64 open median %d ms (max %d)%n",
                    bound, cold[3], cold[6], warm[3], warm[6]);
        }
    }

    private static void write(Path dir, List<String> names, int events) throws Exception {
        String[] folders = {"c:\\windows\\system32\\", "c:\\windows\\syswow64\\", "c:\\program files\\vendor%d\\", "c:\\users\\user%d\\appdata\\local\\temp\\"};
        try (Indexes indexes = new Indexes(dir, 4)) {
            int n = 0;
            for (String name : names) {
                try (IndexBackend.Lease lease = indexes.acquireOrCreate(name)) {
                    List<Event> batch = new ArrayList<>();
                    for (int i = 0; i < events; i++, n++) {
                        String path = String.format(folders[i % folders.length], i % 37) + "tool" + ((i * 7 + n) % 400) + ".exe";
                        batch.add(TestEvents.event(name + "-" + i, TestEvents.T0 + i * 1000L, "process", "start", "p" + (i % 300))
                                .set(Field.ENDPOINT, name).set(Field.PROCESS_PATH, path).set(Field.COMMAND_LINE, path + " /run " + i)
                                .build());
                    }
                    lease.index().addAll(batch);
                    lease.index().commit();
                }
            }
        }
    }
}
