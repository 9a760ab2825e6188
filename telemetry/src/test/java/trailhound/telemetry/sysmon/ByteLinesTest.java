package trailhound.telemetry.sysmon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteLinesTest {
    @Test
    void indexOfNewline_anyBytesAndBounds_sameAsAByteLoop() {
        Random random = new Random(7);
        byte[] nearNewline = {'\n', '\n', 0x0b, 0x09, (byte) 0x8a, 0x00, (byte) 0xff, 0x01, 'a'};
        for (int round = 0; round < 2000; round++) {
            byte[] buf = new byte[random.nextInt(40)];
            for (int i = 0; i < buf.length; i++) {
                buf[i] = random.nextInt(4) == 0 ? nearNewline[random.nextInt(nearNewline.length)] : (byte) random.nextInt(256);
            }
            for (int from = 0; from <= buf.length; from++) {
                for (int to = from; to <= buf.length; to++) {
                    assertEquals(byteLoop(buf, from, to), ByteLines.indexOfNewline(buf, from, to));
                }
            }
        }
    }

    private static int byteLoop(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
