package trailhound.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import trailhound.ingest.DataDir;
import trailhound.ingest.WriterLock;
import trailhound.web.WebOptions;
import trailhound.web.WebServer;
import trailhound.web.tls.ServerCertificate;

/**
 * Starts the web app over a data folder, says how to sign in, and runs until the process is stopped,
 * holding the folder's writer lock all along: commands that write the folder hand their work to it.
 */
final class Serving {
    private Serving() {}

    static void serveUntilStopped(DataDir dir, WriterLock lock, WebOptions options, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        serveUntilStopped(dir, lock, options, out, err, server -> () -> { });
    }

    /** What starts beside the server once it listens, and is closed before it (the demo's agents). */
    interface Companion {
        AutoCloseable start(WebServer server) throws Exception;
    }

    static void serveUntilStopped(DataDir dir, WriterLock lock, WebOptions options, PrintWriter out, PrintWriter err,
            Companion companion) throws InterruptedException {
        dir.exposure().ifPresent(warning -> err.println("trailhound: " + warning));
        WebServer server;
        try {
            server = WebServer.start(dir, options);
        } catch (RuntimeException e) {
            closeQuietly(dir, lock);
            if (e instanceof io.javalin.util.JavalinBindException) {
                throw new IllegalArgumentException("cannot listen on " + options.host() + ": " + e.getMessage()
                        + " (or choose another port with --port" + (options.httpRedirectPort() >= 0 ? " or --http-port)" : ")"), e);
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AutoCloseable[] beside = {() -> { }};
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                beside[0].close(); // first: agents say goodbye while the server still listens
            } catch (Exception e) {
                System.err.println("trailhound: stopping: " + e.getMessage());
            }
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
        if (server.httpRedirectPort() >= 0) {
            out.println("Plain HTTP on port " + server.httpRedirectPort() + " redirects to it.");
        }
        if (options.https() != null) describe(options.https(), out, err);
        var password = server.initialAdminPassword();
        if (password.isPresent()) {
            out.println("Sign in as 'admin' with password: " + password.get()
                    + (options.initialPasswordChange() ? " (you will be asked to change it at first sign-in)" : ""));
            out.println("(shown once; also saved, readable only by you, in " + dir.root().resolve("initial-admin-password") + ")");
        } else if (Files.exists(dir.root().resolve("initial-admin-password"))) {
            out.println("Sign in as 'admin'; the password is in " + dir.root().resolve("initial-admin-password"));
        } else {
            out.println("Sign in with your Trailhound user.");
        }
        try {
            beside[0] = companion.start(server);
        } catch (Exception e) {
            err.println("trailhound: " + e.getMessage());
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        // the whole chain is walked beside serving: a long trail must not delay the start
        Thread.ofVirtual().name("audit-check").start(() -> warnIfBroken(server.access(), dir.root(), err));
        stopped.await();
    }

    /** Says on stderr when the audit trail's chain is broken (the Audit page says so too, but nobody may look). */
    static void warnIfBroken(trailhound.access.Access access, Path root, PrintWriter err) {
        access.audit().verify().ifPresent(broken -> {
            err.println("trailhound: the audit trail is broken at entry " + broken.seq() + ": " + broken.reason()
                    + " (bin/trailhound audit verify --data " + root + "; Administration > Audit shows it too)");
            err.flush();
        });
    }

    private static void closeQuietly(DataDir dir, WriterLock lock) {
        try {
            dir.close();
        } catch (Exception ignored) {
            // the start failed already; that is what the user must hear about
        }
        try {
            lock.close();
        } catch (Exception ignored) {
            // as above
        }
    }

    /** The pins on stdout at every start (agents take them); what was made or needs doing on stderr. */
    private static void describe(ServerCertificate certificate, PrintWriter out, PrintWriter err) {
        Path file = certificate.certificateFile();
        switch (certificate.origin()) {
            case MADE -> err.println("trailhound: made a self-signed certificate for this machine in " + file
                    + " (its key beside it, readable only by you); to serve your own, see docs/https.md");
            case RENEWED -> err.println("trailhound: the self-signed certificate in " + file
                    + " was about to expire: made it again for the same key (the pin stays)");
            case LOADED -> { }
        }
        Instant notAfter = certificate.leaf().getNotAfter().toInstant();
        if (notAfter.isBefore(Instant.now().plus(Duration.ofDays(30)))) {
            err.println("trailhound: the certificate in " + file + (notAfter.isBefore(Instant.now()) ? " expired on " : " expires on ")
                    + notAfter + ": replace it and restart (docs/https.md)");
        }
        out.println("Certificate: " + file + ", valid until " + notAfter);
        out.println("Public key pin (SHA-256 of the SubjectPublicKeyInfo):");
        out.println("  " + certificate.pin().hex());
        out.println("  " + certificate.pin().base64());
        certificate.nextPin().ifPresent(next -> {
            out.println("Next public key pin (" + file.resolveSibling(ServerCertificate.NEXT_PUBLIC_KEY) + "):");
            out.println("  " + next.hex());
            out.println("  " + next.base64());
        });
    }
}
