package trailhound.index;

/** What is known of one process instance; any field may be null when no event carried it. */
public record ProcessInfo(
        String key,
        String path,
        String name,
        String commandLine,
        String user,
        Long pid,
        Long ppid,
        String parentKey,
        String parentPath,
        String parentCommandLine,
        String hashMd5,
        String hashSha1,
        String hashSha256,
        String signature,
        Long startTs,
        Long endTs) {}
