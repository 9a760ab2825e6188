package trailhound.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Process identity on Linux, as docs/telemetry-import.md defines it and the auditd import computes it
 * ({@code trailhound.telemetry.auditd.AuditEventMapper}): {@code "l"} + the first 16 bytes, in hex, of
 * the SHA-256 of {@code endpoint NUL pid NUL start}, start being epoch milliseconds as decimal text.
 * {@code LinuxRecorderTest} (module app) checks the two agree for the same (endpoint, pid, start).
 */
final class LinuxProcessKey {
    private LinuxProcessKey() {}

    static String of(String endpoint, int pid, long startMillis) {
        String identity = endpoint + '\u0000' + pid + '\u0000' + startMillis;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "l" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
