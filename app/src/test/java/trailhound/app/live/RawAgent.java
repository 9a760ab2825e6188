package trailhound.app.live;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import trailhound.protocol.Message;
import trailhound.protocol.Protocol;

/** A hand-driven agent connection for tests: sends exactly the frames a test chooses (a batch twice, a bad version). */
final class RawAgent implements AutoCloseable {
    private final WebSocket socket;
    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();

    RawAgent(int port) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new TrustAny()}, new SecureRandom());
        socket = HttpClient.newBuilder().sslContext(ssl).build().newWebSocketBuilder()
                .buildAsync(URI.create("wss://127.0.0.1:" + port + "/api/v1/agent"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            inbound.add(Protocol.decode(partial.toString()));
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                        inbound.add("closed " + code);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
    }

    void send(Message m) throws Exception {
        socket.sendText(Protocol.encode(m), true).get(30, TimeUnit.SECONDS);
    }

    /** The next message from the server (fails on a close or after 30 s). */
    <T extends Message> T next(Class<T> type) throws InterruptedException {
        Object in = inbound.poll(30, TimeUnit.SECONDS);
        if (!type.isInstance(in)) throw new AssertionError("expected " + type.getSimpleName() + ", got " + in);
        return type.cast(in);
    }

    /** The next message of {@code type}, skipping others (start, stop); fails on a close or after 30 s. */
    <T extends Message> T await(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Object in = inbound.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (type.isInstance(in)) return type.cast(in);
            if (in == null || in instanceof String) throw new AssertionError("expected " + type.getSimpleName() + ", got " + in);
        }
    }

    /** Hello, then the server's welcome. */
    Message.Welcome hello() throws Exception {
        send(new Message.Hello(Protocol.CURRENT, "test"));
        return next(Message.Welcome.class);
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** The test talks to its own server on loopback; what it checks is the protocol, not the key. */
    static final class TrustAny extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}
        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}
        @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
