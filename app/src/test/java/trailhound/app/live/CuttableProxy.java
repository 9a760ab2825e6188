package trailhound.app.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP relay on loopback between agents and the server whose connections a test can cut, as a network fault would. */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile int accepted;
    private volatile long bytesPerSecond;
    private volatile boolean down;

    CuttableProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("proxy-accept").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket in = listener.accept();
                if (down) { // the link is down: the agent's reconnects fail until it is up again
                    closeQuietly(in);
                    continue;
                }
                Socket out;
                try {
                    out = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException serverDown) {
                    closeQuietly(in); // the agent sees the refusal at once, as it would without the relay
                    continue;
                }
                open.add(in);
                open.add(out);
                accepted++;
                pipe(in, out);
                pipe(out, in);
            } catch (IOException e) {
                // closed, or the server is down: the agent sees its connection fail and retries
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("proxy-pipe").start(() -> {
            byte[] buf = new byte[1 << 16];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    long rate = bytesPerSecond;
                    if (rate > 0) Thread.sleep(n * 1000L / rate);
                }
            } catch (IOException | InterruptedException e) {
                // cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    /** Relays at most about {@code rate} bytes a second in each direction of each connection (0: as fast as it can), as a slow link does. */
    void throttle(long rate) {
        bytesPerSecond = rate;
    }

    /** Takes the link down (every connection cut, every reconnect refused) or brings it up again, as an outage does. */
    void down(boolean down) {
        this.down = down;
        if (down) cutAll();
    }

    /** Resets every relayed connection at once (RST, no close handshake), as a broken link does. */
    void cutAll() {
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0);
            } catch (IOException e) {
                // closed already
            }
            closeQuietly(s);
        }
        open.clear();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
