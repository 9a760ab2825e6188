package trailhound.app;

import java.io.PrintWriter;
import java.time.Clock;
import trailhound.access.Access;
import trailhound.access.AuditLog;
import trailhound.access.Caller;
import trailhound.ingest.DataDir;

/**
 * The command line's reads in the audit trail (search, hunt, distribution, process view, exports),
 * as {@code cli:<os account>}, like the web's. Best effort: whoever reads the folder's files needs
 * no command to read the events, so a folder the account cannot write (a read-only copy) is still
 * read, with a warning that the read was not recorded.
 */
final class CliAudit {
    private CliAudit() {}

    static void record(DataDir dir, String action, String endpoint, String detail, PrintWriter err) {
        record(dir, action, java.util.Collections.singletonList(endpoint), detail, err);
    }

    /** One entry per endpoint (a null one for all), through one opening of the access layer. */
    static void record(DataDir dir, String action, java.util.List<String> endpoints, String detail, PrintWriter err) {
        try {
            AuditLog audit = Access.over(dir, Clock.systemUTC()).audit();
            for (String endpoint : endpoints) audit.record(Caller.commandLine(), action, endpoint, AuditLog.OK, detail);
        } catch (RuntimeException e) {
            err.println("trailhound: this " + action + " is not in the audit trail (" + e.getMessage() + ")");
        }
    }
}
