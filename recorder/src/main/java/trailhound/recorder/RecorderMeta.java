package trailhound.recorder;

import java.util.Objects;

/**
 * The {@code meta} table of a recorder database: which endpoint recorded it and with what.
 *
 * @param schemaVersion   layout version of the file (see docs/recorder-format.md)
 * @param host            endpoint host name; becomes every event's {@code endpoint}
 * @param os              {@code windows}, {@code linux} or {@code macos}
 * @param osVersion       free text, e.g. {@code 10.0.19045}
 * @param recorderVersion version of the recorder that wrote the file
 * @param ip              primary address of the endpoint
 * @param recorderId      id of this recorder installation (stable across snapshots of the same recorder)
 * @param createdMs       when the database was created, UTC epoch milliseconds
 */
public record RecorderMeta(int schemaVersion, String host, String os, String osVersion,
        String recorderVersion, String ip, String recorderId, long createdMs) {

    public RecorderMeta {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(os, "os");
    }

    /** Meta for a new database in the current schema version. */
    public static RecorderMeta of(String host, String os, String osVersion, String recorderVersion,
            String ip, String recorderId, long createdMs) {
        return new RecorderMeta(RecorderSchema.VERSION, host, os, osVersion, recorderVersion, ip, recorderId, createdMs);
    }
}
