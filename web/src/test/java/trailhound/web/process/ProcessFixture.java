package trailhound.web.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import trailhound.index.EventIndex;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * A small, hand-made process family on endpoint {@code ws-01}, indexed for real: explorer.exe
 * starts powershell.exe (the process under test, hash listed malicious in intel.csv) and
 * notepad.exe (its peer); powershell.exe starts cmd.exe and whoami.exe, writes a file, connects
 * out, resolves a name, sets a registry value, loads an image and ends. {@code orphan} has only a
 * file event and a parent with no events of its own.
 */
final class ProcessFixture {
    static final String ENDPOINT = "ws-01";
    static final String EXPLORER = "0f0e0d0c-0000-0000-0000-000000000001";
    static final String POWERSHELL = "0f0e0d0c-0000-0000-0000-000000000002";
    static final String NOTEPAD = "0f0e0d0c-0000-0000-0000-000000000003";
    static final String CMD = "0f0e0d0c-0000-0000-0000-000000000004";
    static final String WHOAMI = "0f0e0d0c-0000-0000-0000-000000000005";
    static final String ORPHAN = "0f0e0d0c-0000-0000-0000-000000000006";
    static final String POWERSHELL_SHA256 = "de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c";
    static final String NOTEPAD_SHA256 = "84b484fd3636f2ca3e468d2821d97aacde8a143a2724a3ae65f48a33ca2fd258";
    static final String CMD_SHA256 = "b99d61d874728edc0918ca0eb10eab93d381e7367e377406e65963366c874450";
    static final long T0 = 1_763_625_600_000L; // 2025-11-20T08:00:00Z
    /** Events of powershell.exe in the fixture. */
    static final int POWERSHELL_EVENTS = 6;

    private ProcessFixture() {}

    static void write(DataDir data) throws IOException {
        Files.writeString(data.root().resolve("intel.csv"), """
                hash,verdict,source,date
                %s,malicious,abuse.ch,2026-10-01
                %s,non-malicious,NSRL,2026-09-01
                %s,suspicious,IR team,2026-10-20
                """.formatted(POWERSHELL_SHA256, NOTEPAD_SHA256, CMD_SHA256));
        try (IndexBackend.Lease lease = data.indexes().acquireOrCreate(ENDPOINT)) {
            EventIndex index = lease.index();
            index.add(start("e1", T0, EXPLORER, 1200, "C:\\Windows\\explorer.exe", "C:\\Windows\\explorer.exe", null, 0, null));
            index.add(start("e2", T0 + 1_000, POWERSHELL, 4321, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                    "powershell.exe -nop -enc SQBFAFgA", EXPLORER, 1200, POWERSHELL_SHA256));
            index.add(start("e3", T0 + 2_000, NOTEPAD, 5000, "C:\\Windows\\notepad.exe", "notepad.exe notes.txt", EXPLORER, 1200, NOTEPAD_SHA256));
            index.add(of("e4", T0 + 3_000, POWERSHELL, "file", "create").set(Field.FILE_PATH, "C:\\Users\\bob\\AppData\\Local\\Temp\\stage2.ps1").build());
            index.add(of("e5", T0 + 4_000, POWERSHELL, "network", "connect").set(Field.REMOTE_IP, "203.0.113.7").set(Field.REMOTE_PORT, 443).build());
            index.add(of("e6", T0 + 5_000, POWERSHELL, "dns", "query").set(Field.DNS_QUERY, "evil.example.com").build());
            index.add(of("e7", T0 + 6_000, POWERSHELL, "registry", "set_value")
                    .set(Field.REGISTRY_KEY, "HKU\\S-1-5-21\\Software\\Microsoft\\Windows\\CurrentVersion\\Run")
                    .set(Field.REGISTRY_VALUE_NAME, "updater").build());
            index.add(start("e8", T0 + 7_000, CMD, 6000, "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami", POWERSHELL, 4321, CMD_SHA256));
            index.add(start("e9", T0 + 8_000, WHOAMI, 6001, "C:\\Windows\\System32\\whoami.exe", "whoami", POWERSHELL, 4321, null));
            index.add(of("e10", T0 + 9_000, POWERSHELL, "process", "end").build());
            index.add(Event.builder().set(Field.EVENT_UID, "e11").ts(T0 + 10_000).set(Field.TYPE, "file").set(Field.OPERATION, "delete")
                    .set(Field.PROCESS_KEY, ORPHAN).set(Field.PARENT_KEY, "0f0e0d0c-0000-0000-0000-0000000000ff")
                    .set(Field.FILE_PATH, "C:\\Temp\\gone.txt").build());
            index.commit();
        }
    }

    private static Event start(String uid, long ts, String key, long pid, String path, String commandLine,
            String parentKey, long ppid, String sha256) {
        Event.Builder b = Event.builder().set(Field.EVENT_UID, uid).ts(ts).set(Field.TYPE, "process").set(Field.OPERATION, "start")
                .set(Field.ENDPOINT, ENDPOINT).set(Field.PROCESS_KEY, key).set(Field.PID, pid).set(Field.PROCESS_PATH, path)
                .set(Field.PROCESS_NAME, path.substring(path.lastIndexOf('\\') + 1)).set(Field.COMMAND_LINE, commandLine)
                .set(Field.USER, "CORP\\bob").set(Field.HASH_SHA256, sha256);
        if (parentKey != null) {
            b.set(Field.PARENT_KEY, parentKey).set(Field.PPID, ppid).set(Field.PARENT_PATH, parentKey.equals(EXPLORER)
                    ? "C:\\Windows\\explorer.exe" : "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
        }
        return b.build();
    }

    /** A powershell.exe event carrying its process's denormalised fields, as recorders write them. */
    private static Event.Builder of(String uid, long ts, String key, String type, String operation) {
        return Event.builder().set(Field.EVENT_UID, uid).ts(ts).set(Field.TYPE, type).set(Field.OPERATION, operation)
                .set(Field.ENDPOINT, ENDPOINT).set(Field.PROCESS_KEY, key).set(Field.PID, 4321)
                .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe")
                .set(Field.PARENT_KEY, EXPLORER).set(Field.PPID, 1200);
    }
}
