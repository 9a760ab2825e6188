package trailhound.protocol;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/*
 * Our clients trust one server, not a CA: the agent its server's pinned key, the CLI the certificate
 * file of the server on its data folder. So the trust manager looks at the server's own certificate
 * only, and JSSE does no host name check either (an X509ExtendedTrustManager is trusted to have made
 * it): the pin is the identity, whatever name or address reached it.
 */

/** Client TLS contexts that accept a server by its own (leaf) certificate alone. */
public final class LeafTrust {
    private LeafTrust() {}

    /** Decides on the server's certificate; throws to refuse it, with a message saying why and what to do. */
    @FunctionalInterface
    public interface Check {
        void check(X509Certificate leaf) throws CertificateException;
    }

    /** A client TLS context whose handshakes succeed only when {@code check} accepts the server's certificate. */
    public static SSLContext context(Check check) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Manager(check)}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static final class Manager extends X509ExtendedTrustManager {
        private final Check check;

        Manager(Check check) {
            this.check = check;
        }

        private void server(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) throw new CertificateException("the server sent no certificate");
            check.check(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            server(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            server(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            server(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a client context trusts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a client context trusts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client context trusts no clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
