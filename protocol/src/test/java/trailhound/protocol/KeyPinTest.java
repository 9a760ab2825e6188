package trailhound.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The pin serve prints and an agent takes: both written forms of the same SHA-256, nothing else. */
class KeyPinTest {

    @Test
    void pin_isTheSha256OfTheKeyInfo_andBothWrittenFormsReadBack() throws Exception {
        var key = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
        KeyPin pin = KeyPin.of(key);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded())), pin.hex());
        assertEquals(pin, KeyPin.parse(pin.base64()));
        assertEquals(pin, KeyPin.parse("  " + pin.hex().toUpperCase() + "\n"));
        assertTrue(pin.base64().startsWith("sha256/"));
    }

    @Test
    void anythingElse_isRefused_sayingBothForms() {
        for (String bad : new String[] {"", "sha256/", "sha256/!!!", "sha256/AAAA", "abc", "0".repeat(63), null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyPin.parse(bad), String.valueOf(bad));
            assertTrue(e.getMessage().contains("sha256/<base64> or 64 hex digits"), e.getMessage());
        }
    }
}
