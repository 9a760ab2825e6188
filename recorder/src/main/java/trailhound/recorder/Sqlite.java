package trailhound.recorder;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Opening SQLite files and turning SQLite's errors into sentences a user can act on. */
final class Sqlite {
    private Sqlite() {}

    static Connection open(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // Read-only opens never create, lock for writing or change the file (a snapshot is evidence).
        config.setReadOnly(readOnly);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** A user-facing reason for a failure reading a recorder database. */
    static String describe(SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException s ? s.getResultCode() : null;
        String name = code == null ? "" : code.name();
        String message = String.valueOf(e.getMessage());
        if (name.startsWith("SQLITE_NOTADB") || message.contains("file is not a database")) {
            return "is not a SQLite database (file is not a database); expected a recorder database (.db) from an endpoint";
        }
        if (name.startsWith("SQLITE_CORRUPT") || message.contains("malformed")) {
            return "the database is corrupt or truncated (database disk image is malformed); copy the snapshot again";
        }
        if (name.startsWith("SQLITE_CANTOPEN")) {
            return "cannot be opened (check that it exists and is readable)";
        }
        return "SQLite error: " + message;
    }

    static void closeQuietly(Connection c, Exception primary) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
