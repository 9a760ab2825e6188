package trailhound.samples;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Stable fake hashes of a binary: MD5, SHA-1 and SHA-256 of a seed string derived from its path,
 * so the same binary has the same hashes on every host and in every run (intel can refer to them).
 */
record Hashes(String md5, String sha1, String sha256) {
    static Hashes of(String path) {
        byte[] seed = ("trailhound-sample:" + path.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
        return new Hashes(digest("MD5", seed), digest("SHA-1", seed), digest("SHA-256", seed));
    }

    private static String digest(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java runtime", e);
        }
    }
}
