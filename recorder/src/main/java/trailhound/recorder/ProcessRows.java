package trailhound.recorder;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/*
 * Looked up by key as events name them, not loaded whole first: a recorder of 10M events holds about
 * 180,000 processes, and reading them all took seconds before the first (newest) event could be
 * indexed. A lookup is one primary-key read on a connection of its own (the events are fetched on
 * another thread's connection); each process is read once, an unknown key remembered as unknown.
 */

/** The process fields copied onto events, read from the recorder's processes table on demand; not thread-safe. */
final class ProcessRows implements AutoCloseable {
    private static final ProcessFields UNKNOWN = ProcessFields.of(
            new RecorderProcess("", 0, null, null, null, null, null, null, null, null, null, null, null, null, null, null), null);

    private final Path file;
    private final Connection connection;
    private final PreparedStatement byKey;
    private final Map<String, ProcessFields> fields = new HashMap<>();
    private final Map<String, RecorderProcess> rows = new HashMap<>();

    ProcessRows(Path file) throws SQLException {
        this.file = file;
        this.connection = Sqlite.open(file, true);
        try {
            this.byKey = connection.prepareStatement("SELECT " + String.join(", ", RecorderSchema.PROCESS_COLUMNS)
                    + " FROM processes WHERE process_key = ?");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** The fields of the process with this key and of its parent, or null when the recorder has no such process. */
    ProcessFields get(String processKey) {
        ProcessFields f = fields.get(processKey);
        if (f == null) {
            RecorderProcess p = row(processKey);
            f = p == null ? UNKNOWN : ProcessFields.of(p, p.parentKey() == null ? null : row(p.parentKey()));
            fields.put(processKey, f);
        }
        return f == UNKNOWN ? null : f;
    }

    private RecorderProcess row(String key) {
        if (rows.containsKey(key)) return rows.get(key);
        RecorderProcess p = null;
        try {
            byKey.setString(1, key);
            try (ResultSet rs = byKey.executeQuery()) {
                if (rs.next()) p = RecorderReader.process(rs);
            }
        } catch (SQLException e) {
            throw new RecorderException(file, Sqlite.describe(e) + " (reading process " + key + ")", e);
        }
        rows.put(key, p);
        return p;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // read-only: nothing to lose
        }
    }
}
