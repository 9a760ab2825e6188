package trailhound.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import trailhound.protocol.PolicyRules;
import trailhound.recorder.RecorderReader;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.telemetry.TelemetryImport;

/**
 * Replay mode: reads a recorder database or a telemetry file (Sysmon JSON lines / XML / .evtx, Linux
 * audit log: whatever {@link TelemetryImport} detects) and puts its events into the local store at
 * {@code rate} events per second, in the file's order, each stamped with the moment it is replayed
 * (the run's start plus its place at that rate): a replay looks like activity happening now. The file's
 * own time spacing is not kept: a file spanning months replayed at a high rate would otherwise put
 * events weeks into the future. Uids are the source's own (a recorder row's uid, a Sysmon record's), as
 * a snapshot of it would have.
 *
 * <p>Resumable: the number of source events taken is committed with them, so an agent killed and
 * restarted continues with the next event, none lost or repeated. Runs on the calling thread.
 */
final class Replay {
    private static final byte[] SQLITE = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 200;

    private final Path file;
    private final double rate;
    private final LocalStore store;
    private final Protection protection;
    /** Source events in the store, and the slot (epoch ms) of the newest: one value, so that a reader sees the two together. */
    record Taken(long events, long newestSlotMs) {}

    private volatile Taken taken = new Taken(0, 0);

    Replay(Path file, double rate, LocalStore store) {
        this(file, rate, store, null);
    }

    /**
     * With {@code protection}: each replayed process start that a policy's rule matches is followed by a
     * {@code policy} event saying what the agent would have done ({@code would block}, or {@code alerted}):
     * a replay stops nothing, there is no process. Its uid derives from the start's and the rule's, so a
     * resumed replay adds none twice.
     */
    Replay(Path file, double rate, LocalStore store, Protection protection) {
        this.protection = protection;
        if (!(rate > 0)) throw new IllegalArgumentException("--rate must be more than 0 events per second, was " + rate);
        this.file = file;
        this.rate = rate;
        this.store = store;
        // what earlier runs on this state took of this file, known before run() reads on: a replay stopped before
        // it started (an agent killed, restarted and stopped at once, bench --live's faults) still says it
        try {
            if (replaying(file).equals(store.meta("replay_file"))) {
                String t = store.meta("replay_taken");
                if (t != null) taken = new Taken(Long.parseLong(t), 0);
            }
        } catch (IOException | RuntimeException e) {
            // run() reads them again and reports what fails
        }
    }

    /** The file a replay's count is of: its path and size (another file, or this one changed, starts from its beginning). */
    private static String replaying(Path file) throws IOException {
        return file.toAbsolutePath().normalize() + " (" + Files.size(file) + " bytes)";
    }

    /** Checks the file before anything connects: it exists and is of a format replay reads. */
    static void check(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("--replay " + file + ": no such file");
        if (!isSqlite(file) && TelemetryImport.detect(file).isEmpty()) {
            throw new IOException("--replay " + file + ": not a recorder database, Sysmon JSON/XML/.evtx or audit log");
        }
    }

    /** Replays what is left of the file; returns the number of source events taken in all (this run and earlier ones). */
    long run() throws IOException {
        // The count taken is of one file: another file (or this one changed) starts from its beginning
        String replaying = replaying(file);
        if (!replaying.equals(store.meta("replay_file"))) {
            store.putMeta("replay_taken", "0");
            store.putMeta("replay_file", replaying);
        }
        String takenText = store.meta("replay_taken");
        long alreadyTaken = takenText == null ? 0 : Long.parseLong(takenText);
        taken = new Taken(alreadyTaken, 0);
        long[] seen = {0};
        List<Event> pending = new ArrayList<>();
        long start = System.nanoTime();
        long wallStart = System.currentTimeMillis();
        long[] emitted = {0};
        Consumer<Event> sink = e -> {
            if (seen[0]++ < alreadyTaken) return;
            try {
                long replayedAt = wallStart + (long) (emitted[0] * 1000.0 / rate); // its slot at the rate: now, give or take 50 ms
                Event replayed = e.toBuilder().ts(replayedAt).set(Field.ENDPOINT, null).set(Field.SOURCE, null).build();
                pending.add(replayed);
                if (protection != null && !protection.isEmpty()) pending.addAll(wouldDo(replayed));
                emitted[0]++;
                long due = start + (long) (emitted[0] * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (pending.size() >= CHUNK || wait > 50_000_000L) commit(pending, seen[0]);
                if (wait > 0) Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                try { // what was read goes into the store, so a stopped replay's count is what it took
                    commit(pending, seen[0]);
                } catch (IOException stored) {
                    // not stored: not counted as taken either, so a restarted replay takes these events again
                }
                throw new java.util.concurrent.CancellationException("replay stopped");
            }
        };
        try {
            if (isSqlite(file)) {
                try (RecorderReader reader = RecorderReader.open(file)) {
                    reader.read("replay", 0, sink);
                }
            } else {
                TelemetryImport.read(file, file.getFileName().toString(), null, null, sink, 1);
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            throw e; // stopped between events: what was read is stored already
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted() && !(e.getCause() instanceof InterruptedException)) throw e;
            // stopped while the reader waited for its next rows: what was read goes into the store, as between events
            commit(pending, seen[0]);
            throw new java.util.concurrent.CancellationException("replay stopped");
        }
        commit(pending, seen[0]);
        return seen[0];
    }

    /** Stores what was read (committed with the count of source events taken, {@code seen}), then empties {@code pending}. */
    private void commit(List<Event> pending, long seen) throws IOException {
        store.append(pending, seen);
        taken = new Taken(seen, pending.isEmpty() ? taken.newestSlotMs() : pending.getLast().ts());
        pending.clear();
    }

    /** The policy events a replayed process start would have caused. */
    private List<Event> wouldDo(Event e) {
        if (!"process".equals(e.type()) || !"start".equals(e.operation())) return List.of();
        List<Event> out = new ArrayList<>();
        PolicyRules.Process p = new PolicyRules.Process(e.get(Field.PROCESS_PATH), e.get(Field.COMMAND_LINE), e.get(Field.HASH_SHA256),
                e.get(Field.PARENT_PATH));
        for (Protection.Hit hit : protection.hits(p)) {
            Event.Builder fields = Event.builder();
            for (Field f : List.of(Field.PROCESS_KEY, Field.PID, Field.PPID, Field.PARENT_KEY, Field.PROCESS_PATH, Field.PROCESS_NAME,
                    Field.COMMAND_LINE, Field.USER, Field.HASH_MD5, Field.HASH_SHA1, Field.HASH_SHA256, Field.PARENT_PATH,
                    Field.PARENT_COMMAND_LINE)) {
                fields.set(f, e.get(f));
            }
            out.add(Protection.event(e.uid() + ":policy:" + hit.policy().id() + ":" + hit.rule().id(), e.ts(), hit, fields,
                    hit.block() ? "would block" : "alerted"));
        }
        return out;
    }

    /** Source events in the store so far (committed), this run and earlier ones; 0 before {@link #run} reads the store. */
    long taken() {
        return taken.events();
    }

    /** What {@link #taken()} says, with the replay slot of the newest event stored (0 before this run stored any). */
    Taken progress() {
        return taken;
    }

    private static boolean isSqlite(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(SQLITE.length), SQLITE);
        }
    }
}
