package trailhound.index;

import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.schema.FilePaths;

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
        Long endTs) {

    /**
     * The process that {@code e} acted as (every event carries its acting process's fields), with the
     * times of its process/start and process/end events (null: none indexed). A pid that is not a
     * number is null.
     */
    public static ProcessInfo of(Event e, Long startTs, Long endTs) {
        String path = e.get(Field.PROCESS_PATH);
        String name = e.get(Field.PROCESS_NAME);
        return new ProcessInfo(e.get(Field.PROCESS_KEY), path, name != null ? name : FilePaths.fileName(path),
                e.get(Field.COMMAND_LINE), e.get(Field.USER), EventDocuments.parseLong(e.get(Field.PID)),
                EventDocuments.parseLong(e.get(Field.PPID)), e.get(Field.PARENT_KEY), e.get(Field.PARENT_PATH),
                e.get(Field.PARENT_COMMAND_LINE), e.get(Field.HASH_MD5), e.get(Field.HASH_SHA1), e.get(Field.HASH_SHA256),
                e.get(Field.SIGNATURE), startTs, endTs);
    }
}
