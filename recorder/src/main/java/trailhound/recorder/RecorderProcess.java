package trailhound.recorder;

import java.util.Objects;

/**
 * One row of the {@code processes} table: a process instance, identified by its unique key.
 * Nullable components are {@code null} when the recorder did not know them; {@code startTs} is
 * earlier than the first event for processes already running when the recorder started, and
 * {@code endTs} is {@code null} while the process runs.
 */
public record RecorderProcess(String processKey, int pid, Integer ppid, String parentKey, String path,
        String name, String commandLine, String user, String cwd, String hashMd5, String hashSha1,
        String hashSha256, String signature, String signatureStatus, Long startTs, Long endTs) {

    public RecorderProcess {
        Objects.requireNonNull(processKey, "processKey");
    }

    /** A copy that ended at {@code ts}. */
    public RecorderProcess endedAt(long ts) {
        return new RecorderProcess(processKey, pid, ppid, parentKey, path, name, commandLine, user, cwd,
                hashMd5, hashSha1, hashSha256, signature, signatureStatus, startTs, ts);
    }
}
