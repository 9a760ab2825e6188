package trailhound.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import trailhound.protocol.Message;
import trailhound.protocol.Protocol;

/**
 * One WebSocket connection to the server (the JDK's client): frames in arrive on a queue, frames out
 * are sent one at a time and waited for, so a slow server slows the sender down. Closed or failed
 * connections show as {@link Closed} on the queue. Read by one thread; {@link #send} is safe from two
 * (the stream and the requests' replies take turns).
 */
final class Connection implements AutoCloseable {
    /** The connection ended: by the server (code, reason) or by an error. */
    record Closed(String why) {}

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final long SEND_TIMEOUT_S = 60;

    private final WebSocket socket;
    private final BlockingQueue<Object> inbound;
    /** Frames go out binary (UTF-8 JSON) once the server's welcome says it takes them; text before and otherwise. */
    private volatile boolean binary;

    private Connection(WebSocket socket, BlockingQueue<Object> inbound) {
        this.socket = socket;
        this.inbound = inbound;
    }

    /**
     * Connects to {@code uri} (ws or wss); on wss only the key {@code pin} is trusted (null: any,
     * recorded in {@code seenPin}).
     */
    static Connection open(URI uri, String pin, AtomicReference<String> seenPin) throws IOException {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        if ("wss".equals(uri.getScheme())) client.sslContext(ServerPin.context(pin, seenPin));
        BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
        try {
            WebSocket ws = client.build().newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(uri, new Listener(inbound)).get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            return new Connection(ws, inbound);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException(cause == null ? e.toString() : describe(cause), cause);
        } catch (TimeoutException e) {
            throw new IOException("no answer from " + uri + " within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while connecting");
        }
    }

    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException) return "TLS: " + c.getMessage();
        }
        for (Throwable c = t; c != null; c = c.getCause()) { // the usual ones in words (their messages may be null or a class name)
            if (c instanceof java.net.ConnectException) {
                return "connection refused: nothing listens at the server's address and port (is the server running? a firewall?)";
            }
            if (c instanceof java.net.UnknownHostException) return "unknown host " + c.getMessage() + " (check --server)";
            if (c instanceof java.net.http.HttpConnectTimeoutException) {
                return "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s (the server is down or unreachable)";
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null) return c.getClass().getSimpleName() + ": " + c.getMessage();
        }
        return t.toString();
    }

    /** True when a failure to connect was the server's key not matching the pin. */
    static boolean isPinMismatch(IOException e) {
        return e.getMessage() != null && e.getMessage().startsWith("TLS: the server's key");
    }

    /** From now on, sends binary frames (the server's welcome said it takes them, see Protocol). */
    void sendBinaryFrames() {
        binary = true;
    }

    void send(Message m) throws IOException {
        send(Protocol.encodeBytes(m), m);
    }

    /** A batch of events kept as {@link Protocol#encodeEvent} gave them, in {@code header}'s frame. */
    void send(Message.Batch header, java.util.List<byte[]> events) throws IOException {
        send(Protocol.encodeBatch(header, events), header);
    }

    /** One frame of UTF-8 JSON: binary, or the same JSON as text to a server that takes text only. */
    private void send(byte[] utf8, Message m) throws IOException {
        if (binary) sendFrame(ws -> ws.sendBinary(ByteBuffer.wrap(utf8), true), m);
        else sendFrame(ws -> ws.sendText(new String(utf8, java.nio.charset.StandardCharsets.UTF_8), true), m);
    }

    private synchronized void sendFrame(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> frame, Message m)
            throws IOException {
        try {
            frame.apply(socket).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot send " + m.getClass().getSimpleName() + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending");
        }
    }

    /** The next frame or {@link Closed}, or null when none came within {@code millis}. */
    Object poll(long millis) throws java.io.InterruptedIOException {
        try {
            return inbound.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /**
     * Closes cleanly: a close frame 1001 (going away), then waits a moment for the server's close
     * (the JDK's client aborts the TCP connection when closed without it).
     */
    void goAway() {
        try {
            socket.sendClose(1001, "agent stopping").get(2, TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 2_000;
            while (!socket.isInputClosed() && System.currentTimeMillis() < deadline) {
                Object in = inbound.poll(50, TimeUnit.MILLISECONDS);
                if (in instanceof Closed) break;
            }
        } catch (ExecutionException | TimeoutException e) {
            // the connection is going anyway: closed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        socket.abort(); // after goAway, or after a failure: nothing left to say
    }

    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<Object> inbound;
        private final StringBuilder partial = new StringBuilder();

        Listener(BlockingQueue<Object> inbound) {
            this.inbound = inbound;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                try {
                    inbound.add(Protocol.decode(frame));
                } catch (RuntimeException e) {
                    inbound.add(new Closed("the server sent a frame that is not a protocol message: " + e.getMessage()));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            inbound.add(new Closed("closed by the server (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")"));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            inbound.add(new Closed("connection lost: " + describe(error)));
        }
    }
}
