package trailhound.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import trailhound.access.Access;
import trailhound.access.AccessException;
import trailhound.ingest.DataDir;

/*
 * Users, groups, tags, tokens and the audit trail live in server.db only: every change is one short
 * SQLite transaction, which a running server sees on its next request (it re-reads users, grants,
 * groups and tags on every request), and none touches an index. server.db is shared safely between
 * processes (WAL, a busy timeout, IMMEDIATE write transactions; see store's Database), so these
 * commands neither take the folder's writer lock nor hand their work to a server: they run beside
 * `serve`, `demo` or an ingest. The folder must exist: a mistyped --data never makes a new one.
 */
/** Opens a data folder's access layer for the {@code users}, {@code groups}, {@code tokens}, {@code audit} and {@code endpoints tag} commands. */
final class AccessFolder {
    private AccessFolder() {}

    /** What a command does with the access layer; answers its exit status. */
    interface Work {
        int run(Access access, DataDir dir) throws Exception;
    }

    /** Runs {@code work} on the existing data folder, with a clock in UTC. */
    static int run(DataOption data, Work work) throws Exception {
        try (DataDir dir = DataDir.openExisting(data.dir)) { // server.db only: never the events, wherever they are
            return work.run(Access.over(dir, Clock.systemUTC()), dir);
        }
    }

    /** The first line of a password file, without its line end. */
    static String passwordFrom(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || lines.getFirst().isEmpty()) {
            throw new AccessException("the password file " + file + " is empty: its first line is the password");
        }
        return lines.getFirst();
    }
}
