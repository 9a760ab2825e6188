package trailhound.web.live;

import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsHandlerType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import trailhound.access.Agents;
import trailhound.access.AuditLog;
import trailhound.ingest.LiveIngest;
import trailhound.ingest.Positions;
import trailhound.protocol.Message;
import trailhound.protocol.Protocol;
import trailhound.protocol.ProtocolException;
import trailhound.schema.Event;

/*
 * One conversation per connection, in three stages: hello (versions), admission (enrol or
 * authenticate), stream (heartbeats and batches). Jetty hands a connection's frames to onMessage one
 * at a time and reads the next only when it returns, so a batch is appended (fsync'd, then acked)
 * and indexed before the agent's next frame is even read: when the server falls behind, TCP pushes back on the
 * agent, whose window of unacknowledged batches then fills and stops it sending. Nothing is queued
 * here without bound.
 */

/**
 * The agents' WebSocket, {@value #PATH}: agents connect out to it (wss on an HTTPS server) and speak
 * {@link Protocol}. Refusals (version, token, unknown agent) are answered with a {@link Message.Error}
 * saying why, audited, and the connection closed. Thread-safe.
 */
public final class AgentSocket {
    public static final String PATH = "/api/v1/agent";
    /** Most events in one batch. */
    public static final int MAX_BATCH_EVENTS = 10_000;
    /** A connection that sends nothing for this long (three missed heartbeats) is closed. */
    static final Duration IDLE = Duration.ofSeconds(35);

    private enum Stage { HELLO, ADMISSION, STREAM }

    /** What the server knows about one connection. */
    private static final class Conversation {
        volatile Stage stage = Stage.HELLO;
        volatile int protocol;
        volatile String agentId;
        volatile String endpoint;
        /** What the agent was last told (protocol 2): start (true) or stop; guarded by the conversation. */
        boolean streaming;
        volatile String address;
        /** When it was admitted (null before). */
        volatile java.time.Instant admitted;
        /** {@link Protocol#digest} of the policies the agent holds (protocol 4; null: none), to send only a change; guarded by the conversation. */
        String policiesHeld;
        /** When its last frame arrived (System.currentTimeMillis()). */
        volatile long lastFrame = System.currentTimeMillis();
    }

    /**
     * An admitted connection that sent a frame within this (a heartbeat is every 10 s) is alive: a
     * second connection with its identity is refused (agent_taken) instead of replacing it. One silent
     * for longer is taken for a dead connection the server has not noticed yet (a cut cable) and replaced.
     */
    static final Duration ALIVE_WITHIN = Duration.ofSeconds(15);

    private final Agents agents;
    private final AuditLog audit;
    private final LiveIngest live;
    private final String serverPin;
    private final LiveConnections connections;
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    /** The connection of each authenticated agent: a newer one replaces (closes) an older one. */
    private final Map<String, WsContext> byAgent = new ConcurrentHashMap<>();
    /** Requests to agents (protocol 3) and their replies, which arrive here among the batches. */
    private final AgentRequests requests = new AgentRequests(this::sendRequest, e -> admitted(e).isPresent());

    /**
     * @param serverPin the pin of the server's TLS key ({@code sha256/<base64>}), null on plain HTTP
     * @param connections the analysts' connections, which say when an agent is to send (protocol 2)
     */
    public AgentSocket(Agents agents, AuditLog audit, LiveIngest live, String serverPin, LiveConnections connections) {
        this.agents = agents;
        this.audit = audit;
        this.live = live;
        this.serverPin = serverPin;
        this.connections = connections;
        connections.attach(this);
        agents.onRevoke(this::revoked);
    }

    private volatile trailhound.access.PolicyBook policies;

    /**
     * Delivers protection policies (protocol 4): each agent gets those in force on its endpoint right after
     * it is authenticated, again at once when a policy changes, and at a heartbeat when its set moved
     * otherwise (its endpoint joined or left a group).
     */
    public void deliverPolicies(trailhound.access.PolicyBook book) {
        this.policies = book;
        book.onChange(() -> {
            for (WsContext ctx : byAgent.values()) {
                Conversation c = conversations.get(ctx.sessionId());
                try {
                    if (c != null && c.stage == Stage.STREAM) sendPolicies(ctx, c);
                } catch (RuntimeException closing) {
                    // its connection is ending: it gets the set when it is authenticated again
                }
            }
        });
    }

    private void sendPolicies(WsContext ctx, Conversation c) {
        trailhound.access.PolicyBook book = policies;
        if (book == null || c.protocol < Protocol.POLICIES || c.endpoint == null) return;
        Message.Policies set = new Message.Policies(book.inForce(c.endpoint));
        String digest = Protocol.digest(set);
        synchronized (c) {
            if (java.util.Objects.equals(digest, c.policiesHeld)) return;
            c.policiesHeld = digest;
            ctx.send(Protocol.encode(set));
        }
    }

    /** Closes a revoked agent's connection at once, telling it why. */
    private void revoked(String agentId) {
        WsContext ctx = byAgent.get(agentId);
        agents.refusal(agentId).ifPresent(reason -> {
            agents.endpointOf(agentId).ifPresent(endpoint -> refusals.put("endpoint:" + endpoint,
                    new Refusal(java.time.Instant.now(), "refused its agent: " + reason)));
            Conversation c = ctx == null ? null : conversations.get(ctx.sessionId());
            if (c != null) refuseAudited(ctx, c, "agent.connect", Protocol.Refusal.UNKNOWN_AGENT, reason);
        });
    }

    /** A refusal remembered for the Live page: when, and why. */
    record Refusal(java.time.Instant at, String reason) {}

    private static final int REFUSALS_KEPT = 1_000;
    /** The latest refusals by remote address (version) and by endpoint (a known agent refused), the oldest forgotten first. */
    private final Map<String, Refusal> refusals = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Refusal> eldest) {
            return size() > REFUSALS_KEPT;
        }
    });

    /**
     * Why the endpoint's agent was last refused, when it was: a protocol version from one of its
     * addresses, or its authentication (a wrong secret for its agent id). Empty when neither.
     */
    Optional<Refusal> lastRefusal(String endpoint, List<String> addresses) {
        Refusal found = refusals.get("endpoint:" + endpoint);
        for (String address : addresses) {
            Refusal r = refusals.get("address:" + address);
            if (r != null && (found == null || r.at().isAfter(found.at()))) found = r;
        }
        return Optional.ofNullable(found);
    }

    /** The protocol version of the endpoint's agent connected now, empty when none is. */
    Optional<Integer> protocolOf(String endpoint) {
        return admitted(endpoint).map(ctx -> conversations.get(ctx.sessionId())).map(c -> c.protocol);
    }

    /** The server's requests to connected agents: file system, kill. */
    public AgentRequests requests() {
        return requests;
    }

    private Optional<AgentRequests.Sent> sendRequest(String endpoint, Message.Request request) {
        Optional<WsContext> found = admitted(endpoint);
        if (found.isEmpty()) return Optional.empty();
        Conversation c = conversations.get(found.get().sessionId());
        if (c == null) return Optional.empty();
        if (c.protocol >= Protocol.FILES) {
            synchronized (c) {
                found.get().send(Protocol.encode(request));
            }
        }
        return Optional.of(new AgentRequests.Sent(c.protocol, found.get().sessionId()));
    }

    /** Tells the endpoint's agent (protocol 2) to start or stop sending when that changed. */
    void reconsider(String endpoint) {
        admitted(endpoint).ifPresent(ctx -> {
            Conversation c = conversations.get(ctx.sessionId());
            if (c != null) reconsider(ctx, c);
        });
    }

    private void reconsider(WsContext ctx, Conversation c) {
        if (c.protocol < Protocol.ON_DEMAND || c.endpoint == null) return;
        boolean want = connections.wanted(c.endpoint);
        synchronized (c) {
            if (want == c.streaming) return;
            c.streaming = want;
            ctx.send(Protocol.encode(want ? new Message.Start() : new Message.Stop()));
        }
    }

    private Optional<WsContext> admitted(String endpoint) {
        for (WsContext ctx : byAgent.values()) {
            Conversation c = conversations.get(ctx.sessionId());
            if (c != null && endpoint.equals(c.endpoint) && c.stage == Stage.STREAM) return Optional.of(ctx);
        }
        return Optional.empty();
    }

    /** Registers the WebSocket route and raises Jetty's frame size limit to the protocol's. */
    public void register(JavalinConfig config) {
        config.jetty.modifyWebSocketServletFactory(factory -> {
            factory.setMaxTextMessageSize(Protocol.MAX_FRAME_CHARS); // bytes: a frame of that many characters or fewer, in ASCII
            factory.setMaxBinaryMessageSize(Protocol.MAX_FRAME_CHARS);
            factory.setIdleTimeout(IDLE);
        });
        config.routes.addWsHandler(WsHandlerType.WEBSOCKET, PATH, ws -> {
            ws.onConnect(ctx -> {
                Conversation c = new Conversation();
                c.address = address(ctx);
                conversations.put(ctx.sessionId(), c);
            });
            ws.onMessage(ctx -> onFrame(ctx, () -> Protocol.decode(ctx.message())));
            ws.onBinaryMessage(ctx -> onFrame(ctx, () -> Protocol.decode(ctx.data())));
            ws.onClose(ctx -> forget(ctx, ctx.status() == 1001
                    ? "the agent stopped: it closed its connection cleanly (1001, going away" + (blank(ctx.reason()) ? "" : ": " + ctx.reason()) + ")"
                    : "its connection to the server ended (" + ctx.status() + (blank(ctx.reason()) ? "" : " " + ctx.reason()) + ")"));
            ws.onError(ctx -> forget(ctx, "its connection to the server failed ("
                    + (ctx.error() == null ? "unknown error" : ctx.error().getClass().getSimpleName()) + ")"));
        });
    }

    private void forget(WsContext ctx, String why) {
        Conversation c = conversations.remove(ctx.sessionId());
        if (c != null && c.endpoint != null) requests.disconnected(c.endpoint, ctx.sessionId(), "its connection to the server ended");
        if (c != null && c.agentId != null && byAgent.remove(c.agentId, ctx)) {
            connections.agentDisconnected(c.endpoint, why);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A text or binary frame (the same JSON, see Protocol), decoded by {@code decode}. */
    private void onFrame(WsContext ctx, java.util.function.Supplier<Message> decode) {
        Conversation c = conversations.computeIfAbsent(ctx.sessionId(), id -> new Conversation());
        if (c.address == null) c.address = address(ctx);
        c.lastFrame = System.currentTimeMillis();
        Message m;
        try {
            m = decode.get();
        } catch (ProtocolException e) {
            refuseAudited(ctx, c, "agent.connect", Protocol.Refusal.BAD_MESSAGE, e.getMessage());
            return;
        }
        try {
            switch (c.stage) {
                case HELLO -> hello(ctx, c, m);
                case ADMISSION -> admission(ctx, c, m);
                case STREAM -> stream(ctx, c, m);
            }
        } catch (ProtocolException e) {
            refuseAudited(ctx, c, "agent.connect", Protocol.Refusal.BAD_MESSAGE, e.getMessage());
        } catch (IOException | RuntimeException e) {
            // nothing was acknowledged: the agent sends the batch again after reconnecting
            // an enrolment storm once read "could not store the batch" for an enrolment that met a busy server.db
            String what = c.stage == Stage.STREAM ? "store the batch" : "admit the agent";
            refuseAudited(ctx, c, "agent.connect", Protocol.Refusal.SERVER_ERROR, "the server could not " + what + " (" + e.getMessage()
                    + "); the agent retries; if it persists, check the server's disk and log");
        }
    }

    private void hello(WsContext ctx, Conversation c, Message m) {
        if (!(m instanceof Message.Hello hello)) {
            refuseAudited(ctx, c, "agent.connect", Protocol.Refusal.BAD_MESSAGE, "expected hello first, got " + type(m));
            return;
        }
        if (!Protocol.accepts(hello.protocol())) {
            String reason = Protocol.versionRefusal(hello.protocol());
            audit.recordAnonymous("", "agent", address(ctx), "agent.connect", AuditLog.FAILED, reason + " (agent " + hello.agentVersion() + ")");
            refusals.put("address:" + address(ctx), new Refusal(java.time.Instant.now(), "refused its agent (version "
                    + hello.agentVersion() + ") for a version mismatch: " + reason));
            refuse(ctx, Protocol.Refusal.VERSION, reason);
            return;
        }
        c.protocol = hello.protocol();
        c.stage = Stage.ADMISSION;
        boolean current = hello.protocol() >= Protocol.DEADLINES; // older agents get the welcome of their version, unchanged
        ctx.send(Protocol.encode(new Message.Welcome(hello.protocol(), serverPin, current ? System.currentTimeMillis() : null, current ? true : null)));
    }

    private void admission(WsContext ctx, Conversation c, Message m) throws IOException {
        Agents.Admission admission;
        if (m instanceof Message.Enrol e) {
            admission = agents.enrol(e.token(), e.name(), e.hostname(), e.os(), e.agentId(), e.secret(), address(ctx));
        } else if (m instanceof Message.Authenticate a) {
            admission = agents.authenticate(a.agentId(), a.secret(), address(ctx));
            synchronized (c) {
                c.policiesHeld = a.policiesDigest();
            }
        } else {
            refuseAudited(ctx, c, "agent.connect", Protocol.Refusal.BAD_MESSAGE, "expected enrol or authenticate, got " + type(m));
            return;
        }
        switch (admission) {
            case Agents.Admission.Refused r -> {
                if (m instanceof Message.Authenticate a && a.agentId() != null) {
                    agents.endpointOf(a.agentId()).ifPresent(endpoint -> refusals.put("endpoint:" + endpoint,
                            new Refusal(java.time.Instant.now(), "refused its agent: " + r.reason())));
                }
                refuse(ctx, code(r.code()), r.reason());
            }
            case Agents.Admission.Admitted a -> {
                Optional<Conversation> taken = alive(a.agentId());
                if (taken.isPresent()) { // two agents with one identity: a state folder copied to another machine
                    c.endpoint = a.endpoint();
                    c.agentId = a.agentId(); // for the audit; never in byAgent, so its close touches nothing
                    refuseAudited(ctx, c, "agent.authenticate", Protocol.Refusal.AGENT_TAKEN, "another agent with this identity (agent "
                            + a.agentId() + ", endpoint " + a.endpoint() + ") is connected from " + taken.get().address + " since "
                            + taken.get().admitted + ": two agents cannot share one identity. If this one's state folder was copied from"
                            + " that agent's, delete the copy and enrol this machine again with a new --token under its own --name;"
                            + " this agent retries meanwhile");
                    return;
                }
                if (a.enrolled()) ctx.send(Protocol.encode(new Message.Enrolled(a.agentId(), a.endpoint())));
                c.agentId = a.agentId();
                c.endpoint = a.endpoint();
                c.admitted = java.time.Instant.now();
                WsContext older = byAgent.put(a.agentId(), ctx);
                if (older != null && !older.sessionId().equals(ctx.sessionId())) {
                    older.closeSession(4000, "replaced by a newer connection of the same agent");
                }
                Positions held = live.positions(a.endpoint(), a.agentId());
                synchronized (c) { // before any start: the agent expects authenticated first
                    ctx.send(Protocol.encode(c.protocol >= Protocol.ON_DEMAND && held.catchingUp()
                            ? new Message.Authenticated(a.endpoint(), held.acknowledged(), held.backfill(), held.liveEdge())
                            : new Message.Authenticated(a.endpoint(), held.acknowledged())));
                }
                c.stage = Stage.STREAM;
                sendPolicies(ctx, c);
                connections.agentConnected(a.endpoint(), c.protocol);
                reconsider(ctx, c);
            }
        }
    }

    private void stream(WsContext ctx, Conversation c, Message m) throws IOException {
        switch (m) {
            case Message.Heartbeat h -> {
                if (!agents.heartbeat(c.agentId, h.os(), h.addresses(), h.agentVersion(), h.storeEvents(), h.freeDiskBytes())) {
                    // revoked meanwhile, perhaps by bin/trailhound agents revoke in another process
                    String reason = agents.refusal(c.agentId).orElse("agent " + c.agentId + " was revoked");
                    refusals.put("endpoint:" + c.endpoint, new Refusal(java.time.Instant.now(), "refused its agent: " + reason));
                    refuseAudited(ctx, c, "agent.heartbeat", Protocol.Refusal.UNKNOWN_AGENT, reason);
                    return;
                }
                reconsider(ctx, c); // a group set to stream (or not) since, by the CLI or the page
                sendPolicies(ctx, c); // its groups changed, or a policy did in another process
            }
            case Message.Batch b -> {
                if (b.events().size() > MAX_BATCH_EVENTS) {
                    throw new ProtocolException("a batch holds at most " + MAX_BATCH_EVENTS + " events, this one " + b.events().size());
                }
                if (b.last() < b.first()) throw new ProtocolException("batch " + b.batchId() + ": last " + b.last() + " < first " + b.first());
                List<Event> events = new ArrayList<>(b.events().size());
                for (Map<String, String> wire : b.events()) events.add(Protocol.fromWire(wire));
                // acked once in the journal (later while the endpoint's index is behind); indexed by LiveIngest's threads
                boolean backfill = c.protocol >= Protocol.ON_DEMAND && b.backfilling();
                long batchId = b.batchId(); // the ack may be held back: it must not keep the batch's events alive
                live.append(c.endpoint, c.agentId, b.first(), b.last(), backfill, b.catchupEvents() == null ? 0 : b.catchupEvents(), events,
                        held -> {
                            Message.Ack ack = c.protocol >= Protocol.ON_DEMAND && held.catchingUp()
                                    ? new Message.Ack(batchId, held.acknowledged(), held.backfill(), held.liveEdge())
                                    : new Message.Ack(batchId, held.acknowledged());
                            synchronized (c) {
                                ctx.send(Protocol.encode(ack));
                            }
                        });
            }
            case Message.Priority p when c.protocol >= Protocol.POLICIES -> {
                if (p.events().size() > MAX_BATCH_EVENTS) {
                    throw new ProtocolException("a priority message holds at most " + MAX_BATCH_EVENTS + " events, this one " + p.events().size());
                }
                List<Event> events = new ArrayList<>(p.events().size());
                for (Map<String, String> wire : p.events()) {
                    Event e = Protocol.fromWire(wire);
                    // only enforcement events jump the queue: anything else waits for the stream like every event
                    if (!"policy".equals(e.get(trailhound.schema.Field.TYPE))) {
                        throw new ProtocolException("a priority message holds policy events only, not '" + e.get(trailhound.schema.Field.TYPE) + "'");
                    }
                    events.add(e);
                }
                live.priority(c.endpoint, events); // indexed by LiveIngest's threads, which tell the alerts
            }
            case Message.Reply r when c.protocol >= Protocol.FILES -> requests.replied(c.endpoint, r);
            default -> throw new ProtocolException("expected heartbeat, batch, priority or a reply, got " + type(m));
        }
    }

    /** The agent admitted under {@code agentId} whose connection is open and alive ({@link #ALIVE_WITHIN}), if any. */
    private Optional<Conversation> alive(String agentId) {
        WsContext ctx = byAgent.get(agentId);
        Conversation c = ctx == null ? null : conversations.get(ctx.sessionId());
        if (c == null || c.stage != Stage.STREAM || !ctx.session.isOpen()) return Optional.empty();
        return System.currentTimeMillis() - c.lastFrame <= ALIVE_WITHIN.toMillis() ? Optional.of(c) : Optional.empty();
    }

    /** Refuses, audited as {@code action} failed (the refusals {@link Agents} has not audited itself). */
    private void refuseAudited(WsContext ctx, Conversation c, String action, Protocol.Refusal refusal, String reason) {
        try {
            audit.recordAgent(c.agentId == null ? "" : "agent:" + c.agentId, c.address, action, c.endpoint, AuditLog.FAILED,
                    refusal.code() + ": " + reason);
        } finally {
            refuse(ctx, refusal, reason);
        }
    }

    private void refuse(WsContext ctx, Protocol.Refusal refusal, String reason) {
        try {
            ctx.send(Protocol.encode(new Message.Error(refusal.code(), reason)));
        } finally {
            ctx.closeSession(1008, refusal.code()); // policy violation; the reason went in the error frame (close reasons are short)
        }
    }

    private static Protocol.Refusal code(String code) {
        for (Protocol.Refusal r : Protocol.Refusal.values()) if (r.code().equals(code)) return r;
        return Protocol.Refusal.BAD_MESSAGE;
    }

    private static String type(Message m) {
        return m.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static String address(WsContext ctx) {
        return ctx.session.getRemoteSocketAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.session.getRemoteSocketAddress());
    }
}
