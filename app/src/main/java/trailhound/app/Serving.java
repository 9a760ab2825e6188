package trailhound.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import trailhound.ingest.DataDir;
import trailhound.ingest.WriterLock;
import trailhound.web.WebOptions;
import trailhound.web.WebServer;

/**
 * Starts the web app over a data folder, says how to sign in, and runs until the process is stopped,
 * holding the folder's writer lock all along: commands that write the folder hand their work to it.
 */
final class Serving {
    private Serving() {}

    /** @param demo the loopback demo: its first admin password need not be changed */
    static void serveUntilStopped(DataDir dir, WriterLock lock, String host, int port, boolean demo, PrintWriter out)
            throws InterruptedException {
        boolean loopback = host.equals("127.0.0.1") || host.equals("::1") || host.equals("localhost");
        WebServer server = WebServer.start(dir, WebOptions.defaults().withHost(host).withPort(port)
                .withInitialPasswordChange(!(demo && loopback)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            try {
                dir.close();
                lock.close(); // after the indexes are closed: a command waiting for the lock may write them next
            } catch (Exception e) {
                System.err.println("trailhound: closing the data folder: " + e.getMessage());
            }
            stopped.countDown();
        }));
        out.println();
        out.println("Trailhound is running at " + server.url());
        var password = server.initialAdminPassword();
        if (password.isPresent()) {
            out.println("Sign in as 'admin' with password: " + password.get()
                    + (demo && loopback ? "" : " (you will be asked to change it at first sign-in)"));
            out.println("(shown once; also saved, readable only by you, in " + dir.root().resolve("initial-admin-password") + ")");
        } else if (Files.exists(dir.root().resolve("initial-admin-password"))) {
            out.println("Sign in as 'admin'; the password is in " + dir.root().resolve("initial-admin-password"));
        } else {
            out.println("Sign in with your Trailhound user.");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
    }
}
