package trailhound.telemetry;

/** The telemetry formats {@link TelemetryImport} reads, each recognised from the content. */
public enum TelemetryFormat {
    /** One flat JSON object per line per Windows event (Sysmon and other channels), as log forwarders ship them. */
    WINDOWS_JSON_LINES("Windows event JSON lines ({\"EventID\":..,\"Channel\":..,\"Hostname\":..})"),
    /** Binary Windows event log files, every channel ({@code ElfFile} signature). */
    WINDOWS_EVTX("Windows event log (.evtx, starts with \"ElfFile\")"),
    /** {@code <Event>} elements as exported by Event Viewer or {@code wevtutil qe /f:xml}. */
    WINDOWS_EVENT_XML("Windows event XML (<Event><System>..</System><EventData>..)"),
    /** Linux audit log text ({@code type=SYSCALL msg=audit(time:serial): ...}). */
    LINUX_AUDIT("Linux audit log (type=SYSCALL msg=audit(time:serial): ...)");

    private final String description;

    TelemetryFormat(String description) {
        this.description = description;
    }

    /** A human description with an example of the content, for error messages. */
    public String description() {
        return description;
    }
}
