package trailhound.agent;

import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import trailhound.protocol.KeyPin;

/*
 * The server's certificate is usually self-signed (serve makes one), so no CA vouches for it: the agent
 * trusts exactly one public key instead. As the trust manager checks the key itself, JSSE does no
 * host name check either: a pinned key is the identity, whatever name or address reached it.
 */

/**
 * Pins the server's TLS key: SHA-256 of its DER SubjectPublicKeyInfo, written {@code sha256/<base64>}
 * (64 hex digits are accepted too), the same value as {@link KeyPin}. With no pin yet
 * (first enrolment without {@code --server-pin}) any key is accepted once and {@link #seen()} tells
 * which, to be kept.
 */
final class ServerPin {
    private ServerPin() {}

    /** The canonical form ({@code sha256/<base64>}) of a pin given as {@code sha256/<base64>} or 64 hex digits. */
    static String normalise(String pin) {
        return KeyPin.parse(pin).base64();
    }

    static String of(X509Certificate certificate) {
        return KeyPin.of(certificate.getPublicKey()).base64();
    }

    /** A TLS context that accepts only {@code expected} (null: any key, recorded in {@code seen}). */
    static SSLContext context(String expected, AtomicReference<String> seen) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new Pinned(expected, seen)}, new SecureRandom());
            return ssl;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static final class Pinned extends X509ExtendedTrustManager {
        private final String expected;
        private final AtomicReference<String> seen;

        Pinned(String expected, AtomicReference<String> seen) {
            this.expected = expected;
            this.seen = seen;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) throw new CertificateException("the server sent no certificate");
            String pin = of(chain[0]);
            seen.set(pin);
            if (expected != null && !expected.equals(pin)) {
                throw new CertificateException("the server's key " + pin + " is not the pinned " + expected
                        + ": another server, or its key changed; check --server or give the new key with --server-pin");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the agent takes no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the agent takes no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the agent takes no client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
