package trailhound.web.live;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
        FAILED,
        /**
         * A kill or delete got no answer from an agent older than {@link trailhound.protocol.Protocol#DEADLINES}:
         * it cannot be withdrawn, so it may still be carried out later; whether it was is unknown.
         */
        UNKNOWN,
        /** The asking thread was interrupted: the server is stopping. Not retried. */
        INTERRUPTED
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
         * @return the agent's protocol version and the connection's session id, after sending; empty when no
         *     agent of the endpoint is connected (nothing sent); a version below FILES sends nothing
         */
        java.util.Optional<Sent> send(String endpoint, Message.Request request);
    }

    /** A request went out on connection {@code session} of an agent speaking {@code protocol}. */
    record Sent(int protocol, String session) {}

    private static final class Pending {
        final String endpoint;
        final CompletableFuture<Message.Reply> reply = new CompletableFuture<>();
        volatile String session;

        Pending(String endpoint) {
            this.endpoint = endpoint;
        }
    }

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
        return await(askAsync(endpoint, request, type, timeout));
    }

    /**
     * Waits for {@code reply}. Unlike {@code join()}, an interrupt (the server stopping) ends the wait at
     * once: fourth try-out, a stop waited up to a chunk's or a hash's timeout for each transfer.
     *
     * @throws RequestException the reply's failure, or {@link Code#INTERRUPTED} (the thread stays interrupted)
     */
    public static <T> T await(CompletableFuture<T> reply) {
        try {
            return reply.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new java.util.concurrent.CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestException(Code.INTERRUPTED, null, "the wait for the agent was interrupted (the server is stopping)");
        }
    }

    /**
     * As {@link #ask}, without waiting: the reply, or a {@link RequestException}, completes the future.
     * Several may be outstanding on one agent; an agent of protocol 4 may answer them out of order (reads on
     * two threads, kills and deletes on a third), each reply carrying its request id.
     */
    public <T extends Message.Reply> CompletableFuture<T> askAsync(String endpoint, LongFunction<Message.Request> request, Class<T> type,
            Duration timeout) {
        long id = ids.incrementAndGet();
        Message.Request r = request.apply(id);
        Pending p = new Pending(endpoint);
        pending.put(id, p);
        java.util.Optional<Sent> sent;
        try {
            sent = sender.send(endpoint, r);
        } catch (RuntimeException e) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new RequestException(Code.DISCONNECTED, null, "the request could not be sent to the agent of "
                    + endpoint + " (" + e.getMessage() + "); try again"));
        }
        sent.ifPresent(s -> p.session = s.session());
        if (sent.isEmpty() || sent.get().protocol() < trailhound.protocol.Protocol.FILES) {
            pending.remove(id);
            return CompletableFuture.failedFuture(sent.isEmpty()
                    ? new RequestException(Code.OFFLINE, null, "the agent of " + endpoint + " is not connected to this server: check"
                            + " that it runs and can reach the server (Live endpoints shows when it was last seen), then try again")
                    : new RequestException(Code.TOO_OLD, null, "the agent of " + endpoint + " speaks protocol " + sent.get().protocol()
                            + ", too old for the file system; upgrade it (protocol " + trailhound.protocol.Protocol.FILES + " or later)"));
        }
        return p.reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((got, thrown) -> {
            pending.remove(id);
            Throwable error = thrown instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : thrown;
            boolean action = r instanceof Message.DeleteFile || r instanceof Message.KillProcess;
            int protocol = sent.get().protocol();
            if (action && protocol < trailhound.protocol.Protocol.DEADLINES
                    && (error instanceof TimeoutException || error instanceof RequestException e && e.code() == Code.DISCONNECTED)) {
                throw new RequestException(Code.UNKNOWN, null, "outcome unknown: the agent of " + endpoint + " did not answer"
                        + (error instanceof TimeoutException ? " within " + timeout.toSeconds() + " s" : " before it disconnected")
                        + ", and it speaks protocol " + protocol + ", which cannot withdraw a request: it may still carry it out later."
                        + " Check the endpoint before asking again; an agent of protocol " + trailhound.protocol.Protocol.DEADLINES
                        + " or later never acts after the server stops waiting");
            }
            if (error instanceof TimeoutException && action) {
                throw new RequestException(Code.TIMEOUT, null, "the agent of " + endpoint + " did not answer within " + timeout.toSeconds()
                        + " s; it refuses the request once its deadline has passed, so it will not happen later: check the endpoint"
                        + " and try again");
            }
            if (error instanceof TimeoutException) {
                throw new RequestException(Code.TIMEOUT, null, "the agent of " + endpoint + " did not answer within " + timeout.toSeconds()
                        + " s; it may be busy or its connection slow: try again");
            }
            if (error instanceof RequestException e) throw e;
            if (error != null) throw new RequestException(Code.DISCONNECTED, null, "waiting for the agent of " + endpoint + ": " + error);
            if (got instanceof Message.Failed f) throw new RequestException(Code.FAILED, f.code(), f.message());
            if (!type.isInstance(got)) {
                throw new RequestException(Code.FAILED, "bad_reply", "the agent of " + endpoint + " answered " + got.getClass().getSimpleName()
                        + " to " + r.getClass().getSimpleName() + "; upgrade the agent to the server's version");
            }
            return type.cast(got);
        });
    }

    /** A reply arrived on the endpoint's connection. */
    void replied(String endpoint, Message.Reply reply) {
        Pending p = pending.get(reply.requestId());
        if (p != null && p.endpoint.equals(endpoint)) p.reply.complete(reply);
    }

    /**
     * An agent connection ended: the requests sent over it fail now (even when a newer connection of
     * the same agent replaced it already: they were never heard there).
     */
    void disconnected(String endpoint, String session, String why) {
        for (Pending p : pending.values()) {
            if (p.endpoint.equals(endpoint) && session.equals(p.session)) {
                p.reply.completeExceptionally(new RequestException(Code.DISCONNECTED, null, "the agent of " + endpoint
                        + " disconnected (" + why + ") before it answered"));
            }
        }
    }
}
