package trailhound.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathBytesTest {
    private static final byte[] BAD = {'/', 't', '/', 'b', 'a', 'd', (byte) 0xff, '.', 'b', 'i', 'n'};

    @Test
    void notUtf8_travelsAsTextAndBase64_andComesBackExact() {
        String text = PathBytes.text(BAD);
        assertEquals("/t/bad\uFFFD.bin", text);
        String b64 = PathBytes.base64(BAD);
        assertArrayEquals(BAD, PathBytes.of(text, b64));
        Message.StatFile sent = new Message.StatFile(1, text, true, b64);
        Message.StatFile received = (Message.StatFile) Protocol.decode(Protocol.encode(sent));
        assertEquals(sent, received);
        assertArrayEquals(BAD, PathBytes.of(received.path(), received.pathBytes()));
        assertTrue(Protocol.encode(sent).contains("\"path_bytes\":\"L3QvYmFk/y5iaW4=\""), Protocol.encode(sent));
    }

    @Test
    void utf8_travelsAsBefore_withoutBytes() {
        byte[] ok = "/t/ok é\n.txt".getBytes(StandardCharsets.UTF_8);
        assertTrue(PathBytes.utf8(ok));
        assertNull(PathBytes.base64(ok));
        assertArrayEquals(ok, PathBytes.of(PathBytes.text(ok), null));
        assertEquals("{\"type\":\"stat_file\",\"request_id\":1,\"path\":\"/x\",\"hash\":false}", Protocol.encode(new Message.StatFile(1, "/x", false)));
        Message.Listing l = new Message.Listing(2, "/t", "/", List.of("/"), 1, 0, List.of(new Message.FileEntry("a", "file", 1L, null, null,
                null, null, null)));
        assertFalse(Protocol.encode(l).contains("bytes"), "no field when the text is exact: " + Protocol.encode(l));
        assertEquals(l, Protocol.decode(Protocol.encode(l)));
    }

    @Test
    void escaped_marksEachByteThatIsNotUtf8_once() {
        assertEquals("/t/bad\\xFF.bin", PathBytes.escaped(BAD));
        byte[] mixed = {'a', (byte) 0xe2, (byte) 0x82, 'b', (byte) 0xc0, (byte) 0xaf, (byte) 0xed, (byte) 0xa0, (byte) 0x80, 'c'};
        // a cut sequence, an overlong '/', an encoded surrogate: no byte of them is UTF-8
        List<PathBytes.Part> parts = PathBytes.parts(mixed);
        assertEquals(7, parts.stream().filter(PathBytes.Part::badByte).count(), parts.toString());
        assertEquals("a\\xE2\\x82b\\xC0\\xAF\\xED\\xA0\\x80c", PathBytes.escaped(mixed));
        assertFalse(PathBytes.utf8(mixed));
        assertEquals("ok \u00e9 \uD83D\uDE00", PathBytes.escaped("ok \u00e9 \uD83D\uDE00".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ProtocolException.class, () -> PathBytes.of("x", "not base64!"));
    }
}
