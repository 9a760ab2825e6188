package trailhound.recorder;

import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * The acting process's fields, as copied onto each of its events: built once per process when a
 * read starts, so streaming events costs a map lookup, not a join.
 */
final class ProcessFields {
    private static final Field[] FIELDS = {
        Field.PID, Field.PROCESS_PATH, Field.PROCESS_NAME, Field.COMMAND_LINE, Field.USER, Field.CWD,
        Field.HASH_MD5, Field.HASH_SHA1, Field.HASH_SHA256, Field.SIGNATURE, Field.SIGNATURE_STATUS,
        Field.PARENT_KEY, Field.PPID, Field.PARENT_PATH, Field.PARENT_COMMAND_LINE
    };

    private final String[] values;

    private ProcessFields(String[] values) {
        this.values = values;
    }

    static ProcessFields of(RecorderProcess p, RecorderProcess parent) {
        return new ProcessFields(new String[] {
            Integer.toString(p.pid()), p.path(), p.name(), p.commandLine(), p.user(), p.cwd(),
            p.hashMd5(), p.hashSha1(), p.hashSha256(), p.signature(), p.signatureStatus(),
            p.parentKey(), p.ppid() == null ? null : p.ppid().toString(),
            parent == null ? null : parent.path(), parent == null ? null : parent.commandLine()
        });
    }

    void copyTo(Event.Builder b) {
        for (int i = 0; i < FIELDS.length; i++) {
            if (values[i] != null) {
                b.set(FIELDS[i], values[i]);
            }
        }
    }
}
