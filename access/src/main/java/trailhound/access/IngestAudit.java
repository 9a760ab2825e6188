package trailhound.access;

import java.nio.file.Path;
import trailhound.ingest.IngestReport;

/** How an ingest reads in the audit trail, the same whoever ran it (CLI here, CLI handed off, web). */
public final class IngestAudit {
    private IngestAudit() {}

    /** "events.json: source s7 (sysmon-json), 1,200 events added, 3 rejected". */
    public static String detail(Path file, IngestReport report) {
        return file + ": source s" + report.sourceId() + " (" + report.format() + "), " + report.added() + " events added"
                + (report.refused() > 0 ? ", " + report.refused() + " rejected" : "");
    }
}
