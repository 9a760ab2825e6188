package trailhound.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/*
 * Why in-process: a load test runs hundreds of agents on one machine, and a JVM each does not fit;
 * this runs the very code of `trailhound agent --replay` (store, replay, connection loop) on two
 * threads of the caller's JVM, each agent with its own identity, state folder, store and WebSocket.
 */

/**
 * One replay agent running in the caller's JVM, as {@code trailhound agent --replay FILE --rate R}
 * would run it: enrols with {@code token} when its state folder holds no identity yet (else
 * authenticates with it), replays {@code replay} into its local store at {@code rate} events/s and
 * streams it. Not thread-safe; {@link #close} stops it.
 */
public final class ReplayAgent implements AutoCloseable {
    /**
     * @param server the server's URL (https://host:port)
     * @param token an enrolment token, needed only until enrolled (may be null after)
     * @param name the endpoint name to enrol as
     * @param state the agent's own folder (identity, store)
     * @param serverPin the server's key pin (sha256/...), or null to pin the key seen at enrolment
     * @param replay a recorder database or telemetry file
     * @param rate events per second, more than 0
     * @param batch events per batch, 1 to 10,000
     */
    public record Options(URI server, String token, String name, Path state, String serverPin, Path replay, double rate, int batch) {}

    private final LocalStore store;
    private final Replay replay;
    private final Agent agent;
    private final Thread replaying;
    private final Thread connecting;
    private volatile boolean replayDone;
    private volatile String failure;

    private ReplayAgent(Options o, PrintWriter log) throws IOException {
        Replay.check(o.replay());
        if (o.batch() < 1 || o.batch() > 10_000) throw new IllegalArgumentException("batch must be 1 to 10000 events, not " + o.batch());
        String pin = o.serverPin() == null ? null : ServerPin.normalise(o.serverPin());
        store = LocalStore.open(o.state(), 1_000_000, o.name(), LocalStore.RecorderLimits.DEFAULT);
        Protection protection = new Protection(store, log);
        replay = new Replay(o.replay(), o.rate(), store, protection);
        agent = new Agent(new Agent.Settings(o.server(), o.token(), o.name(), o.state(), pin, o.batch()), store, log, null, protection);
        replaying = Thread.ofPlatform().daemon().name("replay-" + o.name()).unstarted(() -> {
            try {
                replay.run();
                replayDone = true;
            } catch (IOException | RuntimeException e) {
                if (!(e instanceof java.util.concurrent.CancellationException)) failure = "replay stopped: " + e.getMessage();
            }
        });
        connecting = Thread.ofPlatform().daemon().name("agent-" + o.name()).unstarted(() -> {
            try {
                agent.run();
            } catch (Agent.Refused e) {
                failure = e.getMessage();
            } catch (IOException | RuntimeException e) {
                failure = "stopped: " + e.getMessage();
            }
        });
    }

    /**
     * Opens the agent's store and starts its replay and connection threads.
     *
     * @throws IOException when the replay file is missing or unreadable, or the store cannot be opened
     * @throws IllegalArgumentException on a bad rate, batch or pin
     */
    public static ReplayAgent start(Options options, PrintWriter log) throws IOException {
        ReplayAgent a = new ReplayAgent(options, log);
        a.replaying.start();
        a.connecting.start();
        return a;
    }

    /** Source events put into the local store so far, earlier runs on this state folder included. */
    public long taken() {
        return replay.taken();
    }

    /**
     * Source events stored so far ({@link #taken}) and when the newest of them was due, epoch ms: its slot
     * in the replay's schedule, which its time stamp carries (0 before this run stored any). Read together. A
     * replay that fell behind stores events after their slot; a lag timed from the slot counts that delay too.
     */
    public record Progress(long taken, long newestSlotMs) {}

    public Progress progress() {
        Replay.Taken t = replay.progress();
        return new Progress(t.events(), t.newestSlotMs());
    }

    /** The uid of the event at {@code position} in the local store; null when the store no longer holds it (sent and dropped). */
    public String uidAt(long position) throws IOException {
        List<LocalStore.Stored> at = store.after(position - 1, 1);
        return at.isEmpty() || at.getFirst().seq() != position ? null : at.getFirst().fields().get(trailhound.schema.Field.EVENT_UID.canonicalName());
    }

    /** The newest position in the local store (positions number stored events from 1; 0: none yet). */
    public long newest() throws IOException {
        return store.newest();
    }

    /** The newest position sent to the server as new events; for timing the lag's stages. */
    public long sentUpTo() {
        return agent.sentUpTo();
    }

    /** The newest position the server acknowledged holding; for timing the lag's stages. */
    public long heldUpTo() {
        return agent.heldUpTo();
    }

    /** Events in the local store not yet acknowledged by the server. */
    public long waiting() throws IOException {
        return store.count();
    }

    /** The replay reached the end of its file. */
    public boolean replayDone() {
        return replayDone;
    }

    /** Why the agent or its replay stopped on its own (refused for good, a store error), or null. */
    public String failure() {
        return failure;
    }

    /** Stops the replay: no more events go into the store; what waits is still sent. */
    public void stopReplay() throws InterruptedException {
        replaying.interrupt();
        replaying.join(10_000);
    }

    /** Stops the replay and the connection, then closes the store. */
    @Override
    public void close() throws IOException {
        agent.stop();
        replaying.interrupt();
        try {
            replaying.join(10_000);
            connecting.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
