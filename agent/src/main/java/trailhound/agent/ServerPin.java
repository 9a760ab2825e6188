package trailhound.agent;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import trailhound.protocol.KeyPin;
import trailhound.protocol.LeafTrust;

/*
 * The server's certificate is usually self-signed (serve makes one), so no CA vouches for it: the agent
 * trusts exactly one public key instead (see LeafTrust).
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
        return LeafTrust.context(leaf -> {
            String pin = of(leaf);
            seen.set(pin);
            if (expected != null && !expected.equals(pin)) {
                throw new CertificateException("the server's key " + pin + " is not the pinned " + expected
                        + ": another server, or its key changed; check --server or give the new key with --server-pin");
            }
        });
    }
}
