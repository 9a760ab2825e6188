package trailhound.samples;

import static trailhound.samples.Kind.CONNECT;
import static trailhound.samples.Kind.DNS;
import static trailhound.samples.Kind.DRIVER_LOAD;
import static trailhound.samples.Kind.FILE_CREATE;
import static trailhound.samples.Kind.FILE_DELETE;
import static trailhound.samples.Kind.FILE_RENAME;
import static trailhound.samples.Kind.IMAGE_LOAD;
import static trailhound.samples.Kind.LOGON;

import java.util.SplittableRandom;

/** Background programs and pools of a macOS laptop. */
final class MacCatalog {
    static final String APPLE = "Apple Inc.";
    static final String GOOGLE = "Developer ID Application: Google LLC (EQHXZ8M8AV)";

    private MacCatalog() {}

    static Catalog build(HostSpec host, SplittableRandom rng) {
        Catalog c = new Catalog();
        String u = host.user();
        String home = "/Users/" + u;

        c.add(Program.of("/sbin/launchd").signer(APPLE).user("root").cmd("/sbin/launchd").cwd("/").mix(FILE_CREATE, 1, DRIVER_LOAD, 1).files("system"));
        c.add(Program.of("/usr/libexec/logd").signer(APPLE).user("root").parent("launchd").cmd("/usr/libexec/logd").cwd("/").mix(FILE_CREATE, 5).files("system"));
        c.add(Program.of("/System/Library/Frameworks/CoreServices.framework/Versions/A/Frameworks/Metadata.framework/Versions/A/Support/mds")
                .signer(APPLE).user("root").parent("launchd").cmd("/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Support/mds")
                .cwd("/").mix(FILE_CREATE, 4, FILE_DELETE, 1).files("spotlight"));
        c.add(Program.of("/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow").signer(APPLE).user(u).parent("launchd")
                .cmd("/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow console").cwd("/").mix(LOGON, 1, FILE_CREATE, 1).files("user"));
        c.add(Program.of("/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder").signer(APPLE).user(u).parent("launchd")
                .cmd("/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder").cwd("/").mix(FILE_CREATE, 3, FILE_RENAME, 1, IMAGE_LOAD, 1).files("user"));
        c.add(Program.of("/usr/libexec/trustd").signer(APPLE).user("root").parent("launchd").cmd("/usr/libexec/trustd").cwd("/").mix(CONNECT, 2, DNS, 2, FILE_CREATE, 1).files("system"));
        c.add(Program.of("/System/Library/PrivateFrameworks/SoftwareUpdate.framework/Versions/A/Resources/softwareupdated").signer(APPLE).user("root").parent("launchd")
                .cmd("/System/Library/PrivateFrameworks/SoftwareUpdate.framework/Resources/softwareupdated").cwd("/").mix(CONNECT, 2, DNS, 1, FILE_CREATE, 1).files("system"));
        c.add(Program.of("/Applications/Safari.app/Contents/MacOS/Safari").signer(APPLE).user(u).parent("launchd")
                .cmd("/Applications/Safari.app/Contents/MacOS/Safari").cwd("/").mix(FILE_CREATE, 4, FILE_DELETE, 2, CONNECT, 4, DNS, 3, IMAGE_LOAD, 1).files("browser"));
        c.add(Program.of("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome").signer(GOOGLE).user(u).parent("launchd")
                .cmd("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome").cwd("/").mix(FILE_CREATE, 4, FILE_DELETE, 2, CONNECT, 4, DNS, 3).files("browser"));
        c.add(Program.of("/Applications/Slack.app/Contents/MacOS/Slack").signer("Developer ID Application: Slack Technologies, Inc. (BQR82RBBHL)").user(u).parent("launchd")
                .cmd("/Applications/Slack.app/Contents/MacOS/Slack").cwd("/").mix(CONNECT, 4, DNS, 2, FILE_CREATE, 2).files("user"));

        c.add(Program.of("/System/Library/Frameworks/CoreServices.framework/Versions/A/Frameworks/Metadata.framework/Versions/A/Support/mdworker_shared")
                .signer(APPLE).user(u).parent("launchd").cmd("/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Versions/A/Support/mdworker_shared -s mdworker -c MDSImporterWorker -m com.apple.mdworker.shared")
                .cwd("/").spawn(12).acts(3, 30).mix(FILE_CREATE, 2, IMAGE_LOAD, 2).files("spotlight"));
        c.add(Program.of("/usr/libexec/xpcproxy").signer(APPLE).user("root").parent("launchd").cmd("xpcproxy com.apple.mdworker.shared.0B000000-0000-0000-0000-000000000000")
                .cwd("/").spawn(6).acts(0, 2).mix(IMAGE_LOAD, 1));
        c.add(Program.of("/Applications/Google Chrome.app/Contents/Frameworks/Google Chrome Framework.framework/Versions/131.0.6778.86/Helpers/Google Chrome Helper (Renderer).app/Contents/MacOS/Google Chrome Helper (Renderer)")
                .signer(GOOGLE).user(u).parent("Google Chrome")
                .cmd("\"/Applications/Google Chrome.app/Contents/Frameworks/Google Chrome Framework.framework/Versions/131.0.6778.86/Helpers/Google Chrome Helper (Renderer).app/Contents/MacOS/Google Chrome Helper (Renderer)\" --type=renderer --lang=en-US --num-raster-threads=4 --enable-zero-copy")
                .cwd("/").spawn(12).acts(10, 100).mix(FILE_CREATE, 4, CONNECT, 3, DNS, 2, IMAGE_LOAD, 2).files("browser"));
        c.add(Program.of("/Applications/Figma.app/Contents/MacOS/Figma").signer("Developer ID Application: Figma, Inc. (T8RA8NE3B7)").user(u).parent("launchd")
                .cmd("/Applications/Figma.app/Contents/MacOS/Figma").cwd("/").spawn(2).acts(20, 200).mix(CONNECT, 3, DNS, 2, FILE_CREATE, 4).files("design"));
        c.add(Program.of("/Applications/Adobe Photoshop 2026/Adobe Photoshop 2026.app/Contents/MacOS/Adobe Photoshop 2026")
                .signer("Developer ID Application: Adobe Inc. (JQ525L2MZD)").user(u).parent("launchd")
                .cmd("\"/Applications/Adobe Photoshop 2026/Adobe Photoshop 2026.app/Contents/MacOS/Adobe Photoshop 2026\"")
                .cwd("/").spawn(1).acts(30, 300).mix(FILE_CREATE, 5, FILE_RENAME, 1, IMAGE_LOAD, 3, CONNECT, 1, DNS, 1).files("design"));
        c.add(Program.of("/System/Applications/Utilities/Terminal.app/Contents/MacOS/Terminal").signer(APPLE).user(u).parent("launchd")
                .cmd("/System/Applications/Utilities/Terminal.app/Contents/MacOS/Terminal").cwd("/").spawn(1).acts(2, 10).mix(FILE_CREATE, 1).files("user"));
        c.add(Program.of("/bin/zsh").signer(APPLE).user(u).parent("Terminal").cmd("-zsh").cwd(home).spawn(1).acts(1, 8).mix(FILE_CREATE, 1).files("user"));
        c.add(Program.of("/usr/bin/git").signer(APPLE).user(u).parent("zsh").cmd("git pull", "git status").cwd(home + "/Projects/brand-2027")
                .spawn(1).acts(2, 10).mix(FILE_CREATE, 2, CONNECT, 1, DNS, 1).files("design"));
        c.add(Program.of("/usr/sbin/softwareupdate").signer(APPLE).user("root").parent("launchd").cmd("/usr/sbin/softwareupdate --background")
                .cwd("/").spawn(1).acts(3, 12).mix(CONNECT, 2, DNS, 1, FILE_CREATE, 1).files("system"));
        c.add(Program.of("/Library/Apple/System/Library/CoreServices/XProtect.app/Contents/MacOS/XProtect").signer(APPLE).user("root").parent("launchd")
                .cmd("/Library/Apple/System/Library/CoreServices/XProtect.app/Contents/MacOS/XProtect").cwd("/").spawn(2).acts(3, 20).mix(FILE_CREATE, 1, IMAGE_LOAD, 1).files("system"));

        c.pool("browser", rng, 2000, home + "/Library/Caches/com.apple.Safari/WebKitCache/Version 16/Records/%h%h/Resource/%h%h",
                home + "/Library/Application Support/Google/Chrome/Default/Cache/Cache_Data/f_%h",
                home + "/Library/Application Support/Google/Chrome/Default/Code Cache/js/%h_0", home + "/Downloads/moodboard-%d.pdf");
        c.pool("user", rng, 500, home + "/Library/Preferences/com.apple.finder.plist", home + "/Desktop/Screenshot 2026-11-1%d at 10.%d.22.png",
                home + "/Library/Application Support/Slack/IndexedDB/https_app.slack.com_0.indexeddb.leveldb/%H.log", home + "/.zsh_history");
        c.pool("design", rng, 1000, home + "/Projects/brand-2027/exports/hero-%d@2x.png", home + "/Projects/brand-2027/brand-guide-v%d.psd",
                home + "/Library/Application Support/Figma/DesktopProfile/v%d/IndexedDB/%h.ldb", home + "/Projects/brand-2027/.git/objects/%H/%h%h");
        c.pool("spotlight", rng, 600, "/System/Volumes/Data/.Spotlight-V100/Store-V2/%h-%H-%H/journalAttr.%d", "/private/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T/mds/%h");
        c.pool("system", rng, 400, "/private/var/db/diagnostics/Persist/0000000000000%H.tracev3", "/private/var/db/uuidtext/%H/%h%h",
                "/Library/Updates/%h/InstallAssistant.pkg", "/private/var/log/install.log");
        c.dlls.add("/usr/lib/libobjc.A.dylib");
        c.dlls.add("/System/Library/Frameworks/Security.framework/Versions/A/Security");
        c.dlls.add("/System/Library/Frameworks/AppKit.framework/Versions/C/AppKit");
        c.dlls.add("/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation");
        c.dlls.add("/usr/lib/libSystem.B.dylib");
        c.drivers.add("/Library/SystemExtensions/6B2A31E4-6E2B-4A3A-9F51-0C6D8D3E2C11/com.crowdstrike.falcon.Agent.systemextension");
        c.drivers.add("/System/Library/Extensions/AppleUSBAudio.kext");
        c.drivers.add("/System/Library/Extensions/IOUSBMassStorageDriver.kext");
        c.commonDomains(rng);
        c.domain("gateway.icloud.com", Catalog.address(rng, "17.248"));
        c.domain("swscan.apple.com", Catalog.address(rng, "17.253"));
        c.domain("ocsp.apple.com", Catalog.address(rng, "17.253"));
        c.domain("www.figma.com", Catalog.address(rng, "18.160"));
        c.domain("cc-api-data.adobe.io", Catalog.address(rng, "52.5"));
        c.logons.add(new String[] {"console", u, "127.0.0.1"});
        c.logons.add(new String[] {"screensharing", u, "10.10.1.5"});
        return c;
    }
}
