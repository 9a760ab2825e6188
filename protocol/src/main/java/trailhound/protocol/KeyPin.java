package trailhound.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The pin of a public key: SHA-256 of its DER SubjectPublicKeyInfo, what agents compare the server's
 * key with (serve prints it, the welcome message carries it, {@code agent --server-pin} takes it). It depends on the key only, so a new certificate for the same key keeps it. The same
 * value as {@code openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256}.
 */
public record KeyPin(byte[] sha256) {
    public KeyPin {
        if (sha256.length != 32) throw new IllegalArgumentException("a SHA-256 is 32 bytes, was " + sha256.length);
        sha256 = sha256.clone();
    }

    /**
     * A pin as written: {@code sha256/<base64>} or 64 hex digits (either case), surrounding blanks ignored.
     *
     * @throws IllegalArgumentException for anything else, saying both forms
     */
    public static KeyPin parse(String text) {
        String p = text == null ? "" : text.strip();
        try {
            if (p.matches("(?i)[0-9a-f]{64}")) return new KeyPin(HexFormat.of().parseHex(p));
            if (p.startsWith("sha256/")) return new KeyPin(Base64.getDecoder().decode(p.substring(7)));
        } catch (IllegalArgumentException e) {
            // not base64, or not 32 bytes: the message below says what a pin is
        }
        throw new IllegalArgumentException("a server pin is sha256/<base64> or 64 hex digits (as serve prints it), not '" + text + "'");
    }

    /** The pin of {@code key}. */
    public static KeyPin of(PublicKey key) {
        try {
            return new KeyPin(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** 64 lower-case hex digits, as openssl dgst prints it. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** {@code sha256/<base64>}, the form of HTTP public key pinning (RFC 7469) and of most agents' settings. */
    public String base64() {
        return "sha256/" + Base64.getEncoder().encodeToString(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPin p && MessageDigest.isEqual(sha256, p.sha256);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return base64();
    }
}
