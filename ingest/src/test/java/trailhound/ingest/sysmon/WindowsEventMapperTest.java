package trailhound.ingest.sysmon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
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
