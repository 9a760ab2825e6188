package trailhound.telemetry.sysmon;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code event_uid} of a Windows event that carries its record id, the same whichever form it
 * arrives in (.evtx, Event XML, a forwarder's JSON that kept it): {@code w<host>:<channel>:<record id>},
 * host and channel lower-cased (forwarders change their case: {@code Security}, {@code security}).
 * Records without a record id get a hash of their content instead (see the readers), so one event
 * ingested in two forms is one event only when it carries its record id.
 */
final class WindowsUids {
    private WindowsUids() {}

    /** The uid from the record id ({@code EventRecordID}, NXLog's {@code RecordNumber}), or null when there is none. */
    static String ofRecord(Map<String, String> fields) {
        String recordId = fields.get("EventRecordID");
        if (recordId == null) recordId = fields.get("RecordNumber");
        if (recordId == null || recordId.isBlank()) return null;
        String host = fields.get("Hostname") != null ? fields.get("Hostname") : fields.getOrDefault("Computer", "");
        String channel = fields.getOrDefault("Channel", "");
        return "w" + host.trim().toLowerCase(Locale.ROOT) + ":" + channel.trim().toLowerCase(Locale.ROOT) + ":" + recordId.trim();
    }
}
