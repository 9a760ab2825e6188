package trailhound.web.tls;

import java.util.UUID;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.SecuredRedirectHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/*
 * The Jetty side of HTTPS, for WebServer's Javalin config (config.jetty.addConnector / modifyServer).
 *
 * - HSTS is added by Jetty's SecureRequestCustomizer on the TLS connector only: every answer over
 *   HTTPS carries it (pages, static files, errors, the hand-off API) and no plain HTTP answer does.
 * - Its SNI host check is off: it refuses a request whose Host is not a name of the certificate,
 *   and the CLI reaches the server at 127.0.0.1 whatever the certificate names (it pins the
 *   certificate instead, PinnedTrust).
 * - The plain connector only redirects: SecuredRedirectHandler answers every request that did not
 *   come over TLS with 308 to the same host, path and query on the HTTPS port (the port it reads
 *   from the plain connector's HttpConfiguration.securePort, set once the HTTPS port is known).
 */
public final class HttpsConnectors {
    /** One year, the max-age the HSTS preload list and most guides ask for. */
    public static final long HSTS_MAX_AGE_SECONDS = 31_536_000;

    private HttpsConnectors() {}

    /** A TLS connector serving {@code certificate} on {@code host:port}, HTTP/1.1, with HSTS. */
    public static ServerConnector https(Server server, HttpConfiguration base, ServerCertificate certificate, String host, int port) {
        HttpConfiguration config = new HttpConfiguration(base);
        config.addCustomizer(new SecureRequestCustomizer(false, HSTS_MAX_AGE_SECONDS, false));
        SslContextFactory.Server tls = new SslContextFactory.Server();
        String password = UUID.randomUUID().toString(); // the store lives in memory only; Java's key stores want one
        tls.setKeyStore(certificate.keyStore(password.toCharArray()));
        tls.setKeyStorePassword(password);
        // the default (NativePRNG) reads /dev/urandom under one lock for the whole JVM: 200 agents' handshakes at
        // once queued on it (JFR, bench --live: 12 s of blocked threads); the JDK's DRBG (SP 800-90A) computes
        tls.setSecureRandomAlgorithm("DRBG");
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** A plain HTTP connector on {@code host:port} whose requests {@link #redirectPlainRequests} redirects. */
    public static ServerConnector plain(Server server, HttpConfiguration base, String host, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration(base)));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** Puts the redirect in front of the server's handlers (before Javalin adds its own). */
    public static void redirectPlainRequests(Server server) {
        server.insertHandler(new SecuredRedirectHandler(308));
    }

    /** Tells {@code plain} where to redirect to, once {@code httpsPort} is bound. */
    public static void redirectTo(ServerConnector plain, int httpsPort) {
        plain.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSecurePort(httpsPort);
    }
}
