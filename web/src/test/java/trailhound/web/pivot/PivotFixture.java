package trailhound.web.pivot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.ingest.Ingestor;
import trailhound.recorder.RecorderMeta;
import trailhound.recorder.RecorderProcess;
import trailhound.recorder.RecorderWriter;
import trailhound.schema.Field;
import trailhound.web.WebTestSupport;

/**
 * Three endpoints besides {@link WebTestSupport#ENDPOINT}, written as real recorder databases (whose
 * metadata gives the catalogue each one's address) and ingested:
 *
 * <ul>
 *   <li>{@value #WS} ({@value #WS_IP}): {@value #PSEXEC} runs {@code PsExec64.exe \\DC-PV} and connects
 *       to {@value #DC_IP}; {@value #NET_USE} runs {@code net use \\SECRET-PV\c$} and connects to
 *       {@value #SECRET_IP}; {@value #HOSTILE} writes the files of {@link #FILES}, each value
 *       as many times as its count, among decoys a sloppy quoting would also match.
 *   <li>{@value #DC} ({@value #DC_IP}): the receiving side, a minute after; one event an hour earlier.
 *   <li>{@value #SECRET} ({@value #SECRET_IP}): outside group {@value #GROUP}.
 * </ul>
 * Group {@value #GROUP} holds {@value #WS} and {@value #DC}; {@code ana} is an analyst in it. The
 * image hash {@link #HASH} runs on all three: 2 events on {@value #WS}, 1 on {@value #DC}, 2 on
 * {@value #SECRET}.
 */
final class PivotFixture {
    static final String WS = "WS-PV-01";
    static final String DC = "DC-PV";
    static final String SECRET = "SECRET-PV";
    static final String WS_IP = "10.50.0.21";
    static final String DC_IP = "10.50.0.10";
    static final String SECRET_IP = "10.50.0.99";
    /** A remote address of {@value #NET_USE} that must be quoted in a query. */
    static final String IPV6 = "2001:db8::1ff:fe23:4567:890a";
    static final String GROUP = "pv";
    static final String PW = "a long test password";
    static final String PSEXEC = "p-psexec";
    static final String NET_USE = "p-net-use";
    static final String HOSTILE = "p-hostile";
    static final String PSEXEC_LINE = "C:\\Tools\\PsExec64.exe \\\\DC-PV -accepteula -s cmd.exe /c \"whoami\"";
    static final String NET_USE_LINE = "net use \\\\SECRET-PV\\c$ /user:corp\\x";
    static final String HASH = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    /** A user name with markup, quotes and a backslash. */
    static final String HOSTILE_USER = "CORP\\<b>o\"neil</b>";
    static final long T0 = WebTestSupport.T0;
    /** The time of the PsExec start on {@value #WS}. */
    static final long PSEXEC_TS = T0 + 60_000;

    /** File paths of {@value #HOSTILE} and how many events carry each (case-insensitively distinct). */
    static final Map<String, Integer> FILES = files();
    static final int FILE_EVENTS = FILES.values().stream().mapToInt(Integer::intValue).sum();
    /** The values the tests pivot on; the others are decoys. */
    static final List<String> HOSTILE_VALUES = List.of(
            "C:\\a \"quoted\" b\\*.txt", "<script>window.__pwned=1</script>", "<img src=x onerror=\"window.__pwned=1\">",
            "C:\\back\\\\slash\\", "x*y?z", "ünïcødé ✓ ü", "AND", "a OR b", "\"", "back\\\"slash");

    private PivotFixture() {}

    private static Map<String, Integer> files() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("C:\\a \"quoted\" b\\*.txt", 3);
        m.put("C:\\a \"quoted\" b\\x.txt", 1);
        m.put("<script>window.__pwned=1</script>", 2);
        m.put("<img src=x onerror=\"window.__pwned=1\">", 1);
        m.put("C:\\back\\\\slash\\", 2);
        m.put("C:\\back\\slash\\", 1);
        m.put("x*y?z", 4);
        m.put("xaaybz", 1);
        m.put("ünïcødé ✓ ü", 2);
        m.put("AND", 1);
        m.put("a OR b", 2);
        m.put("a", 1);
        m.put("b", 1);
        m.put("\"", 1);
        m.put("back\\\"slash", 1);
        m.put("back\\slash", 1);
        return m;
    }

    static void addEndpoints(WebTestSupport web, Path dir) throws IOException {
        Ingestor ingestor = new Ingestor(web.data(), 1);
        ingestor.ingest(workstation(dir.resolve(WS + ".db")), null);
        ingestor.ingest(controller(dir.resolve(DC + ".db")), null);
        ingestor.ingest(secret(dir.resolve(SECRET + ".db")), null);
    }

    static void addUsers(WebTestSupport web) {
        Access access = web.server().access();
        Caller cli = Caller.commandLine();
        access.groups().create(cli, GROUP, null, List.of(WS, DC));
        access.accounts().create(cli, "ana", Role.ANALYST, List.of(GROUP), PW, false);
    }

    private static RecorderProcess process(String key, int pid, String path, String commandLine, String user, String sha256, long start) {
        String name = path.substring(path.lastIndexOf('\\') + 1);
        return new RecorderProcess(key, pid, 4, null, path, name, commandLine, user, "C:\\", null, null, sha256, null, null, start, null);
    }

    private static Path workstation(Path db) throws IOException {
        Files.deleteIfExists(db);
        try (RecorderWriter w = RecorderWriter.create(db, RecorderMeta.of(WS, "windows", "10.0.19045", "test", WS_IP, "rec-ws", T0))) {
            w.addProcess(process(PSEXEC, 100, "C:\\Tools\\PsExec64.exe", PSEXEC_LINE, "CORP\\ana", HASH, PSEXEC_TS));
            w.addProcess(process(NET_USE, 101, "C:\\Windows\\System32\\net.exe", NET_USE_LINE, "CORP\\ana", null, T0 + 70_000));
            w.addProcess(process(HOSTILE, 102, "C:\\Tools\\h.exe", "h.exe --name \"<i>x</i>\"", HOSTILE_USER, null, T0 + 80_000));
            RecorderWriter.Row row = w.row();
            w.addEvent(row.clear().ts(PSEXEC_TS).type("process").operation("start").processKey(PSEXEC));
            w.addEvent(connect(row.clear().ts(PSEXEC_TS + 1_000).processKey(PSEXEC), WS_IP, DC_IP));
            w.addEvent(row.clear().ts(T0 + 70_000).type("process").operation("start").processKey(NET_USE));
            w.addEvent(connect(row.clear().ts(T0 + 71_000).processKey(NET_USE), WS_IP, SECRET_IP));
            w.addEvent(connect(row.clear().ts(T0 + 72_000).processKey(NET_USE), "fe80::1", IPV6));
            w.addEvent(row.clear().ts(T0 + 80_000).type("process").operation("start").processKey(HOSTILE));
            long t = T0 + 81_000;
            for (Map.Entry<String, Integer> f : FILES.entrySet()) {
                for (int i = 0; i < f.getValue(); i++) {
                    w.addEvent(row.clear().ts(t += 1_000).type("file").operation("create").processKey(HOSTILE).set(Field.FILE_PATH, f.getKey()));
                }
            }
        }
        return db;
    }

    private static Path controller(Path db) throws IOException {
        Files.deleteIfExists(db);
        try (RecorderWriter w = RecorderWriter.create(db, RecorderMeta.of(DC, "windows", "10.0.20348", "test", DC_IP, "rec-dc", T0))) {
            w.addProcess(process("dc-system", 4, "C:\\Windows\\System32\\ntoskrnl.exe", "System", "NT AUTHORITY\\SYSTEM", null, T0 - 7_200_000));
            w.addProcess(process("dc-psexesvc", 200, "C:\\Windows\\PSEXESVC.exe", "C:\\Windows\\PSEXESVC.exe", "NT AUTHORITY\\SYSTEM", HASH,
                    PSEXEC_TS + 3_000));
            RecorderWriter.Row row = w.row();
            w.addEvent(row.clear().ts(T0 - 3_600_000).type("file").operation("create").processKey("dc-system")
                    .set(Field.FILE_PATH, "C:\\Windows\\Temp\\an-hour-before.txt"));
            w.addEvent(row.clear().ts(PSEXEC_TS + 1_500).type("network").operation("accept").processKey("dc-system")
                    .set(Field.LOCAL_IP, DC_IP).set(Field.LOCAL_PORT, 445).set(Field.REMOTE_IP, WS_IP).set(Field.REMOTE_PORT, 53_610)
                    .set(Field.PROTOCOL, "tcp").set(Field.DIRECTION, "inbound"));
            w.addEvent(row.clear().ts(PSEXEC_TS + 2_000).type("file").operation("create").processKey("dc-system")
                    .set(Field.FILE_PATH, "C:\\Windows\\PSEXESVC.exe"));
            w.addEvent(row.clear().ts(PSEXEC_TS + 3_000).type("process").operation("start").processKey("dc-psexesvc"));
        }
        return db;
    }

    private static Path secret(Path db) throws IOException {
        Files.deleteIfExists(db);
        try (RecorderWriter w = RecorderWriter.create(db, RecorderMeta.of(SECRET, "windows", "10.0.20348", "test", SECRET_IP, "rec-s", T0))) {
            w.addProcess(process("s-tool", 300, "C:\\Tools\\tool.exe", "tool.exe", "CORP\\svc", HASH, T0 + 72_000));
            RecorderWriter.Row row = w.row();
            w.addEvent(row.clear().ts(T0 + 72_000).type("process").operation("start").processKey("s-tool"));
            w.addEvent(row.clear().ts(T0 + 73_000).type("file").operation("create").processKey("s-tool").set(Field.FILE_PATH, "C:\\x.txt"));
        }
        return db;
    }

    private static RecorderWriter.Row connect(RecorderWriter.Row row, String local, String remote) {
        return row.type("network").operation("connect").set(Field.LOCAL_IP, local).set(Field.LOCAL_PORT, 50_000)
                .set(Field.REMOTE_IP, remote).set(Field.REMOTE_PORT, 445).set(Field.PROTOCOL, "tcp").set(Field.DIRECTION, "outbound");
    }
}
