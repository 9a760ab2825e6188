package trailhound.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code intel.csv} ({@code hash,verdict,source,date}): the stories' tools are malicious,
 * dual-use tools suspicious, common system binaries non-malicious; some hashes are rated by
 * several sources so a reputation page has more than one rating to show. Hashes are the ones the
 * generator gives the same paths ({@link Hashes}).
 */
final class Intel {
    private static final String LOCAL = "Local intel";
    private static final String PARTNER = "Partner feed";
    private static final String COMMUNITY = "Community feed";

    private final List<String> lines = new ArrayList<>();

    private Intel() {}

    static void write(Path file, String windowsUser, String macUser) throws IOException {
        Intel intel = new Intel();
        String winHome = "C:\\Users\\" + windowsUser.substring(windowsUser.indexOf('\\') + 1);
        String dll = winHome + Stories.WIN_DROPPED_DLL;
        intel.rate(Hashes.of(dll).sha256(), "malicious", LOCAL, "2026-11-18");
        intel.rate(Hashes.of(dll).sha256(), "malicious", PARTNER, "2026-11-17");
        intel.rate(Hashes.of(Stories.WIN_DUMPER).sha256(), "malicious", LOCAL, "2026-11-18");
        intel.rate(Hashes.of(Stories.WIN_DUMPER).sha256(), "malicious", PARTNER, "2026-10-02");
        intel.rate(Hashes.of(Stories.WIN_DUMPER).md5(), "malicious", COMMUNITY, "2026-09-21");
        intel.rate(Hashes.of(Stories.LINUX_PAYLOAD).sha256(), "malicious", LOCAL, "2026-11-18");
        intel.rate(Hashes.of(Stories.LINUX_PAYLOAD).sha256(), "malicious", COMMUNITY, "2026-11-05");
        intel.rate(Hashes.of(Stories.MAC_UPDATER).sha256(), "malicious", PARTNER, "2026-11-12");
        intel.rate(Hashes.of(Stories.MAC_UPDATER).sha256(), "malicious", LOCAL, "2026-11-19");
        intel.rate(Hashes.of("/Users/" + macUser + Stories.MAC_AGENT).sha256(), "malicious", LOCAL, "2026-11-19");

        intel.rate(Hashes.of(Stories.PSEXEC).sha256(), "suspicious", LOCAL, "2026-11-18");
        intel.rate(Hashes.of(Stories.PSEXEC).sha256(), "non-malicious", COMMUNITY, "2026-06-30");
        intel.rate(Hashes.of(Stories.PSEXESVC).sha256(), "suspicious", LOCAL, "2026-11-18");
        intel.rate(Hashes.of(Stories.LINUX_PAYLOAD_SCRIPT).sha256(), "suspicious", PARTNER, "2026-11-16");

        String s32 = WindowsCatalog.S32;
        String[] clean = {
            s32 + "svchost.exe", s32 + "lsass.exe", s32 + "services.exe", s32 + "csrss.exe", s32 + "winlogon.exe",
            "C:\\Windows\\explorer.exe", s32 + "cmd.exe", s32 + "rundll32.exe", s32 + "WindowsPowerShell\\v1.0\\powershell.exe",
            s32 + "taskhostw.exe", s32 + "conhost.exe", s32 + "dllhost.exe", s32 + "whoami.exe",
            "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
            "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
            "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
            "/usr/lib/systemd/systemd", "/usr/bin/bash", "/usr/bin/dash", "/usr/bin/curl", "/usr/sbin/nginx", "/usr/sbin/php-fpm8.3",
            "/usr/sbin/sshd", "/usr/bin/sudo", "/sbin/launchd", "/Applications/Safari.app/Contents/MacOS/Safari", "/usr/bin/osascript",
            "/bin/zsh"
        };
        for (String path : clean) {
            intel.rate(Hashes.of(path).sha256(), "non-malicious", PARTNER, "2026-08-01");
        }
        intel.rate(Hashes.of(s32 + "rundll32.exe").sha256(), "non-malicious", COMMUNITY, "2026-07-14");
        intel.rate(Hashes.of(s32 + "WindowsPowerShell\\v1.0\\powershell.exe").sha256(), "non-malicious", COMMUNITY, "2026-07-14");
        Files.write(file, intel.lines, StandardCharsets.UTF_8);
    }

    private void rate(String hash, String verdict, String source, String date) {
        if (lines.isEmpty()) {
            lines.add("hash,verdict,source,date");
        }
        lines.add(hash + "," + verdict + "," + source + "," + date);
    }
}
