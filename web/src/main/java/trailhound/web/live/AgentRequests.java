package trailhound.web.live;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import trailhound.protocol.Message;

/*
 * Request ids are one counter for the whole server, so a reply can never be taken for another
 * endpoint's: the map holds each pending request with the endpoint it went to, and a reply from any
 * other endpoint's connection is dropped. A reply that comes after its timeout finds nothing pending
 * and is dropped too. When an agent's connection ends, its pending requests fail at once
 * (DISCONNECTED) rather than wait out their timeouts, which is what lets a transfer resume quickly.
 */

/**
 * The server's requests to connected agents (protocol 3) and their replies: {@link #ask} sends one
 * {@link Message.Request} over the endpoint's agent WebSocket and waits for its {@link Message.Reply}.
 * Failures are {@link RequestException}s with a {@link Code} and a sentence saying what is wrong and
 * what to do. Thread-safe.
 *
 * <pre>{@code
 * Message.Listing page = requests.ask("ws-01", id -> new Message.ListFiles(id, "/", "name", false, 0, 1000),
 *         Message.Listing.class, Duration.ofSeconds(30));
 * }</pre>
 */
public final class AgentRequests {
    /** Why a request got no reply of its kind. */
    public enum Code {
        /** The endpoint's agent is not connected to this server. */
        OFFLINE,
        /** The agent speaks a protocol older than {@link trailhound.protocol.Protocol#FILES}. */
        TOO_OLD,
        /** No reply within the timeout. */
        TIMEOUT,
        /** The agent's connection ended before it answered. */
        DISCONNECTED,
        /** The agent answered {@link Message.Failed}: {@link RequestException#agentCode()} says why. */
        FAILED
    }

    /** A request that got no reply of its kind. */
    public static final class RequestException extends RuntimeException {
        private final Code code;
        private final String agentCode;

        RequestException(Code code, String agentCode, String message) {
            super(message);
            this.code = code;
            this.agentCode = agentCode;
        }

        public Code code() {
            return code;
        }

        /** The agent's {@link trailhound.protocol.Protocol.Failure} code when {@link Code#FAILED}, else null. */
        public String agentCode() {
            return agentCode;
        }

        /** True when asking again after the agent reconnects may succeed. */
        public boolean retryable() {
            return code == Code.OFFLINE || code == Code.TIMEOUT || code == Code.DISCONNECTED;
        }
    }

    /** Sends a request to an endpoint's connected agent; the agent socket does it. */
    interface Sender {
        /**
         * @return the agent's protocol version, after sending; empty when no agent of the endpoint is connected
         *     (nothing sent); a version below FILES sends nothing
         */
        java.util.Optional<Integer> send(String endpoint, Message.Request request);
    }

    private record Pending(String endpoint, CompletableFuture<Message.Reply> reply) {}

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Sender sender;
    private final java.util.function.Predicate<String> online;

    AgentRequests(Sender sender, java.util.function.Predicate<String> online) {
        this.sender = sender;
        this.online = online;
    }

    /** Whether the endpoint's agent is connected to this server now. */
    public boolean online(String endpoint) {
        return online.test(endpoint);
    }

    /**
     * Asks the endpoint's agent and waits up to {@code timeout} for the reply.
     *
     * @param request makes the request from its request id
     * @throws RequestException when the agent is offline or too old, the time runs out, the connection
     *     ends, the agent refuses or fails, or answers with another kind of reply
     */
    public <T extends Message.Reply> T ask(String endpoint, LongFunction<Message.Request> request, Class<T> type, Duration timeout) {
        long id = ids.incrementAndGet();
        Message.Request r = request.apply(id);
        CompletableFuture<Message.Reply> reply = new CompletableFuture<>();
        pending.put(id, new Pending(endpoint, reply));
        try {
            java.util.Optional<Integer> protocol = sender.send(endpoint, r);
            if (protocol.isEmpty()) {
                throw new RequestException(Code.OFFLINE, null, "the agent of " + endpoint + " is not connected to this server: check"
                        + " that it runs and can reach the server (Live endpoints shows when it was last seen), then try again");
            }
            if (protocol.get() < trailhound.protocol.Protocol.FILES) {
                throw new RequestException(Code.TOO_OLD, null, "the agent of " + endpoint + " speaks protocol " + protocol.get()
                        + ", too old for the file system; upgrade it (protocol " + trailhound.protocol.Protocol.FILES + " or later)");
            }
            Message.Reply got = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (got instanceof Message.Failed f) throw new RequestException(Code.FAILED, f.code(), f.message());
            if (!type.isInstance(got)) {
                throw new RequestException(Code.FAILED, "bad_reply", "the agent of " + endpoint + " answered " + got.getClass().getSimpleName()
                        + " to " + r.getClass().getSimpleName() + "; upgrade the agent to the server's version");
            }
            return type.cast(got);
        } catch (TimeoutException e) {
            throw new RequestException(Code.TIMEOUT, null, "the agent of " + endpoint + " did not answer within " + timeout.toSeconds()
                    + " s; it may be busy or its connection slow: try again");
        } catch (ExecutionException e) {
            throw (RequestException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestException(Code.TIMEOUT, null, "interrupted while waiting for the agent of " + endpoint);
        } finally {
            pending.remove(id);
        }
    }

    /** A reply arrived on the endpoint's connection. */
    void replied(String endpoint, Message.Reply reply) {
        Pending p = pending.get(reply.requestId());
        if (p != null && p.endpoint.equals(endpoint)) p.reply.complete(reply);
    }

    /** The endpoint's agent connection ended: its pending requests fail now. */
    void disconnected(String endpoint, String why) {
        for (Pending p : pending.values()) {
            if (p.endpoint.equals(endpoint)) {
                p.reply.completeExceptionally(new RequestException(Code.DISCONNECTED, null, "the agent of " + endpoint
                        + " disconnected (" + why + ") before it answered"));
            }
        }
    }
}
