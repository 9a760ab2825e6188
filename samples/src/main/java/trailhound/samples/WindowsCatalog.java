package trailhound.samples;

import static trailhound.samples.Kind.ACCEPT;
import static trailhound.samples.Kind.CONNECT;
import static trailhound.samples.Kind.DNS;
import static trailhound.samples.Kind.DRIVER_LOAD;
import static trailhound.samples.Kind.FILE_CREATE;
import static trailhound.samples.Kind.FILE_DELETE;
import static trailhound.samples.Kind.FILE_RENAME;
import static trailhound.samples.Kind.IMAGE_LOAD;
import static trailhound.samples.Kind.LOGON;
import static trailhound.samples.Kind.REG_CREATE;
import static trailhound.samples.Kind.REG_SET;

import java.util.SplittableRandom;

/** Background programs and pools of a Windows 10/11 workstation or domain controller. */
final class WindowsCatalog {
    static final String MS_WINDOWS = "Microsoft Windows";
    static final String MS_CORP = "Microsoft Corporation";
    static final String GOOGLE = "Google LLC";
    static final String SYSTEM = "NT AUTHORITY\\SYSTEM";
    static final String NETWORK_SERVICE = "NT AUTHORITY\\NETWORK SERVICE";
    static final String LOCAL_SERVICE = "NT AUTHORITY\\LOCAL SERVICE";
    static final String S32 = "C:\\Windows\\System32\\";

    private WindowsCatalog() {}

    static Catalog build(HostSpec host, SplittableRandom rng) {
        Catalog c = new Catalog();
        String u = host.user().substring(host.user().indexOf('\\') + 1);
        String home = "C:\\Users\\" + u;
        boolean dc = host.role().equals("dc");

        // Boot programs, parents before children (spawn weight 0: running before the recorder started).
        c.add(Program.of("System").user(SYSTEM).cmd("System").acts(0, 0).mix(DRIVER_LOAD, 1, FILE_CREATE, 3, ACCEPT, dc ? 4 : 1).listen(445));
        c.add(Program.of(S32 + "smss.exe").signer(MS_WINDOWS).user(SYSTEM).parent("System").cmd("\\SystemRoot\\System32\\smss.exe").mix(FILE_CREATE, 1));
        c.add(Program.of(S32 + "csrss.exe").signer(MS_WINDOWS).user(SYSTEM).parent("smss.exe")
                .cmd("%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16")
                .mix(IMAGE_LOAD, 1));
        c.add(Program.of(S32 + "wininit.exe").signer(MS_WINDOWS).user(SYSTEM).parent("smss.exe").cmd("wininit.exe").mix(REG_SET, 1));
        c.add(Program.of(S32 + "services.exe").signer(MS_WINDOWS).user(SYSTEM).parent("wininit.exe").cmd(S32 + "services.exe")
                .mix(REG_SET, 4, REG_CREATE, 1));
        c.add(Program.of(S32 + "lsass.exe").signer(MS_WINDOWS).user(SYSTEM).parent("wininit.exe").cmd(S32 + "lsass.exe")
                .mix(LOGON, dc ? 10 : 2, REG_SET, 2, CONNECT, dc ? 2 : 1, ACCEPT, dc ? 6 : 0).listen(dc ? 88 : 0));
        c.add(Program.of(S32 + "svchost.exe").signer(MS_WINDOWS).user(SYSTEM).parent("services.exe")
                .cmd(S32 + "svchost.exe -k netsvcs -p -s Schedule").mix(REG_SET, 6, FILE_CREATE, 3, FILE_DELETE, 1, REG_CREATE, 1).files("system"));
        c.add(Program.of(S32 + "svchost.exe").signer(MS_WINDOWS).user(NETWORK_SERVICE).parent("services.exe")
                .cmd(S32 + "svchost.exe -k NetworkService -p -s Dnscache").mix(DNS, 6, CONNECT, 2));
        c.add(Program.of(S32 + "svchost.exe").signer(MS_WINDOWS).user(LOCAL_SERVICE).parent("services.exe")
                .cmd(S32 + "svchost.exe -k LocalServiceNetworkRestricted -p -s EventLog").mix(FILE_CREATE, 4, REG_SET, 1).files("system"));
        c.add(Program.of(S32 + "svchost.exe").signer(MS_WINDOWS).user(SYSTEM).parent("services.exe")
                .cmd(S32 + "svchost.exe -k netsvcs -p -s wuauserv").mix(CONNECT, 3, DNS, 1, FILE_CREATE, 4, FILE_RENAME, 1, REG_SET, 2).files("update"));
        c.add(Program.of("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25090.3009-0\\MsMpEng.exe").signer(MS_CORP).user(SYSTEM)
                .parent("services.exe").cmd("\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25090.3009-0\\MsMpEng.exe\"")
                .mix(FILE_CREATE, 4, IMAGE_LOAD, 2, CONNECT, 1, REG_SET, 2).files("defender"));
        if (dc) {
            c.add(Program.of(S32 + "dns.exe").signer(MS_WINDOWS).user(SYSTEM).parent("services.exe").cmd(S32 + "dns.exe")
                    .mix(ACCEPT, 6, CONNECT, 3, DNS, 2).listen(53));
            c.add(Program.of(S32 + "dfsrs.exe").signer(MS_WINDOWS).user(SYSTEM).parent("services.exe").cmd(S32 + "DFSRs.exe")
                    .mix(FILE_CREATE, 3, CONNECT, 1, ACCEPT, 1).files("sysvol").listen(5722));
            c.add(Program.of(S32 + "ntfrs.exe").signer(MS_WINDOWS).user(SYSTEM).parent("services.exe").cmd(S32 + "ntfrs.exe").mix(FILE_CREATE, 1).files("sysvol"));
        }
        c.add(Program.of(S32 + "winlogon.exe").signer(MS_WINDOWS).user(SYSTEM).parent("smss.exe").cmd("winlogon.exe").mix(REG_SET, 1, LOGON, 1));
        c.add(Program.of("C:\\Windows\\explorer.exe").signer(MS_WINDOWS).user(host.user()).parent("winlogon.exe").cmd("C:\\Windows\\Explorer.EXE")
                .cwd(S32).mix(REG_SET, 5, REG_CREATE, 1, FILE_CREATE, 2, IMAGE_LOAD, 3).files("user"));
        if (!dc) {
            c.add(Program.of("C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe").signer(GOOGLE).user(host.user()).parent("explorer.exe")
                    .cmd("\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\"")
                    .mix(FILE_CREATE, 6, FILE_DELETE, 3, CONNECT, 5, DNS, 4, IMAGE_LOAD, 1, REG_SET, 1).files("browser"));
            c.add(Program.of(home + "\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe").signer(MS_CORP).user(host.user()).parent("explorer.exe")
                    .cmd("\"" + home + "\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background")
                    .mix(FILE_CREATE, 3, CONNECT, 2, DNS, 1, REG_SET, 1).files("user"));
            c.add(Program.of("C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE").signer(MS_CORP).user(host.user()).parent("explorer.exe")
                    .cmd("\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" ")
                    .mix(FILE_CREATE, 4, CONNECT, 3, DNS, 2, REG_SET, 3, IMAGE_LOAD, 1).files("office"));
        }

        // Programs started over time.
        if (!dc) {
            c.add(Program.of("C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe").signer(GOOGLE).user(host.user()).parent("chrome.exe")
                    .cmd("\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --enable-features=NetworkServiceInProcess --lang=en-US --renderer-client-id=%d --mojo-platform-channel-handle=3412 /prefetch:1",
                            "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none /prefetch:8",
                            "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=gpu-process --gpu-preferences=UAAAAAAAAADgAAAYAAAAAAAAAAAAAAAAAABgAAAAAAAwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA --mojo-platform-channel-handle=1700 /prefetch:2")
                    .spawn(30).acts(10, 120).mix(FILE_CREATE, 5, FILE_DELETE, 2, IMAGE_LOAD, 6, CONNECT, 4, DNS, 3).files("browser"));
            c.add(Program.of("C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe").signer(MS_CORP).user(host.user()).parent("explorer.exe")
                    .cmd("\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument https://intranet.corp.example.com/")
                    .spawn(3).acts(20, 200).mix(FILE_CREATE, 5, IMAGE_LOAD, 6, CONNECT, 4, DNS, 3, REG_SET, 2).files("browser"));
            c.add(Program.of("C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE").signer(MS_CORP).user(host.user()).parent("explorer.exe")
                    .cmd("\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\" /dde", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\" \"" + home + "\\Documents\\Budget 2027.xlsx\"")
                    .spawn(4).acts(30, 200).mix(IMAGE_LOAD, 8, REG_SET, 6, FILE_CREATE, 3, CONNECT, 1, DNS, 1).files("office"));
            c.add(Program.of("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE").signer(MS_CORP).user(host.user()).parent("explorer.exe")
                    .cmd("\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"" + home + "\\Documents\\Minutes.docx\"")
                    .spawn(3).acts(30, 200).mix(IMAGE_LOAD, 8, REG_SET, 6, FILE_CREATE, 3, CONNECT, 1, DNS, 1).files("office"));
            c.add(Program.of(S32 + "notepad.exe").signer(MS_WINDOWS).user(host.user()).parent("explorer.exe")
                    .cmd("\"C:\\Windows\\system32\\NOTEPAD.EXE\" " + home + "\\Desktop\\notes.txt").spawn(2).acts(3, 20).mix(IMAGE_LOAD, 4, FILE_CREATE, 1).files("user"));
            c.add(Program.of("C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe").signer(GOOGLE).user(SYSTEM).parent("svchost.exe")
                    .cmd("\"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe\" /ua /installsource scheduler")
                    .spawn(3).acts(5, 30).mix(CONNECT, 3, DNS, 2, REG_SET, 3, FILE_CREATE, 2).files("update"));
            c.add(Program.of("C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe").signer(MS_CORP).user(SYSTEM).parent("svchost.exe")
                    .cmd("\"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe\" /ua /installsource scheduler")
                    .spawn(2).acts(5, 30).mix(CONNECT, 3, DNS, 2, REG_SET, 3, FILE_CREATE, 2).files("update"));
            c.add(Program.of(home + "\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe").signer(MS_CORP).user(host.user()).parent("explorer.exe")
                    .cmd("\"" + home + "\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe\" --type=renderer --autostart")
                    .spawn(2).acts(20, 200).mix(CONNECT, 4, DNS, 2, FILE_CREATE, 3, IMAGE_LOAD, 3).files("browser"));
        }
        if (host.role().equals("eng")) {
            c.add(Program.of(home + "\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe").signer(MS_CORP).user(host.user()).parent("explorer.exe")
                    .cmd("\"" + home + "\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe\" " + home + "\\src\\payments-api")
                    .spawn(4).acts(20, 150).mix(FILE_CREATE, 6, FILE_RENAME, 2, IMAGE_LOAD, 3, CONNECT, 1, DNS, 1).files("dev"));
            c.add(Program.of("C:\\Program Files\\Git\\mingw64\\bin\\git.exe").signer("Johannes Schindelin").user(host.user()).parent("Code.exe")
                    .cmd("git.exe fetch origin", "git.exe status -z -uall", "git.exe pull --rebase", "git.exe log --oneline -n 50")
                    .cwd(home + "\\src\\payments-api\\").spawn(8).acts(2, 12).mix(FILE_CREATE, 3, IMAGE_LOAD, 2, CONNECT, 1, DNS, 1).files("dev"));
            c.add(Program.of("C:\\Program Files\\nodejs\\node.exe").signer("OpenJS Foundation").user(host.user()).parent("Code.exe")
                    .cmd("\"C:\\Program Files\\nodejs\\node.exe\" node_modules\\jest\\bin\\jest.js --watch", "\"C:\\Program Files\\nodejs\\node.exe\" npm-cli.js install")
                    .cwd(home + "\\src\\payments-api\\").spawn(3).acts(20, 150).mix(FILE_CREATE, 6, FILE_DELETE, 3, CONNECT, 1, DNS, 1).files("dev"));
        }
        c.add(Program.of(S32 + "cmd.exe").signer(MS_WINDOWS).user(dc ? host.user() : host.user()).parent("explorer.exe")
                .cmd("\"C:\\Windows\\system32\\cmd.exe\" ", "C:\\Windows\\system32\\cmd.exe /c ipconfig /all")
                .cwd(home + "\\").spawn(1).acts(2, 10).mix(IMAGE_LOAD, 2, FILE_CREATE, 1).files("user"));
        c.add(Program.of(S32 + "conhost.exe").signer(MS_WINDOWS).user(host.user()).parent("cmd.exe")
                .cmd("\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1").spawn(1).acts(1, 4).mix(IMAGE_LOAD, 1));
        c.add(Program.of(S32 + "WindowsPowerShell\\v1.0\\powershell.exe").signer(MS_WINDOWS).user(SYSTEM).parent("svchost.exe")
                .cmd("powershell.exe -ExecutionPolicy Bypass -NoProfile -File C:\\ProgramData\\IT\\inventory.ps1",
                        "powershell.exe -NoProfile -Command \"Get-WindowsUpdateLog -LogPath C:\\Windows\\Temp\\wu.log\"")
                .spawn(1).acts(10, 60).mix(IMAGE_LOAD, 6, FILE_CREATE, 2, REG_SET, 1, CONNECT, 1, DNS, 1).files("system"));
        c.add(Program.of(S32 + "taskhostw.exe").signer(MS_WINDOWS).user(host.user()).parent("svchost.exe")
                .cmd("taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}", "taskhostw.exe Install $(Arg0)").spawn(6).acts(3, 20)
                .mix(IMAGE_LOAD, 3, REG_SET, 2, FILE_CREATE, 1).files("system"));
        c.add(Program.of(S32 + "backgroundTaskHost.exe").signer(MS_WINDOWS).user(host.user()).parent("svchost.exe")
                .cmd("\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:BackgroundTaskHost.WebAccountBackgroundManagerTask")
                .spawn(5).acts(3, 15).mix(IMAGE_LOAD, 4, REG_SET, 2, CONNECT, 1, DNS, 1).files("system"));
        c.add(Program.of(S32 + "SearchProtocolHost.exe").signer(MS_WINDOWS).user(SYSTEM).parent("svchost.exe")
                .cmd("\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe1_ Global\\UsGthrCtrlFltPipeMssGthrPipe1 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\"")
                .spawn(5).acts(5, 40).mix(IMAGE_LOAD, 3, FILE_CREATE, 2, REG_SET, 1).files("system"));
        c.add(Program.of(S32 + "wbem\\WmiPrvSE.exe").signer(MS_WINDOWS).user(NETWORK_SERVICE).parent("svchost.exe")
                .cmd("C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding")
                .spawn(4).acts(5, 30).mix(IMAGE_LOAD, 5, REG_SET, 2).files("system"));
        c.add(Program.of(S32 + "dllhost.exe").signer(MS_WINDOWS).user(host.user()).parent("svchost.exe")
                .cmd("C:\\Windows\\system32\\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}", "C:\\Windows\\system32\\DllHost.exe /Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}")
                .spawn(4).acts(3, 20).mix(IMAGE_LOAD, 5, REG_SET, 2, FILE_CREATE, 1).files("user"));
        c.add(Program.of(S32 + "rundll32.exe").signer(MS_WINDOWS).user(host.user()).parent("svchost.exe")
                .cmd("C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\inetcpl.cpl,ClearMyTracksByProcess Flags:65800 WinX:0 WinY:0 IEFrame:0000000000000000",
                        "C:\\Windows\\System32\\rundll32.exe shell32.dll,SHCreateLocalServerRunDll {9aa46009-3ce0-458a-a354-715610a075e6} -Embedding")
                .spawn(1).acts(3, 15).mix(IMAGE_LOAD, 4, REG_SET, 1));
        c.add(Program.of("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25090.3009-0\\MpCmdRun.exe").signer(MS_CORP).user(SYSTEM).parent("MsMpEng.exe")
                .cmd("\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25090.3009-0\\MpCmdRun.exe\" SignatureUpdate -ScheduleJob -RestrictPrivileges",
                        "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25090.3009-0\\MpCmdRun.exe\" -wdenable")
                .spawn(2).acts(5, 30).mix(CONNECT, 2, DNS, 1, FILE_CREATE, 3, IMAGE_LOAD, 2).files("defender"));
        c.add(Program.of(S32 + "wuauclt.exe").signer(MS_WINDOWS).user(SYSTEM).parent("svchost.exe")
                .cmd("\"C:\\Windows\\system32\\wuauclt.exe\" /RunHandlerComServer").spawn(1).acts(5, 30).mix(CONNECT, 2, DNS, 1, FILE_CREATE, 3, IMAGE_LOAD, 2).files("update"));
        c.add(Program.of("C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.5189_none_7e7a2bcb9ed8d76e\\TiWorker.exe")
                .signer(MS_WINDOWS).user(SYSTEM).parent("svchost.exe").cmd("C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.5189_none_7e7a2bcb9ed8d76e\\TiWorker.exe -Embedding")
                .spawn(1).acts(50, 400).mix(FILE_CREATE, 5, FILE_RENAME, 2, FILE_DELETE, 2, REG_SET, 6, REG_CREATE, 2, IMAGE_LOAD, 2).files("update"));
        if (dc) {
            c.add(Program.of(S32 + "gpupdate.exe").signer(MS_WINDOWS).user(SYSTEM).parent("svchost.exe").cmd("gpupdate.exe /target:computer")
                    .spawn(2).acts(3, 15).mix(REG_SET, 4, FILE_CREATE, 1, IMAGE_LOAD, 2).files("sysvol"));
            c.add(Program.of(S32 + "repadmin.exe").signer(MS_WINDOWS).user(host.user()).parent("cmd.exe").cmd("repadmin /replsummary", "repadmin /showrepl")
                    .spawn(1).acts(3, 10).mix(CONNECT, 2, IMAGE_LOAD, 2));
        }

        // Pools.
        c.pool("browser", rng, 3000,
                home + "\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_%h",
                home + "\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Code Cache\\js\\%h_0",
                home + "\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\IndexedDB\\https_outlook.office.com_0.indexeddb.leveldb\\%H.log",
                home + "\\AppData\\Local\\Microsoft\\Edge\\User Data\\Default\\Cache\\Cache_Data\\f_%h",
                home + "\\Downloads\\report-%d.pdf",
                home + "\\AppData\\Local\\Temp\\chrome_BITS_%H_%h\\download.crdownload");
        c.pool("office", rng, 800,
                home + "\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.MSO\\%h.tmp",
                home + "\\AppData\\Roaming\\Microsoft\\Office\\Recent\\Budget 2027.LNK",
                home + "\\Documents\\Q%d forecast.xlsx",
                home + "\\Documents\\~$Minutes %d.docx",
                home + "\\AppData\\Local\\Microsoft\\Outlook\\" + u + "@corp.example.com.ost",
                home + "\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\%h\\invoice-%d.pdf");
        c.pool("user", rng, 600,
                home + "\\AppData\\Local\\Temp\\~DF%H.tmp",
                home + "\\Desktop\\notes-%d.txt",
                home + "\\AppData\\Roaming\\Microsoft\\Windows\\Recent\\%h.lnk",
                home + "\\OneDrive - Corp\\Shared\\Finance\\statement-%d.xlsx",
                home + "\\AppData\\Local\\Microsoft\\OneDrive\\logs\\Business1\\SyncDiagnostics-%d.log");
        c.pool("system", rng, 800,
                "C:\\Windows\\Temp\\%h.tmp",
                "C:\\Windows\\Prefetch\\SVCHOST.EXE-%h.pf",
                "C:\\Windows\\System32\\winevt\\Logs\\Microsoft-Windows-TaskScheduler%4Operational.evtx",
                "C:\\Windows\\ServiceProfiles\\LocalService\\AppData\\Local\\Temp\\%h.tmp",
                "C:\\ProgramData\\Microsoft\\Search\\Data\\Applications\\Windows\\Windows.edb",
                "C:\\Windows\\System32\\Tasks\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan Static Task",
                "C:\\ProgramData\\IT\\inventory-%d.csv");
        c.pool("update", rng, 800,
                "C:\\Windows\\SoftwareDistribution\\Download\\%h%h\\Windows10.0-KB50%d-x64.cab",
                "C:\\Windows\\SoftwareDistribution\\DataStore\\Logs\\edb%H.log",
                "C:\\Program Files (x86)\\Google\\Update\\Download\\{8A69D345-D564-463C-AFF1-A69D9E530F96}\\131.0.6778.%d\\chrome_installer.exe",
                "C:\\Windows\\Logs\\CBS\\CBS.log",
                "C:\\Windows\\WinSxS\\Temp\\InFlight\\%h\\amd64_microsoft-windows-%h.manifest");
        c.pool("defender", rng, 500,
                "C:\\ProgramData\\Microsoft\\Windows Defender\\Scans\\History\\Service\\DetectionHistory\\%H\\%h",
                "C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\{%h-%H-%H}\\mpavbase.vdm",
                "C:\\ProgramData\\Microsoft\\Windows Defender\\Support\\MPLog-%h.log");
        c.pool("dev", rng, 1500,
                home + "\\src\\payments-api\\src\\main\\java\\com\\corp\\payments\\Ledger%d.java",
                home + "\\src\\payments-api\\node_modules\\.cache\\jest\\jest-transform-cache-%h\\%h",
                home + "\\src\\payments-api\\.git\\objects\\%H\\%h%h",
                home + "\\src\\payments-api\\build\\classes\\Ledger%d.class");
        c.pool("sysvol", rng, 300,
                "C:\\Windows\\SYSVOL\\domain\\Policies\\{31B2F340-016D-11D2-945F-00C04FB984F9}\\MACHINE\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf",
                "C:\\Windows\\SYSVOL\\domain\\Policies\\{%h-%H-%H-%H-%h%H}\\GPT.INI",
                "C:\\Windows\\NTDS\\edb%H.log",
                "C:\\Windows\\debug\\netlogon.log");
        for (String dll : new String[] {"ntdll.dll", "kernel32.dll", "KernelBase.dll", "user32.dll", "advapi32.dll", "msvcrt.dll", "sechost.dll",
                "rpcrt4.dll", "combase.dll", "ole32.dll", "oleaut32.dll", "shell32.dll", "shlwapi.dll", "ws2_32.dll", "crypt32.dll", "bcrypt.dll",
                "ncrypt.dll", "wintrust.dll", "winhttp.dll", "wininet.dll", "dnsapi.dll", "iphlpapi.dll", "uxtheme.dll", "dwmapi.dll", "gdi32.dll",
                "imm32.dll", "version.dll", "profapi.dll", "windows.storage.dll", "propsys.dll", "cfgmgr32.dll", "SspiCli.dll", "clbcatq.dll",
                "mswsock.dll", "amsi.dll", "wldp.dll", "cryptsp.dll", "rsaenh.dll", "userenv.dll", "netapi32.dll"}) {
            c.dlls.add(S32 + dll);
        }
        c.dlls.add("C:\\Program Files\\Microsoft Office\\root\\Office16\\mso20win32client.dll");
        c.dlls.add("C:\\Program Files\\Google\\Chrome\\Application\\131.0.6778.86\\chrome_elf.dll");
        c.dlls.add("C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clr.dll");
        c.dlls.add("C:\\Windows\\WinSxS\\amd64_microsoft.windows.common-controls_6595b64144ccf1df_6.0.19041.4355_none_60b8b9eb71f62e16\\comctl32.dll");
        for (String sys : new String[] {"drivers\\tcpip.sys", "drivers\\WdFilter.sys", "drivers\\ndis.sys", "drivers\\usbhub3.sys", "drivers\\iaStorAC.sys",
                "drivers\\e1d68x64.sys", "drivers\\NETIO.SYS", "drivers\\intelppm.sys", "drivers\\nvlddmkm.sys", "drivers\\HidUsb.sys"}) {
            c.drivers.add(S32 + sys);
        }
        String[][] reg = {
            {"HKLM\\SYSTEM\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\S-1-5-21-3623811015-3361044348-30300820-1013\\\\Device\\HarddiskVolume3\\Windows\\explorer.exe", "(Default)", "Binary Data"},
            {"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WINEVT\\Publishers\\{5770385f-c22a-43e0-bf4c-06f5698ffbd9}", "Enabled", "DWORD (0x00000001)"},
            {"HKU\\S-1-5-21-3623811015-3361044348-30300820-1013\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.xlsx", "MRUListEx", "Binary Data"},
            {"HKU\\S-1-5-21-3623811015-3361044348-30300820-1013\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\UserAssist\\{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}\\Count", "HRZR_PGYFRFFVBA", "Binary Data"},
            {"HKU\\S-1-5-21-3623811015-3361044348-30300820-1013\\Software\\Microsoft\\Office\\16.0\\Excel\\Resiliency\\DocumentRecovery", "9E1F4C2A", "Binary Data"},
            {"HKU\\S-1-5-21-3623811015-3361044348-30300820-1013\\Software\\Microsoft\\Office\\16.0\\Common\\Internet\\Server Cache", "https://corp.sharepoint.com/", "Binary Data"},
            {"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\Results\\Detect", "LastSuccessTime", "2026-11-15 03:12:44"},
            {"HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates", "SignaturesLastUpdated", "Binary Data"},
            {"HKLM\\SOFTWARE\\WOW6432Node\\Google\\Update\\ClientState\\{8A69D345-D564-463C-AFF1-A69D9E530F96}", "LastCheckSuccess", "DWORD (0x6734ab1c)"},
            {"HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\{4d36e972-e325-11ce-bfc1-08002be10318}", "DhcpIPAddress", host.ip()},
            {"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan", "Index", "DWORD (0x00000003)"},
            {"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management\\PrefetchParameters", "BootId", "DWORD (0x000000a1)"},
            {"HKU\\S-1-5-21-3623811015-3361044348-30300820-1013\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\ZoneMap", "ProxyBypass", "DWORD (0x00000001)"},
            {"HKLM\\SOFTWARE\\Microsoft\\Windows Search\\Gather\\Windows\\SystemIndex", "StartCrawl", "DWORD (0x00000000)"},
        };
        for (String[] r : reg) {
            c.registry.add(r);
        }
        c.commonDomains(rng);
        c.domain("login.microsoftonline.com", Catalog.address(rng, "20.190"));
        c.domain("outlook.office365.com", Catalog.address(rng, "52.96"));
        c.domain("corp.sharepoint.com", Catalog.address(rng, "13.107"));
        c.domain("settings-win.data.microsoft.com", Catalog.address(rng, "20.42"));
        c.domain("v10.events.data.microsoft.com", Catalog.address(rng, "20.189"));
        c.domain("ctldl.windowsupdate.com", Catalog.address(rng, "93.184"));
        c.domain("fe3cr.delivery.mp.microsoft.com", Catalog.address(rng, "20.72"));
        c.domain("wdcp.microsoft.com", Catalog.address(rng, "40.126"));
        c.domain("update.googleapis.com", Catalog.address(rng, "142.250"));
        c.domain("teams.microsoft.com", Catalog.address(rng, "52.113"));
        c.domain("dc-01.corp.example.com", "10.10.0.10");
        c.domain("fs-01.corp.example.com", "10.10.0.20");
        c.domain("intranet.corp.example.com", "10.10.0.30");
        for (int i = 0; i < 40; i++) {
            c.clientIps.add("10.10." + (1 + rng.nextInt(3)) + "." + (10 + rng.nextInt(200)));
        }
        String[] users = {"CORP\\mgarcia", "CORP\\tnguyen", "CORP\\lchen", "CORP\\svc_backup", "CORP\\administrator", host.user()};
        for (int i = 0; i < 30; i++) {
            String type = new String[] {"2", "3", "3", "3", "5", "7", "10"}[rng.nextInt(7)];
            String src = type.equals("2") || type.equals("5") || type.equals("7") ? "127.0.0.1" : c.clientIps.get(rng.nextInt(c.clientIps.size()));
            c.logons.add(new String[] {type, type.equals("5") ? SYSTEM : users[rng.nextInt(users.length)], src});
        }
        return c;
    }
}
