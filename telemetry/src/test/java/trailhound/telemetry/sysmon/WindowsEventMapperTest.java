package trailhound.telemetry.sysmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import trailhound.schema.Event;
import trailhound.schema.Field;

class WindowsEventMapperTest {
    private static final List<Field> HASH_FIELDS = List.of(Field.HASH_MD5, Field.HASH_SHA1, Field.HASH_SHA256);

    @Test
    void hashes_oddShapes_sameAsSplittingOnCommas() {
        for (String hashes : List.of("SHA1=AB12,MD5=CD34,SHA256=EF56,IMPHASH=7788",
                "md5=AbCd", " SHA256 = FFEE , sha1=00 ,", ",,MD5=,SHA1=a=b", "IMPHASH=1", "", "MD5",
                "SHA256=ÀB,MD5=\tX\t", "ſha1=abc", "SHA1=12,SHA1=34")) {
            assertEquals(reference(hashes), hashFields(hashes), hashes);
        }
    }

    @Test
    void guid_bracesAndCase() {
        assertEquals("ab-cd", WindowsEventMapper.guid(" {AB-CD} "));
        assertEquals(" ab ", WindowsEventMapper.guid("{ AB }"));
        assertEquals("ab-cd", WindowsEventMapper.guid("AB-CD"));
        assertEquals("äb", WindowsEventMapper.guid("{ÄB}"));
    }

    /** Regression (issue #14): a {@code /} inside a Windows file name cut the process name short. */
    @Test
    void baseName_windowsPathWithSlashInTheName_endsAtTheLastBackslashOnly() {
        assertEquals("<script>alert(1)</script>.exe", WindowsEventMapper.baseName("C:\\Temp\\<script>alert(1)</script>.exe"));
        assertEquals("a/b.exe", WindowsEventMapper.baseName("\\\\fileserver\\share\\a/b.exe"));
        assertEquals("x/y.exe", WindowsEventMapper.baseName("c:x/y.exe"));
        assertEquals("cmd.exe", WindowsEventMapper.baseName("C:\\Windows\\System32\\cmd.exe"));
        assertEquals("bash", WindowsEventMapper.baseName("/usr/bin/bash"), "Sysmon for Linux paths still end at /");
        assertEquals("System", WindowsEventMapper.baseName("System"));
        assertEquals(null, WindowsEventMapper.baseName(null));
    }

    @Test
    void map_processCreateWithMarkupInTheImageName_keepsTheWholeName() {
        Map<String, String> fields = new java.util.HashMap<>(processCreate());
        fields.put("Image", "C:\\Temp\\<script>alert(1)</script>.exe");
        Event e = WindowsEventMapper.map(fields, "u1", null, () -> "host", java.time.ZoneOffset.UTC);
        assertEquals("<script>alert(1)</script>.exe".toLowerCase(Locale.ROOT), e.get(Field.PROCESS_NAME).toLowerCase(Locale.ROOT));
    }

    /** The index memoises by String instance; a parser makes new ones, so the mapper shares equal values. */
    @Test
    void map_twoEventsOfOneProcess_shareTheirValueInstances() {
        Event first = WindowsEventMapper.map(processCreate(), "u1", null, () -> "host", java.time.ZoneOffset.UTC);
        Event second = WindowsEventMapper.map(processCreate(), "u2", null, () -> "host", java.time.ZoneOffset.UTC);

        for (Field f : List.of(Field.COMMAND_LINE, Field.PROCESS_PATH, Field.USER, Field.PROCESS_KEY, Field.TYPE)) {
            assertEquals(first.get(f), second.get(f), f.canonicalName());
            assertSame(first.get(f), second.get(f), f.canonicalName());
        }
    }

    /** A Sysmon process creation as a parser hands it over: every value a new String. */
    private static Map<String, String> processCreate() {
        return Map.of("EventID", "1", "Channel", "Microsoft-Windows-Sysmon/Operational",
                "UtcTime", "2020-10-19 07:00:00.123", "Hostname", new String("WS-1"),
                "Image", new String("C:\\Windows\\System32\\cmd.exe"),
                "CommandLine", new String("cmd.exe /c whoami"), "User", new String("CORP\\alice"),
                "ProcessGuid", new String("{AB-CD}"), "ProcessId", "42");
    }

    private static List<String> hashFields(String hashes) {
        Event.Builder e = Event.builder();
        WindowsEventMapper.hashes(e, hashes);
        return HASH_FIELDS.stream().map(e::get).toList();
    }

    /** The implementation before the one without split. */
    private static List<String> reference(String hashes) {
        Event.Builder e = Event.builder();
        for (String part : hashes.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = part.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
            switch (part.substring(0, eq).trim().toUpperCase(Locale.ROOT)) {
                case "MD5" -> e.set(Field.HASH_MD5, value);
                case "SHA1" -> e.set(Field.HASH_SHA1, value);
                case "SHA256" -> e.set(Field.HASH_SHA256, value);
                default -> { }
            }
        }
        return HASH_FIELDS.stream().map(e::get).toList();
    }
}
