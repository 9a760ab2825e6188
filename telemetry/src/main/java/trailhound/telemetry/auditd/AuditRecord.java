package trailhound.telemetry.auditd;

import java.util.Map;

/**
 * One audit log line: {@code [node=N ]type=T msg=audit(seconds.millis:serial): key=value ...}.
 *
 * @param node the {@code node=} prefix, or null
 * @param type record type, e.g. {@code SYSCALL}
 * @param epochMillis event time, UTC epoch milliseconds
 * @param serial the kernel's event serial; with the time it identifies the event
 * @param fields the values, unquoted, hex-encoded ones decoded, the inner {@code msg='...'} of user
 *     space records merged in, enriched ({@code \x1d}-separated upper-case) fields included
 * @param line 1-based line number in the file
 */
record AuditRecord(String node, String type, long epochMillis, long serial, Map<String, String> fields, long line) {

    /** The event this record belongs to: records with the same key form one audit event. */
    String groupKey() {
        return (node == null ? "" : node) + '|' + epochMillis + '|' + serial;
    }

    String get(String key) {
        return fields.get(key);
    }
}
