package trailhound.web.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import trailhound.protocol.LeafTrust;

/*
 * Trust for a client on the server's own machine that can read the server's certificate file: the
 * CLI handing work to the server on its data folder. It trusts exactly that certificate and nothing
 * else, no CA, no other certificate for the same names. The host name is not checked, on purpose:
 * the CLI reaches the server at 127.0.0.1 or ::1, which an administrator's certificate from an
 * internal CA or Let's Encrypt does not name, and a pinned certificate says more than a name would.
 */
public final class PinnedTrust {
    private PinnedTrust() {}

    /** A TLS context whose clients accept a server only when its certificate is {@code certificate}. */
    public static SSLContext trustingOnly(X509Certificate certificate) {
        return LeafTrust.context(leaf -> {
            if (!leaf.equals(certificate)) {
                throw new CertificateException("the server's certificate is not the one expected (" + leaf.getSubjectX500Principal() + ")");
            }
        });
    }
}
