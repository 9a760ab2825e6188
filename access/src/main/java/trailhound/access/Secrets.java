package trailhound.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/*
 * The bearer secrets API tokens and enrolment tokens are made of: a public id (16 hex digits), a
 * 256-bit random secret (43 base64url characters), of which only the SHA-256 is kept. A random
 * 256-bit secret needs no slow hash; the comparison is constant-time.
 */
final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** A new public id: 8 random bytes as 16 lower-case hex digits. */
    static String id() {
        return HexFormat.of().formatHex(bytes(8));
    }

    /** A new secret: 32 random bytes, base64url without padding (43 characters). */
    static String secret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    }

    /** The SHA-256 of {@code s} (UTF-8) as 64 lower-case hex digits: what is stored of a secret. */
    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** True when {@code secret} hashes to {@code storedSha256}, compared in constant time. */
    static boolean matches(String storedSha256, String secret) {
        return MessageDigest.isEqual(storedSha256.getBytes(StandardCharsets.US_ASCII), sha256(secret).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
