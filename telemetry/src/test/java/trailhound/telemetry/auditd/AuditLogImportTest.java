package trailhound.telemetry.auditd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.telemetry.Datasets;
import trailhound.telemetry.ImportReport;
import trailhound.telemetry.TelemetryFormat;
import trailhound.telemetry.TelemetryImport;
import trailhound.schema.Event;
import trailhound.schema.Field;

class AuditLogImportTest {
    private static final Pattern HEADER =
            Pattern.compile("^(?:node=(\\S+) )?type=(\\S+) msg=audit\\((\\d+\\.\\d+:\\d+)\\)");

    @TempDir
    Path dir;

    /**
     * Every raw audit log in the datasets: this test groups the lines by msg=audit(...) itself and
     * derives each event's kind with DESIGN.md's rules restated for x86_64 syscall numbers;
     * syscalls without a specific mapping are compared as one "other/SYSCALL" total.
     */
    @Test
    void read_everyDatasetAuditLog_kindCountsMatchRawGroups() throws IOException {
        List<Path> logs = Stream.concat(Datasets.files("auditd/otrf", ".log").stream(),
                Datasets.files("auditd/go-libaudit", ".log").stream()).toList();
        assertTrue(logs.size() >= 6, logs.toString());
        for (Path log : logs) {
            Map<String, List<String>> groups = new LinkedHashMap<>();
            long malformed = 0;
            long records = 0;
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) {
                    continue;
                }
                records++;
                Matcher m = HEADER.matcher(line);
                if (!m.find()) {
                    malformed++;
                } else if (!m.group(2).equals("EOE")) {
                    groups.computeIfAbsent(m.group(1) + "|" + m.group(3), k -> new ArrayList<>()).add(line);
                }
            }
            Map<String, Long> expected = new TreeMap<>();
            groups.values().forEach(g -> expected.merge(expectedKind(g), 1L, Long::sum));

            List<Event> events = new ArrayList<>();
            ImportReport report = TelemetryImport.read(log, null, events::add);
            Map<String, Long> actual = new TreeMap<>();
            for (Event e : events) {
                String kind = e.type().equals("other") && "SYSCALL".equals(e.get(Field.EVENT_ID))
                        ? "other/SYSCALL" : e.type() + "/" + e.operation();
                actual.merge(kind, 1L, Long::sum);
            }
            String stem = log.getFileName().toString().replaceFirst("\\.log$", "");

            assertEquals(TelemetryFormat.LINUX_AUDIT, report.format(), log.toString());
            assertEquals(expected, actual, log + ": events per kind");
            assertEquals(records, report.recordsRead(), log + ": records");
            assertEquals(malformed, report.malformed(), log + ": malformed");
            assertEquals(List.of(stem), report.endpoints(), log + ": no node=, so the file name stem");
            assertTrue(report.warnings().contains("some records name no host: their events are filed under endpoint '" + stem
                    + "', the file's name; ingest with --endpoint NAME to choose another"), "and says so: " + report.warnings());
            assertEquals(groups.size(), report.distinctEvents(), log + ": one event per msg=audit(...)");
        }
    }

    @Test
    void read_otrfArpCache_execveBecomesProcessStartWithArgvCwdAndUser() {
        Path log = Datasets.root().resolve("auditd/otrf/sh_arp_cache_2020-11-10074812.log");
        List<Event> events = new ArrayList<>();
        TelemetryImport.read(log, "lab-linux", events::add);
        assertEquals(2, events.size());
        Event arp = events.getFirst();
        assertEquals("process", arp.type());
        assertEquals("start", arp.operation());
        assertEquals("/usr/sbin/arp", arp.get(Field.PROCESS_PATH));
        assertEquals("arp", arp.get(Field.PROCESS_NAME));
        assertEquals("arp -a", arp.get(Field.COMMAND_LINE));
        assertEquals("/home/wardog", arp.get(Field.CWD));
        assertEquals("1000", arp.get(Field.USER));
        assertEquals("1631", arp.get(Field.PID));
        assertEquals("29002", arp.get(Field.PPID));
        assertEquals(1604994496155L, arp.ts());
        assertEquals("lab-linux", arp.get(Field.ENDPOINT));
        assertEquals("grep -v ^?", events.get(1).get(Field.COMMAND_LINE));
        assertEquals(arp.get(Field.PARENT_KEY), events.get(1).get(Field.PARENT_KEY), "same shell parent");
    }

    @Test
    void read_syntheticLog_mapsSyscallsAndLinksProcesses() throws IOException {
        String log = String.join("\n",
                // bash (pid 100) starts, forks 200 which execs curl with a hex-encoded argument
                sys(1, 10, 59, "yes", 0, 100, 1, "a0=0 a1=0 a2=0", "/usr/bin/bash"),
                "node=web-1 type=EXECVE msg=audit(1700000000.010:1): argc=1 a0=\"bash\"",
                sys(2, 20, 59, "yes", 0, 200, 100, "a0=0 a1=0 a2=0", "/usr/bin/curl"),
                "node=web-1 type=EXECVE msg=audit(1700000000.020:2): argc=3 a0=\"curl\" a1=\"-d\" a2=68656C6C6F20776F726C64",
                "node=web-1 type=CWD msg=audit(1700000000.020:2): cwd=\"/tmp\"",
                "node=web-1 type=EOE msg=audit(1700000000.020:2): ",
                sys(3, 30, 42, "no", -115, 200, 100, "a0=3 a1=0 a2=10", "/usr/bin/curl"),
                "node=web-1 type=SOCKADDR msg=audit(1700000000.030:3): saddr=020001BB5DB8D8220000000000000000",
                sys(4, 40, 257, "yes", 4, 200, 100, "a0=ffffff9c a1=0 a2=241 a3=1b6", "/usr/bin/curl"),
                "node=web-1 type=CWD msg=audit(1700000000.040:4): cwd=\"/tmp\"",
                "node=web-1 type=PATH msg=audit(1700000000.040:4): item=0 name=\"/tmp\" nametype=PARENT",
                "node=web-1 type=PATH msg=audit(1700000000.040:4): item=1 name=\"out.txt\" nametype=CREATE",
                sys(5, 50, 257, "yes", 4, 200, 100, "a0=ffffff9c a1=0 a2=0 a3=0", "/usr/bin/curl"),
                sys(6, 60, 82, "yes", 0, 200, 100, "a0=0 a1=0", "/usr/bin/curl"),
                "node=web-1 type=PATH msg=audit(1700000000.060:6): item=0 name=\"/tmp/out.txt\" nametype=DELETE",
                "node=web-1 type=PATH msg=audit(1700000000.060:6): item=1 name=\"/tmp/final.txt\" nametype=CREATE",
                sys(7, 70, 263, "yes", 0, 200, 100, "a0=0 a1=0", "/usr/bin/curl"),
                "node=web-1 type=PATH msg=audit(1700000000.070:7): item=0 name=\"/tmp/final.txt\" nametype=DELETE",
                "this line is garbage",
                sys(8, 80, 231, "yes", 0, 200, 100, "a0=0", "/usr/bin/curl"),
                sys(9, 90, 59, "no", -2, 300, 100, "a0=0", "/usr/bin/nothere"),
                "");
        Path file = Files.writeString(dir.resolve("web.log"), log);
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, null, events::add);

        assertEquals(List.of(19L), report.firstMalformedLines(), "the garbage line");
        assertEquals(List.of("web-1"), report.endpoints());
        Map<String, Event> bySerial = new TreeMap<>();
        events.forEach(e -> bySerial.put(e.uid().substring(e.uid().indexOf(':') + 1), e));
        Event bash = bySerial.get("1");
        Event curl = bySerial.get("2");
        assertEquals("process/start", kind(curl));
        assertEquals("curl -d hello world", curl.get(Field.COMMAND_LINE));
        assertEquals("/tmp", curl.get(Field.CWD));
        assertEquals(bash.get(Field.PROCESS_KEY), curl.get(Field.PARENT_KEY), "bash's start is known");
        assertNotEquals(curl.get(Field.PROCESS_KEY), bash.get(Field.PROCESS_KEY));
        Event connect = bySerial.get("3");
        assertEquals("network/connect", kind(connect), "EINPROGRESS still connects");
        assertEquals("93.184.216.34", connect.get(Field.REMOTE_IP));
        assertEquals("443", connect.get(Field.REMOTE_PORT));
        assertEquals("ipv4", connect.get(Field.PROTOCOL));
        assertEquals("file/create", kind(bySerial.get("4")));
        assertEquals("/tmp/out.txt", bySerial.get("4").get(Field.FILE_PATH));
        assertEquals("other/openat", kind(bySerial.get("5")), "openat without O_CREAT");
        assertEquals("file/rename", kind(bySerial.get("6")));
        assertEquals("/tmp/final.txt", bySerial.get("6").get(Field.FILE_NEW_PATH));
        assertEquals("file/delete", kind(bySerial.get("7")));
        assertEquals("process/end", kind(bySerial.get("8")));
        assertEquals("other/execve", kind(bySerial.get("9")), "a failed execve starts nothing");
        for (String serial : List.of("3", "4", "5", "6", "7", "8")) {
            assertEquals(curl.get(Field.PROCESS_KEY), bySerial.get(serial).get(Field.PROCESS_KEY), "history of curl");
        }
        assertFalse(bash.has(Field.PARENT_KEY) && bash.get(Field.PARENT_KEY).equals(bash.get(Field.PROCESS_KEY)));
        assertEquals(Set.copyOf(events.stream().map(Event::uid).toList()).size(), events.size());
    }

    @Test
    void read_sameLogTwice_sameUidsAndKeys() throws IOException {
        Path log = Datasets.root().resolve("auditd/go-libaudit/auparse_testdata_test3.log");
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        TelemetryImport.read(log, null, e -> first.add(e.uid() + " " + e.get(Field.PROCESS_KEY)));
        TelemetryImport.read(log, null, e -> second.add(e.uid() + " " + e.get(Field.PROCESS_KEY)));
        assertEquals(first, second);
    }

    /**
     * Kinds: ausearch output and a partial first line (case 10), records of one event far apart (case
     * 11): separators skipped, the partial line malformed at line 1, the late records joined to their event.
     */
    @Test
    void read_ausearchLayoutPartialFirstLineAndFarApartRecords() throws IOException {
        StringBuilder log = new StringBuilder("3 a2=5 items=2 ppid=1 pid=9\n----\ntime->Tue Nov 14 22:30:00 2023\n");
        log.append(sys(1, 10, 59, "yes", 0, 200, 100, "a0=1", "/usr/bin/curl")).append('\n');
        for (int i = 0; i < 200; i++) {
            log.append(sys(100 + i, 20, 2, "yes", 3, 300, 100, "a0=1", "/usr/bin/cat")).append('\n');
            log.append("node=web-1 type=EOE msg=audit(1700000000.020:" + (100 + i) + "): \n");
        }
        log.append("----\nnode=web-1 type=EXECVE msg=audit(1700000000.010:1): argc=2 a0=\"curl\" a1=\"-s\"\n");
        Path file = Files.writeString(dir.resolve("far.log"), log);
        assertEquals(java.util.Optional.of(trailhound.telemetry.TelemetryFormat.LINUX_AUDIT), TelemetryImport.detect(file));
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, null, events::add);
        assertEquals(List.of(1L), report.firstMalformedLines());
        assertEquals(report.eventsEmitted(), report.distinctEvents(), "no event twice");
        Event curl = events.stream().filter(e -> e.uid().endsWith(":1")).findFirst().orElseThrow();
        assertEquals("process/start", kind(curl));
        assertEquals("curl -s", curl.get(Field.COMMAND_LINE), "the EXECVE 400 lines later joined its SYSCALL");
    }

    private static String sys(int serial, int millis, int syscall, String success, int exit, int pid, int ppid,
            String args, String exe) {
        return "node=web-1 type=SYSCALL msg=audit(1700000000.0" + millis + ":" + serial + "): arch=c000003e syscall="
                + syscall + " success=" + success + " exit=" + exit + " " + args + " items=1 ppid=" + ppid + " pid="
                + pid + " auid=1000 uid=1000 gid=1000 tty=pts0 ses=1 comm=\"x\" exe=\"" + exe + "\" key=(null)";
    }

    private static String kind(Event e) {
        return e.type() + "/" + e.operation();
    }

    /** DESIGN.md's auditd rules for x86_64, restated from the raw text of one group. */
    private static String expectedKind(List<String> group) {
        String syscall = group.stream().filter(l -> l.contains("type=SYSCALL ")).findFirst().orElse(null);
        if (syscall == null) {
            Matcher m = HEADER.matcher(group.getFirst());
            assertTrue(m.find());
            return "other/" + m.group(2).toLowerCase();
        }
        assertTrue(syscall.contains("arch=c000003e"), "only x86_64 syscalls in these datasets: " + syscall);
        int number = Integer.parseInt(value(syscall, "syscall"));
        boolean success = "yes".equals(value(syscall, "success"));
        boolean sockaddr = group.stream().anyMatch(l -> l.contains("type=SOCKADDR "));
        return switch (number) {
            case 59, 322 -> success ? "process/start" : "other/SYSCALL";
            case 60, 231 -> "process/end";
            case 42 -> sockaddr && (success || "-115".equals(value(syscall, "exit"))) ? "network/connect" : "other/SYSCALL";
            case 43, 288 -> sockaddr && success ? "network/accept" : "other/SYSCALL";
            case 2 -> success && (Long.parseLong(value(syscall, "a1"), 16) & 0x40) != 0 ? "file/create" : "other/SYSCALL";
            case 257 -> success && (Long.parseLong(value(syscall, "a2"), 16) & 0x40) != 0 ? "file/create" : "other/SYSCALL";
            case 85 -> success ? "file/create" : "other/SYSCALL";
            case 87, 263 -> success ? "file/delete" : "other/SYSCALL";
            case 82, 264, 316 -> success ? "file/rename" : "other/SYSCALL";
            default -> "other/SYSCALL";
        };
    }

    private static String value(String line, String key) {
        Matcher m = Pattern.compile(" " + key + "=(\\S+)").matcher(line);
        assertTrue(m.find(), key + " in " + line);
        return m.group(1);
    }
}
