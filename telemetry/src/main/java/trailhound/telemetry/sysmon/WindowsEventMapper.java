package trailhound.telemetry.sysmon;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import trailhound.telemetry.ValueInterner;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Maps one Windows event, given as its flat name/value fields (the JSON line's top-level members,
 * or the XML {@code System} values plus {@code EventData} {@code Data} elements), to a canonical
 * {@link Event}. The type/operation table is DESIGN.md's; every mapping is listed in
 * {@code docs/telemetry-import.md}. Stateless.
 */
final class WindowsEventMapper {
    static final String SYSMON_CHANNEL = "Microsoft-Windows-Sysmon/Operational";
    /** Sysmon for Linux: the same event ids and fields as Windows Sysmon. */
    static final String LINUX_SYSMON_CHANNEL = "Linux-Sysmon/Operational";

    /** Every input field the mapping reads; readers may drop the others unread (a JSON line carries ~40). */
    static final Set<String> FIELDS = Set.of("@timestamp", "Application", "Channel", "CommandLine", "Computer",
            "Details", "Device", "EventID", "EventType", "GrantedAccess", "Hash", "Hashes", "Hostname", "Image",
            "ImageLoaded", "Initiated", "IpAddress", "LogonType", "NewName", "NewProcessId", "NewProcessName",
            "ParentCommandLine", "ParentImage", "ParentProcessGuid", "ParentProcessId", "ParentProcessName", "PipeName",
            "ProcessGuid", "ProcessID", "ProcessId", "ProcessName", "Protocol", "QueryName", "QueryResults", "Signature",
            "SignatureStatus", "SourceImage", "SourceProcessGUID", "SourceProcessGuid", "SourceProcessId",
            "SubjectDomainName", "SubjectUserName", "TargetDomainName", "TargetFilename", "TargetImage", "TargetObject",
            "TargetProcessGUID", "TargetProcessGuid", "TargetUserName", "TimeCreated", "User", "UtcTime",
            "SourceIp", "SourcePort", "DestinationIp", "DestinationPort", "TimeGenerated", "EventTime", "EventRecordID",
            "RecordNumber", "EventData");

    private WindowsEventMapper() {
    }

    /**
     * The event, or {@code null} when the record lacks what every event needs (a numeric
     * {@code EventID} and a readable time); the caller counts that record as malformed.
     *
     * @param fallbackEndpoint used when the record names no host and there is no override
     * @param localZone        the zone of a time written without one (NXLog's EventTime: the host's local time)
     */
    static Event map(Map<String, String> f, String uid, String endpointOverride, java.util.function.Supplier<String> fallbackEndpoint,
            java.time.ZoneId localZone) {
        int eventId = parseInt(f.get("EventID"));
        if (eventId < 0) {
            return null;
        }
        long ts = WindowsTimes.parse(f.get("UtcTime"));
        if (ts == Long.MIN_VALUE) {
            ts = WindowsTimes.parse(f.get("TimeCreated"));
        }
        if (ts == Long.MIN_VALUE) {
            ts = WindowsTimes.parse(f.get("@timestamp"));
        }
        if (ts == Long.MIN_VALUE) {
            ts = WindowsTimes.parse(f.get("TimeGenerated"));
        }
        if (ts == Long.MIN_VALUE && timedByLocalTime(f)) {
            ts = WindowsTimes.parseLocal(f.get("EventTime"), localZone);
        }
        if (ts == Long.MIN_VALUE) {
            return null;
        }
        String channel = f.get("Channel");
        String host = f.get("Hostname") != null ? f.get("Hostname") : f.get("Computer");
        Event.Builder e = Event.builder()
                .set(Field.EVENT_UID, uid)
                .ts(ts)
                .set(Field.ENDPOINT, endpointOverride != null ? endpointOverride
                        : host != null && !host.isBlank() ? host : fallbackEndpoint.get())
                .set(Field.CHANNEL, channel)
                .set(Field.EVENT_ID, Integer.toString(eventId));
        if (SYSMON_CHANNEL.equalsIgnoreCase(channel) || LINUX_SYSMON_CHANNEL.equalsIgnoreCase(channel)) {
            sysmon(eventId, f, e);
        } else if ("Security".equalsIgnoreCase(channel)) {
            security(eventId, f, e);
        } else {
            e.set(Field.TYPE, "other").set(Field.OPERATION, "event_" + eventId);
        }
        return ValueInterner.internValues(e).build();
    }

    /** Whether the record's only time is NXLog's EventTime, written in the host's local time without a zone. */
    static boolean timedByLocalTime(Map<String, String> f) {
        return f.get("EventTime") != null && f.get("UtcTime") == null && f.get("TimeCreated") == null && f.get("@timestamp") == null
                && f.get("TimeGenerated") == null;
    }

    /** The operating system of the event's endpoint: linux for Sysmon for Linux, else windows. */
    static String os(Event event) {
        String channel = event.get(Field.CHANNEL);
        return channel != null && channel.regionMatches(true, 0, "Linux-", 0, 6) ? "linux" : "windows";
    }

    private static void sysmon(int id, Map<String, String> f, Event.Builder e) {
        process(e, f.get("ProcessGuid"), f.get("ProcessId"), f.get("Image"));
        e.set(Field.COMMAND_LINE, f.get("CommandLine"))
                .set(Field.USER, f.get("User"))
                .set(Field.PARENT_KEY, guid(f.get("ParentProcessGuid")))
                .set(Field.PPID, hexOrDecimal(f.get("ParentProcessId")))
                .set(Field.PARENT_PATH, f.get("ParentImage"))
                .set(Field.PARENT_COMMAND_LINE, f.get("ParentCommandLine"));
        hashes(e, f.get("Hashes") != null ? f.get("Hashes") : f.get("Hash"));
        switch (id) {
            case 1 -> kind(e, "process", "start");
            case 5 -> kind(e, "process", "end");
            case 8, 10 -> {
                kind(e, "process", id == 8 ? "remote_thread" : "access");
                // EID 10 spells GUID in capitals, EID 8 does not.
                process(e, first(f, "SourceProcessGuid", "SourceProcessGUID"), f.get("SourceProcessId"),
                        f.get("SourceImage"));
                e.set(Field.TARGET_PROCESS_KEY, guid(first(f, "TargetProcessGuid", "TargetProcessGUID")))
                        .set(Field.TARGET_PROCESS_PATH, f.get("TargetImage"))
                        .set(Field.GRANTED_ACCESS, f.get("GrantedAccess"));
            }
            case 25 -> kind(e, "process", "tamper");
            case 2 -> file(e, "create_time_changed", f.get("TargetFilename"));
            case 9 -> file(e, "raw_read", f.get("Device"));
            case 11 -> file(e, "create", f.get("TargetFilename"));
            case 15 -> file(e, "stream_create", f.get("TargetFilename"));
            case 17 -> file(e, "pipe_create", f.get("PipeName"));
            case 18 -> file(e, "pipe_connect", f.get("PipeName"));
            case 23, 26 -> file(e, "delete", f.get("TargetFilename"));
            case 3 -> network(e, f);
            case 22 -> kind(e, "dns", "query")
                    .set(Field.DNS_QUERY, f.get("QueryName"))
                    .set(Field.DNS_ANSWER, f.get("QueryResults"));
            case 12, 13, 14 -> registry(id, e, f);
            case 7 -> kind(e, "image", "load").set(Field.IMAGE_PATH, f.get("ImageLoaded"))
                    .set(Field.SIGNATURE, f.get("Signature"))
                    .set(Field.SIGNATURE_STATUS, f.get("SignatureStatus"));
            case 6 -> kind(e, "driver", "load").set(Field.IMAGE_PATH, f.get("ImageLoaded"))
                    .set(Field.SIGNATURE, f.get("Signature"))
                    .set(Field.SIGNATURE_STATUS, f.get("SignatureStatus"));
            default -> kind(e, "other", "event_" + id);
        }
    }

    private static void network(Event.Builder e, Map<String, String> f) {
        // Sysmon names the initiator "Source": for an inbound connection that is the remote side.
        boolean outbound = "true".equalsIgnoreCase(f.get("Initiated"));
        String local = outbound ? "Source" : "Destination";
        String remote = outbound ? "Destination" : "Source";
        kind(e, "network", outbound ? "connect" : "accept")
                .set(Field.DIRECTION, outbound ? "outbound" : "inbound")
                .set(Field.PROTOCOL, lower(f.get("Protocol")))
                .set(Field.LOCAL_IP, f.get(local + "Ip"))
                .set(Field.LOCAL_PORT, hexOrDecimal(f.get(local + "Port")))
                .set(Field.REMOTE_IP, f.get(remote + "Ip"))
                .set(Field.REMOTE_PORT, hexOrDecimal(f.get(remote + "Port")));
    }

    private static void registry(int id, Event.Builder e, Map<String, String> f) {
        String key = f.get("TargetObject");
        String operation = switch (id) {
            case 13 -> "set_value";
            case 14 -> "rename";
            default -> switch (f.getOrDefault("EventType", "")) {
                case "DeleteKey" -> "delete_key";
                case "DeleteValue" -> "delete_value";
                default -> "create_key"; // CreateKey, and the value creations Sysmon also reports as EID 12
            };
        };
        kind(e, "registry", operation).set(Field.REGISTRY_KEY, key);
        if (key != null && (id == 13 || operation.equals("delete_value"))) {
            e.set(Field.REGISTRY_VALUE_NAME, key.substring(key.lastIndexOf('\\') + 1));
        }
        e.set(Field.REGISTRY_VALUE_DATA, id == 14 ? f.get("NewName") : f.get("Details"));
    }

    private static void security(int id, Map<String, String> f, Event.Builder e) {
        kind(e, "security", switch (id) {
            case 4624 -> "logon";
            case 4625 -> "logon_failed";
            case 4634 -> "logoff";
            default -> "event_" + id;
        });
        e.set(Field.USER, account(f.get("SubjectDomainName"), f.get("SubjectUserName")))
                .set(Field.TARGET_USER, account(f.get("TargetDomainName"), f.get("TargetUserName")))
                .set(Field.LOGON_TYPE, f.get("LogonType"));
        String ip = f.get("IpAddress");
        if (ip != null && (ip.indexOf('.') > 0 || ip.indexOf(':') >= 0)) {
            e.set(Field.LOGON_SOURCE_IP, ip);
        }
        if (id == 4688) {
            // Process creation: the new process is the subject, the creator its parent. Ids are hex.
            e.set(Field.PROCESS_PATH, f.get("NewProcessName"))
                    .set(Field.PROCESS_NAME, baseName(f.get("NewProcessName")))
                    .set(Field.PID, hexOrDecimal(f.get("NewProcessId")))
                    .set(Field.COMMAND_LINE, f.get("CommandLine"))
                    .set(Field.PARENT_PATH, f.get("ParentProcessName"))
                    .set(Field.PPID, hexOrDecimal(f.get("ProcessId")));
        } else {
            String path = first(f, "ProcessName", "Application");
            e.set(Field.PROCESS_PATH, path).set(Field.PROCESS_NAME, baseName(path))
                    .set(Field.PID, hexOrDecimal(first(f, "ProcessId", "ProcessID")));
        }
    }

    private static Event.Builder kind(Event.Builder e, String type, String operation) {
        return e.set(Field.TYPE, type).set(Field.OPERATION, operation);
    }

    private static void file(Event.Builder e, String operation, String path) {
        kind(e, "file", operation).set(Field.FILE_PATH, path);
    }

    private static void process(Event.Builder e, String guid, String pid, String image) {
        e.set(Field.PROCESS_KEY, guid(guid)).set(Field.PID, hexOrDecimal(pid)).set(Field.PROCESS_PATH, image)
                .set(Field.PROCESS_NAME, baseName(image));
    }

    /** {@code SHA1=..,MD5=..,SHA256=..,IMPHASH=..} into the hash fields (hex lower-cased). */
    static void hashes(Event.Builder e, String hashes) {
        if (hashes == null) {
            return;
        }
        // Without split/substring/toUpperCase per part: this ran for most Sysmon events and showed in profiles.
        for (int from = 0; from < hashes.length(); ) {
            int comma = hashes.indexOf(',', from);
            int to = comma < 0 ? hashes.length() : comma;
            int eq = hashes.indexOf('=', from);
            if (eq >= 0 && eq < to) {
                Field field = hashField(hashes, from, eq);
                if (field != null) {
                    int valueFrom = trimStart(hashes, eq + 1, to);
                    e.set(field, lowerCase(hashes, valueFrom, trimEnd(hashes, valueFrom, to)));
                }
            }
            from = to + 1;
        }
    }

    /** The field for the (trimmed, any case) algorithm name in {@code s[from, to)}; null for IMPHASH and others. */
    private static Field hashField(String s, int from, int to) {
        from = trimStart(s, from, to);
        to = trimEnd(s, from, to);
        int length = to - from;
        if (length == 3 && s.regionMatches(true, from, "MD5", 0, 3)) {
            return Field.HASH_MD5;
        }
        if (length == 4 && s.regionMatches(true, from, "SHA1", 0, 4)) {
            return Field.HASH_SHA1;
        }
        if (length == 6 && s.regionMatches(true, from, "SHA256", 0, 6)) {
            return Field.HASH_SHA256;
        }
        return null;
    }

    /** ProcessGuid without braces, lower case (the canonical process_key). */
    static String guid(String guid) {
        if (guid == null) {
            return null;
        }
        String g = guid.trim();
        if (g.startsWith("{") && g.endsWith("}")) {
            return lowerCase(g, 1, g.length() - 1);
        }
        return lowerCase(g, 0, g.length());
    }

    /** Like {@link String#trim()} on {@code s[from, to)}: the first index not skipped. */
    private static int trimStart(String s, int from, int to) {
        while (from < to && s.charAt(from) <= ' ') {
            from++;
        }
        return from;
    }

    /** Like {@link String#trim()} on {@code s[from, to)}: the end after skipping. */
    private static int trimEnd(String s, int from, int to) {
        while (to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        return to;
    }

    /**
     * {@code s.substring(from, to).toLowerCase(Locale.ROOT)}, in one copy when the text is ASCII
     * (hashes and GUIDs always are): {@code toLowerCase} showed in profiles.
     */
    static String lowerCase(String s, int from, int to) {
        byte[] lower = new byte[to - from];
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return s.substring(from, to).toLowerCase(Locale.ROOT);
            }
            lower[i - from] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        return new String(lower, StandardCharsets.ISO_8859_1);
    }

    /** The image's file name: {@link trailhound.schema.FilePaths#fileName} (a {@code /} is no separator in a Windows path). */
    static String baseName(String path) {
        return trailhound.schema.FilePaths.fileName(path);
    }

    private static String account(String domain, String user) {
        if (user == null || user.isBlank() || user.equals("-")) {
            return null;
        }
        return domain == null || domain.isBlank() || domain.equals("-") ? user : domain + "\\" + user;
    }

    private static String hexOrDecimal(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return v.startsWith("0x") || v.startsWith("0X") ? Long.toString(Long.parseLong(v.substring(2), 16))
                    : Long.toString(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String first(Map<String, String> f, String a, String b) {
        String v = f.get(a);
        return v != null ? v : f.get(b);
    }

    private static String lower(String v) {
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    private static int parseInt(String v) {
        if (v == null) {
            return -1;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
