package trailhound.web.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's 7-Zip (package {@code 7zip}), to open the encrypted ZIPs as an analyst would. A test that needs
 * it is skipped, saying why, where it is not installed.
 */
public final class SevenZip {
    private SevenZip() {}

    public static String command() {
        for (String name : List.of("7z", "7zz")) {
            for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
                if (Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
            }
        }
        // as browser tests are without Chromium: a user's fresh clone may lack it; .ci/run installs it
        return org.junit.jupiter.api.Assumptions.abort("ZIP test skipped: 7-Zip is not installed (apt-get install 7zip; .ci/run installs it),"
                + " and the test opens the evidence with it");
    }

    /** The entry names 7-Zip lists with no password given (stdin closed, so it cannot ask). */
    public static List<String> namesWithoutPassword(Path zip) throws Exception {
        String out = run(List.of(command(), "l", "-slt", "-p", zip.toString()));
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("Path = ") && !line.substring(7).strip().equals(zip.toString())) names.add(line.substring(7).strip());
        }
        return names;
    }

    /** Extracts every entry with the password into {@code into}; fails the test unless 7-Zip succeeds. */
    public static void extract(Path zip, String password, Path into) throws Exception {
        run(List.of(command(), "x", "-y", "-p" + password, "-o" + into, zip.toString()));
    }

    /** True when 7-Zip refuses to extract with this (wrong) password. */
    public static boolean refuses(Path zip, String password, Path into) throws Exception {
        Process p = new ProcessBuilder(command(), "x", "-y", "-p" + password, "-o" + into, zip.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        return p.waitFor() != 0;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
