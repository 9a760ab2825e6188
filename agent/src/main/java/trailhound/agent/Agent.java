package trailhound.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import trailhound.protocol.Message;
import trailhound.protocol.Protocol;

/*
 * The connection loop. Positions: the store numbers events; the server's acknowledged position is the
 * truth after any disconnect (Authenticated says it), so the agent drops what the server holds and sends
 * the rest from there: a batch lost in flight is sent again, a batch the server stored but whose ack was
 * lost is acknowledged again without being stored twice. At most WINDOW batches wait for their ack,
 * which bounds what is in flight when the server slows down.
 *
 * With a server of protocol 2 events leave only between its start and stop, and what waited goes
 * newest first: the server then holds a range backfill..live_edge above acknowledged, both ends sent
 * back in Authenticated after a disconnect and resumed from there (Message's javadoc has the rules).
 */

/**
 * The agent: connects out to the server, enrols or authenticates, then sends a heartbeat every
 * {@link #HEARTBEAT} and, while the server asks for them, the local store's events in acknowledged
 * batches, what waited newest first; reconnects after any failure with
 * jittered exponential backoff (1 s doubling to 60 s, each wait a random 50-100 % of that), also when
 * the server refuses it because another agent with its identity is connected (agent_taken: a copied
 * state folder). Stops on a refusal that retrying cannot fix (bad token, unknown agent, version, name
 * taken, wrong pin). {@link #stop} ends it cleanly: the batches in flight are given {@link #STOP_GRACE}
 * to be acknowledged, then the connection is closed with 1001 (going away).
 */
final class Agent {
    static final String VERSION = "0.1.0";
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final int WINDOW = 4;
    /*
     * An ordinary batch waits up to LINGER_MS after the previous one for more events, unless a whole
     * batch is waiting: each batch is an fsync'd transaction on the server, and 200 agents sending
     * every event as it came made a thousand a second, which the disk could not keep up with.
     */
    static final long LINGER_MS = 500;
    private static final long ANSWER_TIMEOUT_MS = 30_000;
    private static final long ACK_TIMEOUT_MS = 60_000;
    private static final long MAX_BACKOFF_MS = 60_000;
    /** At a stop, how long the batches in flight may take to be acknowledged before the connection closes anyway. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** A refusal retrying cannot fix: the agent stops with exit status 2. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    record Settings(URI server, String token, String name, Path state, String serverPin, int batch) {}

    private final Settings settings;
    private final LocalStore store;
    private final PrintWriter log;
    private final FileService files;
    private final Protection protection;
    private volatile boolean stopping;
    /* The newest position sent as live edge and the newest the server holds, for the lag's stages in bench --live. */
    private volatile long sentUpTo;
    private volatile long heldUpTo;
    private final java.util.concurrent.CountDownLatch stopRequested = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    Agent(Settings settings, LocalStore store, PrintWriter log) {
        this(settings, store, log, null);
    }

    /** @param files answers the server's requests (protocol 3); null: every request is refused as unsupported */
    Agent(Settings settings, LocalStore store, PrintWriter log, FileService files) {
        this(settings, store, log, files, null);
    }

    /** @param protection takes the policies the server sends (protocol 4); null: they are ignored */
    Agent(Settings settings, LocalStore store, PrintWriter log, FileService files, Protection protection) {
        this.settings = settings;
        this.store = store;
        this.log = log;
        this.files = files;
        this.protection = protection;
    }

    /** The newest store position sent in a live-edge batch so far (0: none). */
    long sentUpTo() {
        return sentUpTo;
    }

    /** The newest store position the server has acknowledged holding, live edge included (0: none). */
    long heldUpTo() {
        return heldUpTo;
    }

    void stop() {
        stopping = true;
        stopRequested.countDown();
    }

    /**
     * Stops and waits (at most {@code timeout}) for {@link #run} to return: for a shutdown hook, after
     * which the JVM exits whatever the other threads are doing.
     */
    void stopAndWait(Duration timeout) throws InterruptedException {
        stop();
        stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Runs until stopped or refused for good. */
    void run() throws Refused, IOException {
        try {
            connectLoop();
        } finally {
            stopped.countDown();
        }
    }

    private void connectLoop() throws Refused, IOException {
        int failures = 0;
        while (!stopping) {
            boolean admitted = false;
            try (Session s = new Session()) {
                admitted = s.admit();
                s.stream();
            } catch (Refused r) {
                throw r;
            } catch (IOException e) {
                log((admitted ? "disconnected: " : "not connected: ") + e.getMessage());
            }
            if (stopping) return;
            failures = admitted ? 1 : failures + 1;
            long ceiling = Math.min(MAX_BACKOFF_MS, 1000L << Math.min(16, failures - 1));
            long wait = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
            log("reconnecting in " + wait + " ms");
            try {
                if (stopRequested.await(wait, java.util.concurrent.TimeUnit.MILLISECONDS)) return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private URI socketUri() {
        URI s = settings.server();
        String scheme = "https".equals(s.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + s.getRawAuthority() + "/api/v1/agent");
    }

    private void log(String line) {
        log.println(Instant.now() + " agent: " + line);
        log.flush();
    }

    /**
     * The events that fit in one batch of {@link Protocol#MAX_BATCH_BYTES}: the oldest, or the newest when
     * {@code newest}; at least one. A batch of long events (emoji, long command lines) once passed the
     * frame limit, and the server's refusal of it came back at every reconnection.
     */
    static List<LocalStore.Stored> fit(List<LocalStore.Stored> events, boolean newest) {
        long bytes = 0;
        int n = 0;
        for (int i = 0; i < events.size(); i++) {
            LocalStore.Stored e = events.get(newest ? events.size() - 1 - i : i);
            bytes += e.json().length + 1;
            if (n > 0 && bytes > Protocol.MAX_BATCH_BYTES) break;
            n++;
        }
        return newest ? events.subList(events.size() - n, events.size()) : events.subList(0, n);
    }

    /** One connection: hello, admission, then streaming until it ends. */
    private final class Session implements AutoCloseable {
        private Connection connection;
        private AgentState state;
        private final AtomicReference<String> seenPin = new AtomicReference<>();
        private Requests requests;
        /** Asked to enrol (not authenticate): an agent_taken answer then means another identity holds the id, for good. */
        private boolean enrolling;

        boolean admit() throws IOException, Refused {
            Optional<AgentState> known = AgentState.load(settings.state()).filter(AgentState::enrolled);
            String pin = known.map(AgentState::serverPin).orElse(settings.serverPin());
            try {
                connection = Connection.open(socketUri(), pin, seenPin);
            } catch (IOException e) {
                if (Connection.isPinMismatch(e)) throw new Refused(e.getMessage());
                throw e;
            }
            connection.send(new Message.Hello(Protocol.CURRENT, VERSION));
            Message.Welcome welcome = expect(Message.Welcome.class);
            // deadlines are on the server's clock: how far ours is from it, give or take the welcome's trip
            serverOffset = welcome.serverTime() == null ? 0 : welcome.serverTime() - System.currentTimeMillis();
            onDemand = welcome.protocol() >= Protocol.ON_DEMAND; // an older server wants events whenever connected
            takesPriority = welcome.protocol() >= Protocol.POLICIES;
            if (welcome.takesBinaryFrames()) connection.sendBinaryFrames();
            if (known.isEmpty()) {
                if (welcome.serverPin() != null && seenPin.get() != null && !welcome.serverPin().equals(seenPin.get())) {
                    throw new Refused("the server says its key is " + welcome.serverPin() + " but presented " + seenPin.get()
                            + ": something between agent and server intercepts TLS; not enrolling");
                }
                if (settings.token() == null) throw new Refused("not enrolled yet: give an enrolment token with --token");
                // the identity is kept before asking: asked again after a kill, the server knows it and uses no second token
                AgentState pending = AgentState.load(settings.state()).orElse(null);
                if (pending == null) {
                    pending = AgentState.fresh();
                    pending.save(settings.state());
                }
                enrolling = true;
                connection.send(new Message.Enrol(settings.token(), settings.name(), hostname(), os(), pending.agentId(),
                        pending.secret()));
                Message.Enrolled enrolled = expect(Message.Enrolled.class);
                state = new AgentState(pending.agentId(), pending.secret(), true, enrolled.endpoint(), pin != null ? pin : seenPin.get());
                state.save(settings.state());
                log("enrolled as " + state.agentId() + ", endpoint " + state.endpoint()
                        + (state.serverPin() == null ? "" : ", server key pinned " + state.serverPin()));
            } else {
                state = known.get();
                connection.send(new Message.Authenticate(state.agentId(), state.secret(), protection == null ? null : protection.digest()));
            }
            Message.Authenticated ok = expect(Message.Authenticated.class);
            acknowledged = ok.acknowledged();
            store.acknowledge(acknowledged);
            if (ok.backfill() != null && ok.backfill() > 0 && ok.liveEdge() != null) { // a catch-up was under way: resume both ends
                store.acknowledge(ok.backfill(), ok.liveEdge());
                sentBackfill = ok.backfill();
                sentForward = ok.liveEdge();
                catchUpFloor = acknowledged;
                catchingUp = true;
                catchUpDue = false;
            } else {
                sentForward = acknowledged;
            }
            log("connected to " + settings.server() + " as endpoint " + ok.endpoint() + "; server holds up to position " + acknowledged
                    + (catchingUp ? " and " + sentBackfill + ".." + sentForward + " (catching up)" : "")
                    + (onDemand ? "; sending when the server asks" : ""));
            return true;
        }

        private boolean onDemand;
        /** The server takes {@link Message.Priority} (version 4). */
        private boolean takesPriority;
        /** The server's clock minus the agent's, in ms, as the welcome showed it (0 before protocol 4). */
        private volatile long serverOffset;
        private long acknowledged;
        /** When the last ordinary batch was sent (epoch ms). */
        private long lastForwardAt;
        /** The highest position sent by ordinary batches (the live edge side). */
        private long sentForward;
        /** The lowest position a catch-up batch has sent (the backfill side), while {@link #catchingUp}. */
        private long sentBackfill;
        /** A catch-up runs: batches go newest first from the backfill down to {@link #catchUpFloor} + 1. */
        private boolean catchingUp;
        /**
         * What the server had acknowledged when the catch-up began: its range sits above it, and the catch-up
         * ends at the position after it. Not {@code acknowledged}, which jumps to the live edge as soon as the
         * server holds the whole range: a last, empty batch made from it once claimed a position above the live
         * edge not yet sent, the server acknowledged it, and the store dropped that event unsent (bench --live,
         * session 19: a backlog of exactly two batches).
         */
        private long catchUpFloor;
        /** The next batch is the catch-up's, if one runs (they alternate with new events). */
        private boolean backfillTurn;
        /** The server said start (version 2) and not stop since. */
        private boolean streaming;
        /** At the next start with nothing in flight, see whether events waited: they are sent newest first. */
        private boolean catchUpDue = true;

        void stream() throws IOException, Refused {
            long batchId = 0;
            int waiting = 0;
            long lastAckOrSend = System.currentTimeMillis();
            long nextHeartbeat = 0;
            streaming = !onDemand;
            if (!onDemand) catchUpDue = false; // an older server takes events oldest first only
            while (!stopping) {
                long now = System.currentTimeMillis();
                if (now >= nextHeartbeat) {
                    connection.send(heartbeat());
                    nextHeartbeat = now + HEARTBEAT.toMillis();
                }
                if (takesPriority && protection != null) sendPriority();
                Outgoing batch = streaming && waiting < WINDOW ? nextBatch(batchId + 1, waiting) : null;
                if (batch != null) {
                    connection.send(batch.header(), batch.events());
                    batchId++;
                    if (waiting == 0) lastAckOrSend = now;
                    waiting++;
                }
                Object in = connection.poll(batch != null ? 0 : 200);
                while (in != null) {
                    switch (in) {
                        case Message.Ack ack -> {
                            store.acknowledge(ack.acknowledged());
                            acknowledged = Math.max(acknowledged, ack.acknowledged());
                            heldUpTo = Math.max(acknowledged, ack.liveEdge() == null ? 0 : ack.liveEdge());
                            if (ack.backfill() != null && ack.backfill() > 0 && ack.liveEdge() != null) {
                                store.acknowledge(ack.backfill(), ack.liveEdge());
                            }
                            waiting = Math.max(0, waiting - 1);
                            lastAckOrSend = System.currentTimeMillis();
                        }
                        case Message.Start start -> {
                            if (!streaming) log("the server asks for events: streaming");
                            streaming = true;
                        }
                        case Message.Stop stop -> {
                            if (streaming) log("the server needs no events now: stream stopped, events stay in the store");
                            streaming = false;
                            catchUpDue = !catchingUp; // a catch-up stopped half-way resumes where it was
                        }
                        case Message.Request request -> requests().submit(request);
                        case Message.Policies policies -> {
                            if (protection != null) protection.update(policies);
                        }
                        case Message.Error error -> refusedOrRetry(error);
                        case Connection.Closed closed -> throw new IOException(closed.why());
                        default -> log("ignored an unexpected " + in.getClass().getSimpleName() + " from the server");
                    }
                    in = connection.poll(0);
                }
                if (waiting > 0 && System.currentTimeMillis() - lastAckOrSend > ACK_TIMEOUT_MS) {
                    throw new IOException("no acknowledgement for " + ACK_TIMEOUT_MS / 1000 + " s");
                }
            }
            goAway(waiting);
        }

        /** Sends the policy events recorded since the last call; kept for the next connection when the send fails. */
        private void sendPriority() throws IOException {
            List<java.util.Map<String, String>> events = protection.takePriority(settings.batch());
            if (events.isEmpty()) return;
            try {
                connection.send(new Message.Priority(events));
            } catch (IOException | RuntimeException e) {
                protection.putBack(events);
                throw e;
            }
            log("sent " + events.size() + " policy event(s) at once");
        }

        /** Stopping: waits for the acks of the {@code waiting} batches in flight (sends no more), then closes with 1001. */
        private void goAway(int waiting) throws IOException {
            long deadline = System.currentTimeMillis() + STOP_GRACE.toMillis();
            while (waiting > 0 && System.currentTimeMillis() < deadline) {
                Object in = connection.poll(Math.max(1, deadline - System.currentTimeMillis()));
                if (in instanceof Message.Ack ack) {
                    store.acknowledge(ack.acknowledged());
                    if (ack.backfill() != null && ack.backfill() > 0 && ack.liveEdge() != null) store.acknowledge(ack.backfill(), ack.liveEdge());
                    waiting--;
                } else if (in instanceof Connection.Closed) {
                    return;
                }
            }
            log("stopping: " + (waiting == 0 ? "every batch sent was acknowledged" : waiting + " batch(es) unacknowledged, sent again at"
                    + " the next start") + "; closing the connection (1001, going away)");
            connection.goAway();
        }

        /** A batch to send: its header (no events in it) and its events as the store keeps them. */
        private record Outgoing(Message.Batch header, List<byte[]> events) {}

        /**
         * The next batch to send, or null: a catch-up begins (newest events first) when events waited at a
         * start; then batches of new events (the live edge) and of the rest of the catch-up, newest first, take turns.
         */
        private Outgoing nextBatch(long batchId, int waiting) throws IOException {
            if (catchUpDue && !catchingUp) {
                if (waiting > 0) return null; // what is in flight decides where the server stands
                catchUpDue = false;
                long newest = store.newest();
                if (newest > sentForward) {
                    long waited = store.count();
                    List<LocalStore.Stored> top = store.before(newest + 1, acknowledged, settings.batch());
                    catchUpFloor = acknowledged;
                    catchingUp = true;
                    sentForward = newest;
                    log("catching up: " + waited + " events waited; sending them newest first");
                    return backfill(batchId, top, newest, waited);
                }
            }
            if (catchingUp && backfillTurn) { // new events and the catch-up take turns: neither waits for the other to run dry
                backfillTurn = false;
                return backfill(batchId, store.before(sentBackfill, catchUpFloor, settings.batch()), sentBackfill - 1, null);
            }
            long now = System.currentTimeMillis();
            if (!catchingUp && now - lastForwardAt < LINGER_MS && store.newest() - sentForward < settings.batch()) {
                return null; // gather a little more first, unless a whole batch waits
            }
            List<LocalStore.Stored> next = fit(store.after(sentForward, settings.batch()), false);
            if (!next.isEmpty()) {
                lastForwardAt = now;
                sentForward = next.getLast().seq();
                sentUpTo = sentForward;
                backfillTurn = true;
                return new Outgoing(new Message.Batch(batchId, next.getFirst().seq(), sentForward, List.of()), json(next));
            }
            if (catchingUp) {
                return backfill(batchId, store.before(sentBackfill, catchUpFloor, settings.batch()), sentBackfill - 1, null);
            }
            return null;
        }

        /**
         * A catch-up batch of {@code events} just below the range sent (oldest first, as the store gives them); the
         * last one reaches down to the floor + 1: when all of them fit and either fewer than a batch came back or
         * the oldest is the floor's next position (then no empty batch follows to say so).
         */
        private Outgoing backfill(long batchId, List<LocalStore.Stored> fetched, long top, Long waited) {
            List<LocalStore.Stored> events = fit(fetched, true); // the newest: the catch-up goes down from the top
            boolean last = events.size() == fetched.size()
                    && (fetched.size() < settings.batch() || fetched.getFirst().seq() == catchUpFloor + 1);
            long first = last ? catchUpFloor + 1 : events.getFirst().seq();
            long lastSeq = events.isEmpty() ? top : events.getLast().seq();
            if (waited != null) lastSeq = top; // the first: its top is the newest position, the live edge
            sentBackfill = first;
            if (last) {
                catchingUp = false;
                log("catch-up sent");
            }
            return new Outgoing(Message.Batch.backfill(batchId, first, Math.max(first, lastSeq), List.of(), waited), json(events));
        }

        private static List<byte[]> json(List<LocalStore.Stored> events) {
            return events.stream().map(LocalStore.Stored::json).toList();
        }

        private <T extends Message> T expect(Class<T> type) throws IOException, Refused {
            long deadline = System.currentTimeMillis() + ANSWER_TIMEOUT_MS;
            while (true) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) throw new IOException("no " + type.getSimpleName().toLowerCase() + " from the server within 30 s");
                Object in = connection.poll(left);
                if (in == null) continue;
                if (type.isInstance(in)) return type.cast(in);
                if (in instanceof Message.Error error) refusedOrRetry(error);
                if (in instanceof Connection.Closed closed) throw new IOException(closed.why());
                throw new IOException("expected " + type.getSimpleName().toLowerCase() + " from the server, got " + in);
            }
        }

        private void refusedOrRetry(Message.Error error) throws IOException, Refused {
            String text = "the server refused (" + error.code() + "): " + error.message();
            if (error.code().equals(Protocol.Refusal.BUSY.code()) || error.code().equals(Protocol.Refusal.SERVER_ERROR.code())
                    || !enrolling && error.code().equals(Protocol.Refusal.AGENT_TAKEN.code())) { // the other may go: retried, backing off
                throw new IOException(text);
            }
            throw new Refused(text);
        }

        private Message.Heartbeat heartbeat() throws IOException {
            long free;
            try {
                free = Files.getFileStore(store.file()).getUsableSpace();
            } catch (IOException e) {
                free = -1;
            }
            return new Message.Heartbeat(os(), addresses(), VERSION, store.count(), store.bytes(), free, System.currentTimeMillis());
        }

        /** Requests are answered on their own threads, so events keep streaming while a file is read. */
        private Requests requests() {
            if (requests == null) requests = new Requests(files, connection::send, log, () -> System.currentTimeMillis() + serverOffset);
            return requests;
        }

        @Override
        public void close() {
            if (requests != null) requests.close();
            if (connection != null) connection.close();
        }
    }

    static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

    /** This machine's addresses, loopback and link-local left out. */
    static List<String> addresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) continue;
                for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                    if (!a.isLinkLocalAddress() && !a.isLoopbackAddress()) out.add(a.getHostAddress().replaceFirst("%.*$", ""));
                }
            }
        } catch (IOException e) {
            // no interfaces readable: an empty list, the server shows none
        }
        return out;
    }
}
