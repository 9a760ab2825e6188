package trailhound.recorder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code event_uid} of a recorder row: {@code "r" + recorder + "-" + id}, where {@code recorder}
 * is 16 hex digits (the first 8 bytes of the SHA-256 of {@code "id:" + recorder_id}) and {@code id}
 * the row's id. The same row gets the same uid in every snapshot of one recorder and in its live
 * stream; two recorders of one host (a reinstall restarts the row ids) never share uids. A database
 * whose meta has no {@code recorder_id} is named by {@code "host:" + host + "@" + created_ms}
 * instead: the recorder's database is created once, so its copies agree (docs/recorder-format.md).
 */
public final class RecorderUids {
    private RecorderUids() {}

    /** The uid prefix of every row of this recorder; append the row id. */
    public static String prefix(RecorderMeta meta) {
        String recorder = meta.recorderId() != null && !meta.recorderId().isBlank() ? "id:" + meta.recorderId()
                : "host:" + meta.host() + "@" + meta.createdMs();
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(recorder.getBytes(StandardCharsets.UTF_8));
            return "r" + HexFormat.of().formatHex(sha, 0, 8) + "-";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The row id in a recorder uid ({@code prefix + id}). */
    public static long rowId(String uid) {
        return Long.parseLong(uid.substring(uid.lastIndexOf('-') + 1));
    }
}
