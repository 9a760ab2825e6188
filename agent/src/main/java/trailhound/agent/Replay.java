package trailhound.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
    private final java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();

    Replay(Path file, double rate, LocalStore store) {
        if (!(rate > 0)) throw new IllegalArgumentException("--rate must be more than 0 events per second, was " + rate);
        this.file = file;
        this.rate = rate;
        this.store = store;
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
        String replaying = file.toAbsolutePath().normalize() + " (" + Files.size(file) + " bytes)";
        if (!replaying.equals(store.meta("replay_file"))) {
            store.putMeta("replay_taken", "0");
            store.putMeta("replay_file", replaying);
        }
        String takenText = store.meta("replay_taken");
        long alreadyTaken = takenText == null ? 0 : Long.parseLong(takenText);
        taken.set(alreadyTaken);
        long[] seen = {0};
        List<Event> pending = new ArrayList<>();
        long start = System.nanoTime();
        long wallStart = System.currentTimeMillis();
        long[] emitted = {0};
        Consumer<Event> sink = e -> {
            if (seen[0]++ < alreadyTaken) return;
            try {
                long replayedAt = wallStart + (long) (emitted[0] * 1000.0 / rate); // its slot at the rate: now, give or take 50 ms
                pending.add(e.toBuilder().ts(replayedAt).set(Field.ENDPOINT, null).set(Field.SOURCE, null).build());
                emitted[0]++;
                long due = start + (long) (emitted[0] * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (pending.size() >= CHUNK || wait > 50_000_000L) {
                    store.append(pending, seen[0]);
                    taken.set(seen[0]);
                    pending.clear();
                }
                if (wait > 0) Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                try { // what was read goes into the store, so a stopped replay's count is what it took
                    store.append(pending, seen[0]);
                    taken.set(seen[0]);
                    pending.clear();
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
        }
        store.append(pending, seen[0]);
        taken.set(seen[0]);
        return seen[0];
    }

    /** Source events in the store so far (committed), this run and earlier ones; 0 before {@link #run} reads the store. */
    long taken() {
        return taken.get();
    }

    private static boolean isSqlite(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(SQLITE.length), SQLITE);
        }
    }
}
