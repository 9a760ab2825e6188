package trailhound.web.search;

import java.io.IOException;
import trailhound.index.EventIndex;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Endpoint {@code hostile-01}: events whose values attack the page (markup, quotes, spreadsheet
 * formula prefixes) and stretch it (a 600-character path, a 600-character run without separators).
 */
final class HostileGridFixture {
    static final String ENDPOINT = "hostile-01";
    static final long T0 = 1_763_625_600_000L; // 2025-11-20T08:00:00Z
    static final String MARKUP = "\"><script>alert('pwned')</script><img src=x onerror=alert(1)>";
    static final String QUOTES = "it's \"quoted\" & <b>bold</b>";
    static final String FORMULA = "=cmd|' /c calc'!A1";
    static final String LONG_PATH;
    static final String LONG_RUN = "QUFB".repeat(150); // base64-like, no separator at all

    static {
        StringBuilder p = new StringBuilder("C:\\Users\\bob\\AppData");
        while (p.length() < 600) p.append("\\deeply-nested-folder");
        LONG_PATH = p.append("\\payload.dll").toString();
    }

    private HostileGridFixture() {}

    static void write(DataDir data) throws IOException {
        try (IndexBackend.Lease lease = data.indexes().acquireOrCreate(ENDPOINT)) {
            EventIndex index = lease.index();
            index.add(event("h1", T0, "process", "start").set(Field.PROCESS_NAME, MARKUP).set(Field.USER, FORMULA)
                    .set(Field.COMMAND_LINE, LONG_RUN).set(Field.PROCESS_PATH, "C:\\" + MARKUP).build());
            index.add(event("h2", T0 + 1_000, "file", "create").set(Field.FILE_PATH, LONG_PATH).set(Field.USER, "+SUM(1,2)")
                    .set(Field.PROCESS_NAME, QUOTES).build());
            index.add(event("h3", T0 + 2_000, "registry", "set_value").set(Field.REGISTRY_KEY, "HKCU\\" + QUOTES)
                    .set(Field.REGISTRY_VALUE_NAME, "@SUM(1+1)").set(Field.REGISTRY_VALUE_DATA, "-2+3" + MARKUP).build());
            index.commit();
        }
    }

    private static Event.Builder event(String uid, long ts, String type, String operation) {
        return Event.builder().set(Field.EVENT_UID, uid).ts(ts).set(Field.TYPE, type).set(Field.OPERATION, operation)
                .set(Field.ENDPOINT, ENDPOINT).set(Field.PROCESS_KEY, "k-" + uid).set(Field.PID, 666);
    }
}
