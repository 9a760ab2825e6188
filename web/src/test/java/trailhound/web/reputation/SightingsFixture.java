package trailhound.web.reputation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.ingest.Ingestor;
import trailhound.web.WebTestSupport;

/**
 * svcmon.exe (MD5 {@value #MD5}, SHA-256 {@value #SHA256}; the intel file calls the MD5 malicious and
 * does not know the SHA-256) on three endpoints, ingested from Sysmon JSON lines:
 * <ul>
 *   <li>WS-FIN-01: three process starts at 00:00:10, :20 and :30 (2026-11-19, UTC), and the first of
 *       them loading svcmon.dll (same hashes) at 00:01:00; a notepad.exe start with other hashes;
 *   <li>WS-FIN-02: one start at 00:05:00;
 *   <li>LAB-01: {@value #LAB_STARTS} starts from 00:09:00, one a second: more processes than the
 *       report lists.
 * </ul>
 * Group {@value #GROUP} holds {@code WS-FIN-*}; analyst {@code ana} is in it, {@code root} is an administrator.
 */
final class SightingsFixture {
    static final String MD5 = "5f4dcc3b5aa765d61d8327deb882cf99";
    static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String OTHER_SHA256 = "84b484fd3636f2ca3e468d2821d97aacde8a143a2724a3ae65f48a33ca2fd258";
    static final String GROUP = "fin";
    static final String PW = "a long test password";
    static final int LAB_STARTS = Sightings.MAX_PROCESSES + 1;
    /** The process key of WS-FIN-01's first svcmon.exe (Sysmon's ProcessGuid, lower case, no braces). */
    static final String FIN1_FIRST = "00000001-0000-0000-0000-000000000000";

    private SightingsFixture() {}

    static void write(WebTestSupport web, Path dir) throws IOException {
        Files.writeString(web.data().root().resolve(ReputationService.INTEL_FILE), """
                hash,verdict,source,date
                %s,malicious,abuse.ch,2026-10-01
                """.formatted(MD5));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3; i++) start(lines, "WS-FIN-01", 1, i, "00:00:" + (10 + 10 * i), "C:\\Tools\\svcmon.exe", MD5, SHA256);
        start(lines, "WS-FIN-01", 1, 9, "00:00:40", "C:\\Windows\\notepad.exe", null, OTHER_SHA256);
        lines.append("{\"EventID\":7,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"WS-FIN-01\"")
                .append(",\"UtcTime\":\"2026-11-19 00:01:00.000\",\"ProcessGuid\":\"{").append(FIN1_FIRST).append("}\"")
                .append(",\"ProcessId\":\"100\",\"Image\":\"C:\\\\Tools\\\\svcmon.exe\",\"ImageLoaded\":\"C:\\\\Tools\\\\svcmon.dll\"")
                .append(",\"Hashes\":\"MD5=").append(MD5.toUpperCase()).append(",SHA256=").append(SHA256.toUpperCase()).append("\"}\n");
        start(lines, "WS-FIN-02", 2, 0, "00:05:00", "C:\\Tools\\svcmon.exe", MD5, SHA256);
        for (int i = 0; i < LAB_STARTS; i++) {
            start(lines, "LAB-01", 3, i, String.format("%02d:%02d", 9 + i / 60, i % 60), "C:\\Tools\\svcmon.exe", MD5, SHA256);
        }
        Path file = Files.writeString(dir.resolve("sightings-sysmon.json"), lines);
        new Ingestor(web.data(), 1).ingest(file, null);
    }

    /** A Sysmon process start; {@code time} is mm:ss (or hh:mm:ss) after 2026-11-19T00:00Z. */
    private static void start(StringBuilder lines, String host, int h, int i, String time, String image, String md5, String sha256) {
        String utc = "2026-11-19 " + (time.length() == 5 ? "00:" + time : time) + ".000";
        lines.append("{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"").append(host)
                .append("\",\"UtcTime\":\"").append(utc).append("\"")
                .append(",\"ProcessGuid\":\"{").append(key(h, i)).append("}\",\"ProcessId\":\"").append(100 + i)
                .append("\",\"Image\":\"").append(image.replace("\\", "\\\\")).append("\",\"CommandLine\":\"x\"")
                .append(",\"User\":\"CORP\\\\ana\",\"Hashes\":\"").append(md5 == null ? "" : "MD5=" + md5 + ",")
                .append("SHA256=").append(sha256).append("\"}\n");
    }

    static String key(int h, int i) {
        return String.format("%08d-0000-0000-0000-%012d", h, i);
    }

    static void addUsers(WebTestSupport web) {
        Access access = web.server().access();
        Caller cli = Caller.commandLine();
        access.groups().create(cli, GROUP, "name:WS-FIN-*", List.of());
        access.accounts().create(cli, "ana", Role.ANALYST, List.of(GROUP), PW, false);
        access.accounts().create(cli, "root", Role.ADMINISTRATOR, List.of(), PW, false);
    }

    static String token(WebTestSupport web, String user) {
        return web.server().access().tokens().create(Caller.commandLine(), user, "reputation test", 1).secret();
    }
}
