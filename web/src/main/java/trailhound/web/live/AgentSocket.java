package trailhound.web.live;

import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsHandlerType;
import io.javalin.websocket.WsMessageContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import trailhound.access.Agents;
import trailhound.access.AuditLog;
import trailhound.ingest.LiveIngest;
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
        volatile String agentId;
        volatile String endpoint;
    }

    private final Agents agents;
    private final AuditLog audit;
    private final LiveIngest live;
    private final String serverPin;
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    /** The connection of each authenticated agent: a newer one replaces (closes) an older one. */
    private final Map<String, WsContext> byAgent = new ConcurrentHashMap<>();

    /** @param serverPin the pin of the server's TLS key ({@code sha256/<base64>}), null on plain HTTP */
    public AgentSocket(Agents agents, AuditLog audit, LiveIngest live, String serverPin) {
        this.agents = agents;
        this.audit = audit;
        this.live = live;
        this.serverPin = serverPin;
    }

    /** Registers the WebSocket route and raises Jetty's frame size limit to the protocol's. */
    public void register(JavalinConfig config) {
        config.jetty.modifyWebSocketServletFactory(factory -> {
            factory.setMaxTextMessageSize(Protocol.MAX_FRAME_CHARS); // bytes: a frame of that many characters or fewer, in ASCII
            factory.setIdleTimeout(IDLE);
        });
        config.routes.addWsHandler(WsHandlerType.WEBSOCKET, PATH, ws -> {
            ws.onConnect(ctx -> conversations.put(ctx.sessionId(), new Conversation()));
            ws.onMessage(this::onMessage);
            ws.onClose(ctx -> forget(ctx));
            ws.onError(ctx -> forget(ctx));
        });
    }

    private void forget(WsContext ctx) {
        Conversation c = conversations.remove(ctx.sessionId());
        if (c != null && c.agentId != null) byAgent.remove(c.agentId, ctx);
    }

    private void onMessage(WsMessageContext ctx) {
        Conversation c = conversations.computeIfAbsent(ctx.sessionId(), id -> new Conversation());
        Message m;
        try {
            m = Protocol.decode(ctx.message());
        } catch (ProtocolException e) {
            refuse(ctx, Protocol.Refusal.BAD_MESSAGE, e.getMessage());
            return;
        }
        try {
            switch (c.stage) {
                case HELLO -> hello(ctx, c, m);
                case ADMISSION -> admission(ctx, c, m);
                case STREAM -> stream(ctx, c, m);
            }
        } catch (ProtocolException e) {
            refuse(ctx, Protocol.Refusal.BAD_MESSAGE, e.getMessage());
        } catch (IOException | RuntimeException e) {
            // nothing was acknowledged: the agent sends the batch again after reconnecting
            refuse(ctx, Protocol.Refusal.SERVER_ERROR, "the server could not store the batch (" + e.getMessage()
                    + "); the agent retries; if it persists, check the server's disk and log");
        }
    }

    private void hello(WsContext ctx, Conversation c, Message m) {
        if (!(m instanceof Message.Hello hello)) {
            refuse(ctx, Protocol.Refusal.BAD_MESSAGE, "expected hello first, got " + type(m));
            return;
        }
        if (!Protocol.accepts(hello.protocol())) {
            String reason = Protocol.versionRefusal(hello.protocol());
            audit.recordAnonymous("", "agent", address(ctx), "agent.connect", AuditLog.FAILED, reason + " (agent " + hello.agentVersion() + ")");
            refuse(ctx, Protocol.Refusal.VERSION, reason);
            return;
        }
        c.stage = Stage.ADMISSION;
        ctx.send(Protocol.encode(new Message.Welcome(hello.protocol(), serverPin)));
    }

    private void admission(WsContext ctx, Conversation c, Message m) throws IOException {
        Agents.Admission admission;
        if (m instanceof Message.Enrol e) {
            admission = agents.enrol(e.token(), e.name(), e.hostname(), e.os(), e.agentId(), e.secret(), address(ctx));
        } else if (m instanceof Message.Authenticate a) {
            admission = agents.authenticate(a.agentId(), a.secret(), address(ctx));
        } else {
            refuse(ctx, Protocol.Refusal.BAD_MESSAGE, "expected enrol or authenticate, got " + type(m));
            return;
        }
        switch (admission) {
            case Agents.Admission.Refused r -> refuse(ctx, code(r.code()), r.reason());
            case Agents.Admission.Admitted a -> {
                if (a.enrolled()) ctx.send(Protocol.encode(new Message.Enrolled(a.agentId(), a.endpoint())));
                c.agentId = a.agentId();
                c.endpoint = a.endpoint();
                WsContext older = byAgent.put(a.agentId(), ctx);
                if (older != null && !older.sessionId().equals(ctx.sessionId())) {
                    older.closeSession(4000, "replaced by a newer connection of the same agent");
                }
                long acknowledged = live.acknowledged(a.endpoint(), a.agentId());
                c.stage = Stage.STREAM;
                ctx.send(Protocol.encode(new Message.Authenticated(a.endpoint(), acknowledged)));
            }
        }
    }

    private void stream(WsContext ctx, Conversation c, Message m) throws IOException {
        switch (m) {
            case Message.Heartbeat h -> agents.heartbeat(c.agentId, h.os(), h.addresses(), h.agentVersion(), h.storeEvents(),
                    h.freeDiskBytes());
            case Message.Batch b -> {
                if (b.events().size() > MAX_BATCH_EVENTS) {
                    throw new ProtocolException("a batch holds at most " + MAX_BATCH_EVENTS + " events, this one " + b.events().size());
                }
                if (b.last() < b.first()) throw new ProtocolException("batch " + b.batchId() + ": last " + b.last() + " < first " + b.first());
                List<Event> events = new ArrayList<>(b.events().size());
                for (Map<String, String> wire : b.events()) events.add(Protocol.fromWire(wire));
                // acked once in the journal; the handler returns (and the next frame is read) once indexed too
                live.append(c.endpoint, c.agentId, b.last(), events,
                        acknowledged -> ctx.send(Protocol.encode(new Message.Ack(b.batchId(), acknowledged))));
            }
            default -> throw new ProtocolException("expected heartbeat or batch, got " + type(m));
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
