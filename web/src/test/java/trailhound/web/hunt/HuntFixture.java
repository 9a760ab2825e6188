package trailhound.web.hunt;

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
 * Three endpoints besides {@link WebTestSupport#ENDPOINT}, ingested from Sysmon JSON lines: their
 * process starts fall on whole seconds of the test endpoint's first minute, so times tie across
 * endpoints. Group {@value #GROUP} holds {@code WS-FIN-*} (two of them); {@code LAB-01} and the test
 * endpoint are outside it.
 */
final class HuntFixture {
    static final List<String> FIN = List.of("WS-FIN-01", "WS-FIN-02");
    static final List<String> ALL = List.of("LAB-01", "WS-FIN-01", "WS-FIN-02", WebTestSupport.ENDPOINT);
    static final String GROUP = "fin";
    static final String PW = "a long test password";
    /** A command line a spreadsheet would run as a formula; on WS-FIN-01. */
    static final String FORMULA = "=cmd|' /C calc'!A0";

    private HuntFixture() {}

    static void addEndpoints(WebTestSupport web, Path dir) throws IOException {
        StringBuilder lines = new StringBuilder();
        int[] sizes = {20, 12, 9};
        String[] hosts = {"WS-FIN-01", "WS-FIN-02", "LAB-01"};
        for (int h = 0; h < hosts.length; h++) {
            for (int i = 0; i < sizes[h]; i++) {
                String commandLine = h == 0 && i == 1 ? FORMULA
                        : i % 5 == 0 ? "mimikatz.exe sekurlsa::logonpasswords"
                        : i % 4 == 0 ? "powershell.exe -nop -enc SQBFAFgA" : "x.exe /run " + i;
                String guid = String.format("%08d-0000-0000-0000-%012d", h, i);
                lines.append("{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"").append(hosts[h])
                        .append("\",\"UtcTime\":\"2026-11-19 00:00:").append(String.format("%02d", (i * 3) % 60)).append(".000\"")
                        .append(",\"ProcessGuid\":\"{").append(guid).append("}\",\"ProcessId\":\"").append(100 + i)
                        .append("\",\"Image\":\"C:\\\\Tools\\\\x.exe\",\"CommandLine\":")
                        .append(new com.fasterxml.jackson.databind.node.TextNode(commandLine))
                        .append(",\"User\":\"CORP\\\\ana\"}\n");
            }
        }
        Path file = Files.writeString(dir.resolve("hunt-sysmon.json"), lines);
        new Ingestor(web.data(), 1).ingest(file, null);
    }

    /** Group {@value #GROUP} and users {@code ana} (analyst), {@code rita} (read-only) in it and {@code root} (administrator). */
    static void addUsers(WebTestSupport web) {
        Access access = web.server().access();
        Caller cli = Caller.commandLine();
        access.groups().create(cli, GROUP, "name:WS-FIN-*", List.of());
        access.accounts().create(cli, "ana", Role.ANALYST, List.of(GROUP), PW, false);
        access.accounts().create(cli, "rita", Role.READ_ONLY, List.of(GROUP), PW, false);
        access.accounts().create(cli, "root", Role.ADMINISTRATOR, List.of(), PW, false);
    }

    static String token(WebTestSupport web, String user) {
        return web.server().access().tokens().create(Caller.commandLine(), user, "hunt test", 1).secret();
    }
}
