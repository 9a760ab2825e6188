package trailhound.evtx;

import java.time.Instant;
import java.util.Objects;

/**
 * One event record of a .evtx file.
 *
 * @param recordId the record identifier from the record header; usually the event's
 *     {@code System/EventRecordID}, but not always (new-user-security.evtx numbers them 1-4 and 111-116)
 * @param offset byte offset of the record in the file
 * @param written when the record was written to the log (the record header's FILETIME, 100 ns precision, UTC)
 * @param event the record's Event XML as a tree, normally an element named {@code Event}
 */
public record EvtxRecord(long recordId, long offset, Instant written, EvtxElement event) {
    public EvtxRecord {
        Objects.requireNonNull(written, "written");
        Objects.requireNonNull(event, "event");
    }
}
